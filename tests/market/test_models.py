import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from market.models import Listing, ListingAttachment
from market.models.listings import sanitise_html
from tests.factories import PDF_BYTES, ListingFactory

pytestmark = pytest.mark.django_db


def test_descriptions_are_sanitised_on_save():
    listing = ListingFactory(
        description='<p onclick="steal()">Tốt</p><script>alert(1)</script>'
        '<a href="javascript:x()">x</a><a href="https://vien.vn">site</a>'
    )

    listing.refresh_from_db()
    assert listing.description == (
        '<p>Tốt</p><a rel="nofollow noopener">x</a>'
        '<a href="https://vien.vn" rel="nofollow noopener">site</a>'
    )


def test_sanitise_keeps_lists_and_emphasis():
    html = "<ul><li><strong>A</strong> <em>b</em></li></ul>"

    assert sanitise_html(html) == html


def test_folded_copies_follow_the_text():
    listing = ListingFactory(title="Đóng gói SẦU RIÊNG", keywords=["Cà phê", "đất đỏ"])

    assert listing.search_title == "dong goi sau rieng"
    assert listing.search_keywords == "ca phe dat do"
    assert "he thong say bom nhiet" in listing.search_body


def test_transfer_modes_round_trip_through_the_bitmask():
    listing = ListingFactory(transfer_modes=["lease", "license"])

    listing.refresh_from_db()
    assert listing.transfer_modes == ["license", "lease"]
    field = Listing._meta.get_field("transfer_modes")
    assert Listing.objects.filter(field.contains("lease")).get() == listing
    assert not Listing.objects.filter(field.contains("sale")).exists()


def test_submission_needs_the_fields_of_the_kind():
    need = ListingFactory.build(kind=Listing.Kind.NEED, deadline=None, desired_outcome="")

    assert set(need.submission_errors()) == {"desired_outcome", "deadline"}


def test_completeness_grows_as_fields_are_filled():
    listing = ListingFactory(advantages="", applications="", test_results="")
    before = listing.completeness
    listing.advantages = "Rẻ hơn 30%"
    listing.applications = "Cà phê, ca cao"

    assert 0 < before < listing.completeness < 100


def test_an_attachment_must_be_what_its_name_says():
    listing = ListingFactory()
    fake = ListingAttachment(
        listing=listing,
        kind="document",
        file=SimpleUploadedFile("ket-qua.pdf", b"MZ\x90\x00 not a pdf"),
    )
    real = ListingAttachment(
        listing=listing, kind="document", file=SimpleUploadedFile("ket-qua.pdf", PDF_BYTES)
    )
    image_as_document = ListingAttachment(
        listing=listing, kind="image", file=SimpleUploadedFile("ket-qua.pdf", PDF_BYTES)
    )

    with pytest.raises(Exception) as error:
        fake.full_clean()
    assert "does not match its .pdf name" in str(error.value)
    real.full_clean()
    with pytest.raises(Exception, match="not an allowed image"):
        image_as_document.full_clean()
