"""Loan interest support: the interest a startup pays on a loan repaid in equal monthly
principal instalments, and the share of it the programme pays back, month by month."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Instalment:
    month: int
    opening_balance: int
    principal: int
    interest: int
    supported: int


def _dong(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def interest_schedule(
    *, principal: int, annual_rate: Decimal, term_months: int, supported_share: Decimal
) -> list[Instalment]:
    """Monthly interest is the opening balance × annual rate / 12; the last instalment takes
    the rounding remainder of the principal, so the principal repaid adds up exactly."""
    if principal <= 0 or term_months <= 0:
        return []
    monthly_rate = Decimal(annual_rate) / 100 / 12
    share = Decimal(supported_share) / 100
    base = principal // term_months
    balance = principal
    schedule = []
    for month in range(1, term_months + 1):
        repaid = balance if month == term_months else base
        interest = _dong(balance * monthly_rate)
        schedule.append(
            Instalment(
                month=month,
                opening_balance=balance,
                principal=repaid,
                interest=interest,
                supported=_dong(interest * share),
            )
        )
        balance -= repaid
    return schedule


def supported_total(schedule: list[Instalment]) -> int:
    return sum(instalment.supported for instalment in schedule)
