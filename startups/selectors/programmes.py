"""A programme's yearly targets against actuals computed from the data (programme KPIs)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from accounts.models import Organisation
from startups.models import (
    CallPage,
    Decision,
    Disbursement,
    IncubatorUpgrade,
    Indicator,
    Outcome,
    ProgrammePage,
)

# Who counts as what: a startup project is a team or young company registered as a startup;
# a startup SME is an incorporated small or medium enterprise.
STARTUP_PROJECT_KINDS = (Organisation.Kind.STARTUP,)
STARTUP_SME_KINDS = (Organisation.Kind.SME, Organisation.Kind.ENTERPRISE)


@dataclass(frozen=True)
class Progress:
    indicator: str
    label: str
    target: int | None
    actual: int

    @property
    def percent(self) -> int | None:
        """Progress towards the target, capped at 100 for the bar (the figure says more)."""
        if not self.target:
            return None
        return min(100, round(self.actual * 100 / self.target))

    @property
    def is_met(self) -> bool:
        return self.target is not None and self.actual >= self.target


def programme_actuals(*, programme: ProgrammePage, year: int) -> dict[str, int]:
    """Each indicator's actual for ``year``, from decisions, disbursements and upgrades."""
    calls = CallPage.objects.child_of(programme).values("pk")
    approvals = Decision.objects.filter(
        outcome=Outcome.APPROVE, application__call__in=calls, decided_at__year=year
    ).aggregate(
        ideas=Count("application", distinct=True),
        projects=Count(
            "application",
            distinct=True,
            filter=Q(application__organisation__kind__in=STARTUP_PROJECT_KINDS),
        ),
        smes=Count(
            "application",
            distinct=True,
            filter=Q(application__organisation__kind__in=STARTUP_SME_KINDS),
        ),
    )
    disbursed = Disbursement.objects.filter(
        milestone__agreement__application__call__in=calls, released_at__year=year
    ).aggregate(total=Sum("amount"))["total"]
    upgrades = IncubatorUpgrade.objects.filter(programme=programme, year=year).count()
    return {
        Indicator.IDEAS: approvals["ideas"],
        Indicator.STARTUP_PROJECTS: approvals["projects"],
        Indicator.STARTUP_SMES: approvals["smes"],
        Indicator.INCUBATORS_UPGRADED: upgrades,
        Indicator.DISBURSED: disbursed or 0,
    }


def programme_progress(*, programme: ProgrammePage, year: int) -> list[Progress]:
    """Every indicator with its target for the year (None when none is set) and its actual."""
    targets = dict(programme.targets.filter(year=year).values_list("indicator", "target"))
    actuals = programme_actuals(programme=programme, year=year)
    return [
        Progress(
            indicator=indicator.value,
            label=str(indicator.label),
            target=targets.get(indicator.value),
            actual=actuals[indicator.value],
        )
        for indicator in Indicator
    ]


def programme_list_with_targets(*, year: int) -> QuerySet[ProgrammePage]:
    """Live programmes that set targets for ``year``, by title (the province's yearly report)."""
    return (
        ProgrammePage.objects.live().filter(targets__year=year).distinct().order_by("title", "pk")
    )
