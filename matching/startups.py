"""Matching a startup to open calls, incubators and mentors through the same engine: the
listings' text features and reasons (words, glossary concepts, sectors, place), plus each
kind's own fit — the call's eligibility rules, an incubator's free places, a mentor's hours
and availability.

There are tens of calls, incubators and mentors, not a floor of listings, so every one is a
candidate and nothing is stored: recommendations are ranked when the page asks for them.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, Sum
from django.utils import timezone
from django.utils.html import strip_tags

from accounts.models import Organisation, Sector
from matching import text
from matching.engine import Ranked, rank
from matching.features import cosine, place_fit, sector_fit, shared_keys, shown_terms, weigh
from matching.listings import TOPICAL, Vocabulary, load_space
from startups.eligibility import check_eligibility
from startups.models import CallPage, Expert, Incubator, StartupProfile
from startups.science import field_names
from startups.selectors.applications import call_list_open

# Topic first, then the kind's own fit; hand-set like the listings' starting weights (ADR 7).
STARTUP_WEIGHTS: dict[str, float] = {
    "bias": -4.0,
    "lexical": 4.0,
    "concepts": 2.5,
    "sector": 3.0,
    "place": 0.8,
    "fit": 1.5,
}
SHOWN = 10
# Limited availability halves an expert's fit; the unavailable are not candidates at all.
AVAILABILITY_FIT = {Expert.Availability.AVAILABLE: 1.0, Expert.Availability.LIMITED: 0.5}
TELLING_SHARE = 0.1


def _with_sectors(name: str) -> Prefetch:
    return Prefetch(
        name, queryset=Sector.objects.select_related("parent").prefetch_related("children")
    )


def _covered(sectors) -> list[Sector]:
    """A call open to a first-level sector is open to each of its sub-sectors (as its
    eligibility rule reads it), so the sub-sectors count as the same sector."""
    covered = []
    for sector in sectors:
        covered.append(sector)
        if sector.parent_id is None:
            covered.extend(child for child in sector.children.all())
    return covered


@dataclass
class Party:
    """A startup, call, incubator or mentor as the features read it."""

    key: tuple[str, int]
    item: object
    province: str
    terms: dict[str, float]
    terms_norm: float
    concepts: dict[str, float]
    concepts_norm: float
    surface: dict[str, str]
    sectors: dict[str, str | None] = field(default_factory=dict)


@dataclass(eq=False)
class StartupScored:
    features: dict[str, float]
    reasons: list[dict]


def _party(key, item, *, texts: list[tuple[str, float]], province: str, sectors, idf) -> Party:
    terms: Counter = Counter()
    concepts: Counter = Counter()
    surface: dict[str, str] = {}
    for content, weight in texts:
        for term, count in text.terms(content).items():
            terms[term] += weight * count
        concepts.update(text.concepts(content))
        for word in text.WORD.findall(content):
            surface.setdefault(text.fold_word(word), word.lower())
    weighted_terms, terms_norm = weigh(terms, idf)
    weighted_concepts, concepts_norm = weigh(
        {str(number): count for number, count in concepts.items()}, lambda _key: 1.0
    )
    return Party(
        key=key,
        item=item,
        province=province,
        terms=weighted_terms,
        terms_norm=terms_norm,
        concepts=weighted_concepts,
        concepts_norm=concepts_norm,
        surface=surface,
        sectors={sector.code: sector.parent.code if sector.parent else None for sector in sectors},
    )


def expert_party(expert: Expert, *, idf, key: tuple[str, int], with_record: bool = False) -> Party:
    """An expert as the features read them: headline, expertise and field of science; with
    ``with_record`` (for staff only) also the titles of publications, patents and transfers,
    which the expert may have kept from other readers, so their words never show in a reason
    a startup reads."""
    texts = [
        (expert.headline, 3.0),
        (expert.expertise, 2.0),
        (field_names(expert.field_of_science), 1.0),
    ]
    if with_record:
        for name in ("publications", "patents", "transfers"):
            texts += [(row.get("title", ""), 1.0) for row in getattr(expert, name)]
    return _party(key, expert, texts=texts, province="", sectors=expert.sectors.all(), idf=idf)


def _startup_party(organisation: Organisation, idf) -> Party:
    profile = StartupProfile.objects.filter(organisation=organisation).first()
    texts = [(organisation.description, 1.0)]
    if profile:
        texts += [(profile.pitch, 3.0), (profile.traction, 1.0)]
    return _party(
        ("startup", organisation.pk),
        organisation,
        texts=texts,
        province=organisation.province,
        sectors=organisation.sectors.all(),
        idf=idf,
    )


def _telling(shared: list[tuple[float, str]]) -> list[tuple[float, str]]:
    """The shared words worth showing: not numbers or function words, and weighing at least a
    tenth of the strongest (a common word such as "cho" is shared by nearly everything)."""
    kept = [
        (value, key)
        for value, key in shared
        if not all(part.isdigit() or part in text.QUERY_STOPWORDS for part in key.split("_"))
    ]
    floor = kept[0][0] * TELLING_SHARE if kept else 0.0
    return [(value, key) for value, key in kept if value >= floor]


class _PartyMatcher:
    """The engine's matcher protocol over prepared parties (all candidates, no search)."""

    def __init__(self, source: Party, parties: list[Party], fit) -> None:
        self.parties = {party.key: party for party in [source, *parties]}
        self.source = source
        self.fit = fit

    def candidates(self, source):
        return [key for key in self.parties if key != source]

    def describe(self, items):
        return {key: self.parties[key] for key in items if key in self.parties}

    def score(self, source: Party, candidate: Party) -> StartupScored:
        features = {
            "lexical": cosine(
                source.terms, source.terms_norm, candidate.terms, candidate.terms_norm
            ),
            "concepts": cosine(
                source.concepts, source.concepts_norm, candidate.concepts, candidate.concepts_norm
            ),
        }
        reasons = []
        shared = _telling(shared_keys(source.terms, candidate.terms))
        if shared:
            reasons.append(
                {
                    "code": "terms",
                    "terms": shown_terms(shared, {**source.surface, **candidate.surface}),
                }
            )
        cross = [key for _value, key in shared_keys(source.concepts, candidate.concepts)[:3]]
        if cross and features["lexical"] < 0.2:
            reasons.append({"code": "concepts", "concepts": [int(key) for key in cross]})
        for name, (value, reason) in (
            ("sector", sector_fit(source, candidate)),
            ("place", place_fit(source, candidate)),
            ("fit", self.fit(candidate.item)),
        ):
            features[name] = value
            if reason:
                reasons.append(reason)
        return StartupScored({name: round(value, 4) for name, value in features.items()}, reasons)

    def keep(self, scored: StartupScored) -> bool:
        topical = any(scored.features.get(name, 0) >= floor for name, floor in TOPICAL.items())
        return topical and scored.features["fit"] > 0


