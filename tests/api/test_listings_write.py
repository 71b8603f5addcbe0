"""Members draft, change and submit their own organisation's listings through the API, as in
the portal, and express interest in others' listings; everyone else is refused and nothing
changes."""

import pytest
from django.core import mail

from market.models import Introduction, Listing
from tests.factories import (
    ListingFactory,
    MembershipFactory,
    PublishedListingFactory,
    VerifiedOrganisationFactory,
)

pytestmark = pytest.mark.django_db

LISTINGS = "/api/v1/listings/"


@pytest.fixture
def member(client):
    membership = MembershipFactory(organisation=VerifiedOrganisationFactory())
    client.force_login(membership.user)
    return membership


def test_a_member_drafts_a_listing_for_their_organisation(client, member):
    response = client.post(
        LISTINGS,
        {
            "kind": "need",
            "title": "Cần công nghệ xử lý nước thải chế biến cà phê",
            "summary": "Nhà máy 20 tấn/ngày.",
            "sectors": ["coffee-processing"],
            "keywords": ["nước thải", "cà phê"],
            "price_min": 100_000_000,
        },
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    listing = Listing.objects.get(pk=response.json()["id"])
    assert listing.organisation == member.organisation
    assert listing.created_by == member.user
    assert listing.status == Listing.Status.DRAFT
    assert listing.kind == "need"
    assert listing.keywords == ["nước thải", "cà phê"]
    assert list(listing.sectors.values_list("code", flat=True)) == ["coffee-processing"]
    assert response.json()["details"]["description"] == ""


def test_a_draft_is_changed_then_submitted_to_the_curators(client, member):
    listing = ListingFactory(organisation=member.organisation, summary="Cũ")

    response = client.patch(
        f"{LISTINGS}{listing.pk}/", {"summary": "Mới"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["summary"] == "Mới"

    response = client.post(f"{LISTINGS}{listing.pk}/submit/")

    assert response.status_code == 200, response.content
    listing.refresh_from_db()
    assert listing.summary == "Mới"
    assert listing.status == Listing.Status.SUBMITTED
    assert response.json()["status"] == "submitted"


def test_validation_errors_name_the_field(client, member):
    listing = ListingFactory(organisation=member.organisation, kind="offer")

    too_long = client.post(
        LISTINGS, {"kind": "offer", "title": "x" * 201}, content_type="application/json"
    )
    bad_trl = client.patch(f"{LISTINGS}{listing.pk}/", {"trl": 12}, content_type="application/json")
    prices = client.patch(
        f"{LISTINGS}{listing.pk}/",
        {"price_min": 9, "price_max": 1},
        content_type="application/json",
    )
    foreign = client.patch(
        f"{LISTINGS}{listing.pk}/", {"deadline": "2030-01-01"}, content_type="application/json"
    )

    assert too_long.status_code == 400 and set(too_long.json()) == {"title"}
    assert bad_trl.status_code == 400 and set(bad_trl.json()) == {"trl"}
    assert prices.status_code == 400 and set(prices.json()) == {"price_max"}
    assert foreign.status_code == 400 and set(foreign.json()) == {"deadline"}
    listing.refresh_from_db()
    assert (listing.trl, listing.price_min, listing.deadline) == (7, 300_000_000, None)


def test_submitting_an_incomplete_draft_names_what_is_missing(client, member):
    listing = ListingFactory(organisation=member.organisation, problem="", trl=None)

    response = client.post(f"{LISTINGS}{listing.pk}/submit/")

    assert response.status_code == 400
    assert set(response.json()) == {"problem", "trl"}
    listing.refresh_from_db()
    assert listing.status == Listing.Status.DRAFT


def test_a_published_listing_cannot_be_edited_in_place(client, member):
    listing = PublishedListingFactory(organisation=member.organisation, summary="Đã đăng")

    response = client.patch(
        f"{LISTINGS}{listing.pk}/", {"summary": "Sửa lén"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    listing.refresh_from_db()
    assert listing.summary == "Đã đăng"


@pytest.mark.parametrize("listing_factory", [ListingFactory, PublishedListingFactory])
def test_another_organisations_member_is_refused_as_in_the_portal(client, member, listing_factory):
    listing = listing_factory(summary="Của người khác")
    status = listing.status

    portal = client.get(f"/vi/portal/listings/{listing.pk}/")
    patch = client.patch(
        f"{LISTINGS}{listing.pk}/", {"summary": "Chiếm"}, content_type="application/json"
    )
    submit = client.post(f"{LISTINGS}{listing.pk}/submit/")

    assert portal.status_code == patch.status_code == submit.status_code == 404
    listing.refresh_from_db()
    assert listing.summary == "Của người khác"
    assert listing.status == status


def test_a_member_cannot_create_for_an_organisation_they_do_not_belong_to(client, member):
    stranger = VerifiedOrganisationFactory()

    response = client.post(
        LISTINGS,
        {"kind": "offer", "title": "Mạo danh", "organisation": stranger.pk},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert not Listing.objects.filter(title="Mạo danh").exists()


def test_anonymous_visitors_may_not_write(client):
    listing = ListingFactory()

    create = client.post(LISTINGS, {"kind": "offer", "title": "Ẩn danh"})
    patch = client.patch(
        f"{LISTINGS}{listing.pk}/", {"title": "Ẩn danh"}, content_type="application/json"
    )

    assert create.status_code == patch.status_code == 401
    assert create["WWW-Authenticate"] == "Token"
    assert not Listing.objects.filter(title="Ẩn danh").exists()


def test_expressing_interest_asks_for_an_introduction(
    client, member, django_capture_on_commit_callbacks
):
    listing = PublishedListingFactory()
    MembershipFactory(organisation=listing.organisation)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{LISTINGS}{listing.pk}/interest/",
            {"message": "Chúng tôi quan tâm.", "intended_use": "Sấy cà phê."},
            content_type="application/json",
        )

    assert response.status_code == 201, response.content
    introduction = Introduction.objects.get(pk=response.json()["id"])
    assert introduction.listing == listing
    assert introduction.requester == member.organisation
    assert introduction.requested_by == member.user
    assert introduction.status == Introduction.Status.REQUESTED
    assert introduction.message == "Chúng tôi quan tâm."
    assert len(mail.outbox) == 1  # the listing's owner is told


def test_interest_is_refused_where_the_portal_refuses_it(client, member):
    own = PublishedListingFactory(organisation=member.organisation)
    draft = ListingFactory()
    body = {"message": "Quan tâm", "intended_use": "Dùng thử"}

    on_own = client.post(f"{LISTINGS}{own.pk}/interest/", body, content_type="application/json")
    on_draft = client.post(f"{LISTINGS}{draft.pk}/interest/", body, content_type="application/json")
    empty = client.post(f"{LISTINGS}{own.pk}/interest/", {}, content_type="application/json")

    assert on_own.status_code == 400
    assert on_draft.status_code == 404
    assert empty.status_code == 400 and set(empty.json()) == {"message", "intended_use"}
    assert not Introduction.objects.exists()
