"""The same cases against the listing page and the API: who sees a listing at all, who reads
its details, who reads its confidential part. The expected table is written out, and the page
and the API must both match it."""

import pytest

from market.models import Introduction, Listing
from tests.factories import (
    IntroductionFactory,
    MembershipFactory,
    PublishedListingFactory,
    StaffFactory,
    VerifiedOrganisationFactory,
)

pytestmark = pytest.mark.django_db

DETAILS = "Mô tả đầy đủ của công nghệ"
SECRET = "Thông số bí mật: 45°C"

VIEWERS = ["anonymous", "owner", "other_org", "curator", "introduced"]
STATES = ["published_public", "published_summary", "draft", "withdrawn"]


def _listing(state: str) -> Listing:
    return PublishedListingFactory(
        description=f"<p>{DETAILS}</p>",
        confidential=SECRET,
        visibility="summary" if state == "published_summary" else "public",
        status={"draft": "draft", "withdrawn": "withdrawn"}.get(state, "published"),
    )


def _log_in(client, viewer: str, listing: Listing) -> None:
    if viewer == "owner":
        client.force_login(MembershipFactory(organisation=listing.organisation).user)
    elif viewer == "other_org":
        client.force_login(MembershipFactory(organisation=VerifiedOrganisationFactory()).user)
    elif viewer == "curator":
        client.force_login(StaffFactory())
    elif viewer == "introduced":
        introduction = IntroductionFactory(listing=listing, status=Introduction.Status.APPROVED)
        client.force_login(MembershipFactory(organisation=introduction.requester).user)


def _expected(viewer: str, state: str) -> tuple[bool, bool, bool]:
    """(visible, details, confidential) as the rules in market/selectors.py state them."""
    published = state.startswith("published")
    visible = published or viewer in ("owner", "curator")
    insiders = ("owner", "curator", "introduced")
    confidential = visible and viewer in insiders
    details = visible and (state == "published_public" or confidential)
    return visible, details, confidential


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_page_and_the_api_show_the_same(client, viewer, state):
    listing = _listing(state)
    _log_in(client, viewer, listing)
    visible, details, confidential = _expected(viewer, state)

    page = client.get(f"/vi/san-giao-dich/{listing.slug}/")
    api = client.get(f"/api/v1/listings/{listing.pk}/")

    assert page.status_code == api.status_code == (200 if visible else 404)
    if not visible:
        assert listing.title not in api.content.decode()
        return
    page_text, data = page.content.decode(), api.json()
    assert data["title"] == listing.title
    assert (DETAILS in page_text) is details
    assert (data["details"] is not None) is details
    assert (SECRET in page_text) is confidential
    assert (data["confidential"] is not None) is confidential
    if details:
        assert DETAILS in data["details"]["description"]
    if confidential:
        assert data["confidential"]["confidential"] == SECRET
        assert data["confidential"]["contact_email"] == listing.contact_email
    if not confidential:
        assert SECRET not in api.content.decode()
        assert listing.contact_email not in api.content.decode()
    if not details:
        assert DETAILS not in api.content.decode()


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_list_shows_what_the_floor_lists(client, viewer):
    listings = {state: _listing(state) for state in STATES}
    staff_only = PublishedListingFactory(visibility="staff")
    _log_in(client, viewer, listings["published_summary"])

    floor = client.get("/vi/san-giao-dich/").content.decode()
    data = client.get("/api/v1/listings/").json()

    listed = {item["id"] for item in data["results"]}
    for listing in [*listings.values(), staff_only]:
        assert (listing.pk in listed) is (f"/{listing.slug}/" in floor)
    expected = {listings["published_public"].pk, listings["published_summary"].pk}
    if viewer == "curator":
        expected.add(staff_only.pk)
    assert listed == expected
    assert data["count"] == len(expected)
    # A card never carries the details, whoever reads it.
    assert DETAILS not in str(data) and SECRET not in str(data)
