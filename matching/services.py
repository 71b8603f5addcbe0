"""Actions of the matching room: refresh a listing's matches, rebuild them all, record feedback."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit, register_action
from accounts.models import User
from market.models import Listing
from market.selectors import is_curator, listing_is_member
from matching import alerts, batch, semantic
from matching.engine import DEFAULT_WEIGHTS, Ranked, rank
from matching.listings import (
    FEATURE_FIELDS,
    ListingMatcher,
    load_space,
    profile_of,
    sector_ids_of,
)
from matching.models import (
    Frequency,
    FusionWeights,
    ListingProfile,
    Match,
    MatchFeedback,
    SemanticSpace,
)
from techfloor.db import insert_many

MATCHES_KEPT = 20  # per listing, from its own side
REVERSE_UPDATES = 50  # counterparts whose own lists may gain the refreshed listing
MATCH_FEEDBACK = register_action(
    "techfloor.match.feedback",
    gettext_lazy("Match feedback"),
    gettext_lazy("Said whether a proposed match is relevant"),
)


def weights_in_use() -> dict[str, float]:
    latest = FusionWeights.objects.order_by("-created_at").first()
    return latest.weights if latest else DEFAULT_WEIGHTS


def _save_profile(listing: Listing, space_row, space) -> dict:
    values = profile_of(listing, space)
    ListingProfile.objects.update_or_create(
        listing=listing, defaults={**values, "space": space_row if values["vector"] else None}
    )
    return values


def _match_rows(source_id: int, ranked: list[Ranked], *, reverse: bool = False) -> list[Match]:
    return [
        Match(
            source_id=entry.item if reverse else source_id,
            target_id=source_id if reverse else entry.item,
            score=entry.score,
            features=entry.scored.features,
        )
        for entry in ranked
    ]


def _upsert(rows: list[Match]) -> None:
    Match.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["source", "target"],
        update_fields=["score", "features", "computed_at"],
    )


def _positioned(source_ids: list[int]) -> QuerySet[Match]:
    """The matches of these listings, each with its place in its listing's list."""
    return Match.objects.filter(source_id__in=source_ids).annotate(
        position=Window(
            RowNumber(),
            partition_by=[F("source_id")],
            order_by=[F("score").desc(), F("target_id").asc()],
        )
    )


def _lists_entered(listing_id: int, reverse: list[Ranked]) -> tuple[list[Ranked], list[int]]:
    """Of the listing's best counterparts, those whose own lists it belongs in: lists with
    room, lists whose last it beats, lists that hold it already (its score changed). Writing
    the others would only trim them away again. Also returns the full lists it enters."""
    last: dict[int, float] = {}
    holding: set[int] = set()
    for source_id, target_id, score in (
        _positioned([entry.item for entry in reverse])
        .filter(Q(position=MATCHES_KEPT) | Q(target_id=listing_id))
        .values_list("source_id", "target_id", "score")
    ):
        if target_id == listing_id:
            holding.add(source_id)
        else:
            last[source_id] = score
    entering = [
        entry
        for entry in reverse
        if entry.item in holding or entry.item not in last or entry.score >= last[entry.item]
    ]
    full = [entry.item for entry in entering if entry.item in last and entry.item not in holding]
    return entering, full


def _trim(source_ids: list[int]) -> None:
    """Keep each listing's best ``MATCHES_KEPT`` after others joined its list."""
    if source_ids:
        surplus = _positioned(source_ids).filter(position__gt=MATCHES_KEPT).values_list("pk")
        Match.objects.filter(pk__in=surplus).delete()


@transaction.atomic
def refresh_listing_matches(*, listing_id: int) -> int:
    """Bring a listing's matches up to date in both directions; returns how many it has.

    Idempotent, and safe to run twice at once: the listing's row is locked while its matches
    are replaced, and every write is an upsert. A listing that is not published (withdrawn,
    expired, closed, back to draft, deleted) loses its matches on both sides.
    """
    listing = Listing.objects.select_for_update().filter(pk=listing_id).first()
    if listing is None or listing.status != Listing.Status.PUBLISHED:
        Match.objects.filter(Q(source_id=listing_id) | Q(target_id=listing_id)).delete()
        ListingProfile.objects.filter(listing_id=listing_id).delete()
        return 0
    space_row, space = load_space()
    matcher = ListingMatcher(space_row=space_row, space=space)
    matcher.know(listing, _save_profile(listing, space_row, space))
    ranked = rank(listing.pk, matcher=matcher, weights=weights_in_use())
    kept, reverse = ranked[:MATCHES_KEPT], ranked[:REVERSE_UPDATES]
    Match.objects.filter(source_id=listing.pk).exclude(
        target_id__in=[entry.item for entry in kept]
    ).delete()
    entering, full = _lists_entered(listing.pk, reverse)
    _upsert(_match_rows(listing.pk, kept) + _match_rows(listing.pk, entering, reverse=True))
    _trim(full)
    return min(len(ranked), MATCHES_KEPT)


