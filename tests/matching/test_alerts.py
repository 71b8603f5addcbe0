"""Saved searches and new-match alerts: queued on publish, sent once, unsubscribed in one click."""

import re

import pytest
from django.test import Client

from market import services as market_services
from market.models import Listing
from matching.alerts import send_alerts
from matching.models import Alert, AlertPreference, Frequency, SavedSearch
from tests.factories import ListingFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _publish(curator, capture, **fields) -> Listing:
    listing = ListingFactory(status=Listing.Status.SUBMITTED, **fields)
    with capture(execute=True):
        market_services.listing_approve(listing=listing, actor=curator)
    return listing


@pytest.fixture
def searcher():
    return MembershipFactory().user


def _save_search(user, **data) -> None:
    client = Client()
    client.force_login(user)
    response = client.post("/en/portal/alerts/searches/", data)
    assert response.status_code == 302
    return client


def test_a_saved_search_emails_a_new_listing_at_once_and_only_once(
    searcher, curator, mailoutbox, django_capture_on_commit_callbacks
):
    _save_search(searcher, q="say lanh", kind="offer", name="Sấy lạnh", frequency="immediate")
    saved = SavedSearch.objects.get()
    assert (saved.query, saved.filters) == ("say lanh", {"kind": "offer"})

    offer = _publish(curator, django_capture_on_commit_callbacks, title="Máy sấy lạnh trái cây")
    _publish(curator, django_capture_on_commit_callbacks, kind="need", title="Cần sấy lạnh")
    _publish(curator, django_capture_on_commit_callbacks, title="Phần mềm kế toán", summary="")

    (email,) = [message for message in mailoutbox if searcher.email in message.to]
    assert "Máy sấy lạnh trái cây" in email.body
    assert "Cần sấy lạnh" not in email.body  # a need: the search asked for offers
    assert "Sấy lạnh" in email.body
    unsubscribe = re.search(r"(http\S+/alerts/unsubscribe/\S+/)", email.body).group(1)
    assert email.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Back to draft and published again: nobody hears of it twice.
    owner = MembershipFactory(organisation=offer.organisation).user
    with django_capture_on_commit_callbacks(execute=True):
        market_services.listing_revise(listing=offer, actor=owner)
    offer.refresh_from_db()
    offer.status = Listing.Status.SUBMITTED
    offer.save()
    with django_capture_on_commit_callbacks(execute=True):
        market_services.listing_approve(listing=offer, actor=curator)
    assert len([message for message in mailoutbox if searcher.email in message.to]) == 1


def test_ones_own_listings_raise_no_search_alert(
    searcher, curator, mailoutbox, django_capture_on_commit_callbacks
):
    _save_search(searcher, q="sấy", frequency="immediate")
    organisation = searcher.memberships.get().organisation
    _publish(curator, django_capture_on_commit_callbacks, organisation=organisation)
    assert not Alert.objects.filter(user=searcher).exists()


def test_new_matches_wait_for_the_daily_digest(
    need, curator, mailoutbox, django_capture_on_commit_callbacks
):
    member = MembershipFactory(organisation=need.organisation).user
    offer = _publish(curator, django_capture_on_commit_callbacks, title="Sấy lạnh sầu riêng")

    alert = Alert.objects.get(user=member)
    assert (alert.kind, alert.listing, alert.found, alert.sent_at) == ("match", need, offer, None)
    assert not [message for message in mailoutbox if member.email in message.to]

    with django_capture_on_commit_callbacks(execute=True):
        assert send_alerts(frequency=Frequency.DAILY) >= 1
    (email,) = [message for message in mailoutbox if member.email in message.to]
    assert need.title in email.body and offer.title in email.body
    assert f"/portal/listings/{need.pk}/matches/" in email.body

    with django_capture_on_commit_callbacks(execute=True):
        send_alerts(frequency=Frequency.DAILY)
    assert len([message for message in mailoutbox if member.email in message.to]) == 1


def test_a_listing_that_left_the_floor_is_not_announced(
    need, curator, mailoutbox, django_capture_on_commit_callbacks
):
    member = MembershipFactory(organisation=need.organisation).user
    offer = _publish(curator, django_capture_on_commit_callbacks, title="Sấy lạnh sầu riêng")
    owner = MembershipFactory(organisation=offer.organisation).user
    with django_capture_on_commit_callbacks(execute=True):
        market_services.listing_withdraw(listing=offer, actor=owner)
        send_alerts(frequency=Frequency.DAILY)
    assert not [message for message in mailoutbox if member.email in message.to]


def test_members_who_turned_alerts_off_hear_nothing(
    need, curator, django_capture_on_commit_callbacks
):
    member = MembershipFactory(organisation=need.organisation).user
    AlertPreference.objects.create(user=member, match_frequency=Frequency.OFF)
    _publish(curator, django_capture_on_commit_callbacks, title="Sấy lạnh sầu riêng")
    assert not Alert.objects.filter(user=member).exists()


def test_one_click_unsubscribe_without_logging_in(
    searcher, curator, mailoutbox, django_capture_on_commit_callbacks
):
    _save_search(searcher, q="sấy", frequency="immediate")
    _publish(curator, django_capture_on_commit_callbacks, title="Máy sấy")
    (email,) = [message for message in mailoutbox if searcher.email in message.to]
    link = re.search(r"http://[^/]+(/\S+/alerts/unsubscribe/\S+/)", email.body).group(1)
    client = Client(enforce_csrf_checks=True)  # a mail client's one-click POST

    assert client.get(link).status_code == 200
    assert SavedSearch.objects.get().frequency == Frequency.IMMEDIATE
    assert client.post(link).status_code == 200
    assert SavedSearch.objects.get().frequency == Frequency.OFF

    forged = link.replace("/unsubscribe/", "/unsubscribe/x")
    assert client.post(forged).status_code == 404


def test_the_alerts_page_changes_preferences_and_deletes_searches(searcher):
    client = _save_search(searcher, q="sấy", frequency="daily")
    saved = SavedSearch.objects.get()

    page = client.get("/vi/portal/alerts/")
    assert page.status_code == 200
    assert "sấy" in page.content.decode()
    client.post("/en/portal/alerts/", {"match_frequency": "weekly"})
    assert AlertPreference.objects.get(user=searcher).match_frequency == "weekly"
    client.post(f"/en/portal/alerts/searches/{saved.pk}/", {"frequency": "weekly"})
    assert SavedSearch.objects.get().frequency == "weekly"

    other = Client()
    other.force_login(UserFactory())
    other.post(f"/en/portal/alerts/searches/{saved.pk}/", {"action": "delete"})
    assert SavedSearch.objects.exists()  # not theirs
    client.post(f"/en/portal/alerts/searches/{saved.pk}/", {"action": "delete"})
    assert not SavedSearch.objects.exists()


def test_an_empty_search_is_not_saved(searcher):
    _save_search(searcher, q="", frequency="daily")
    assert not SavedSearch.objects.exists()


def test_the_floor_offers_to_save_a_search(searcher):
    from cms.models import TradingFloorPage

    client = Client()
    client.force_login(searcher)
    floor = TradingFloorPage.objects.live().first()
    page = client.get(f"{floor.url}?q=sấy").content.decode()
    assert 'action="/vi/portal/alerts/searches/"' in page
