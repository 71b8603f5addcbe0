"""Reasons in the reader's language: codes and parameters stored with a match become sentences
such as "Cùng lĩnh vực: Chế biến cà phê" or "TRL 7 ≥ required 6". Never a raw score."""

from __future__ import annotations

import datetime

from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Sector
from accounts.provinces import Province, Region
from market.models import Listing
from matching.text import glossary


def _sector_name(code: str, sectors: dict[str, Sector]) -> str:
    sector = sectors.get(code)
    return sector.name if sector else code


def render(reason: dict, *, sectors: dict[str, Sector]) -> SafeString:
    """One reason as HTML, matched words in ``<mark>``."""
    code = reason.get("code")
    if code == "terms":
        marked = format_html_join(", ", "<mark>{}</mark>", ((term,) for term in reason["terms"]))
        return format_html("{} {}", _("Matching words:"), marked)
    if code == "concepts":
        concepts = glossary().concepts
        pairs = ", ".join(
            f"{concepts[number].label('vi')} ↔ {concepts[number].label('en')}"
            for number in reason["concepts"]
            if number < len(concepts)
        )
        return format_html("{} {}", _("Same idea in other words:"), pairs)
    if code == "similar_content":
        return format_html("{}", _("Similar content"))
    if code == "same_sector":
        return format_html(_("Same sector: {}"), _sector_name(reason["sector"], sectors))
    if code == "related_sector":
        return format_html(_("Related sector: {}"), _sector_name(reason["sector"], sectors))
    if code == "trl_ok":
        return format_html(_("TRL {} ≥ required {}"), reason["trl"], reason["minimum"])
    if code == "trl_low":
        return format_html(_("TRL {} below the required {}"), reason["trl"], reason["minimum"])
    if code == "price_ok":
        return format_html("{}", _("Price within budget"))
    if code == "price_over":
        return format_html(_("Price {}× the budget"), reason["times"])
    if code == "transfer":
        labels = dict(Listing.TransferMode.choices)
        modes = ", ".join(str(labels.get(mode, mode)) for mode in reason["modes"])
        return format_html(_("Transfer as wished: {}"), modes)
    if code == "same_province":
        province = dict(Province.choices).get(reason["province"], reason["province"])
        return format_html(_("Same province: {}"), province)
    if code == "same_region":
        region = dict(Region.choices).get(reason["region"], reason["region"])
        return format_html(_("Same region: {}"), region)
    if code == "eligible":
        closes = date_format(datetime.date.fromisoformat(reason["closes"]), "SHORT_DATE_FORMAT")
        return format_html(_("You meet every condition; applications close on {}"), closes)
    if code == "free_places":
        return format_html(
            ngettext("{} free place", "{} free places", reason["count"]), reason["count"]
        )
    if code == "mentor_hours":
        return format_html(
            ngettext("{} mentoring hour a month", "{} mentoring hours a month", reason["hours"]),
            reason["hours"],
        )
    return format_html("{}", code)


def render_all(reasons: list[dict], *, sectors: dict[str, Sector] | None = None) -> list[str]:
    if sectors is None:
        codes = {reason["sector"] for reason in reasons if "sector" in reason}
        sectors = {sector.code: sector for sector in Sector.objects.filter(code__in=codes)}
    return [render(reason, sectors=sectors) for reason in reasons]


def as_text(reasons: list[dict], *, language: str, sectors: dict[str, Sector]) -> list[str]:
    """Plain sentences in ``language`` (for the audit CLI and emails)."""
    with translation.override(language):
        return [strip_tags(render(reason, sectors=sectors)) for reason in reasons]
