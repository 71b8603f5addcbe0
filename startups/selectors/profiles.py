"""The directory of mentors, reviewers and scientists: who may see which expert and which
sections of their profile (one place for every page), and reviewers to suggest for an
application."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from allauth.socialaccount.models import SocialAccount
from django.db.models import Prefetch, Q, QuerySet

from accounts.models import Membership, Sector, User
from startups.models import Application, Expert, ReviewAssignment
from startups.science import orcid_url
from startups.selectors.access import is_programme_staff
from techfloor.text import fold

EXPERTS_PER_PAGE = 20
SUGGESTED_REVIEWERS = 5
EDIT_PERMISSION = "startups.change_expert"


def expert_audience(*, viewer: User | None) -> str:
    """Which audience a viewer belongs to: staff (programme staff and those who keep expert
    profiles), signed-in members, or the public."""
    if viewer is None or not viewer.is_authenticated:
        return Expert.Audience.PUBLIC
    if is_programme_staff(viewer) or viewer.has_perm(EDIT_PERMISSION):
        return Expert.Audience.STAFF
    return Expert.Audience.MEMBERS


def _audiences_up_to(audience: str) -> list[str]:
    """The section settings a viewer of ``audience`` may see through."""
    values = list(Expert.Audience.values)
    return values[: values.index(audience) + 1]


def _visible_to(audience: str) -> QuerySet[Expert]:
    experts = Expert.objects.filter(user__is_active=True)
    if audience != Expert.Audience.STAFF:
        experts = experts.filter(is_public=True)
    return experts.select_related("user").prefetch_related(
        Prefetch("sectors", queryset=Sector.objects.select_related("parent")),
        Prefetch(
            "user__socialaccount_set",
            queryset=SocialAccount.objects.filter(provider="orcid"),
            to_attr="orcid_accounts",
        ),
    )


def expert_list_visible(
    *,
    viewer: User | None,
    query: str = "",
    field_of_science: str = "",
    sector: str = "",
    language: str = "",
    role: str = "",
    availability: str = "",
) -> QuerySet[Expert]:
    """Experts the viewer may see, in name order. The search reads the folded name, headline,
    expertise and field (typed with or without diacritics); filtering by language or
    availability only finds experts who show that section to this viewer, so a filter never
    reveals a closed section."""
    audience = expert_audience(viewer=viewer)
    experts = _visible_to(audience)
    for word in fold(query).split():
        experts = experts.filter(search_text__contains=word)
    if field_of_science:
        # A first-level field ("4") takes in its second-level fields ("401" … "499").
        experts = experts.filter(field_of_science__startswith=field_of_science)
    if sector:
        experts = experts.filter(Q(sectors__code=sector) | Q(sectors__parent__code=sector))
    if role == "mentor":
        experts = experts.filter(is_mentor=True)
    elif role == "reviewer":
        experts = experts.filter(is_reviewer=True)
    shown_to = _audiences_up_to(audience)
    if language:
        # A list of codes checked by the model; its JSON text holds each one in quotes, which
        # SQLite and PostgreSQL read alike (neither has a portable "list contains" lookup).
        experts = experts.filter(languages__icontains=f'"{language}"')
        if audience != Expert.Audience.STAFF:
            experts = experts.filter(visibility__languages__in=shown_to)
    if availability:
        experts = experts.filter(availability=availability)
        if audience != Expert.Audience.STAFF:
            experts = experts.filter(visibility__availability__in=shown_to)
    return experts.distinct().order_by("user__full_name", "pk")


def expert_get_visible(*, viewer: User | None, pk: int) -> Expert | None:
    """One expert if the viewer may see them at all: listed, or the viewer is staff."""
    return _visible_to(expert_audience(viewer=viewer)).filter(pk=pk).first()


@dataclass(frozen=True)
class Orcid:
    identifier: str
    is_verified: bool

    @property
    def url(self) -> str:
        return orcid_url(self.identifier)


def expert_orcid(*, expert: Expert) -> Orcid | None:
    """The iD from a connected ORCID account is verified (ORCID said so at sign-in); a typed
    one is shown as unverified."""
    accounts = getattr(expert.user, "orcid_accounts", None)
    if accounts is None:
        accounts = list(SocialAccount.objects.filter(user_id=expert.user_id, provider="orcid"))
    if accounts:
        return Orcid(accounts[0].uid, is_verified=True)
    if expert.orcid:
        return Orcid(expert.orcid, is_verified=False)
    return None


@dataclass
class ExpertShown:
    """An expert as one viewer may see them: the sections they opened to that viewer only."""

    expert: Expert
    audience: str
    # Only the sections this viewer may see; a closed one is absent, not empty.
    sections: dict[str, object] = field(default_factory=dict)


def expert_shown(*, expert: Expert, viewer: User | None) -> ExpertShown:
    """The sections of ``expert`` that ``viewer`` may see; contact details are never among them."""
    audience = expert_audience(viewer=viewer)
    values = {
        "degrees": {
            "title": expert.get_academic_title_display(),
            "rows": [
                {**row, "degree": Expert.Degree(row["degree"]).label} for row in expert.degrees
            ],
        },
        "publications": expert.publications,
        "patents": expert.patents,
        "transfers": expert.transfers,
        "languages": [Expert.Language(code).label for code in expert.languages],
        "availability": expert.get_availability_display(),
        "orcid": expert_orcid(expert=expert),
    }
    shown = ExpertShown(expert=expert, audience=audience)
    for section in Expert.SECTIONS:
        if expert.shows(section, audience=audience):
            shown.sections[section] = values[section]
    return shown


@dataclass
class ReviewerSuggestion:
    reviewer: User
    expert: Expert
    shared_sectors: list[Sector]
    load: int


def reviewer_suggestions(
    *, application: Application, limit: int = SUGGESTED_REVIEWERS
) -> list[ReviewerSuggestion]:
    """Experts who review and have time, best fit first: sectors shared with the applicant
    (the same sub-sector counts twice a related one), then available before limited, then the
    fewest reviews in this call. Members of the applying organisation and reviewers already
    asked are left out; assigning one still goes through the conflict declaration."""
    insiders = Membership.objects.filter(organisation_id=application.organisation_id).values(
        "user_id"
    )
    asked = ReviewAssignment.objects.filter(application=application).values("reviewer_id")
    experts = (
        Expert.objects.filter(is_reviewer=True, user__is_active=True)
        .exclude(availability=Expert.Availability.UNAVAILABLE)
        .exclude(user_id__in=insiders)
        .exclude(user_id__in=asked)
        .select_related("user")
        .prefetch_related(Prefetch("sectors", queryset=Sector.objects.select_related("parent")))
    )
    wanted = list(application.organisation.sectors.select_related("parent"))
    wanted_codes = {sector.code for sector in wanted}
    wanted_tops = {sector.parent.code if sector.parent else sector.code for sector in wanted}
    load = Counter(
        ReviewAssignment.objects.filter(application__call_id=application.call_id)
        .exclude(conflict=ReviewAssignment.Conflict.DECLARED)
        .values_list("reviewer_id", flat=True)
    )

    def fit(expert: Expert) -> tuple[int, list[Sector]]:
        points, shared = 0, []
        for sector in expert.sectors.all():
            top = sector.parent.code if sector.parent else sector.code
            if sector.code in wanted_codes:
                points, shared = points + 2, [*shared, sector]
            elif top in wanted_tops:
                points, shared = points + 1, [*shared, sector]
        return points, shared

    scored = []
    for expert in experts:
        points, shared = fit(expert)
        is_limited = expert.availability == Expert.Availability.LIMITED
        scored.append(((-points, is_limited, load[expert.user_id], expert.pk), expert, shared))
    scored.sort(key=lambda entry: entry[0])
    return [
        ReviewerSuggestion(
            reviewer=expert.user, expert=expert, shared_sectors=shared, load=load[expert.user_id]
        )
        for _key, expert, shared in scored[:limit]
    ]
