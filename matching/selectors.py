"""Read queries of the matching room, for pages, the broker workbench and the audit CLI."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Sector, User
from market.models import Introduction, Listing
from market.selectors import is_curator
from matching import reasons as reason_text
from matching.engine import rank
from matching.features import explain
from matching.listings import ListingMatcher, load_space
from matching.models import Match, MatchFeedback
from matching.services import weights_in_use


def match_list_for_listing(*, listing: Listing, viewer: User | None) -> QuerySet[Match]:
    """The listing's counterparts, best first, as far as the viewer may see them: curators see
    staff-only listings too, everyone else only what is on the public floor."""
    matches = Match.objects.filter(
        source=listing, target__status=Listing.Status.PUBLISHED
    ).select_related("target__organisation")
    if not is_curator(viewer):
        matches = matches.exclude(target__visibility=Listing.Visibility.STAFF)
    return matches.order_by("-score", "target_id")


def matches_explained(*, matches: Iterable[Match]) -> list[Match]:
    """The matches, each with its reasons in ``match.reasons`` (codes with parameters, for
    ``matching.reasons``): worded from the stored features and the two listings' profiles,
    read in a few queries for all of them, as the ranking would have worded them."""
    matches = list(matches)
    space_row, space = load_space()
    matcher = ListingMatcher(space_row=space_row, space=space)
    sides = matcher.describe(
        list(dict.fromkeys(pk for match in matches for pk in (match.source_id, match.target_id)))
    )
    for match in matches:
        source, target = sides.get(match.source_id), sides.get(match.target_id)
        if source is None or target is None:  # left the floor since: nothing to explain
            match.reasons = []
        elif source.listing.kind == Listing.Kind.NEED:
            match.reasons = explain(source, target, match.features)
        else:
            match.reasons = explain(target, source, match.features)
    return matches


def feedback_verdicts(*, listing: Listing, user: User) -> dict[int, bool]:
    """What ``user`` said about each of the listing's counterparts (by counterpart id)."""
    if listing.kind == Listing.Kind.NEED:
        rows = MatchFeedback.objects.filter(user=user, need=listing).values_list(
            "supply_id", "relevant"
        )
    else:
        rows = MatchFeedback.objects.filter(user=user, supply=listing).values_list(
            "need_id", "relevant"
        )
    return dict(rows)


def pair_brokered(need: str, supply: str) -> Q:
    """An introduction already joins the need's organisation and the supply listing, or the
    other way round."""
    return Q(
        Exists(
            Introduction.objects.filter(
                listing=OuterRef(supply), requester=OuterRef(f"{need}__organisation")
            )
        )
    ) | Q(
        Exists(
            Introduction.objects.filter(
                listing=OuterRef(need), requester=OuterRef(f"{supply}__organisation")
            )
        )
    )


def workbench_matches() -> QuerySet[Match]:
    """The best matches across the floor that no introduction has taken up yet, each pair once
    (from its need's side)."""
    return (
        Match.objects.filter(
            source__kind=Listing.Kind.NEED,
            source__status=Listing.Status.PUBLISHED,
            target__status=Listing.Status.PUBLISHED,
        )
        .exclude(pair_brokered("source", "target"))
        .select_related("source__organisation", "target__organisation")
        .order_by("-score", "source_id", "target_id")
    )


def match_report(*, needs: QuerySet[Listing], top: int, explain: bool, language: str) -> dict:
    """``{need external_id: [{external_id, score, reasons[, features]}, …]}`` ranked afresh."""
    space_row, space = load_space()
    matcher = ListingMatcher(space_row=space_row, space=space)
    weights = weights_in_use()
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    report = {}
    for need in needs.order_by("external_id", "pk"):
        ranked = rank(need.pk, matcher=matcher, weights=weights, limit=top)
        targets = matcher.describe([entry.item for entry in ranked])
        rows = []
        for entry in ranked:
            row = {
                "external_id": targets[entry.item].listing.external_id,
                "score": round(entry.score, 4),
                "reasons": reason_text.as_text(
                    entry.scored.reasons, language=language, sectors=sectors
                ),
            }
            if explain:
                row["features"] = entry.scored.features
            rows.append(row)
        report[need.external_id or str(need.pk)] = rows
    return report