@transaction.atomic
def listing_changed(*, listing_id: int) -> int:
    """What the matching room does when a listing enters, changes on or leaves the floor:
    refresh its matches both ways, queue the alerts they and the saved searches raise, and
    send the immediate ones after commit. Returns the number of alerts queued."""
    refresh_listing_matches(listing_id=listing_id)
    listing = (
        Listing.objects.select_related("organisation")
        .filter(pk=listing_id, status=Listing.Status.PUBLISHED)
        .first()
    )
    if listing is None:
        return 0
    pairs = [
        (listing, target_id) for target_id in listing.matches.values_list("target_id", flat=True)
    ]
    pairs += [
        (match.source, listing.pk)
        for match in Match.objects.filter(target=listing).select_related("source__organisation")
    ]
    queued = alerts.queue_match_alerts(pairs=pairs) + alerts.queue_search_alerts(listing=listing)
    if queued:
        from matching.tasks import send_alerts_task

        transaction.on_commit(lambda: send_alerts_task.delay(Frequency.IMMEDIATE))
    return queued


def _match_values(ranked: dict[int, list[Ranked]], *, now) -> Iterator[tuple]:
    for source_id, entries in ranked.items():
        for entry in entries:
            yield source_id, entry.item, entry.score, entry.scored.features, now


def rebuild_matches(*, progress: Callable[[int], None] = lambda done: None) -> dict[str, int]:
    """Learn the semantic space from every published listing, then rank them all at once
    (``matching.batch``) and replace the stored matches in one transaction."""
    published = Listing.objects.filter(status=Listing.Status.PUBLISHED).order_by("pk")
    profiles = {listing.pk: profile_of(listing, None) for listing in published.iterator(2000)}
    space = semantic.train(
        semantic.document(values["terms"], values["concepts"]) for values in profiles.values()
    )
    for values in profiles.values():
        vector = (
            space.vector(semantic.document(values["terms"], values["concepts"])) if space else None
        )
        values["vector"] = semantic.to_bytes(vector) if vector is not None else None
    with transaction.atomic():
        SemanticSpace.objects.all().delete()
        space_row = None
        if space is not None:
            space_row = SemanticSpace.objects.create(
                documents=len(profiles),
                vocabulary={token: list(entry) for token, entry in space.vocabulary.items()},
                components=space.components.astype("float32").tobytes(),
                dimensions=space.components.shape[1],
            )
        ListingProfile.objects.all().delete()
        now = timezone.now()
        insert_many(
            ListingProfile,
            ("listing_id", "terms", "concepts", "surface", "vector", "space_id", "updated_at"),
            (
                (
                    pk,
                    values["terms"],
                    values["concepts"],
                    values["surface"],
                    values["vector"],
                    space_row.pk if space_row and values["vector"] else None,
                    now,
                )
                for pk, values in profiles.items()
            ),
        )
    matcher = ListingMatcher(space_row=space_row, space=space)
    sectors = sector_ids_of(listing__status=Listing.Status.PUBLISHED)
    # Each profile is let go as its side is made: on a large floor both hold gigabytes.
    sides = [
        matcher.side(listing, profiles.pop(listing.pk), sector_ids=sectors[listing.pk])
        for listing in published.only(*FEATURE_FIELDS)
        if listing.pk in profiles
    ]
    del profiles
    ranked = batch.rank_all(
        sides, weights=weights_in_use(), keep=matcher.keep, limit=MATCHES_KEPT, progress=progress
    )
    with transaction.atomic():
        Match.objects.all().delete()
        insert_many(
            Match,
            ("source_id", "target_id", "score", "features", "computed_at"),
            _match_values(ranked, now=timezone.now()),
        )
    return {"listings": len(sides), "matches": sum(len(entries) for entries in ranked.values())}


def pair_of(match: Match) -> tuple[Listing, Listing]:
    """(need, supply) of a match, whichever side it was stored from."""
    if match.source.kind == Listing.Kind.NEED:
        return match.source, match.target
    return match.target, match.source


@transaction.atomic
def match_feedback_record(
    *, match: Match, actor: User, relevant: bool, reason: str = ""
) -> MatchFeedback:
    """An owner of either listing, or a curator, says whether the pair is worth pursuing."""
    need, supply = pair_of(match)
    if not (
        is_curator(actor)
        or listing_is_member(listing=need, viewer=actor)
        or listing_is_member(listing=supply, viewer=actor)
    ):
        raise PermissionDenied(_("Only the owners of these listings and curators may say this."))
    reason = reason.strip()
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep the reason under 300 characters.")})
    feedback, _created = MatchFeedback.objects.update_or_create(
        need=need,
        supply=supply,
        user=actor,
        defaults={"relevant": relevant, "reason": reason, "features": match.features},
    )
    audit(actor=actor, action=MATCH_FEEDBACK, instance=match.source, data={"relevant": relevant})
    return feedback
