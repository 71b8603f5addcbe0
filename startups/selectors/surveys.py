"""Read queries of surveys: who may see a response, response rates, and the results grouped by
province and by sector. Only submitted responses count in results."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Organisation, Sector, User
from startups.models import Survey, SurveyInvitation, SurveyResponse

# Question types whose answers are counted in results; text is read response by response.
NUMERIC_TYPES = ("number", "money")
GROUPINGS = ("province", "sector")


def survey_invitation_by_token(*, token: str) -> SurveyInvitation | None:
    """The invitation a personal link stands for, or None: the token is the credential."""
    if not token or len(token) > 64:
        return None
    return (
        SurveyInvitation.objects.select_related("survey", "organisation")
        .filter(token=token)
        .first()
    )


def survey_invitation_list_for_member(*, user: User) -> QuerySet[SurveyInvitation]:
    """Invitations of the organisations the user belongs to, for the portal."""
    if not user.is_authenticated:
        return SurveyInvitation.objects.none()
    return (
        SurveyInvitation.objects.filter(organisation__memberships__user=user)
        .select_related("survey", "organisation")
        .order_by("-survey__opens_at", "organisation__legal_name")
        .distinct()
    )


def survey_portal_rows(*, user: User) -> list[dict]:
    """Each invitation of the user's organisations with its response, if one is started."""
    invitations = list(survey_invitation_list_for_member(user=user))
    responses = {
        (response.survey_id, response.organisation_id): response
        for response in SurveyResponse.objects.filter(
            organisation_id__in={invitation.organisation_id for invitation in invitations}
        )
    }
    return [
        {
            "invitation": invitation,
            "response": responses.get((invitation.survey_id, invitation.organisation_id)),
        }
        for invitation in invitations
    ]


def survey_response_for(*, invitation: SurveyInvitation) -> SurveyResponse | None:
    return SurveyResponse.objects.filter(
        survey_id=invitation.survey_id, organisation_id=invitation.organisation_id
    ).first()


def survey_response_answers(*, response: SurveyResponse) -> list[dict]:
    """The frozen form with each answer beside its question, sections kept, for reading."""
    return [
        {"question": question, "answer": response.answers.get(question["id"])}
        for question in response.form
    ]


def organisation_list_for_survey(
    *, kind: str = "", province: str = "", sector: Sector | None = None
) -> QuerySet[Organisation]:
    """Organisations staff may invite, filtered by kind, province and sector (a top-level
    sector takes its sub-sectors with it)."""
    queryset = Organisation.objects.all()
    if kind:
        queryset = queryset.filter(kind=kind)
    if province:
        queryset = queryset.filter(province=province)
    if sector is not None:
        queryset = queryset.filter(Q(sectors=sector) | Q(sectors__parent=sector))
    return queryset.distinct().order_by("legal_name")


# Response rates ------------------------------------------------------------------------------


@dataclass
class Rate:
    """How many were invited, got the email, opened the link and answered."""

    label: str
    invited: int = 0
    sent: int = 0
    opened: int = 0
    answered: int = 0

    @property
    def answered_percent(self) -> float:
        return 100 * self.answered / self.sent if self.sent else 0.0

    def count(self, *, sent: bool, opened: bool, answered: bool) -> None:
        self.invited += 1
        self.sent += sent
        self.opened += opened
        self.answered += answered


@dataclass
class Rates:
    total: Rate
    by_province: list[Rate]
    by_sector: list[Rate]


def _sector_labels(organisation: Organisation) -> list[str]:
    """The top-level sectors an organisation works in; a sub-sector counts for its parent."""
    names = {
        (sector.parent or sector).name
        for sector in organisation.sectors.all()  # prefetched with their parents
    }
    return sorted(names) or [_("No sector")]


def _organisations_prefetch() -> Prefetch:
    return Prefetch("organisation__sectors", queryset=Sector.objects.select_related("parent"))


