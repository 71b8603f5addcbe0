"""Ranking the whole floor at once: scored in worker processes, the same as in one."""

import pytest

from market.models import Listing
from matching import batch
from matching.models import Match
from matching.services import rebuild_matches
from tests.factories import PublishedListingFactory

pytestmark = pytest.mark.django_db


def _stored() -> list[tuple]:
    return sorted(Match.objects.values_list("source_id", "target_id", "score", "features"))


def test_workers_rank_the_floor_as_one_process_does(need, offer, monkeypatch):
    PublishedListingFactory(kind=Listing.Kind.NEED, title="Cần máy sấy lạnh trái cây", trl=5)
    PublishedListingFactory.create_batch(4, title="Máy sấy lạnh sầu riêng công suất lớn")
    PublishedListingFactory(title="Phần mềm quản lý nhân sự", summary="Chấm công")
    monkeypatch.setattr(batch, "SLICE", 2)  # several slices, so that both workers score some
    rebuild_matches()
    alone = _stored()

    monkeypatch.setattr(batch, "PARALLEL_FROM", 0)
    done = []
    rebuild_matches(progress=done.append)

    assert _stored() == alone
    assert (need.pk, offer.pk) in {(source, target) for source, target, *_rest in alone}
    assert done[-1] == Listing.objects.filter(status=Listing.Status.PUBLISHED).count() == 8
    assert batch._work is None  # nothing of the rebuild stays behind for the next one
