"""Open data: the published listings in the JSON Lines format that ``market.importing`` reads
(one definition of that format, written here and read there), and the same rows as CSV.

Only what the floor shows to a visitor who is not logged in leaves the site: no confidential
section, no contact details, no tax code. A listing whose owner shares its details only after
an introduction (``visibility`` "summary") carries its public summary as its description, which
the import format requires. Field by field: docs/open-data-and-api.md.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_GET

from market.models import Listing
from market.selectors import listing_details_visible, listing_list_public
from techfloor.spreadsheets import safe_cell

# Rows are read from the database this many at a time while the response streams.
CHUNK_SIZE = 500
CSV_COLUMNS = [
    "external_id",
    "kind",
    "title",
    "summary",
    "language",
    "province",
    "sectors",
    "keywords",
    "trl",
    "ip_status",
    "ip_number",
    "transfer_modes",
    "price_min",
    "price_max",
    "deadline",
    "visibility",
    "organisation_name",
    "organisation_kind",
    "published_at",
    "valid_until",
]


def open_data_listings() -> QuerySet[Listing]:
    """What a visitor who is not logged in finds on the floor, oldest first so that a file
    written twice lists the same listings in the same order."""
    return (
        listing_list_public(viewer=None).prefetch_related("sectors").order_by("published_at", "pk")
    )


def listing_external_id(listing: Listing) -> str:
    """The listing's key in another floor: its own external ID when it was imported, else our
    floor's prefix and its number, so that re-importing a newer export updates it."""
    return listing.external_id or f"{settings.OPEN_DATA_ID_PREFIX}:{listing.pk}"


def listing_record(listing: Listing) -> dict:
    """One listing as a line of the import format (``import_listings`` reads it back)."""
    details = listing_details_visible(listing=listing, viewer=None)
    price = None
    if not listing.is_negotiable:
        price = {"min": listing.price_min, "max": listing.price_max, "currency": "VND"}
    return {
        "external_id": listing_external_id(listing),
        "kind": listing.kind,
        "title": listing.title,
        "summary": listing.summary,
        "description": listing.description if details else listing.summary,
        "language": listing.language,
        "keywords": list(listing.keywords or []),
        "sectors": sorted(sector.code for sector in listing.sectors.all()),
        "trl": listing.trl,
        "ip_status": listing.ip_status,
        "ip_number": listing.ip_number,
        "transfer_modes": list(listing.transfer_modes),
        "price": price,
        "province": listing.province,
        "deadline": listing.deadline.isoformat() if listing.deadline else None,
        "visibility": listing.visibility,
        "organisation": {
            "name": listing.organisation.legal_name,
            "kind": listing.organisation.kind,
        },
    }


def jsonl_lines(listings: QuerySet[Listing]) -> Iterator[str]:
    for listing in listings.iterator(chunk_size=CHUNK_SIZE):
        yield json.dumps(listing_record(listing), ensure_ascii=False) + "\n"


class _Line:
    """A file-like object whose ``write`` hands the CSV line back instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(listings: QuerySet[Listing]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)  # BOM: spreadsheets then read UTF-8
    for listing in listings.iterator(chunk_size=CHUNK_SIZE):
        record = listing_record(listing)
        price = record["price"] or {}
        row = {
            **record,
            "sectors": " ".join(record["sectors"]),
            "keywords": ", ".join(record["keywords"]),
            "transfer_modes": " ".join(record["transfer_modes"]),
            "price_min": price.get("min"),
            "price_max": price.get("max"),
            "organisation_name": record["organisation"]["name"],
            "organisation_kind": record["organisation"]["kind"],
            "published_at": listing.published_at.isoformat() if listing.published_at else "",
            "valid_until": listing.valid_until.isoformat() if listing.valid_until else "",
        }
        yield writer.writerow(
            [safe_cell("" if row[name] is None else row[name]) for name in CSV_COLUMNS]
        )


def _download(lines: Iterator[str], *, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def listings_jsonl(request: HttpRequest) -> StreamingHttpResponse:
    return _download(
        jsonl_lines(open_data_listings()),
        content_type="application/x-ndjson; charset=utf-8",
        filename="listings.jsonl",
    )


@require_GET
def listings_csv(request: HttpRequest) -> StreamingHttpResponse:
    return _download(
        csv_lines(open_data_listings()),
        content_type="text/csv; charset=utf-8",
        filename="listings.csv",
    )
