"""The search contract shared by every backend."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from django.core.paginator import Page
from django.utils.translation import gettext_lazy as _

from techfloor.text import fold

# (code, label, lower bound inclusive, upper bound exclusive) in VND, on the lower price.
PRICE_BANDS = [
    ("under-100m", _("Under 100 million ₫"), 0, 100_000_000),
    ("100m-500m", _("100–500 million ₫"), 100_000_000, 500_000_000),
    ("500m-1b", _("500 million – 1 billion ₫"), 500_000_000, 1_000_000_000),
    ("1b-5b", _("1–5 billion ₫"), 1_000_000_000, 5_000_000_000),
    ("over-5b", _("Over 5 billion ₫"), 5_000_000_000, None),
    ("negotiable", _("Negotiable"), None, None),
]
SORTS = {
    "relevance": _("Relevance"),
    "newest": _("Newest"),
    "price": _("Price, lowest first"),
    "deadline": _("Deadline, soonest first"),
}


@dataclass(frozen=True)
class SearchFilters:
    kind: str = ""
    sector: str = ""
    province: str = ""
    trl: int | None = None
    ip_status: str = ""
    transfer_mode: str = ""
    price_band: str = ""
    language: str = ""
    organisation_id: int | None = None
    exclude_id: int | None = None

    def active(self) -> dict[str, object]:
        return {
            name: value
            for name, value in self.__dict__.items()
            if value not in ("", None) and name not in ("organisation_id", "exclude_id")
        }


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue] = field(default_factory=list)


@dataclass
class SearchResults:
    page: Page
    facets: list[Facet]
    query: str
    total: int


class SearchBackend(Protocol):
    def search(self, *, query, filters, page, per_page, sort, viewer, any_terms): ...

    def candidates(
        self, *, terms: list[str], kinds: list[str], exclude_organisation_id: int | None, limit: int
    ) -> list[int]: ...

    def percolate(
        self, *, listing_id: int, searches: list[tuple[int, str, SearchFilters]]
    ) -> list[int]: ...


def query_terms(query: str) -> list[str]:
    """Folded words of a query: "Công nghệ SẤY" → ["cong", "nghe", "say"]."""
    return re.findall(r"\w+", fold(query))[:12]