@dataclass
class Recommendations:
    calls: list[Ranked]
    incubators: list[Ranked]
    mentors: list[Ranked]


def recommendations_for(*, organisation: Organisation, now: datetime.datetime | None = None):
    """Open calls the startup is eligible for, incubators with free places and mentors with
    time, each ranked by the engine with its reasons."""
    now = now or timezone.now()
    organisation = Organisation.objects.prefetch_related(_with_sectors("sectors")).get(
        pk=organisation.pk
    )
    _row, space = load_space()
    idf = Vocabulary(space).idf
    source = _startup_party(organisation, idf)

    def call_fit(call: CallPage):
        if not all(
            result.passed for result in check_eligibility(call=call, organisation=organisation)
        ):
            return 0.0, None
        return 1.0, {
            "code": "eligible",
            "closes": timezone.localtime(call.closes_at).date().isoformat(),
        }

    def incubator_fit(incubator: Incubator):
        free = incubator.free_places or 0
        return (1.0, {"code": "free_places", "count": free}) if free > 0 else (0.0, None)

    def mentor_fit(expert: Expert):
        hours = expert.mentoring_hours_per_month
        if hours <= 0:
            return 0.0, None
        return AVAILABILITY_FIT.get(expert.availability, 0.0), {
            "code": "mentor_hours",
            "hours": hours,
        }

    calls = [
        _party(
            ("call", call.pk),
            call,
            texts=[(call.title, 3.0), (strip_tags(call.intro), 1.0)],
            province="",
            sectors=_covered(call.eligible_sectors.all()),
            idf=idf,
        )
        for call in call_list_open(at=now).prefetch_related(_with_sectors("eligible_sectors"))
    ]
    incubators = [
        _party(
            ("incubator", incubator.pk),
            incubator,
            texts=[
                (incubator.name, 2.0),
                (incubator.description, 1.0),
                (incubator.services, 1.0),
                (incubator.facilities, 0.5),
            ],
            province=incubator.province,
            sectors=incubator.focus_sectors.all(),
            idf=idf,
        )
        for incubator in Incubator.objects.filter(is_public=True)
        .annotate(capacity_total=Sum("spaces__capacity"), occupied_total=Sum("spaces__occupied"))
        .prefetch_related(_with_sectors("focus_sectors"))
    ]
    for party in incubators:
        incubator = party.item
        incubator.free_places = (incubator.capacity_total or 0) - (incubator.occupied_total or 0)
    mentors = [
        expert_party(expert, idf=idf, key=("mentor", expert.pk))
        for expert in Expert.objects.filter(is_public=True, is_mentor=True, user__is_active=True)
        .exclude(availability=Expert.Availability.UNAVAILABLE)
        .select_related("user")
        .prefetch_related(_with_sectors("sectors"))
    ]
    return Recommendations(
        calls=_ranked(source, calls, call_fit),
        incubators=_ranked(source, incubators, incubator_fit),
        mentors=_ranked(source, mentors, mentor_fit),
    )


def _ranked(source: Party, parties: list[Party], fit) -> list[Ranked]:
    matcher = _PartyMatcher(source, parties, fit)
    ranked = rank(source.key, matcher=matcher, weights=STARTUP_WEIGHTS, limit=SHOWN)
    for entry in ranked:
        entry.item = matcher.parties[entry.item].item
    return ranked
