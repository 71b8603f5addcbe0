"""The members' portal and the curators' admin screens, through the HTTP client."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from market.models import Listing, ListingAttachment
from tests.factories import (
    PDF_BYTES,
    ListingFactory,
    MembershipFactory,
    PublishedListingFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client):
    user = MembershipFactory(organisation__verification_status="verified").user
    client.force_login(user)
    return user


def test_a_member_starts_a_draft_from_the_portal(client, owner):
    response = client.post("/en/portal/listings/new/", {"kind": "need", "title": "Cần máy sấy"})

    listing = Listing.objects.get()
    assert response["Location"] == f"/en/portal/listings/{listing.pk}/"
    assert (listing.kind, listing.status, listing.created_by) == ("need", "draft", owner)
    page = client.get(response["Location"]).content.decode()
    assert 'name="deadline"' in page and 'name="ip_status"' not in page


def test_autosave_keeps_an_incomplete_draft(client, owner):
    listing = ListingFactory(organisation=owner.memberships.get().organisation)

    response = client.post(
        f"/en/portal/listings/{listing.pk}/autosave/",
        {"title": "Tên mới", "summary": "", "language": "vi", "visibility": "public"},
    )

    assert response.status_code == 200
    assert response.json()["saved"] is True
    listing.refresh_from_db()
    assert (listing.title, listing.summary) == ("Tên mới", "")


def test_autosave_reports_bad_values(client, owner):
    listing = ListingFactory(organisation=owner.memberships.get().organisation)

    response = client.post(
        f"/en/portal/listings/{listing.pk}/autosave/",
        {"title": "X", "language": "vi", "visibility": "public", "price_min": "-1"},
    )

    assert response.status_code == 400
    assert "price_min" in response.json()["errors"]


def test_submitting_an_incomplete_listing_marks_the_fields(client, owner):
    listing = ListingFactory(organisation=owner.memberships.get().organisation, problem="")
    data = {
        "action": "submit",
        "title": listing.title,
        "summary": listing.summary,
        "description": listing.description,
        "language": "vi",
        "province": "lam-dong",
        "visibility": "public",
        "contact_name": "An",
        "contact_email": "an@x.vn",
        "trl": "5",
        "ip_status": "none",
        "problem": "",
    }

    response = client.post(f"/en/portal/listings/{listing.pk}/", data)

    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_problem_error"' in content
    listing.refresh_from_db()
    assert listing.status == "draft"

    data["problem"] = "Mất màu khi sấy"
    response = client.post(f"/en/portal/listings/{listing.pk}/", data)
    listing.refresh_from_db()
    assert response.status_code == 302
    assert listing.status == "submitted"


def test_only_allowed_files_are_attached(client, owner):
    listing = ListingFactory(organisation=owner.memberships.get().organisation)
    url = f"/en/portal/listings/{listing.pk}/files/"

    client.post(url, {"kind": "document", "file": SimpleUploadedFile("virus.exe", b"MZ")})
    client.post(url, {"kind": "document", "file": SimpleUploadedFile("fake.pdf", b"MZ\x90")})
    client.post(url, {"kind": "document", "file": SimpleUploadedFile("hs.pdf", PDF_BYTES)})

    attached = [a.filename for a in ListingAttachment.objects.all()]
    assert len(attached) == 1
    assert attached[0].startswith("hs") and attached[0].endswith(".pdf")


def test_the_curation_queue_shows_the_diff(curator_client):
    listing = PublishedListingFactory(status="submitted", summary="Bản cũ")
    listing.revisions.create(number=1, content={"summary": "Bản cũ"}, is_published=True)
    listing.revisions.create(number=2, content={"summary": "Bản mới"})

    queue = curator_client.get("/admin/floor/curation/").content.decode()
    review = curator_client.get(f"/admin/floor/curation/{listing.pk}/").content.decode()

    assert listing.title in queue
    assert "Bản <del>cũ</del> <ins>mới</ins>" in review


def test_a_curator_publishes_from_the_admin(curator_client):
    listing = PublishedListingFactory(status="submitted")

    response = curator_client.post(
        f"/admin/floor/curation/{listing.pk}/", {"decision": "approve", "reason": ""}
    )

    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == "published"


def test_a_rejection_without_reason_is_refused_in_the_admin(curator_client):
    listing = PublishedListingFactory(status="submitted")

    response = curator_client.post(
        f"/admin/floor/curation/{listing.pk}/", {"decision": "reject", "reason": ""}
    )

    assert response.status_code == 200
    listing.refresh_from_db()
    assert listing.status == "submitted"


def test_the_deal_board_filters(curator_client):
    response = curator_client.get(reverse("market_admin:deal_board"), {"stage": "closed_won"})

    assert response.status_code == 200


def test_curators_browse_all_listings_in_the_admin(curator_client):
    listing = PublishedListingFactory(title="Giống dâu tây")

    index = curator_client.get(reverse("listings:index"), {"q": "dâu"})
    edit = curator_client.post(
        reverse("listings:edit", args=[listing.pk]),
        {"featured": "on", "visibility": "public", "valid_until": "2027-12-31"},
    )

    assert "Giống dâu tây" in index.content.decode()
    assert edit.status_code == 302
    listing.refresh_from_db()
    assert listing.featured and listing.title == "Giống dâu tây"
