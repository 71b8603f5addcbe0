"""Read queries of pooled challenges and ordered S&T tasks."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils.translation import get_language

from accounts.models import User
from market.links import listing_url
from market.models import Listing
from market.selectors import listing_list_public
from startups.models import (
    CallPage,
    ChallengeIndexPage,
    ChallengePage,
    TaskResult,
)
from startups.workflows import workflows


@dataclass(frozen=True)
class PublicNeed:
    """What a challenge's page may say of one source need: the floor's public summary."""

    listing: Listing
    title: str
    summary: str
    url: str


@dataclass(frozen=True)
class OfferProvenance:
    """Where an offer on the floor came from: the S&T task whose accepted result it is, and
    the challenge or need the province ordered the task for (only what is public)."""

    task: str
    challenge: str
    challenge_url: str


def offer_provenance(*, listing: Listing) -> OfferProvenance | None:
    """The ordered task behind ``listing``, if it is the published result of one."""
    result = (
        TaskResult.objects.filter(offer=listing)
        .select_related("application__call__task_order__challenge")
        .first()
    )
    if result is None:
        return None
    call = result.application.call
    order = getattr(call, "task_order", None)
    challenge = order.challenge if order else None
    public_challenge = (
        challenge is not None
        and ChallengePage.objects.live().public().filter(pk=challenge.pk).exists()
    )
    return OfferProvenance(
        task=call.title,
        challenge=challenge.title if public_challenge else "",
        challenge_url=challenge.url if public_challenge else "",
    )


def challenge_needs_public(*, challenge: ChallengePage, viewer: User | None) -> list[PublicNeed]:
    """The source needs ``viewer`` may see on the floor, with their public summaries only;
    market's visibility rule decides (a withdrawn or staff-only need is left out)."""
    visible = listing_list_public(viewer=viewer).filter(
        kind=Listing.Kind.NEED, challenge_links__challenge=challenge
    )
    language = (get_language() or "vi")[:2]
    return [
        PublicNeed(
            listing=listing,
            title=listing.title,
            summary=listing.summary,
            url=listing_url(listing, language=language),
        )
        for listing in visible.order_by("challenge_links__pk")
    ]


def challenge_list_drafts() -> QuerySet[ChallengePage]:
    """Challenges not yet published, newest first, for curators to finish and publish."""
    return (
        ChallengePage.objects.not_live().annotate(needs_count=Count("source_needs")).order_by("-pk")
    )


def challenge_task_calls(*, challenge: ChallengePage) -> QuerySet[CallPage]:
    """The live calls that order S&T tasks from this challenge."""
    return (
        CallPage.objects.live()
        .public()
        .filter(task_order__challenge=challenge)
        .order_by("-closes_at")
    )


def challenge_index() -> ChallengeIndexPage | None:
    """The challenges index page new challenges go under (there is at most one)."""
    return ChallengeIndexPage.objects.first()


def task_results_awaiting() -> QuerySet[TaskResult]:
    """Delivered results whose acceptance staff owe, oldest first."""
    waiting = [
        code
        for workflow in workflows().values()
        if workflow.has_results
        for code in workflow.transition("accept_results").sources
    ]
    return (
        TaskResult.objects.filter(application__phase__in=waiting)
        .select_related("application", "application__organisation", "application__call")
        .order_by("submitted_at", "pk")
    )
