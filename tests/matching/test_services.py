"""Refreshing, rebuilding and reporting matches; feedback."""

import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from market import services as market_services
from market.models import Listing
from matching.engine import rank
from matching.listings import ListingMatcher, load_space
from matching.models import ListingProfile, Match, MatchFeedback, SemanticSpace
from matching.selectors import matches_explained
from matching.services import (
    MATCHES_KEPT,
    match_feedback_record,
    refresh_listing_matches,
    weights_in_use,
)
from tests.factories import ListingFactory, MembershipFactory, PublishedListingFactory

pytestmark = pytest.mark.django_db


def _pairs() -> set[tuple[int, int]]:
    return set(Match.objects.values_list("source_id", "target_id"))


def test_refresh_stores_the_pair_in_both_directions(need, offer, unrelated):
    assert refresh_listing_matches(listing_id=need.pk) == 1

    assert _pairs() == {(need.pk, offer.pk), (offer.pk, need.pk)}
    forward, backward = matches_explained(
        matches=[Match.objects.get(source=need), Match.objects.get(source=offer)]
    )
    assert forward.score == backward.score
    assert forward.reasons == backward.reasons
    assert {"code": "trl_ok", "trl": 7, "minimum": 6} in forward.reasons
    assert ListingProfile.objects.filter(listing=need).exists()


def test_refresh_is_idempotent(need, offer):
    refresh_listing_matches(listing_id=need.pk)
    first = list(Match.objects.values_list("source_id", "target_id", "score"))
    refresh_listing_matches(listing_id=need.pk)
    refresh_listing_matches(listing_id=offer.pk)
    assert sorted(Match.objects.values_list("source_id", "target_id", "score")) == sorted(first)


@pytest.mark.parametrize(
    ("need_title", "offer_title"),
    [
        ("Can cong nghe say lanh sau rieng", "Công nghệ sấy lạnh sầu riêng"),
        ("Cần công nghệ sấy lạnh sầu riêng", "Cong nghe say lanh sau rieng"),
    ],
)
def test_diacritics_do_not_matter(need_title, offer_title):
    need = PublishedListingFactory(
        kind=Listing.Kind.NEED, title=need_title, summary="", keywords=[]
    )
    offer = PublishedListingFactory(title=offer_title, summary="", keywords=[])
    PublishedListingFactory(
        title="Phần mềm kế toán", summary="", keywords=[], description="", problem=""
    )

    refresh_listing_matches(listing_id=need.pk)

    assert list(Match.objects.filter(source=need).values_list("target_id", flat=True)) == [offer.pk]


def test_publishing_and_withdrawing_refresh_matches(
    need, curator, django_capture_on_commit_callbacks
):
    offer = ListingFactory(
        title="Công nghệ sấy lạnh sầu riêng", status=Listing.Status.SUBMITTED, trl=7
    )
    with django_capture_on_commit_callbacks(execute=True):
        market_services.listing_approve(listing=offer, actor=curator)
    assert _pairs() == {(offer.pk, need.pk), (need.pk, offer.pk)}

    owner = MembershipFactory(organisation=offer.organisation).user
    with django_capture_on_commit_callbacks(execute=True):
        market_services.listing_withdraw(listing=offer, actor=owner)
    assert _pairs() == set()
    assert not ListingProfile.objects.filter(listing=offer).exists()


def test_own_organisation_listings_are_not_proposed(need):
    PublishedListingFactory(title="Công nghệ sấy lạnh sầu riêng", organisation=need.organisation)
    assert refresh_listing_matches(listing_id=need.pk) == 0


def test_each_listing_keeps_its_best_matches_only(need):
    offers = PublishedListingFactory.create_batch(
        MATCHES_KEPT + 3, title="Công nghệ sấy lạnh sầu riêng", summary="Sấy"
    )
    refresh_listing_matches(listing_id=need.pk)
    assert Match.objects.filter(source=need).count() == MATCHES_KEPT
    late = PublishedListingFactory(kind=Listing.Kind.NEED, title="Cần sấy lạnh sầu riêng")
    refresh_listing_matches(listing_id=late.pk)
    assert all(Match.objects.filter(source=offer).count() <= MATCHES_KEPT for offer in offers)


