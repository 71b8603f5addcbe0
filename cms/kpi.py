"""The province's science-and-technology KPIs: yearly targets set by staff against actuals
computed from the data of the floor and of the startup programmes (docs/kpi-dashboard.md).

Each indicator is a function that returns the *facts* it counts for a year — one per deal,
introduction, need, startup, incubator or listing, on its date in Vietnam time, with its
value, province and first-level sectors. One aggregation then gives the actual, the monthly
trend and the breakdowns, so the three always agree. Read through the rooms' selectors only."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.provinces import Province
from accounts.selectors import sector_list_top_level
from market import selectors as market_selectors
from market.models import Deal, Listing
from startups.selectors.agreements import agreement_list_signed
from startups.selectors.incubators import incubator_upgrade_list
from startups.selectors.programmes import (
    Progress,
    programme_list_with_targets,
    programme_progress,
)
from techfloor.charts import format_number, format_percent
from techfloor.money import vnd

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# Public figures built from deal values or terms rest on at least this many deals, so that no
# one deal's confidential value or type can be read from them.
PUBLIC_MINIMUM_DEALS = 3
IP_TRANSACTION_TYPES = (Deal.TransactionType.LICENSE, Deal.TransactionType.ASSIGNMENT)
ONE_DECIMAL = Decimal("0.1")

Number = int | Decimal


class Indicator(models.TextChoices):
    TRANSACTIONS = "transactions", _("Technology transactions")
    TRADE_VALUE = "trade_value", _("Value of S&T goods traded")
    IP_SHARE = "ip_share", _("Share of IP transactions")
    NEEDS_CONNECTED = "needs_connected", _("Technology needs connected")
    INTRODUCTIONS = "introductions", _("Introductions made")
    STARTUPS_SUPPORTED = "startups_supported", _("Startups supported")
    INCUBATORS_UPGRADED = "incubators_upgraded", _("Incubators upgraded")
    LISTINGS_PUBLISHED = "listings_published", _("Listings published")


class Unit(models.TextChoices):
    COUNT = "count", pgettext_lazy("unit of a target", "number")
    VND = "vnd", _("VND")
    PERCENT = "percent", _("percent")


@dataclass(frozen=True)
class Fact:
    """One thing an indicator counts. ``day`` is None when the data keeps only the year."""

    key: int
    day: datetime.date | None
    value: int
    province: str
    sectors: frozenset[int]


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """1 January 00:00 of ``year`` and of the next year, in Vietnam time."""
    return (
        datetime.datetime(year, 1, 1, tzinfo=ZONE),
        datetime.datetime(year + 1, 1, 1, tzinfo=ZONE),
    )


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, ZONE).date()


def _top_sectors(sectors: Iterable) -> frozenset[int]:
    """First-level sectors: a sub-sector counts for its parent."""
    return frozenset(sector.parent_id or sector.pk for sector in sectors)


def _listing_place(listing: Listing) -> tuple[str, frozenset[int]]:
    return listing.province, _top_sectors(listing.sectors.all())


def _deal_facts(year: int, value: Callable[[Deal], int]) -> list[Fact]:
    start, end = year_bounds(year)
    facts = []
    for deal in market_selectors.deal_list_closed_won(start=start, end=end):
        province, sectors = _listing_place(deal.introduction.listing)
        facts.append(Fact(deal.pk, _local_day(deal.closed_at), value(deal), province, sectors))
    return facts


def technology_transactions(*, year: int) -> list[Fact]:
    """Deals at the stage "closed – won" whose closing moment falls in the year, Vietnam time.
    Lost deals and deals still open do not count. Each deal is placed in its listing's
    province and first-level sectors."""
    return _deal_facts(year, lambda deal: 1)


def trade_value(*, year: int) -> list[Fact]:
    """The sum of the values in VND of the same closed-won deals as technology transactions."""
    return _deal_facts(year, lambda deal: deal.value_vnd or 0)


def ip_transactions(*, year: int) -> list[Fact]:
    """Of the same closed-won deals, those whose transaction type is licence or assignment
    (the transfer of intellectual property rights): the share is their number over the number
    of closed-won deals, in percent with one decimal; no deal, no share."""
    return _deal_facts(year, lambda deal: int(deal.transaction_type in IP_TRANSACTION_TYPES))


def needs_connected(*, year: int) -> list[Fact]:
    """Technology needs with at least one introduction that a curator approved in the year,
    each need counted once, on the day of its first approved introduction of the year."""
    start, end = year_bounds(year)
    introductions = market_selectors.introduction_list_approved(start=start, end=end).filter(
        listing__kind=Listing.Kind.NEED
    )
    first: dict[int, Fact] = {}
    for introduction in introductions:
        day = _local_day(introduction.curator_decided_at)
        known = first.get(introduction.listing_id)
        if known is None or day < known.day:
            province, sectors = _listing_place(introduction.listing)
            first[introduction.listing_id] = Fact(
                introduction.listing_id, day, 1, province, sectors
            )
    return list(first.values())


def introductions_made(*, year: int) -> list[Fact]:
    """Introductions that a curator approved in the year, for listings of every kind, in the
    listing's province and sectors; what became of them later does not matter."""
    start, end = year_bounds(year)
    return [
        Fact(
            introduction.pk,
            _local_day(introduction.curator_decided_at),
            1,
            *_listing_place(introduction.listing),
        )
        for introduction in market_selectors.introduction_list_approved(start=start, end=end)
    ]


