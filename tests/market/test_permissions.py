"""Who sees what, tested from the outside: confidential sections, contact details and
documents never appear before an approved introduction."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from market import services
from market.models import Listing, ListingAttachment
from tests.factories import (
    PDF_BYTES,
    IntroductionFactory,
    MembershipFactory,
    PublishedListingFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SECRET = "Thông số bí mật: 45°C, 18 giờ"
PHONE = "0999 111 222"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


@pytest.fixture
def listing(client):
    listing = PublishedListingFactory(
        visibility=Listing.Visibility.SUMMARY,
        confidential=SECRET,
        contact_phone=PHONE,
        description="<p>Mô tả đầy đủ chỉ sau giới thiệu</p>",
    )
    ListingAttachment.objects.create(
        listing=listing, kind="document", file=SimpleUploadedFile("ho-so.pdf", PDF_BYTES)
    )
    ListingAttachment.objects.create(
        listing=listing, kind="image", file=SimpleUploadedFile("anh.png", PNG)
    )
    return listing


def _detail(client, listing) -> str:
    response = client.get(f"/vi/san-giao-dich/{listing.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def _files(listing) -> dict[str, ListingAttachment]:
    return {attachment.kind: attachment for attachment in listing.attachments.all()}


def _assert_nothing_confidential(content: str, listing) -> None:
    assert SECRET not in content
    assert PHONE not in content
    assert listing.contact_email not in content
    assert "Mô tả đầy đủ" not in content


@pytest.mark.parametrize("who", ["anonymous", "outsider", "other_verified_org", "reviewer"])
def test_strangers_see_the_summary_only(client, listing, who):
    if who == "outsider":
        client.force_login(UserFactory())
    elif who == "other_verified_org":
        client.force_login(MembershipFactory(organisation__verification_status="verified").user)
    elif who == "reviewer":
        client.force_login(StaffFactory(groups=["Reviewers"]))

    content = _detail(client, listing)

    assert listing.summary in content
    _assert_nothing_confidential(content, listing)
    for attachment in _files(listing).values():
        assert client.get(f"/vi/files/{attachment.pk}/").status_code == 404


def test_a_requested_introduction_releases_nothing(client, listing):
    introduction = IntroductionFactory(listing=listing)
    member = MembershipFactory(organisation=introduction.requester).user
    client.force_login(member)

    _assert_nothing_confidential(_detail(client, listing), listing)
    thread = client.get(f"/vi/portal/introductions/{introduction.pk}/").content.decode()
    _assert_nothing_confidential(thread, listing)


def test_an_approved_introduction_releases_details_to_the_other_party(client, listing):
    introduction = IntroductionFactory(listing=listing)
    member = MembershipFactory(organisation=introduction.requester).user
    owner = MembershipFactory(organisation=listing.organisation).user
    services.introduction_owner_accept(introduction=introduction, actor=owner, accept_nda=True)
    services.introduction_approve(introduction=introduction, actor=StaffFactory())
    client.force_login(member)

    content = _detail(client, listing)
    assert SECRET in content and PHONE in content
    files = _files(listing)
    assert client.get(f"/vi/files/{files['document'].pk}/").status_code == 200
    assert client.get(f"/vi/files/{files['image'].pk}/").status_code == 200
    thread = client.get(f"/vi/portal/introductions/{introduction.pk}/").content.decode()
    assert PHONE in thread and listing.contact_email in thread


@pytest.mark.parametrize("who", ["owner", "curator"])
def test_owners_and_curators_see_everything(client, listing, who):
    if who == "owner":
        client.force_login(MembershipFactory(organisation=listing.organisation).user)
    else:
        client.force_login(StaffFactory())

    content = _detail(client, listing)

    assert SECRET in content and PHONE in content
    assert client.get(f"/vi/files/{_files(listing)['document'].pk}/").status_code == 200


def test_public_listings_show_details_and_images_but_not_contacts(client):
    listing = PublishedListingFactory(confidential=SECRET, contact_phone=PHONE)
    image = ListingAttachment.objects.create(
        listing=listing, kind="image", file=SimpleUploadedFile("anh.png", PNG)
    )
    document = ListingAttachment.objects.create(
        listing=listing, kind="document", file=SimpleUploadedFile("hs.pdf", PDF_BYTES)
    )

    content = _detail(client, listing)

    assert "Hệ thống sấy bơm nhiệt" in content
    assert SECRET not in content and PHONE not in content
    assert client.get(f"/vi/files/{image.pk}/").status_code == 200
    assert client.get(f"/vi/files/{document.pk}/").status_code == 404


@pytest.mark.parametrize("status", ["draft", "submitted", "withdrawn", "expired"])
def test_listings_off_the_floor_are_not_found(client, status):
    listing = PublishedListingFactory(status=status)

    assert client.get(f"/vi/san-giao-dich/{listing.slug}/").status_code == 404


def test_staff_only_listings_are_for_curators(client):
    listing = PublishedListingFactory(visibility=Listing.Visibility.STAFF)

    assert client.get(f"/vi/san-giao-dich/{listing.slug}/").status_code == 404
    client.force_login(StaffFactory())
    assert client.get(f"/vi/san-giao-dich/{listing.slug}/").status_code == 200


def test_portal_pages_of_a_listing_are_for_its_members(client, listing):
    client.force_login(UserFactory())

    assert client.get(f"/vi/portal/listings/{listing.pk}/").status_code == 404
    response = client.post(f"/vi/portal/listings/{listing.pk}/withdraw/")
    assert response.status_code == 404
    listing.refresh_from_db()
    assert listing.status == "published"


def test_introduction_threads_are_for_the_parties(client):
    introduction = IntroductionFactory()
    client.force_login(UserFactory())

    assert client.get(f"/vi/portal/introductions/{introduction.pk}/").status_code == 404


@pytest.mark.parametrize("dataset", ["listings", "deals"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exports_are_for_curators(curator_client, listing, dataset, file_format):
    url = f"/admin/floor/export/{dataset}.{file_format}"
    member = Client()
    member.force_login(MembershipFactory(organisation=listing.organisation).user)

    assert member.get(url).status_code in (302, 403)
    response = curator_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(f'attachment; filename="techfloor-{dataset}')


def test_the_csv_export_lists_listings_and_defuses_formulas(curator_client):
    PublishedListingFactory(title='=HYPERLINK("http://evil")')

    content = curator_client.get("/admin/floor/export/listings.csv").content.decode("utf-8-sig")

    assert "'=HYPERLINK" in content
    assert content.splitlines()[0].startswith("ID,")
