"""A constructed data set for the KPIs of 2026, with things just inside and just outside the
year in Vietnam time (UTC+7), and the figures it must give."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Sector
from accounts.provinces import Province
from cms.kpi import Indicator
from cms.models import KpiTarget
from market.models import Deal, Introduction, Listing
from startups.models import IncubatorUpgrade, ProgrammeTarget
from startups.models import Indicator as ProgrammeIndicator
from tests.factories import (
    IntroductionFactory,
    PublishedListingFactory,
    VerifiedOrganisationFactory,
)
from tests.startups.factories import (
    ApplicationFactory,
    IncubatorFactory,
    ProgrammePageFactory,
    SupportAgreementFactory,
)

YEAR = 2026
UTC = datetime.UTC
PROGRAMME_TITLE = "Đề án phát triển vườn ươm"
LONG_AGO = datetime.datetime(2024, 6, 1, 3, tzinfo=UTC)


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


@dataclass
class KpiData:
    agriculture: Sector
    energy: Sector


def _listing(*, published_at=LONG_AGO, sectors=(), **kwargs) -> Listing:
    listing = PublishedListingFactory(published_at=published_at, **kwargs)
    listing.sectors.set(sectors)
    return listing


def _deal(*, stage, closed_at, province, sectors=(), transaction_type="sale", value=None):
    listing = _listing(province=province, sectors=sectors)
    introduction = IntroductionFactory(
        listing=listing, status=Introduction.Status.APPROVED, curator_decided_at=LONG_AGO
    )
    return Deal.objects.create(
        introduction=introduction,
        stage=stage,
        transaction_type=transaction_type,
        value_vnd=value,
        closed_at=closed_at,
        lost_reason="Giá cao" if stage == Deal.Stage.CLOSED_LOST else "",
    )


def build() -> KpiData:
    """Deals, introductions, listings, agreements and upgrades; see the comments for what
    counts in 2026."""
    coffee = Sector.objects.get(code="coffee-processing")
    agriculture = coffee.parent
    energy = Sector.objects.filter(parent__isnull=True).exclude(pk=agriculture.pk).first()
    won = Deal.Stage.CLOSED_WON
    hue, da_nang = Province.HUE, Province.DA_NANG

    # Closed-won deals of 2026: 1 January 00:00 and 31 December 23:59:59, Vietnam time.
    _deal(
        stage=won,
        closed_at=utc(2025, 12, 31, 17),
        province=hue,
        sectors=[coffee],
        transaction_type="license",
        value=100_000_000,
    )
    _deal(
        stage=won,
        closed_at=utc(2026, 12, 31, 16, 59, 59),
        province=hue,
        sectors=[agriculture, energy],
        transaction_type="assignment",
        value=200_000_000,
    )
    _deal(
        stage=won,
        closed_at=utc(2026, 3, 10, 2),
        province=hue,
        sectors=[energy],
        transaction_type="sale",
        value=300_000_000,
    )
    _deal(
        stage=won,
        closed_at=utc(2026, 3, 20, 2),
        province=da_nang,
        transaction_type="service",
        value=400_000_000,
    )
    # Not counted: just outside the year, lost, still open.
    _deal(stage=won, closed_at=utc(2026, 12, 31, 17), province=hue, value=9_000_000)
    _deal(stage=won, closed_at=utc(2025, 12, 31, 16, 59), province=hue, value=9_000_000)
    _deal(stage=Deal.Stage.CLOSED_LOST, closed_at=utc(2026, 5, 5), province=hue)
    _deal(stage=Deal.Stage.CONTRACTED, closed_at=None, province=hue, value=9_000_000)

    # Introductions: one need introduced twice (counted once, in February), an offer, a need
    # approved on the last evening of 2025, and a need still waiting.
    need = _listing(kind=Listing.Kind.NEED, province=hue)
    approved = Introduction.Status.APPROVED
    IntroductionFactory(listing=need, status=approved, curator_decided_at=utc(2026, 2, 1, 3))
    IntroductionFactory(listing=need, status=approved, curator_decided_at=utc(2026, 5, 1, 3))
    IntroductionFactory(listing=_listing(), status=approved, curator_decided_at=utc(2026, 4, 1, 3))
    IntroductionFactory(
        listing=_listing(kind=Listing.Kind.NEED),
        status=approved,
        curator_decided_at=utc(2025, 12, 31, 16),
    )
    IntroductionFactory(listing=_listing(kind=Listing.Kind.NEED))

    # Listings published in 2026: just after midnight on 1 January, and one since withdrawn.
    # Every other listing above was published in 2024.
    _listing(published_at=utc(2025, 12, 31, 17, 30), province=da_nang)
    _listing(published_at=utc(2026, 6, 15, 3), status=Listing.Status.WITHDRAWN)
    _listing(published_at=utc(2025, 12, 31, 16, 30))

    # Startups: one organisation supported twice (counted once, in March), another in July,
    # a third on the last day of 2025.
    startup = VerifiedOrganisationFactory(kind="startup", province=hue)
    startup.sectors.set([coffee])
    for signed_on in (datetime.date(2026, 3, 1), datetime.date(2026, 7, 1)):
        SupportAgreementFactory(
            application=ApplicationFactory(organisation=startup, phase="approved"),
            signed_on=signed_on,
        )
    SupportAgreementFactory(signed_on=datetime.date(2026, 7, 15))
    SupportAgreementFactory(signed_on=datetime.date(2025, 12, 31))

    # Incubators: one upgraded by two programmes (counted once), one more, one in 2025.
    first = ProgrammePageFactory(title=PROGRAMME_TITLE)
    second = ProgrammePageFactory()
    twice, once, earlier = IncubatorFactory(), IncubatorFactory(), IncubatorFactory()
    for incubator, programme, year in (
        (twice, first, 2026),
        (twice, second, 2026),
        (once, first, 2026),
        (earlier, first, 2025),
    ):
        IncubatorUpgrade.objects.create(
            incubator=incubator, programme=programme, year=year, description="Phòng thí nghiệm"
        )

    # The first programme's own target, reported beside the province's.
    ProgrammeTarget.objects.create(
        programme=first, year=YEAR, indicator=ProgrammeIndicator.INCUBATORS_UPGRADED, target=2
    )
    for indicator, target in TARGETS.items():
        KpiTarget.objects.create(year=YEAR, indicator=indicator, target=target)
    return KpiData(agriculture=agriculture, energy=energy)


# Seven targets, four of them met (transactions, IP share, introductions, startups).
TARGETS = {
    Indicator.TRANSACTIONS: Decimal(4),
    Indicator.TRADE_VALUE: Decimal(2_000_000_000),
    Indicator.IP_SHARE: Decimal(40),
    Indicator.NEEDS_CONNECTED: Decimal(3),
    Indicator.INTRODUCTIONS: Decimal(3),
    Indicator.STARTUPS_SUPPORTED: Decimal(2),
    Indicator.INCUBATORS_UPGRADED: Decimal(5),
}
