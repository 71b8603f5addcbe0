"""Import listings from JSON Lines: every line is checked first, and nothing is written unless
every line is valid. Re-importing an ``external_id`` updates that listing."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from stdnum.vn import mst

from accounts.models import Organisation, Sector
from accounts.provinces import province_from_name
from market.models import Listing
from market.models.listings import DEFAULT_VALIDITY
from techfloor.text import fold

REQUIRED = [
    "external_id",
    "kind",
    "title",
    "summary",
    "description",
    "language",
    "province",
    "organisation",
]
TEXT_LIMITS = {"title": 200, "summary": 500, "external_id": 100}
VISIBILITIES = {"public", "summary", "staff"}


@dataclass
class ImportedRow:
    line: int
    listing_fields: dict
    sector_codes: list[str]
    organisation: dict


@dataclass
class ImportReport:
    rows: list[ImportedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    organisations_created: int = 0

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _error(report: ImportReport, line: int, name: str, message: str) -> None:
    report.errors.append(f"line {line}: {name}: {message}")


def _price(report, line, value) -> tuple[int | None, int | None]:
    if value is None:
        return None, None
    if not isinstance(value, dict):
        _error(report, line, "price", "must be an object with min, max and currency, or null")
        return None, None
    currency = value.get("currency", "VND")
    if currency != "VND":
        _error(report, line, "price.currency", f"only VND is accepted, not {currency!r}")
    bounds = []
    for key in ("min", "max"):
        amount = value.get(key)
        if amount is not None and (not isinstance(amount, int) or isinstance(amount, bool)):
            _error(report, line, f"price.{key}", "must be a whole number of đồng")
            amount = None
        elif amount is not None and amount < 0:
            _error(report, line, f"price.{key}", "must not be negative")
            amount = None
        bounds.append(amount)
    low, high = bounds
    if low is not None and high is not None and low > high:
        _error(report, line, "price", f"min ({low}) is greater than max ({high})")
    return low, high


def _parse(report: ImportReport, line: int, text: str, seen: dict[str, int], sectors: set[str]):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        _error(report, line, "json", f"not valid JSON ({error.msg} at column {error.colno})")
        return
    if not isinstance(data, dict):
        _error(report, line, "json", "each line must be one JSON object")
        return
    errors_before = len(report.errors)
    for name in REQUIRED:
        if data.get(name) in (None, "", [], {}):
            _error(report, line, name, "is required")
    external_id = str(data.get("external_id") or "")
    if external_id in seen:
        _error(
            report,
            line,
            "external_id",
            f"{external_id!r} already appears on line {seen[external_id]}",
        )
    elif external_id:
        seen[external_id] = line
    kind = data.get("kind")
    if kind and kind not in Listing.Kind.values:
        _error(
            report,
            line,
            "kind",
            f"unknown kind {kind!r}; use one of " + ", ".join(Listing.Kind.values),
        )
    language = data.get("language")
    if language and language not in Listing.Language.values:
        _error(report, line, "language", f"unknown language {language!r}; use vi or en")
    for name, limit in TEXT_LIMITS.items():
        if len(str(data.get(name) or "")) > limit:
            _error(report, line, name, f"longer than {limit} characters")
    trl = data.get("trl")
    if trl is not None and (not isinstance(trl, int) or isinstance(trl, bool) or not 1 <= trl <= 9):
        _error(report, line, "trl", f"must be a whole number from 1 to 9, or null, not {trl!r}")
        trl = None
    ip_status = data.get("ip_status") or Listing.IPStatus.NONE
    if ip_status not in Listing.IPStatus.values:
        _error(report, line, "ip_status", f"unknown IP status {ip_status!r}")
    modes = data.get("transfer_modes") or []
    if not isinstance(modes, list) or any(
        mode not in Listing.TransferMode.values for mode in modes
    ):
        _error(report, line, "transfer_modes", f"unknown transfer mode in {modes!r}")
        modes = []
    price_min, price_max = _price(report, line, data.get("price"))
    province = ""
    if data.get("province"):
        province = province_from_name(str(data["province"])) or ""
        if not province:
            _error(report, line, "province", f"unknown province {data['province']!r}")
    deadline = None
    if data.get("deadline"):
        try:
            deadline = datetime.date.fromisoformat(str(data["deadline"]))
        except ValueError:
            _error(report, line, "deadline", f"not a date (YYYY-MM-DD): {data['deadline']!r}")
    visibility = data.get("visibility") or Listing.Visibility.PUBLIC
    if visibility not in VISIBILITIES:
        _error(report, line, "visibility", f"use public, summary or staff, not {visibility!r}")
    codes = data.get("sectors") or []
    unknown = [code for code in codes if code not in sectors] if isinstance(codes, list) else codes
    if unknown:
        _error(report, line, "sectors", f"unknown sector code(s): {unknown!r}")
    keywords = data.get("keywords") or []
    if not isinstance(keywords, list):
        _error(report, line, "keywords", "must be a list of strings")
        keywords = []
    organisation = data.get("organisation")
    if organisation is not None:
        if not isinstance(organisation, dict) or not organisation.get("name"):
            _error(report, line, "organisation.name", "is required")
        else:
            if organisation.get("kind") not in Organisation.Kind.values:
                _error(
                    report, line, "organisation.kind", f"unknown kind {organisation.get('kind')!r}"
                )
            tax_code = organisation.get("tax_code")
            if tax_code and not mst.is_valid(str(tax_code)):
                _error(report, line, "organisation.tax_code", f"{tax_code!r} is not valid")
    contact = data.get("contact") or {}
    if not isinstance(contact, dict):
        _error(report, line, "contact", "must be an object with name, email and phone")
        contact = {}
    if len(report.errors) > errors_before:
        return
    fields = {
        "external_id": external_id,
        "kind": kind,
        "title": data["title"].strip(),
        "summary": data["summary"].strip(),
        "description": data["description"],
        "language": language,
        "keywords": [str(keyword).strip() for keyword in keywords if str(keyword).strip()],
        "province": province,
        "trl": trl,
        "ip_status": ip_status,
        "ip_number": str(data.get("ip_number") or ""),
        "transfer_modes": modes,
        "price_min": price_min,
        "price_max": price_max,
        "deadline": deadline,
        "visibility": visibility,
        "confidential": str(data.get("confidential") or ""),
        "contact_name": str(contact.get("name") or ""),
        "contact_email": str(contact.get("email") or ""),
        "contact_phone": str(contact.get("phone") or ""),
    }
    candidate = Listing(**fields, slug="x")
    try:
        # Uniqueness of external_id is not an error: re-importing updates the listing.
        candidate.full_clean(
            exclude=["organisation", "slug"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                _error(report, line, name, message)
        return
    report.rows.append(ImportedRow(line, fields, list(codes), organisation))


def parse_lines(lines: Iterable[str]) -> ImportReport:
    """Check every line; the report holds the parsed rows and every error found."""
    report = ImportReport()
    seen: dict[str, int] = {}
    sectors = set(Sector.objects.values_list("code", flat=True))
    for number, text in enumerate(lines, start=1):
        if text.strip():
            _parse(report, number, text, seen, sectors)
    return report


def _organisation_for(data: dict, cache: dict, report: ImportReport) -> Organisation:
    key = data.get("tax_code") or fold(data["name"])
    if key in cache:
        return cache[key]
    organisation = None
    if data.get("tax_code"):
        organisation = Organisation.objects.filter(tax_code=mst.compact(data["tax_code"])).first()
    if organisation is None:
        organisation = Organisation.objects.filter(legal_name__iexact=data["name"].strip()).first()
    if organisation is None:
        base = slugify(fold(data["name"]))[:70] or "organisation"
        slug, counter = base, 2
        while Organisation.objects.filter(slug=slug).exists():
            slug, counter = f"{base}-{counter}", counter + 1
        # Staff import organisations they know; they are listed as verified.
        organisation = Organisation(
            legal_name=data["name"].strip(),
            kind=data["kind"],
            slug=slug,
            tax_code=data.get("tax_code") or "",
            province=data.get("province_code", ""),
            verification_status=Organisation.Verification.VERIFIED,
            verified_at=timezone.now(),
        )
        organisation.save()
        report.organisations_created += 1
    cache[key] = organisation
    return organisation


def import_listings(
    *,
    lines: Iterable[str],
    publish: bool = False,
    dry_run: bool = False,
    progress: Callable[[Iterable], Iterable] = lambda rows: rows,
) -> ImportReport:
    """Validate everything, then write everything in one transaction (unless ``dry_run``)."""
    report = parse_lines(lines)
    if not report.is_valid or dry_run:
        return report
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    organisations: dict = {}
    now = timezone.now()
    with transaction.atomic():
        for row in progress(report.rows):
            org_data = {**row.organisation, "province_code": row.listing_fields["province"]}
            organisation = _organisation_for(org_data, organisations, report)
            listing = Listing.objects.filter(external_id=row.listing_fields["external_id"]).first()
            if listing is None:
                listing = Listing(organisation=organisation)
                report.created += 1
            else:
                report.updated += 1
                listing.organisation = organisation
            for name, value in row.listing_fields.items():
                setattr(listing, name, value)
            listing.slug = listing.slug or listing.unique_slug()
            if publish and listing.status != Listing.Status.PUBLISHED:
                listing.status = Listing.Status.PUBLISHED
                listing.published_at = now
                listing.valid_until = listing.valid_until or (
                    timezone.localdate() + DEFAULT_VALIDITY
                )
            listing.save()
            listing.sectors.set([sectors[code] for code in row.sector_codes])
    return report
