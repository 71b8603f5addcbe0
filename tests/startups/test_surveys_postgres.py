"""Surveys under concurrency on real PostgreSQL: staff inviting together never make two
invitations for one organisation, and members converting together never duplicate a need."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Permission
from django.utils import timezone

from accounts.models import Membership
from market.models import Listing
from startups.models import Survey, SurveyInvitation, SurveyNeed
from startups.services import surveys as services
from tests.concurrency import POSTGRES_RACE, race
from tests.factories import MembershipFactory, UserFactory, VerifiedOrganisationFactory

pytestmark = POSTGRES_RACE

THREADS = 6


def _survey() -> Survey:
    now = timezone.now()
    return Survey.objects.create(
        title="Khảo sát nhu cầu công nghệ",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
        form=[
            {
                "type": "needs",
                "id": "needs",
                "value": {"label": "Nhu cầu", "help_text": "", "required": True, "max_rows": 3},
            }
        ],
    )


def _programme_staff():
    # The race's flush takes the staff groups away: grant the permission itself.
    user = UserFactory()
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="startups", codename="change_application")
    )
    return user


def test_staff_inviting_the_same_organisations_together_make_one_invitation_each():
    survey = _survey()
    organisations = [VerifiedOrganisationFactory() for _ in range(3)]
    for organisation in organisations:
        MembershipFactory(organisation=organisation, role=Membership.Role.OWNER)
    staff = [_programme_staff() for _ in range(THREADS)]

    results = race(
        lambda index: services.survey_invite(
            survey=survey, organisations=organisations, actor=staff[index]
        ),
        threads=THREADS,
    )

    assert not [result for result in results if isinstance(result, Exception)]
    assert sorted(len(result) for result in results) == [0] * (THREADS - 1) + [3]
    assert SurveyInvitation.objects.filter(survey=survey).count() == 3


def test_members_converting_together_make_each_need_once():
    survey = _survey()
    organisation = VerifiedOrganisationFactory()
    members = [
        MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER).user
        for _ in range(THREADS)
    ]
    invitation = SurveyInvitation.objects.create(
        survey=survey, organisation=organisation, emails=["a@example.vn"]
    )
    response = services.survey_response_start(invitation=invitation)
    services.survey_response_save(
        response=response,
        answers={"needs": [{"title": "Máy sấy bơm nhiệt"}, {"title": "Kho lạnh 50 tấn"}]},
    )
    services.survey_response_submit(response=response, actor=None)

    results = race(
        lambda index: services.survey_response_convert_needs(
            response=response, actor=members[index]
        ),
        threads=THREADS,
    )

    assert not [result for result in results if isinstance(result, Exception)]
    assert sorted(len(result) for result in results) == [0] * (THREADS - 1) + [2]
    assert Listing.objects.filter(organisation=organisation, status="draft").count() == 2
    assert SurveyNeed.objects.filter(response=response).count() == 2
