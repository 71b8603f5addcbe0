"""Match pages from the outside: who sees what, feedback, the broker workbench."""

import pytest
from django.test import Client

from market.models import Introduction, Listing
from matching.models import Match, MatchFeedback
from matching.services import refresh_listing_matches
from tests.factories import MembershipFactory, PublishedListingFactory, UserFactory

pytestmark = pytest.mark.django_db


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def matched(need, offer):
    refresh_listing_matches(listing_id=need.pk)
    return need, offer


def test_the_owner_sees_ranked_counterparts_with_reasons(matched):
    need, offer = matched
    owner = MembershipFactory(organisation=need.organisation).user

    response = _client_for(owner).get(f"/vi/portal/listings/{need.pk}/matches/")

    assert response.status_code == 200
    html = response.content.decode()
    assert offer.title.split()[0] in html
    assert "<mark>sấy</mark> <mark>lạnh</mark>" in html  # matched words in the title
    assert "TRL 7 ≥ yêu cầu 6" in html
    assert "Giá trong ngân sách" in html
    assert "0." not in "".join(  # never a raw score
        line for line in html.splitlines() if "match-reasons" in line
    )


def test_the_listing_page_links_to_its_matches(matched):
    need, _offer = matched
    owner = MembershipFactory(organisation=need.organisation).user
    response = _client_for(owner).get(f"/en/portal/listings/{need.pk}/")
    assert f"/en/portal/listings/{need.pk}/matches/" in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "other member"])
def test_strangers_cannot_see_a_listings_matches(matched, who):
    need, _offer = matched
    client = Client() if who == "anonymous" else _client_for(MembershipFactory().user)
    response = client.get(f"/en/portal/listings/{need.pk}/matches/")
    assert response.status_code in (302, 404)
    assert "sấy lạnh" not in response.content.decode()


def test_staff_only_counterparts_are_hidden_from_owners(need):
    hidden = PublishedListingFactory(
        title="Công nghệ sấy lạnh sầu riêng nội bộ", visibility=Listing.Visibility.STAFF
    )
    refresh_listing_matches(listing_id=need.pk)
    assert Match.objects.filter(source=need, target=hidden).exists()
    owner = MembershipFactory(organisation=need.organisation).user

    response = _client_for(owner).get(f"/en/portal/listings/{need.pk}/matches/")

    assert "nội bộ" not in response.content.decode()


def test_confidential_details_never_surface_in_reasons(need):
    PublishedListingFactory(
        title="Công nghệ sấy lạnh sầu riêng",
        visibility=Listing.Visibility.SUMMARY,
        description="<p>Dùng enzyme pectinase bí mật cho sầu riêng.</p>",
    )
    need.description = "<p>Có thể dùng enzyme pectinase.</p>"
    need.save()
    refresh_listing_matches(listing_id=need.pk)
    owner = MembershipFactory(organisation=need.organisation).user

    response = _client_for(owner).get(f"/en/portal/listings/{need.pk}/matches/")

    assert response.status_code == 200
    assert "pectinase" not in response.content.decode()


def test_feedback_is_recorded_and_shown(matched):
    need, offer = matched
    owner = MembershipFactory(organisation=need.organisation).user
    client = _client_for(owner)
    match = Match.objects.get(source=need)

    response = client.post(
        f"/en/portal/matches/{match.pk}/feedback/", {"relevant": "0", "reason": "Quá nhỏ"}
    )

    assert response.status_code == 302
    feedback = MatchFeedback.objects.get()
    assert (feedback.need, feedback.supply, feedback.relevant, feedback.reason) == (
        need,
        offer,
        False,
        "Quá nhỏ",
    )
    page = client.get(f"/en/portal/listings/{need.pk}/matches/").content.decode()
    assert 'value="0" aria-pressed="true"' in page


def test_a_stranger_cannot_give_feedback(matched):
    need, _offer = matched
    match = Match.objects.get(source=need)
    response = _client_for(UserFactory()).post(
        f"/en/portal/matches/{match.pk}/feedback/", {"relevant": "1"}
    )
    assert response.status_code == 404
    assert not MatchFeedback.objects.exists()


def test_the_workbench_proposes_an_introduction_in_one_action(
    matched, curator_client, mailoutbox, django_capture_on_commit_callbacks
):
    need, offer = matched
    MembershipFactory(organisation=offer.organisation)
    page = curator_client.get("/admin/matches/")
    assert page.status_code == 200
    assert offer.organisation.legal_name in page.content.decode()
    match = Match.objects.get(source=need)

    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post(f"/admin/matches/{match.pk}/introduce/")

    assert response.status_code == 302
    introduction = Introduction.objects.get()
    assert (introduction.listing, introduction.requester) == (offer, need.organisation)
    assert introduction.status == Introduction.Status.REQUESTED
    assert mailoutbox, "the supply listing's owner is told"
    # Brokered now: the pair leaves the workbench, and cannot be proposed twice.
    again = curator_client.get("/admin/matches/").content.decode()
    assert offer.organisation.legal_name not in again
    curator_client.post(f"/admin/matches/{match.pk}/introduce/")
    assert Introduction.objects.count() == 1


def test_the_workbench_is_for_curators_only(matched, client):
    member = MembershipFactory().user
    client.force_login(member)
    assert client.get("/admin/matches/").status_code in (302, 403)
    need, _offer = matched
    match = Match.objects.get(source=need)
    assert client.post(f"/admin/matches/{match.pk}/introduce/").status_code in (302, 403)
    assert not Introduction.objects.exists()


def test_an_open_redirect_is_refused(matched, curator_client):
    need, _offer = matched
    match = Match.objects.get(source=need)
    response = curator_client.post(
        f"/admin/matches/{match.pk}/introduce/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/admin/matches/"


@pytest.mark.parametrize("path", ["/en/portal/listings/{need}/matches/", "/admin/matches/"])
def test_match_pages_cost_the_same_queries_for_one_match_or_many(
    need, curator_client, curator, path
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = path.format(need=need.pk)
    PublishedListingFactory(title="Công nghệ sấy lạnh sầu riêng")
    refresh_listing_matches(listing_id=need.pk)
    curator_client.get(url)  # the floor's address and the session are cached from here on
    with CaptureQueriesContext(connection) as one:
        assert curator_client.get(url).status_code == 200
    PublishedListingFactory.create_batch(5, title="Công nghệ sấy lạnh sầu riêng khác")
    refresh_listing_matches(listing_id=need.pk)
    assert Match.objects.filter(source=need).count() == 6
    with CaptureQueriesContext(connection) as many:
        assert curator_client.get(url).status_code == 200
    assert _page_queries(many) == _page_queries(one)


def _page_queries(captured) -> int:
    """Queries of the page itself: the site's menu and footer are cached on their own
    schedule (``cms.context_processors``), so they may be read in one request and not the
    next."""
    return sum(
        1
        for query in captured
        if "wagtailcore_site" not in query["sql"] and "cms_navigationsettings" not in query["sql"]
    )