def startups_supported(*, year: int) -> list[Fact]:
    """Organisations with a support agreement signed in the year (the programmes' approved
    applications that went on to support), each counted once, on its first signing day, in
    its own province and sectors."""
    first: dict[int, Fact] = {}
    for agreement in agreement_list_signed(year=year):
        organisation = agreement.application.organisation
        known = first.get(organisation.pk)
        if known is None or agreement.signed_on < known.day:
            first[organisation.pk] = Fact(
                organisation.pk,
                agreement.signed_on,
                1,
                organisation.province,
                _top_sectors(organisation.sectors.all()),
            )
    return list(first.values())


def incubators_upgraded(*, year: int) -> list[Fact]:
    """Incubators with an upgrade recorded for the year by any programme, each counted once
    however many programmes supported it. Upgrades carry a year and no date, so this
    indicator has no monthly trend."""
    facts: dict[int, Fact] = {}
    for upgrade in incubator_upgrade_list(year=year):
        incubator = upgrade.incubator
        facts[incubator.pk] = Fact(
            incubator.pk,
            None,
            1,
            incubator.province,
            _top_sectors(incubator.focus_sectors.all()),
        )
    return list(facts.values())


def listings_published(*, year: int) -> list[Fact]:
    """Listings of every kind whose latest publication moment falls in the year, whatever
    their status now (a listing published and later withdrawn still counts)."""
    start, end = year_bounds(year)
    return [
        Fact(listing.pk, _local_day(listing.published_at), 1, *_listing_place(listing))
        for listing in market_selectors.listing_list_published_between(start=start, end=end)
    ]


def count(facts: Sequence[Fact]) -> int:
    return len(facts)


def total(facts: Sequence[Fact]) -> int:
    return sum(fact.value for fact in facts)


def share(facts: Sequence[Fact]) -> Decimal | None:
    """Percent of the facts whose value is 1, with one decimal; None without any fact."""
    if not facts:
        return None
    percent = Decimal(100 * total(facts)) / Decimal(len(facts))
    return percent.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Definition:
    facts: Callable[..., list[Fact]]
    aggregate: Callable[[Sequence[Fact]], Number | None]
    unit: Unit
    # Built from deals' values or terms: public figures need PUBLIC_MINIMUM_DEALS deals.
    discloses_deal_terms: bool = False
    # Facts with a day: a monthly trend (incubator upgrades are recorded by year only).
    is_dated: bool = True


