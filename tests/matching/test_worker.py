"""Refresh on publish through a real Celery worker consuming from Redis (PostgreSQL run).

Transactional, so pytest-django runs it after the other tests; its flush at the end removes
reference data, which it does not use (no sectors, no staff groups)."""

import time

import pytest
from django.db import connection

from market.models import Listing
from market.signals import listing_published, listing_unpublished
from matching.models import Match
from tests.factories import PublishedListingFactory
from tests.techfloor.test_celery_worker import worker_app  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker thread needs its own connection to a shared database (PostgreSQL)",
    ),
]


def _wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_the_worker_refreshes_matches_after_publish_and_close(worker_app):  # noqa: F811
    need = PublishedListingFactory(kind=Listing.Kind.NEED, title="Cần công nghệ sấy lạnh sầu riêng")
    offer = PublishedListingFactory(title="Công nghệ sấy lạnh sầu riêng")

    # What the listing services send after their transaction commits.
    listing_published.send(sender=Listing, listing_id=offer.pk)

    assert _wait_for(lambda: Match.objects.filter(source=need, target=offer).exists())
    assert Match.objects.filter(source=offer, target=need).exists()

    offer.status = Listing.Status.CLOSED
    offer.save()
    listing_unpublished.send(sender=Listing, listing_id=offer.pk)

    assert _wait_for(lambda: not Match.objects.filter(target=offer).exists())
    assert not Match.objects.filter(source=offer).exists()
