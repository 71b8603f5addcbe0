"""Pooled challenges: a curator groups similar needs of several enterprises into one problem,
publishes it as a page, and the needs' owners are told."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit, register_action
from accounts.models import Sector, User
from accounts.selectors import user_list_managing
from market.models import Listing
from market.selectors import is_curator
from startups import emails
from startups.models import ChallengeNeed, ChallengePage
from startups.selectors.access import is_programme_staff
from startups.selectors.challenges import challenge_index
from techfloor.text import fold

CHALLENGE_CREATE = register_action(
    "techfloor.challenge.create",
    gettext_lazy("Pool needs into a challenge"),
    gettext_lazy("Challenge created from pooled needs"),
)
CHALLENGE_PUBLISH = register_action(
    "techfloor.challenge.publish",
    gettext_lazy("Publish challenge"),
    gettext_lazy("Challenge published"),
)
MIN_NEEDS = 2


def may_pool_needs(user: User | None) -> bool:
    """Curators of the floor and programme staff put challenges together."""
    return is_curator(user) or is_programme_staff(user)


def _require_pooler(actor: User) -> None:
    if not may_pool_needs(actor):
        raise PermissionDenied(_("Only curators and programme staff may pool needs."))


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())


def child_slug(parent, title: str) -> str:
    """A slug from the folded title, numbered when a sibling page has it."""
    base = slugify(fold(title))[:200] or "challenge"
    slug, counter = base, 2
    while parent.get_children().filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@transaction.atomic
def challenge_create(
    *,
    actor: User,
    title: str,
    problem: str,
    needs: list[Listing],
    expected_results: str = "",
    budget_ceiling: int | None = None,
    sectors: list[Sector] | None = None,
) -> ChallengePage:
    """A draft challenge under the challenges index pooling ``needs`` (published needs, at
    least two); its sectors are the needs' unless given. Publishing is a separate step."""
    _require_pooler(actor)
    index = challenge_index()
    if index is None:
        raise ValidationError(_("Create the challenges index page first."), code="no_index")
    needs = sorted({need.pk: need for need in needs}.values(), key=lambda need: need.pk)
    if len(needs) < MIN_NEEDS:
        raise ValidationError({"needs": _("Pool at least two needs.")})
    wrong = [
        need.title
        for need in needs
        if need.kind != Listing.Kind.NEED or need.status != Listing.Status.PUBLISHED
    ]
    if wrong:
        raise ValidationError(
            {"needs": _("Not published needs: %(titles)s.") % {"titles": "; ".join(wrong)}}
        )
    if not title.strip():
        raise ValidationError({"title": _("Give the challenge a title.")})
    if not problem.strip():
        raise ValidationError({"problem": _("State the problem the needs share.")})
    challenge = ChallengePage(
        title=title.strip(),
        slug=child_slug(index, title),
        problem=_paragraphs(problem),
        expected_results=_paragraphs(expected_results),
        budget_ceiling=budget_ceiling,
        live=False,
    )
    index.add_child(instance=challenge)
    if sectors is None:
        sectors = list(Sector.objects.filter(listings__in=needs).distinct())
    challenge.sectors.set(sectors)
    challenge.save_revision(user=actor)
    ChallengeNeed.objects.bulk_create(
        ChallengeNeed(challenge=challenge, need=need, title_snapshot=need.title, added_by=actor)
        for need in needs
    )
    audit(
        actor=actor,
        action=CHALLENGE_CREATE,
        instance=challenge,
        data={"needs": sorted(need.pk for need in needs)},
    )
    return challenge


@transaction.atomic
def challenge_publish(*, challenge: ChallengePage, actor: User) -> ChallengePage:
    """Publish the latest revision and tell the source needs' owners."""
    _require_pooler(actor)
    revision = challenge.latest_revision or challenge.save_revision(user=actor)
    # Whether the actor may publish was decided above; curators hold no page permissions.
    revision.publish(user=actor, skip_permission_checks=True)
    challenge.refresh_from_db()
    audit(actor=actor, action=CHALLENGE_PUBLISH, instance=challenge)
    challenge_notify_owners(challenge=challenge)
    return challenge


@transaction.atomic
def challenge_notify_owners(*, challenge: ChallengePage) -> int:
    """Tell each source need's owners, once, that their need is in the live challenge; also
    called after staff publish the page in the editor. Returns how many needs were announced."""
    if not challenge.live:
        return 0
    now = timezone.now()
    waiting = list(
        challenge.source_needs.select_for_update(of=("self",))
        .filter(owners_notified_at__isnull=True)
        .select_related("need", "need__organisation", "need__created_by")
    )
    for link in waiting:
        owners = {user.pk: user for user in user_list_managing(organisation=link.need.organisation)}
        creator = link.need.created_by
        if creator and creator.is_active:
            owners[creator.pk] = creator
        emails.send_challenge_published(challenge=challenge, users=list(owners.values()))
    ChallengeNeed.objects.filter(pk__in=[link.pk for link in waiting]).update(
        owners_notified_at=now
    )
    return len(waiting)
