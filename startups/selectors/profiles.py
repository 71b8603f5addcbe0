"""Startup profiles and the public directory of mentors and experts."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from startups.models import Expert

EXPERTS_PER_PAGE = 20


def expert_list_public(
    *, query: str = "", sector: str = "", mentors_only: bool = False
) -> QuerySet[Expert]:
    """Experts who chose to be listed, with their sectors, in name order."""
    experts = Expert.objects.filter(is_public=True, user__is_active=True)
    if query:
        experts = experts.filter(
            Q(user__full_name__icontains=query)
            | Q(headline__icontains=query)
            | Q(expertise__icontains=query)
        )
    if sector:
        experts = experts.filter(Q(sectors__code=sector) | Q(sectors__parent__code=sector))
    if mentors_only:
        experts = experts.filter(is_mentor=True)
    return (
        experts.distinct()
        .select_related("user")
        .prefetch_related("sectors")
        .order_by("user__full_name", "pk")
    )
