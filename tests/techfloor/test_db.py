"""``insert_many``: the same rows whether copied (PostgreSQL) or bulk-created."""

import pytest
from django.utils import timezone

from matching.models import ListingProfile
from techfloor.db import insert_many
from tests.factories import PublishedListingFactory

pytestmark = pytest.mark.django_db


def test_rows_arrive_with_json_bytes_and_nulls_intact():
    first, second = PublishedListingFactory(), PublishedListingFactory()
    now = timezone.now()
    insert_many(
        ListingProfile,
        ("listing_id", "terms", "concepts", "surface", "vector", "space_id", "updated_at"),
        [
            (
                first.pk,
                {"say_lanh": 4.5, 'quote"d': 1},
                {"7": 2},
                {"say": "sấy"},
                b"\x00\x01\\",
                None,
                now,
            ),
            (second.pk, {}, {}, {}, None, None, now),
        ],
    )
    copied = ListingProfile.objects.get(listing=first)
    assert copied.terms == {"say_lanh": 4.5, 'quote"d': 1}
    assert copied.concepts == {"7": 2}
    assert copied.surface == {"say": "sấy"}
    assert bytes(copied.vector) == b"\x00\x01\\"
    assert abs(copied.updated_at - now).total_seconds() < 60  # auto_now may set it again
    empty = ListingProfile.objects.get(listing=second)
    assert (empty.terms, empty.vector, empty.space_id) == ({}, None, None)
