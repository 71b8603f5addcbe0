"""Eligibility of an organisation for a call, rule by rule, and SME size classes.

Size classes follow Decree 80/2021/NĐ-CP, Article 5: an enterprise is in a class when its
employees (with social insurance, yearly average) are within the class's limit AND its yearly
revenue OR its total capital is within the class's limit; limits differ between the
production sectors (agriculture, forestry, fishery, industry, construction) and trade/services.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.provinces import Province
from startups.models import CallPage, SizeClass

BILLION = 1_000_000_000

# class → (max employees, max revenue, max capital), smallest class first.
SIZE_LIMITS: dict[str, list[tuple[str, int, int, int]]] = {
    Organisation.BusinessArea.PRODUCTION: [
        (SizeClass.MICRO, 10, 3 * BILLION, 3 * BILLION),
        (SizeClass.SMALL, 100, 50 * BILLION, 20 * BILLION),
        (SizeClass.MEDIUM, 200, 200 * BILLION, 100 * BILLION),
    ],
    Organisation.BusinessArea.TRADE_SERVICES: [
        (SizeClass.MICRO, 10, 10 * BILLION, 3 * BILLION),
        (SizeClass.SMALL, 50, 100 * BILLION, 50 * BILLION),
        (SizeClass.MEDIUM, 100, 300 * BILLION, 100 * BILLION),
    ],
}


def size_class(
    *, business_area: str, employees: int | None, revenue: int | None, capital: int | None
) -> str | None:
    """The smallest class the figures fit, ``large`` above medium, None when facts are missing."""
    if (
        business_area not in SIZE_LIMITS
        or employees is None
        or (revenue is None and capital is None)
    ):
        return None
    for name, max_employees, max_revenue, max_capital in SIZE_LIMITS[business_area]:
        within_money = (revenue is not None and revenue <= max_revenue) or (
            capital is not None and capital <= max_capital
        )
        if employees <= max_employees and within_money:
            return name
    return SizeClass.LARGE


def full_years(*, since: datetime.date, on: datetime.date) -> int:
    """Whole years from ``since`` to ``on`` (a birthday-style count)."""
    return on.year - since.year - ((on.month, on.day) < (since.month, since.day))


@dataclass(frozen=True)
class RuleResult:
    rule: str
    passed: bool
    message: str


def check_eligibility(
    *, call: CallPage, organisation: Organisation, on: datetime.date | None = None
) -> list[RuleResult]:
    """Every eligibility rule the call sets, each with its result and a sentence saying why.

    A missing fact fails its rule with a message naming it, so staff can ask for it or
    override with a reason; a rule the call does not set is not listed."""
    on = on or timezone.localdate()
    results = []
    if call.eligible_kinds:
        results.append(
            RuleResult(
                "kind",
                organisation.kind in call.eligible_kinds,
                _("Organisation kind: %(kind)s; the call accepts %(accepted)s.")
                % {
                    "kind": organisation.get_kind_display(),
                    "accepted": _join_labels(Organisation.Kind, call.eligible_kinds),
                },
            )
        )
    if call.eligible_provinces:
        results.append(
            RuleResult(
                "province",
                organisation.province in call.eligible_provinces,
                _("Province: %(province)s; the call accepts %(accepted)s.")
                % {
                    "province": organisation.get_province_display(),
                    "accepted": _join_labels(Province, call.eligible_provinces),
                },
            )
        )
    if call.max_years_established is not None:
        results.append(_age_rule(call=call, organisation=organisation, on=on))
    if call.eligible_size_classes:
        results.append(_size_rule(call=call, organisation=organisation))
    sector_rule = _sector_rule(call=call, organisation=organisation)
    if sector_rule:
        results.append(sector_rule)
    return results


def results_as_data(results: list[RuleResult]) -> list[dict]:
    return [asdict(result) for result in results]


def _join_labels(choices, values: list[str]) -> str:
    labels = dict(choices.choices)
    return ", ".join(str(labels.get(value, value)) for value in values)


def _age_rule(*, call: CallPage, organisation: Organisation, on: datetime.date) -> RuleResult:
    limit = call.max_years_established
    if organisation.established_on is None:
        return RuleResult(
            "established",
            False,
            _("The organisation's profile does not say when it was established."),
        )
    years = full_years(since=organisation.established_on, on=on)
    return RuleResult(
        "established",
        years <= limit,
        _("Established %(years)s full years ago; the call accepts at most %(limit)s.")
        % {"years": years, "limit": limit},
    )


def _size_rule(*, call: CallPage, organisation: Organisation) -> RuleResult:
    found = size_class(
        business_area=organisation.business_area,
        employees=organisation.employees,
        revenue=organisation.annual_revenue,
        capital=organisation.capital,
    )
    if found is None:
        return RuleResult(
            "size",
            False,
            _(
                "The organisation's profile lacks its business area, employees, or both revenue "
                "and capital, so its size class is unknown."
            ),
        )
    return RuleResult(
        "size",
        found in call.eligible_size_classes,
        _("Size class: %(size)s; the call accepts %(accepted)s.")
        % {
            "size": SizeClass(found).label,
            "accepted": _join_labels(SizeClass, call.eligible_size_classes),
        },
    )


def _sector_rule(*, call: CallPage, organisation: Organisation) -> RuleResult | None:
    """A call for a first-level sector accepts its sub-sectors too."""
    wanted = list(call.eligible_sectors.all())
    if not wanted:
        return None
    wanted_ids = {sector.pk for sector in wanted}
    held = list(organisation.sectors.all())
    passed = any(sector.pk in wanted_ids or sector.parent_id in wanted_ids for sector in held)
    return RuleResult(
        "sector",
        passed,
        _("Sectors: %(held)s; the call accepts %(accepted)s.")
        % {
            "held": ", ".join(sector.name for sector in held) or _("none given"),
            "accepted": ", ".join(sector.name for sector in wanted),
        },
    )