DEFINITIONS: dict[str, Definition] = {
    Indicator.TRANSACTIONS: Definition(technology_transactions, count, Unit.COUNT),
    Indicator.TRADE_VALUE: Definition(trade_value, total, Unit.VND, discloses_deal_terms=True),
    Indicator.IP_SHARE: Definition(ip_transactions, share, Unit.PERCENT, discloses_deal_terms=True),
    Indicator.NEEDS_CONNECTED: Definition(needs_connected, count, Unit.COUNT),
    Indicator.INTRODUCTIONS: Definition(introductions_made, count, Unit.COUNT),
    Indicator.STARTUPS_SUPPORTED: Definition(startups_supported, count, Unit.COUNT),
    Indicator.INCUBATORS_UPGRADED: Definition(
        incubators_upgraded, count, Unit.COUNT, is_dated=False
    ),
    Indicator.LISTINGS_PUBLISHED: Definition(listings_published, count, Unit.COUNT),
}


def format_value(value: Number | None, unit: str) -> str:
    """A figure as the active locale writes it in its unit; "—" when there is none."""
    if value is None:
        return "—"
    if unit == Unit.VND:
        return vnd(value)
    if unit == Unit.PERCENT:
        return format_percent(value)
    return format_number(value)


@dataclass(frozen=True)
class Figure:
    """One figure of a breakdown or of the trend, and how many facts it rests on."""

    label: str
    value: Number | None
    basis: int


@dataclass(frozen=True)
class Month:
    number: int
    label: str
    value: Number | None  # the month alone
    cumulative: Number | None  # from 1 January to the end of the month


@dataclass
class Result:
    """One indicator for one year: target, actual, trend and breakdowns."""

    indicator: str
    label: str
    unit: str
    target: Decimal | None
    actual: Number | None
    basis: int
    months: list[Month] = field(default_factory=list)
    by_province: list[Figure] = field(default_factory=list)
    by_sector: list[Figure] = field(default_factory=list)
    is_suppressed: bool = False  # figures withheld to protect deal terms (public page)

    @property
    def progress(self) -> Decimal | None:
        """Actual over target in percent, one decimal, not capped (the bar stops at 100)."""
        if not self.target or self.actual is None:
            return None
        return (Decimal(self.actual) * 100 / self.target).quantize(
            ONE_DECIMAL, rounding=ROUND_HALF_UP
        )

    @property
    def is_met(self) -> bool:
        return self.target is not None and self.actual is not None and self.actual >= self.target

    def display(self, value: Number | None) -> str:
        return format_value(value, self.unit)

    @property
    def actual_display(self) -> str:
        return self.display(self.actual)

    @property
    def target_display(self) -> str:
        return self.display(self.target)


@dataclass(frozen=True)
class ProgrammeReport:
    """A support programme's own yearly targets, as its page shows them."""

    title: str
    progress: list[Progress]


@dataclass
class YearReport:
    year: int
    results: list[Result]
    programmes: list[ProgrammeReport] = field(default_factory=list)

    @property
    def with_target(self) -> list[Result]:
        return [result for result in self.results if result.target is not None]

    @property
    def met_count(self) -> int:
        return sum(result.is_met for result in self.results)


def month_figures(
    facts: Sequence[Fact], *, year: int, aggregate: Callable[[Sequence[Fact]], Number | None]
) -> list[Month]:
    """Each month of the year alone and cumulated from 1 January."""
    months = []
    for number in range(1, 13):
        in_month = [fact for fact in facts if fact.day.month == number]
        so_far = [fact for fact in facts if fact.day.month <= number]
        months.append(Month(number, f"{number:02d}/{year}", aggregate(in_month), aggregate(so_far)))
    return months


