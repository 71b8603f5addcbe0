"""Loan interest support computed from principal, rate, term and supported share."""

from decimal import Decimal

from startups.loans import interest_schedule, supported_total


def test_equal_principal_instalments_with_half_the_interest_supported():
    schedule = interest_schedule(
        principal=120_000_000, annual_rate=Decimal(12), term_months=12, supported_share=Decimal(50)
    )

    assert len(schedule) == 12
    first, second, last = schedule[0], schedule[1], schedule[-1]
    assert (first.opening_balance, first.principal, first.interest, first.supported) == (
        120_000_000,
        10_000_000,
        1_200_000,
        600_000,
    )
    assert (second.opening_balance, second.interest, second.supported) == (
        110_000_000,
        1_100_000,
        550_000,
    )
    assert (last.opening_balance, last.interest) == (10_000_000, 100_000)
    # 1% a month of 120 + 110 + … + 10 million = 7.8 million of interest, half supported.
    assert sum(row.interest for row in schedule) == 7_800_000
    assert supported_total(schedule) == 3_900_000


def test_the_last_instalment_takes_the_remainder_of_the_principal():
    schedule = interest_schedule(
        principal=100_000_000,
        annual_rate=Decimal("7.5"),
        term_months=3,
        supported_share=Decimal(100),
    )

    assert [row.principal for row in schedule] == [33_333_333, 33_333_333, 33_333_334]
    assert sum(row.principal for row in schedule) == 100_000_000
    # 100,000,000 × 7.5% / 12 = 625,000 dong in the first month, fully supported.
    assert (schedule[0].interest, schedule[0].supported) == (625_000, 625_000)


def test_no_loan_no_schedule():
    assert (
        interest_schedule(
            principal=0, annual_rate=Decimal(10), term_months=12, supported_share=Decimal(50)
        )
        == []
    )
