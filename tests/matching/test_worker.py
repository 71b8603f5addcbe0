"""Refresh on publish through a real Celery worker consuming from Redis (PostgreSQL run)."""

import time

import pytest
from django.db import connection

from market import services as market_services
from market.models import Listing
from matching.models import Match
from tests.factories import ListingFactory, MembershipFactory, PublishedListingFactory
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


def test_the_worker_refreshes_matches_after_publish_and_withdraw(worker_app, curator):  # noqa: F811
    need = PublishedListingFactory(kind=Listing.Kind.NEED, title="Cần công nghệ sấy lạnh sầu riêng")
    offer = ListingFactory(title="Công nghệ sấy lạnh sầu riêng", status=Listing.Status.SUBMITTED)

    market_services.listing_approve(listing=offer, actor=curator)

    assert _wait_for(lambda: Match.objects.filter(source=need, target=offer).exists())
    assert Match.objects.filter(source=offer, target=need).exists()

    owner = MembershipFactory(organisation=offer.organisation).user
    market_services.listing_close(listing=offer, actor=owner)

    assert _wait_for(lambda: not Match.objects.filter(target=offer).exists())
    assert not Match.objects.filter(source=offer).exists()
