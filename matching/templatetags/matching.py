"""Template helpers for match pages: reasons in the reader's language, matched words marked."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accounts.models import Sector
from matching.reasons import render_all
from techfloor.text import fold

register = template.Library()
WORDS = re.compile(r"\w+|\W+")


@register.simple_tag(takes_context=True)
def match_reasons(context, match) -> list[SafeString]:
    """The match's reasons (``selectors.matches_explained`` put them on it) in the reader's
    language; the sector names are read once per page."""
    sectors = context.render_context.get("match_sectors")
    if sectors is None:
        sectors = {sector.code: sector for sector in Sector.objects.all()}
        context.render_context["match_sectors"] = sectors
    return render_all(match.reasons, sectors=sectors)


@register.filter
def highlight(text: str, match) -> SafeString:
    """``text`` escaped, its words that the match shares marked with ``<mark>``."""
    shared = {
        syllable
        for reason in match.reasons
        if reason.get("code") == "terms"
        for term in reason["terms"]
        for syllable in fold(term).split()
    }
    parts = []
    for part in WORDS.findall(str(text)):
        if part[0].isalnum() and fold(part) in shared:
            parts.append(f"<mark>{escape(part)}</mark>")
        else:
            parts.append(escape(part))
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above