def test_rebuild_learns_a_space_and_ranks_every_listing(need, offer, unrelated):
    ListingFactory(title="Bản nháp sấy lạnh sầu riêng")  # a draft is not matched
    stderr = StringIO()
    call_command("rebuild_matches", stdout=StringIO(), stderr=stderr)

    assert _pairs() == {(need.pk, offer.pk), (offer.pk, need.pk)}
    assert ListingProfile.objects.count() == 3
    assert "3/3" in stderr.getvalue()  # the progress bar
    # Three listings are too few to learn from: the semantic signal stays out.
    assert not SemanticSpace.objects.exists()


def test_a_rebuilds_matches_show_the_reasons_the_ranking_gives(need, offer, unrelated):
    """Reasons are worded when shown, from the stored features and profiles: the same as
    ranking the pair afresh gives, from either side."""
    call_command("rebuild_matches", stdout=StringIO(), stderr=StringIO())
    space_row, space = load_space()
    (ranked,) = rank(
        need.pk, matcher=ListingMatcher(space_row=space_row, space=space), weights=weights_in_use()
    )

    forward, backward = matches_explained(
        matches=[Match.objects.get(source=need), Match.objects.get(source=offer)]
    )

    assert ranked.scored.reasons[0]["code"] == "terms"
    assert forward.reasons == backward.reasons == ranked.scored.reasons
    assert forward.features == ranked.scored.features


def test_match_report_prints_every_need_with_reasons(need, offer):
    output = StringIO()
    need.external_id = "need-1"
    need.save()
    offer.external_id = "offer-1"
    offer.save()
    call_command("match_report", "--top", "5", "--explain", stdout=output)

    report = json.loads(output.getvalue())
    assert list(report) == ["need-1"]
    (row,) = report["need-1"]
    assert row["external_id"] == "offer-1"
    assert 0 < row["score"] <= 1
    assert "TRL 7 ≥ required 6" in row["reasons"]
    assert set(row["features"]) >= {"lexical", "semantic", "sector", "trl", "price"}


def test_match_report_names_an_unknown_need():
    with pytest.raises(Exception, match="No published need has external_id 'nope'"):
        call_command("match_report", "--need", "nope", stdout=StringIO())


def test_feedback_from_an_owner_is_kept_by_pair(need, offer, user):
    refresh_listing_matches(listing_id=need.pk)
    match = Match.objects.get(source=offer)
    owner = MembershipFactory(organisation=offer.organisation).user

    match_feedback_record(match=match, actor=owner, relevant=False, reason="Công suất nhỏ")
    match_feedback_record(match=match, actor=owner, relevant=True)

    feedback = MatchFeedback.objects.get()
    assert (feedback.need, feedback.supply, feedback.relevant) == (need, offer, True)
    assert feedback.features == match.features
    with pytest.raises(PermissionDenied):
        match_feedback_record(match=match, actor=user, relevant=True)


def test_a_full_list_is_written_only_when_the_listing_enters_it(need, offer, monkeypatch):
    """The offer keeps one match: a weaker need does not take the place, a stronger one does,
    and nothing beyond the list is left behind."""
    monkeypatch.setattr("matching.services.MATCHES_KEPT", 1)
    refresh_listing_matches(listing_id=need.pk)
    weaker = PublishedListingFactory(kind=Listing.Kind.NEED, title="Cần máy sấy", trl=9)
    refresh_listing_matches(listing_id=weaker.pk)
    assert list(Match.objects.filter(source=offer).values_list("target_id", flat=True)) == [need.pk]
    assert Match.objects.filter(source=weaker, target=offer).exists()  # its own list has it

    stronger = PublishedListingFactory(
        kind=Listing.Kind.NEED,
        title="Công nghệ sấy lạnh sầu riêng giữ màu tự nhiên",
        summary="Sấy lạnh ở nhiệt độ thấp cho sầu riêng và trái cây",
        keywords=["sấy lạnh", "trái cây"],
        trl=7,
    )
    refresh_listing_matches(listing_id=stronger.pk)
    assert list(Match.objects.filter(source=offer).values_list("target_id", flat=True)) == [
        stronger.pk
    ]


def test_a_changed_listing_gets_its_new_score_in_the_lists_that_hold_it(need, offer):
    refresh_listing_matches(listing_id=need.pk)
    before = Match.objects.get(source=offer, target=need).score
    need.trl = 9  # the offer's TRL 7 now falls short
    need.save()
    refresh_listing_matches(listing_id=need.pk)

    forward, backward = matches_explained(
        matches=[Match.objects.get(source=need), Match.objects.get(source=offer)]
    )
    assert backward.score == forward.score < before
    assert {"code": "trl_low", "trl": 7, "minimum": 9} in backward.reasons