def survey_rates(*, survey: Survey) -> Rates:
    """Response rates over the survey's invitations, in total, per province and per sector.
    An organisation in several sectors counts once in each of them."""
    answered = set(
        survey.responses.filter(submitted_at__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )
    total = Rate(_("All"))
    provinces: dict[str, Rate] = {}
    sectors: dict[str, Rate] = {}
    invitations = survey.invitations.select_related("organisation").prefetch_related(
        _organisations_prefetch()
    )
    for invitation in invitations:
        organisation = invitation.organisation
        state = {
            "sent": invitation.sent_at is not None,
            "opened": invitation.opened_at is not None,
            "answered": organisation.pk in answered,
        }
        total.count(**state)
        province = organisation.get_province_display()
        provinces.setdefault(province, Rate(province)).count(**state)
        for label in _sector_labels(organisation):
            sectors.setdefault(label, Rate(label)).count(**state)
    return Rates(
        total=total,
        by_province=sorted(provinces.values(), key=lambda rate: rate.label),
        by_sector=sorted(sectors.values(), key=lambda rate: rate.label),
    )


# Results -------------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    """One question's answers within a group: how many answered, the sum and mean of numbers,
    the count of each choice."""

    question: dict
    count: int = 0
    total: Decimal = Decimal(0)
    distribution: Counter = field(default_factory=Counter)

    @property
    def mean(self) -> Decimal | None:
        return self.total / self.count if self.count else None

    @property
    def choice_counts(self) -> list[tuple[str, int]]:
        """Each choice with how often it was chosen, in the question's order."""
        return [(choice, self.distribution[choice]) for choice in self.question.get("choices", [])]

    def add(self, value) -> None:
        if value in (None, "", []):
            return
        self.count += 1
        if self.question["type"] in NUMERIC_TYPES:
            self.total += Decimal(str(value))
        else:
            self.distribution.update(value)


@dataclass
class GroupResult:
    """The submitted responses of one province, one sector, or all of them."""

    label: str
    responses: int = 0
    needs: int = 0
    questions: dict[str, QuestionResult] = field(default_factory=dict)


def counted_questions(*, survey: Survey) -> list[dict]:
    """The questions results count: numbers, amounts and choices, in the form's order."""
    return [q for q in survey.form_definition() if q["type"] in (*NUMERIC_TYPES, "choice")]


def survey_response_list_submitted(*, survey: Survey) -> QuerySet[SurveyResponse]:
    return (
        survey.responses.filter(submitted_at__isnull=False)
        .select_related("organisation", "submitted_by")
        .prefetch_related(_organisations_prefetch())
        .order_by("organisation__legal_name", "pk")
    )


def _group_labels(response: SurveyResponse, by: str | None) -> Iterable[str]:
    if by == "province":
        return [response.organisation.get_province_display()]
    if by == "sector":
        return _sector_labels(response.organisation)
    return [_("All")]


def survey_results(*, survey: Survey, by: str | None = None) -> list[GroupResult]:
    """Aggregates of the submitted responses, all together (``by`` None) or per province or
    per sector; answers are matched to the survey's current questions by question id."""
    if by not in (None, *GROUPINGS):
        raise ValueError(by)
    questions = counted_questions(survey=survey)
    needs_questions = [q["id"] for q in survey.form_definition() if q["type"] == "needs"]
    groups: dict[str, GroupResult] = {}
    for response in survey_response_list_submitted(survey=survey):
        for label in _group_labels(response, by):
            group = groups.get(label)
            if group is None:
                group = groups[label] = GroupResult(
                    label=label, questions={q["id"]: QuestionResult(question=q) for q in questions}
                )
            group.responses += 1
            group.needs += sum(len(response.answers.get(key) or []) for key in needs_questions)
            for question in questions:
                group.questions[question["id"]].add(response.answers.get(question["id"]))
    return sorted(groups.values(), key=lambda group: group.label)
