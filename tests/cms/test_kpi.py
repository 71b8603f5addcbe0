"""KPI computations, exact on the constructed data set of tests/cms/kpi_data.py."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cms import kpi
from cms.kpi import Fact, Indicator
from cms.models import KpiTarget
from tests.cms import kpi_data
from tests.cms.kpi_data import TARGETS, YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return kpi_data.build()


@pytest.fixture
def report(data):
    return kpi.year_report(year=YEAR, targets=KpiTarget.for_year(YEAR))


@pytest.fixture
def results(report):
    return {result.indicator: result for result in report.results}


def test_every_indicator_is_exact_at_the_year_boundaries_in_vietnam_time(results):
    assert {indicator: results[indicator].actual for indicator in Indicator} == {
        "transactions": 4,  # lost, open and outside-the-year deals excluded
        "trade_value": 1_000_000_000,
        "ip_share": Decimal("50.0"),  # a licence and an assignment among four
        "needs_connected": 1,  # one need introduced twice counts once
        "introductions": 3,
        "startups_supported": 2,  # one startup with two agreements counts once
        "incubators_upgraded": 2,  # one incubator upgraded by two programmes counts once
        "listings_published": 2,  # including one withdrawn since
    }


def test_progress_is_actual_over_target_and_met_counts_targets_reached(report, results):
    assert {indicator: results[indicator].progress for indicator in Indicator} == {
        "transactions": Decimal("100.0"),
        "trade_value": Decimal("50.0"),
        "ip_share": Decimal("125.0"),
        "needs_connected": Decimal("33.3"),
        "introductions": Decimal("100.0"),
        "startups_supported": Decimal("100.0"),
        "incubators_upgraded": Decimal("40.0"),
        "listings_published": None,  # no target set
    }
    assert [result.indicator for result in report.results if result.is_met] == [
        "transactions",
        "ip_share",
        "introductions",
        "startups_supported",
    ]
    assert (report.met_count, len(report.with_target)) == (4, len(TARGETS)) == (4, 7)


def test_the_monthly_trend_gives_each_month_alone_and_cumulated(results):
    transactions = results[Indicator.TRANSACTIONS].months
    assert [month.value for month in transactions] == [1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert [month.cumulative for month in transactions] == [1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4]
    assert [month.label for month in transactions][:2] == ["01/2026", "02/2026"]

    value = results[Indicator.TRADE_VALUE].months
    assert value[2].value == 700_000_000
    assert value[11].cumulative == 1_000_000_000

    share = results[Indicator.IP_SHARE].months
    assert [month.value for month in share][:3] == [Decimal("100.0"), None, Decimal("0.0")]
    assert share[2].cumulative == Decimal("33.3")
    assert share[11].cumulative == Decimal("50.0")

    assert [month.value for month in results[Indicator.NEEDS_CONNECTED].months][:5] == [
        0,
        1,
        0,
        0,
        0,
    ]
    startups = [month.value for month in results[Indicator.STARTUPS_SUPPORTED].months]
    assert startups == [0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    assert results[Indicator.INCUBATORS_UPGRADED].months == []  # recorded by year only


def test_breakdowns_by_province_and_first_level_sector(data, results):
    value = results[Indicator.TRADE_VALUE]
    assert [(f.label, f.value, f.basis) for f in value.by_province] == [
        ("Huế", 600_000_000, 3),
        ("Đà Nẵng", 400_000_000, 1),
    ]
    # A sub-sector counts for its parent; a deal in two sectors counts in both.
    assert [(f.label, f.value, f.basis) for f in value.by_sector] == [
        (data.energy.name, 500_000_000, 2),
        ("Not given", 400_000_000, 1),
        (data.agriculture.name, 300_000_000, 2),
    ]
    share = results[Indicator.IP_SHARE]
    assert [(f.label, f.value) for f in share.by_province] == [
        ("Huế", Decimal("66.7")),
        ("Đà Nẵng", Decimal("0.0")),
    ]
    startups = results[Indicator.STARTUPS_SUPPORTED]
    assert [(f.label, f.value) for f in startups.by_province] == [("Huế", 1), ("Đồng Tháp", 1)]
    assert [(f.label, f.value) for f in startups.by_sector] == [
        (data.agriculture.name, 1),
        ("Not given", 1),
    ]


def test_each_programme_with_targets_reports_its_own_progress(report):
    assert [
        (programme.title, [(row.indicator, row.target, row.actual) for row in programme.progress])
        for programme in report.programmes
    ] == [(kpi_data.PROGRAMME_TITLE, [("incubators_upgraded", 2, 2)])]


def test_the_public_report_withholds_what_could_reveal_a_deal(data):
    public = kpi.year_report(year=YEAR, targets=KpiTarget.for_year(YEAR), public=True)
    results = {result.indicator: result for result in public.results}

    value = results[Indicator.TRADE_VALUE]
    assert value.actual == 1_000_000_000  # four deals: enough
    assert value.months == []
    # Đà Nẵng rests on one deal; Huế joins it, or Huế's figure would give Đà Nẵng's away.
    assert [(f.label, f.value, f.basis) for f in value.by_province] == [
        ("Other (fewer than 3 deals each)", 1_000_000_000, 4)
    ]
    assert [(f.value, f.basis) for f in value.by_sector] == [(1_000_000_000, 4)]
    # Counts reveal no terms and are published in full.
    transactions = results[Indicator.TRANSACTIONS]
    assert [(f.label, f.value) for f in transactions.by_province] == [("Huế", 3), ("Đà Nẵng", 1)]
    assert len(transactions.months) == 12


def test_a_public_total_resting_on_fewer_than_three_deals_is_withheld():
    kpi_data._deal(
        stage="closed_won",
        closed_at=kpi_data.utc(2026, 4, 1, 3),
        province="hue",
        value=750_000_000,
    )
    public = kpi.indicator_result(Indicator.TRADE_VALUE, year=YEAR, target=None, public=True)
    staff = kpi.indicator_result(Indicator.TRADE_VALUE, year=YEAR, target=None)

    assert (public.actual, public.by_province, public.months) == (None, [], [])
    assert staff.actual == 750_000_000


def _facts(count: int, start: int) -> list[Fact]:
    return [
        Fact(start + n, datetime.date(2026, 1, 1), 10, "hue", frozenset()) for n in range(count)
    ]


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        ({"A": 5, "B": 4, "C": 3}, [("A", 50, 5), ("B", 40, 4), ("C", 30, 3)]),
        # C alone would be given away by the total: B, the smallest shown, is withheld too.
        ({"A": 5, "B": 3, "C": 1}, [("A", 50, 5), ("Other (fewer than 3 deals each)", 40, 4)]),
        ({"A": 5, "B": 1, "C": 2}, [("A", 50, 5), ("Other (fewer than 3 deals each)", 30, 3)]),
        ({"A": 2}, []),
    ],
)
def test_small_cells_are_suppressed_with_their_complement(sizes, expected):
    groups, start = {}, 0
    for label, size in sizes.items():
        groups[label] = _facts(size, start)
        start += size

    figures = kpi.suppress_small_cells(groups, kpi.total)

    assert [(f.label, f.value, f.basis) for f in figures] == expected


def test_a_target_is_unique_per_year_and_indicator(data):
    with pytest.raises(IntegrityError), transaction.atomic():
        KpiTarget.objects.create(year=YEAR, indicator=Indicator.TRANSACTIONS, target=9)


@pytest.mark.parametrize(
    ("indicator", "target", "field_error"),
    [
        (Indicator.IP_SHARE, Decimal("100.5"), "A share is at most 100 percent."),
        (Indicator.TRANSACTIONS, Decimal("4.5"), "Give a whole number for this indicator."),
        (Indicator.IP_SHARE, Decimal("37.5"), None),
    ],
)
def test_targets_are_validated_in_their_unit(indicator, target, field_error):
    candidate = KpiTarget(year=2027, indicator=indicator, target=target)
    if field_error is None:
        candidate.full_clean()
        assert candidate.unit == "percent"
        return
    with pytest.raises(ValidationError) as error:
        candidate.full_clean()
    assert error.value.message_dict == {"target": [field_error]}


def test_a_year_without_data_gives_zeros_and_no_share():
    report = kpi.year_report(year=2031, targets={Indicator.TRANSACTIONS: Decimal(5)})
    results = {result.indicator: result for result in report.results}

    assert results[Indicator.TRANSACTIONS].actual == 0
    assert results[Indicator.TRANSACTIONS].progress == Decimal("0.0")
    assert [month.cumulative for month in results[Indicator.TRANSACTIONS].months] == [0] * 12
    assert results[Indicator.IP_SHARE].actual is None  # no deal, no share
    assert results[Indicator.IP_SHARE].actual_display == "—"
    assert results[Indicator.INCUBATORS_UPGRADED].months == []
    assert results[Indicator.TRADE_VALUE].by_province == []
    assert (report.met_count, len(report.with_target), report.programmes) == (0, 1, [])
