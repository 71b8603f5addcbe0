"""PostgreSQL's search table: what the triggers keep in it and how narrow its rows stay."""

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import Sector
from market.models import Listing
from tests.factories import ListingFactory, PublishedListingFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the search table exists on PostgreSQL only"
    ),
]


def _rows() -> dict[int, tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT listing_id, kind, staff_only, sectors, top_sectors FROM market_listing_search"
        )
        return {row[0]: row[1:] for row in cursor.fetchall()}


def test_only_published_listings_are_in_the_table():
    published = PublishedListingFactory()
    draft = ListingFactory()
    assert set(_rows()) == {published.pk}

    published.status = Listing.Status.WITHDRAWN
    published.save()
    draft.status = Listing.Status.PUBLISHED
    draft.save()
    assert set(_rows()) == {draft.pk}

    draft.delete()
    assert _rows() == {}


def test_sectors_and_visibility_follow_the_listing():
    listing = PublishedListingFactory(visibility=Listing.Visibility.STAFF)
    listing.sectors.set([Sector.objects.get(code="coffee-processing")])
    kind, staff_only, sectors, top_sectors = _rows()[listing.pk]
    assert (kind, staff_only) == (listing.kind, True)
    assert sorted(sectors) == ["coffee-processing", "food-processing"]
    assert top_sectors == ["food-processing"]

    listing.sectors.clear()
    assert _rows()[listing.pk][2:4] == ([], [])


def test_even_a_short_word_vector_is_stored_out_of_line():
    # The GIN index answers the match; keeping the vector out of the rows keeps them narrow
    # (see market.search.schema). PostgreSQL alone would keep rows under 2 kB inline.
    PublishedListingFactory(title="Máy sấy", summary="Ngắn", description="<p>Ngắn.</p>")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class toast JOIN pg_class search"
            " ON search.reltoastrelid = toast.oid WHERE search.relname = 'market_listing_search'"
        )
        assert cursor.fetchone() == (1,)
        cursor.execute(
            "SELECT pg_relation_size(reltoastrelid) FROM pg_class"
            " WHERE relname = 'market_listing_search'"
        )
        assert cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_the_table_too():
    # Django's flush (between transactional tests, ``manage.py flush``) truncates the listings.
    PublishedListingFactory()
    call_command("flush", interactive=False, verbosity=0)
    assert _rows() == {}
