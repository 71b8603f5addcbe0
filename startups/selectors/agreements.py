"""Support agreements as programme staff and finance follow them."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from startups.models import Milestone, SupportAgreement


def agreement_list_for_staff(*, status: str | None = None) -> QuerySet[SupportAgreement]:
    """Agreements, newest first, with how many milestones wait for staff and for finance."""
    queryset = SupportAgreement.objects.select_related(
        "application", "application__organisation", "application__call"
    ).annotate(
        milestones_count=Count("milestones", distinct=True),
        reported_count=Count(
            "milestones", filter=Q(milestones__status=Milestone.Status.REPORTED), distinct=True
        ),
        accepted_count=Count(
            "milestones", filter=Q(milestones__status=Milestone.Status.ACCEPTED), distinct=True
        ),
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-signed_on", "-pk")


def agreement_list_signed(*, year: int) -> QuerySet[SupportAgreement]:
    """Support agreements signed in ``year`` (whatever their status now), with the supported
    organisation and its sectors: each is one startup supported."""
    return (
        SupportAgreement.objects.filter(signed_on__year=year)
        .select_related("application__organisation")
        .prefetch_related("application__organisation__sectors")
    )