def _figures(
    groups: Mapping[str, list[Fact]], aggregate: Callable[[Sequence[Fact]], Number | None]
) -> list[Figure]:
    figures = [Figure(label, aggregate(facts), len(facts)) for label, facts in groups.items()]
    return sorted(figures, key=lambda figure: (-(figure.value or 0), figure.label))


def province_groups(facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    groups: dict[str, list[Fact]] = {}
    for fact in facts:
        label = Province(fact.province).label if fact.province else gettext("Not given")
        groups.setdefault(str(label), []).append(fact)
    return groups


def sector_groups(facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    """Facts by first-level sector; a fact in two sectors appears in both."""
    names = {sector.pk: sector.name for sector in sector_list_top_level()}
    groups: dict[str, list[Fact]] = {}
    for fact in facts:
        labels = [names[pk] for pk in fact.sectors if pk in names] or [gettext("Not given")]
        for label in labels:
            groups.setdefault(label, []).append(fact)
    return groups


def suppress_small_cells(
    groups: Mapping[str, list[Fact]], aggregate: Callable[[Sequence[Fact]], Number | None]
) -> list[Figure]:
    """A breakdown safe to publish: cells resting on fewer than PUBLIC_MINIMUM_DEALS deals are
    withheld. When the withheld cells rest on 1 or 2 deals together, the smallest shown cells
    are withheld too until they rest on enough (the total less the shown cells would give them
    away). The withheld cells appear as one "Other" row when that rests on enough deals."""
    shown = {label: facts for label, facts in groups.items() if len(facts) >= PUBLIC_MINIMUM_DEALS}
    withheld = {
        fact.key: fact for label, facts in groups.items() if label not in shown for fact in facts
    }
    for label in sorted(shown, key=lambda label: (len(shown[label]), label)):
        if not 0 < len(withheld) < PUBLIC_MINIMUM_DEALS:
            break
        withheld.update({fact.key: fact for fact in shown.pop(label)})
    figures = _figures(shown, aggregate)
    if len(withheld) >= PUBLIC_MINIMUM_DEALS:
        facts = list(withheld.values())
        figures.append(
            Figure(gettext("Other (fewer than 3 deals each)"), aggregate(facts), len(facts))
        )
    return figures


def indicator_result(
    indicator: str, *, year: int, target: Decimal | None, public: bool = False
) -> Result:
    """One indicator's figures for the year; ``public`` withholds what could reveal a deal."""
    definition = DEFINITIONS[indicator]
    facts = definition.facts(year=year)
    aggregate = definition.aggregate
    result = Result(
        indicator=indicator,
        label=str(Indicator(indicator).label),
        unit=definition.unit,
        target=target,
        actual=aggregate(facts),
        basis=len(facts),
    )
    if public and definition.discloses_deal_terms:
        result.is_suppressed = True
        if len(facts) < PUBLIC_MINIMUM_DEALS:
            result.actual = None
            return result
        result.by_province = suppress_small_cells(province_groups(facts), aggregate)
        result.by_sector = suppress_small_cells(sector_groups(facts), aggregate)
        return result  # months are too thin to publish deal values or terms
    if definition.is_dated:
        result.months = month_figures(facts, year=year, aggregate=aggregate)
    result.by_province = _figures(province_groups(facts), aggregate)
    result.by_sector = _figures(sector_groups(facts), aggregate)
    return result


def year_report(*, year: int, targets: Mapping[str, Decimal], public: bool = False) -> YearReport:
    """Every indicator for ``year``, with the targets staff set (None where none is set),
    and each support programme's own targets, as public as its page (``programme_progress``)."""
    programmes = [
        ProgrammeReport(
            title=programme.title,
            progress=[
                row
                for row in programme_progress(programme=programme, year=year)
                if row.target is not None
            ],
        )
        for programme in programme_list_with_targets(year=year)
    ]
    return YearReport(
        year=year,
        results=[
            indicator_result(indicator, year=year, target=targets.get(indicator), public=public)
            for indicator in Indicator
        ],
        programmes=programmes,
    )
