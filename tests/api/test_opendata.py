"""Open data: the published listings as JSON Lines in the format ``import_listings`` reads, and
as CSV; public fields only; and another floor that imports our file gets the same listings."""

import csv
import io
import json

import pytest

from accounts.models import Organisation, Sector
from market.importing import import_listings
from market.models import Listing
from tests.factories import ListingFactory, PublishedListingFactory

pytestmark = pytest.mark.django_db

SECRET = "Thông số bí mật: 45°C"
DETAILS = "Chi tiết chỉ sau giới thiệu"


@pytest.fixture
def floor():
    public = PublishedListingFactory(confidential=SECRET, external_id="")
    public.sectors.set(Sector.objects.filter(code="coffee-processing"))
    summary_only = PublishedListingFactory(
        visibility="summary",
        description=f"<p>{DETAILS}</p>",
        confidential=SECRET,
        price_min=None,
        price_max=None,
        kind="need",
        deadline="2030-06-30",
    )
    hidden = [
        ListingFactory(title="Bản nháp"),
        PublishedListingFactory(title="Chỉ cán bộ", visibility="staff"),
        PublishedListingFactory(title="Đã rút", status="withdrawn"),
    ]
    return public, summary_only, hidden


def _lines(response) -> list[str]:
    return b"".join(response.streaming_content).decode().splitlines()


def test_the_jsonl_holds_published_public_fields_only(client, floor):
    public, summary_only, hidden = floor

    response = client.get("/open-data/listings.jsonl")

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in _lines(response)]
    assert [record["title"] for record in records] == [public.title, summary_only.title]
    first, second = records
    assert first == {
        "external_id": f"techfloor:{public.pk}",
        "kind": "offer",
        "title": public.title,
        "summary": public.summary,
        "description": public.description,
        "language": "vi",
        "keywords": ["sấy", "bơm nhiệt"],
        "sectors": ["coffee-processing"],
        "trl": 7,
        "ip_status": "patent",
        "ip_number": "",
        "transfer_modes": ["license", "consulting"],
        "price": {"min": 300_000_000, "max": 500_000_000, "currency": "VND"},
        "province": "lam-dong",
        "deadline": None,
        "visibility": "public",
        "organisation": {"name": public.organisation.legal_name, "kind": "sme"},
    }
    # Details shown only after an introduction are not public: the summary stands in.
    assert second["description"] == summary_only.summary
    assert second["price"] is None
    assert second["deadline"] == "2030-06-30"
    text = response.getvalue().decode() if hasattr(response, "getvalue") else str(records)
    for secret in (SECRET, DETAILS, public.contact_email, public.contact_phone):
        assert secret not in text
    assert public.organisation.tax_code not in text


def test_the_csv_has_the_same_listings_and_a_header(client, floor):
    public, summary_only, _hidden = floor

    response = client.get("/open-data/listings.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = "\n".join(_lines(response))
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row["title"] for row in rows] == [public.title, summary_only.title]
    assert rows[0]["price_min"] == "300000000"
    assert rows[0]["sectors"] == "coffee-processing"
    assert rows[0]["organisation_name"] == public.organisation.legal_name
    assert rows[1]["price_min"] == ""
    for secret in (SECRET, DETAILS, public.contact_email):
        assert secret not in text


def test_another_floor_imports_our_export_and_gets_the_same_listings(client, floor):
    exported = _lines(client.get("/open-data/listings.jsonl"))
    # An empty floor: nothing of ours is left, only the shared sector taxonomy.
    Listing.objects.all().delete()
    Organisation.objects.all().delete()

    report = import_listings(lines=exported, publish=True)

    assert report.is_valid, report.errors
    assert (report.created, report.organisations_created) == (2, 2)
    assert _lines(client.get("/open-data/listings.jsonl")) == exported


def test_a_formula_in_a_title_stays_text_in_the_csv(client):
    PublishedListingFactory(title='=HYPERLINK("http://x")')

    text = "\n".join(_lines(client.get("/open-data/listings.csv")))

    assert "'=HYPERLINK" in text
