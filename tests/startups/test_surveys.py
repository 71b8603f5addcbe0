"""Technology-capacity and needs surveys: invitations with personal links sent once, answers
through the link checked by the same code as applications, response rates, results per
province and sector, the XLSX export, and needs turned into drafts that only the answering
organisation sees."""

from __future__ import annotations

import datetime
import io
import uuid
from decimal import Decimal

import openpyxl
import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.users.models import UserProfile

from accounts.models import Membership, Sector
from accounts.provinces import Province
from market.models import Listing
from startups.demo import DEMO_SURVEY_TITLE, create_demo_survey
from startups.models import Survey, SurveyInvitation, SurveyNeed, SurveyResponse
from startups.selectors import surveys as selectors
from startups.services import surveys as services
from startups.tasks import send_survey_invitations_task
from tests.conftest import login_with_totp
from tests.factories import (
    MembershipFactory,
    StaffFactory,
    UserFactory,
    VerifiedOrganisationFactory,
)

pytestmark = pytest.mark.django_db

LEVELS = ["Manual", "Mechanised", "Automated"]


def block(kind: str, *, block_id: str | None = None, **value) -> dict:
    value = {"help_text": "", "required": False, **value}
    return {"type": kind, "value": value, "id": block_id or str(uuid.uuid4())}


def survey_form() -> list[dict]:
    return [
        {"type": "section", "value": {"heading": "Technology level", "help_text": ""}, "id": "s1"},
        block("choice", block_id="level", label="Technology level", choices=LEVELS, required=True),
        block("number", block_id="age", label="Average equipment age (years)"),
        {"type": "section", "value": {"heading": "R&D", "help_text": ""}, "id": "s2"},
        block("money", block_id="rnd", label="R&D spending last year"),
        block("needs", block_id="needs", label="Technology needs", max_rows=3),
    ]


def make_survey(**fields) -> Survey:
    now = timezone.now()
    defaults = {
        "title": "Khảo sát năng lực công nghệ 2026",
        "opens_at": now - datetime.timedelta(days=1),
        "closes_at": now + datetime.timedelta(days=30),
        "form": survey_form(),
    }
    return Survey.objects.create(**{**defaults, **fields})


def member_of(organisation, **fields):
    return MembershipFactory(organisation=organisation, role=Membership.Role.OWNER, **fields).user


@pytest.fixture
def survey():
    return make_survey()


@pytest.fixture
def programme_staff_user():
    return StaffFactory(groups=["Programme staff"])


@pytest.fixture
def enterprise():
    organisation = VerifiedOrganisationFactory(
        legal_name="Công ty TNHH Chế biến Nông sản Đắk Lắk", province=Province.DONG_THAP
    )
    organisation.sectors.set([Sector.objects.get(code="food-processing")])
    return organisation


@pytest.fixture
def owner(enterprise):
    return member_of(enterprise, user=UserFactory(email="giamdoc@chebien.vn"))


@pytest.fixture
def invitation(survey, enterprise, owner, programme_staff_user):
    (invitation,) = services.survey_invite(
        survey=survey, organisations=[enterprise], actor=programme_staff_user
    )
    return invitation


def answer(response, answers: dict, *, actor=None) -> SurveyResponse:
    services.survey_response_save(response=response, answers=answers)
    return services.survey_response_submit(response=response, actor=actor)


def english_programme_staff():
    """Programme staff reading the admin in English (Wagtail's own language preference)."""
    staff = StaffFactory(groups=["Programme staff"])
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"
    profile.save()
    return staff


def logged_in(client, user):
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    login_with_totp(client, user=user, secret=secret)
    return client


# Invitations ---------------------------------------------------------------------------------


def test_invitations_get_unique_unguessable_tokens_and_go_to_the_managers(
    survey, programme_staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    organisations = [VerifiedOrganisationFactory() for _ in range(3)]
    for number, organisation in enumerate(organisations):
        member_of(organisation, user=UserFactory(email=f"owner{number}@example.vn"))

    with django_capture_on_commit_callbacks(execute=True):
        invitations = services.survey_invite(
            survey=survey, organisations=organisations, actor=programme_staff_user
        )

    tokens = [invitation.token for invitation in invitations]
    assert len(set(tokens)) == 3
    assert all(len(token) >= 43 for token in tokens)
    assert sorted(message.to[0] for message in mailoutbox) == [
        "owner0@example.vn",
        "owner1@example.vn",
        "owner2@example.vn",
    ]
    assert all(
        f"/surveys/{invitation.token}/" in _mail_to(mailoutbox, invitation.emails[0]).body
        for invitation in invitations
    )
    assert SurveyInvitation.objects.filter(sent_at__isnull=False).count() == 3


def _mail_to(mailoutbox, address):
    return next(message for message in mailoutbox if message.to == [address])


def test_inviting_again_never_makes_a_second_invitation_nor_a_second_email(
    survey, enterprise, owner, programme_staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.survey_invite(
            survey=survey, organisations=[enterprise], actor=programme_staff_user
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = services.survey_invite(
            survey=survey, organisations=[enterprise], actor=programme_staff_user
        )
    # The task run again for the same invitation sends nothing more either.
    with django_capture_on_commit_callbacks(execute=True):
        sent_again = send_survey_invitations_task([first[0].pk])

    assert len(first) == 1
    assert second == []
    assert sent_again == 0
    assert SurveyInvitation.objects.filter(survey=survey).count() == 1
    assert len(mailoutbox) == 1


def test_a_typed_address_replaces_the_managers_and_an_organisation_without_one_is_named(
    survey, programme_staff_user
):
    lonely = VerifiedOrganisationFactory(legal_name="Hợp tác xã Cà phê Ea Tu")

    with pytest.raises(ValidationError) as refused:
        services.survey_invite(survey=survey, organisations=[lonely], actor=programme_staff_user)
    (invitation,) = services.survey_invite(
        survey=survey, organisations=[lonely], actor=programme_staff_user, email="htx@eatu.vn"
    )

    assert "Hợp tác xã Cà phê Ea Tu" in refused.value.message_dict["email"][0]
    assert invitation.emails == ["htx@eatu.vn"]


def test_only_programme_staff_invite(survey, enterprise, owner):
    with pytest.raises(PermissionDenied):
        services.survey_invite(survey=survey, organisations=[enterprise], actor=owner)
    assert not SurveyInvitation.objects.exists()


def test_reminders_go_to_those_who_have_not_answered_and_not_twice_in_a_row(
    survey, programme_staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    answered, silent = VerifiedOrganisationFactory(), VerifiedOrganisationFactory()
    member_of(answered, user=UserFactory(email="answered@example.vn"))
    member_of(silent, user=UserFactory(email="silent@example.vn"))
    with django_capture_on_commit_callbacks(execute=True):
        first, _second = services.survey_invite(
            survey=survey, organisations=[answered, silent], actor=programme_staff_user
        )
    answer(services.survey_response_start(invitation=first), {"level": "Manual"})
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        reminded = services.survey_remind(survey=survey, actor=programme_staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        reminded_again = services.survey_remind(survey=survey, actor=programme_staff_user)

    assert [invitation.organisation for invitation in reminded] == [silent]
    assert reminded_again == []
    assert [message.to for message in mailoutbox] == [["silent@example.vn"]]
    assert "Reminder" in mailoutbox[0].subject or "Nhắc" in mailoutbox[0].subject


# The personal link ---------------------------------------------------------------------------


def test_the_personal_link_opens_the_form_without_an_account(client, invitation):
    response = client.get(f"/en/surveys/{invitation.token}/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Technology level" in content
    assert "Average equipment age (years)" in content
    assert response["Referrer-Policy"] == "no-referrer"
    invitation.refresh_from_db()
    assert invitation.opened_at is not None
    assert SurveyResponse.objects.get().organisation == invitation.organisation


@pytest.mark.parametrize("token", ["wrong", "x" * 43, "x" * 80])
def test_a_wrong_token_is_404(client, invitation, token):
    assert client.get(f"/en/surveys/{token}/").status_code == 404
    assert client.post(f"/en/surveys/{token}/autosave/", {}).status_code == 404


def test_answers_through_the_link_are_saved_and_submitted(client, invitation):
    url = f"/en/surveys/{invitation.token}/"
    client.get(url)

    autosaved = client.post(url + "autosave/", {"level": "Mechanised", "age": "7,5"})
    submitted = client.post(
        url,
        {
            "action": "submit",
            "level": "Mechanised",
            "age": "7.5",
            "rnd": "1.200.000.000",
            "needs-0-title": "Dây chuyền sấy cà phê",
            "needs-0-sector": "food-processing",
            "needs-0-budget": "800000000",
            "needs-0-deadline": "2027-06-30",
        },
    )

    assert autosaved.json()["saved"] is True
    assert submitted.status_code == 302
    response = SurveyResponse.objects.get()
    assert response.submitted_at is not None
    assert response.submitted_by is None
    assert response.answers == {
        "level": ["Mechanised"],
        "age": "7.5",
        "rnd": 1_200_000_000,
        "needs": [
            {
                "title": "Dây chuyền sấy cà phê",
                "description": "",
                "sector": "food-processing",
                "budget": 800_000_000,
                "deadline": "2027-06-30",
            }
        ],
    }
    # Submitted answers are frozen: the link now shows them, and saving is refused.
    assert "Dây chuyền sấy cà phê" in client.get(url).content.decode()
    assert client.post(url + "autosave/", {"level": "Manual"}).status_code == 400
    response.refresh_from_db()
    assert response.answers["level"] == ["Mechanised"]


def test_answers_are_checked_naming_the_question(invitation):
    response = services.survey_response_start(invitation=invitation)

    with pytest.raises(ValidationError) as bad_number:
        services.survey_response_save(response=response, answers={"age": "mười năm"})
    with pytest.raises(ValidationError) as bad_need:
        services.survey_response_save(
            response=response, answers={"needs": [{"title": "Máy sấy", "sector": "no-such"}]}
        )
    with pytest.raises(ValidationError) as missing:
        services.survey_response_submit(response=response, actor=None)

    assert bad_number.value.message_dict == {
        "age": ["“Average equipment age (years)”: a number is expected"]
    }
    assert bad_need.value.message_dict == {"needs": ["“Technology needs”: need 1: unknown sector"]}
    assert missing.value.message_dict == {"level": ["“Technology level” needs an answer."]}
    response.refresh_from_db()
    assert response.answers == {}
    assert response.submitted_at is None


def test_a_closed_survey_takes_no_answers(client, invitation):
    Survey.objects.filter(pk=invitation.survey_id).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    assert client.get(f"/en/surveys/{invitation.token}/").status_code == 410
    assert not SurveyResponse.objects.exists()


def test_members_see_their_organisations_surveys_in_the_portal(client, invitation, owner):
    outsider = member_of(VerifiedOrganisationFactory())

    client.force_login(owner)
    mine = client.get("/en/portal/surveys/").content.decode()
    client.force_login(outsider)
    theirs = client.get("/en/portal/surveys/").content.decode()

    assert invitation.survey.title in mine
    assert invitation.token in mine
    assert invitation.survey.title not in theirs


# Response rates ------------------------------------------------------------------------------


def test_response_rates_count_sent_opened_and_answered_per_province_and_sector(
    survey, programme_staff_user, django_capture_on_commit_callbacks
):
    agriculture = Sector.objects.get(code="agriculture")
    food = Sector.objects.get(code="food-processing")
    farm = VerifiedOrganisationFactory(province=Province.DONG_THAP)
    farm.sectors.set([Sector.objects.get(code="aquaculture")])  # counts for its parent
    factory = VerifiedOrganisationFactory(province=Province.DONG_THAP)
    factory.sectors.set([food, agriculture])
    city = VerifiedOrganisationFactory(province=Province.HA_NOI)
    for organisation in (farm, factory, city):
        member_of(organisation)
    with django_capture_on_commit_callbacks(execute=True):
        invitations = services.survey_invite(
            survey=survey, organisations=[farm, factory, city], actor=programme_staff_user
        )
    by_organisation = {invitation.organisation: invitation for invitation in invitations}
    for organisation in (farm, factory):
        services.survey_invitation_open(invitation=by_organisation[organisation])
    answer(services.survey_response_start(invitation=by_organisation[farm]), {"level": "Manual"})

    rates = selectors.survey_rates(survey=survey)

    assert (rates.total.invited, rates.total.sent, rates.total.opened, rates.total.answered) == (
        3,
        3,
        2,
        1,
    )
    provinces = {rate.label: (rate.sent, rate.opened, rate.answered) for rate in rates.by_province}
    assert provinces == {
        Province.DONG_THAP.label: (2, 2, 1),
        Province.HA_NOI.label: (1, 0, 0),
    }
    sectors = {rate.label: (rate.sent, rate.answered) for rate in rates.by_sector}
    assert sectors == {
        "Agriculture": (2, 1),
        "Agro-food processing": (1, 0),
        "No sector": (1, 0),
    }
    assert rates.total.answered_percent == pytest.approx(100 / 3)


# Draft needs ---------------------------------------------------------------------------------

NEEDS = [
    {
        "title": "Dây chuyền sấy cà phê nhân",
        "description": "Sấy 5 tấn/mẻ, giữ hương.",
        "sector": "food-processing",
        "budget": "800000000",
        "deadline": "2027-06-30",
    },
    {"title": "Phần mềm truy xuất nguồn gốc", "description": "", "sector": "", "budget": ""},
]


@pytest.fixture
def submitted(invitation):
    response = services.survey_response_start(invitation=invitation)
    return answer(response, {"level": "Manual", "needs": NEEDS})


def test_a_response_becomes_draft_needs_owned_by_the_answering_organisation(
    submitted, owner, enterprise
):
    created = services.survey_response_convert_needs(response=submitted, actor=owner)

    assert [listing.title for listing in created] == [
        "Dây chuyền sấy cà phê nhân",
        "Phần mềm truy xuất nguồn gốc",
    ]
    first = created[0]
    assert first.kind == Listing.Kind.NEED
    assert first.status == Listing.Status.DRAFT
    assert first.organisation == enterprise
    assert first.created_by == owner
    assert first.price_max == 800_000_000
    assert first.deadline == datetime.date(2027, 6, 30)
    assert first.province == enterprise.province
    assert list(first.sectors.values_list("code", flat=True)) == ["food-processing"]
    assert first.description == "Sấy 5 tấn/mẻ, giữ hương."
    assert list(SurveyNeed.objects.values_list("row", "listing")) == [
        (0, created[0].pk),
        (1, created[1].pk),
    ]


def test_converting_twice_creates_nothing_more(submitted, owner):
    first = services.survey_response_convert_needs(response=submitted, actor=owner)
    second = services.survey_response_convert_needs(response=submitted, actor=owner)

    assert len(first) == 2
    assert second == []
    assert Listing.objects.count() == 2


def test_only_a_member_of_the_answering_organisation_converts_and_only_once_submitted(
    invitation, submitted, owner
):
    outsider = member_of(VerifiedOrganisationFactory())
    staff = StaffFactory(groups=["Programme staff"])

    for actor in (outsider, staff):
        with pytest.raises(PermissionDenied):
            services.survey_response_convert_needs(response=submitted, actor=actor)
    assert not Listing.objects.exists()

    SurveyResponse.objects.filter(pk=submitted.pk).update(submitted_at=None)
    submitted.refresh_from_db()
    with pytest.raises(ValidationError):
        services.survey_response_convert_needs(response=submitted, actor=owner)
    assert not Listing.objects.exists()


def test_draft_needs_from_a_survey_are_seen_by_no_one_but_their_organisation(
    client, submitted, owner
):
    """Through the HTTP client: the answering member converts; the floor, another
    organisation's member and an anonymous visitor see nothing of the drafts."""
    client.force_login(owner)
    converted = client.post(f"/en/portal/surveys/responses/{submitted.pk}/needs/")
    listing = Listing.objects.get(title="Dây chuyền sấy cà phê nhân")
    own_portal = client.get("/en/portal/listings/").content.decode()
    own_edit = client.get(f"/en/portal/listings/{listing.pk}/")

    outsider = member_of(VerifiedOrganisationFactory())
    client.force_login(outsider)
    outsider_edit = client.get(f"/en/portal/listings/{listing.pk}/")
    outsider_portal = client.get("/en/portal/listings/").content.decode()
    outsider_convert = client.post(f"/en/portal/surveys/responses/{submitted.pk}/needs/")
    client.logout()
    anonymous_edit = client.get(f"/en/portal/listings/{listing.pk}/")
    floor = client.get("/vi/san-giao-dich/", {"q": "sấy cà phê"})
    public_page = client.get(f"/vi/san-giao-dich/{listing.slug}/")

    assert converted.status_code == 302
    assert converted["Location"] == "/en/portal/listings/"
    assert listing.title in own_portal
    assert own_edit.status_code == 200
    assert outsider_edit.status_code == 404
    assert listing.title not in outsider_portal
    assert outsider_convert.status_code == 404
    assert anonymous_edit.status_code == 302
    assert "/accounts/login/" in anonymous_edit["Location"]
    assert floor.status_code == 200
    assert listing.title not in floor.content.decode()
    assert public_page.status_code == 404
    assert Listing.objects.count() == 2


def test_answering_through_the_link_needs_a_members_login_to_convert(client, invitation, submitted):
    page = client.get(f"/en/surveys/{invitation.token}/").content.decode()
    anonymous_post = client.post(f"/en/portal/surveys/responses/{submitted.pk}/needs/")

    assert "Log in as a member of" in page
    assert anonymous_post.status_code == 302
    assert "/accounts/login/" in anonymous_post["Location"]
    assert not Listing.objects.exists()


# Who sees individual answers -----------------------------------------------------------------


def test_individual_answers_are_for_programme_staff_and_the_answering_organisation_only(
    client, submitted, owner
):
    portal_url = f"/en/portal/surveys/responses/{submitted.pk}/"
    admin_url = f"/admin/startups/survey-responses/{submitted.pk}/"
    reviewer = StaffFactory(groups=["Reviewers"])
    outsider = member_of(VerifiedOrganisationFactory())

    client.force_login(owner)
    assert "Dây chuyền sấy cà phê nhân" in client.get(portal_url).content.decode()
    client.force_login(outsider)
    assert client.get(portal_url).status_code == 404
    client.logout()
    assert client.get(portal_url).status_code == 302
    assert client.get(admin_url).status_code == 302  # the admin's login
    logged_in(client, reviewer)
    assert client.get(admin_url).status_code == 403
    assert client.get(portal_url).status_code == 404
    client.logout()
    logged_in(client, StaffFactory(groups=["Programme staff"]))
    assert "Dây chuyền sấy cà phê nhân" in client.get(admin_url).content.decode()


def test_staff_screens_are_refused_to_everyone_but_programme_staff(client, survey, submitted):
    urls = [
        "/admin/startups/surveys/",
        f"/admin/startups/surveys/{survey.pk}/",
        f"/admin/startups/surveys/{survey.pk}/results/",
        f"/admin/startups/surveys/{survey.pk}/export.xlsx",
    ]
    logged_in(client, StaffFactory(groups=["Reviewers"]))

    for url in urls:
        assert client.get(url).status_code == 403, url
    response = client.post(urls[1], {"action": "remind"})
    assert response.status_code == 403
    assert not SurveyInvitation.objects.filter(reminded_at__isnull=False).exists()


# Results -------------------------------------------------------------------------------------


@pytest.fixture
def results_survey(survey, programme_staff_user):
    """Three answers: two manufacturers in Đồng Tháp, one farm in Hà Nội."""
    food = Sector.objects.get(code="food-processing")
    agriculture = Sector.objects.get(code="agriculture")
    rows = [
        (Province.DONG_THAP, [food], {"level": "Manual", "age": "10", "rnd": "100000000"}),
        (Province.DONG_THAP, [food], {"level": "Automated", "age": "4", "rnd": "300000000"}),
        (Province.HA_NOI, [agriculture], {"level": "Manual", "rnd": "50000000", "needs": NEEDS}),
    ]
    organisations = []
    for province, sectors, answers in rows:
        organisation = VerifiedOrganisationFactory(province=province)
        organisation.sectors.set(sectors)
        member_of(organisation)
        organisations.append((organisation, answers))
    invitations = services.survey_invite(
        survey=survey, organisations=[o for o, _ in organisations], actor=programme_staff_user
    )
    for invitation, (_organisation, answers) in zip(invitations, organisations, strict=True):
        answer(services.survey_response_start(invitation=invitation), answers)
    # A started but unsubmitted response never counts.
    late = VerifiedOrganisationFactory(province=Province.HA_NOI)
    member_of(late)
    (late_invitation,) = services.survey_invite(
        survey=survey, organisations=[late], actor=programme_staff_user
    )
    services.survey_response_save(
        response=services.survey_response_start(invitation=late_invitation),
        answers={"rnd": "999000000"},
    )
    return survey


def test_results_are_exact_overall_and_per_province_and_sector(results_survey):
    (overall,) = selectors.survey_results(survey=results_survey)
    by_province = {
        g.label: g for g in selectors.survey_results(survey=results_survey, by="province")
    }
    by_sector = {g.label: g for g in selectors.survey_results(survey=results_survey, by="sector")}

    assert overall.responses == 3
    assert overall.needs == 2
    assert overall.questions["level"].distribution == {"Manual": 2, "Automated": 1}
    assert overall.questions["age"].count == 2
    assert overall.questions["age"].mean == Decimal(7)
    assert overall.questions["rnd"].total == Decimal(450_000_000)
    assert overall.questions["rnd"].mean == Decimal(150_000_000)
    dong_thap = by_province[Province.DONG_THAP.label]
    assert (dong_thap.responses, dong_thap.questions["rnd"].total) == (2, 300_000_000 + 100_000_000)
    assert dong_thap.questions["level"].distribution == {"Manual": 1, "Automated": 1}
    ha_noi = by_province[Province.HA_NOI.label]
    assert (ha_noi.responses, ha_noi.needs, ha_noi.questions["age"].mean) == (1, 2, None)
    assert set(by_sector) == {"Agriculture", "Agro-food processing"}
    assert by_sector["Agro-food processing"].questions["age"].mean == Decimal(7)


def test_the_xlsx_export_has_the_aggregates_and_the_responses(client, results_survey):
    logged_in(client, english_programme_staff())

    response = client.get(f"/admin/startups/surveys/{results_survey.pk}/export.xlsx")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    results, responses = workbook.worksheets
    rows = list(results.iter_rows(values_only=True))
    header = rows[0]
    assert header[:4] == ("Grouping", "Group", "Responses", "Needs")
    overall = dict(zip(header, rows[1], strict=True))
    assert overall["Group"] == "All"
    assert overall["Responses"] == 3
    assert overall["Needs"] == 2
    assert overall["Technology level: Manual"] == 2
    assert overall["Technology level: Automated"] == 1
    assert overall["R&D spending last year (sum)"] == 450_000_000
    assert overall["Average equipment age (years) (mean)"] == 7
    provinces = {
        row[1]: dict(zip(header, row, strict=True)) for row in rows if row[0] == "Province"
    }
    assert provinces[Province.HA_NOI.label]["R&D spending last year (sum)"] == 50_000_000
    response_rows = list(responses.iter_rows(values_only=True))
    assert len(response_rows) == 4  # header and the three submitted responses
    assert "Technology needs" in response_rows[0]


def test_the_results_page_draws_charts_on_the_server(client, results_survey):
    logged_in(client, english_programme_staff())

    by_province = client.get(f"/admin/startups/surveys/{results_survey.pk}/results/")
    by_sector = client.get(
        f"/admin/startups/surveys/{results_survey.pk}/results/", {"by": "sector"}
    )
    rates = client.get(f"/admin/startups/surveys/{results_survey.pk}/")

    content = by_province.content.decode()
    assert by_province.status_code == 200
    assert content.count('role="img"') == 4  # responses, level, age, R&D spending
    assert str(Province.HA_NOI.label) in content
    assert "Agro-food processing" in by_sector.content.decode()
    assert rates.status_code == 200
    assert "4 invited, 0 sent, 0 opened, 3 answered." in rates.content.decode()


# Staff screens -------------------------------------------------------------------------------


def test_programme_staff_build_a_survey_and_invite_from_the_admin(
    client, survey, mailoutbox, django_capture_on_commit_callbacks
):
    chosen = VerifiedOrganisationFactory(
        province=Province.HA_NOI, legal_name="Công ty Cơ khí Hà Nội"
    )
    member_of(chosen, user=UserFactory(email="cokhi@example.vn"))
    elsewhere = VerifiedOrganisationFactory(province=Province.DONG_THAP)
    logged_in(client, english_programme_staff())
    url = f"/admin/startups/surveys/{survey.pk}/?province={Province.HA_NOI.value}"

    builder = client.get("/admin/snippets/startups/survey/add/")
    listed = client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        invited = client.post(url, {"action": "invite", "organisations": [chosen.pk]})
    with django_capture_on_commit_callbacks(execute=True):
        outsider = client.post(url, {"action": "invite", "organisations": [elsewhere.pk]})

    assert builder.status_code == 200
    assert "Công ty Cơ khí Hà Nội" in listed
    assert elsewhere.legal_name not in listed
    assert invited.status_code == 302
    assert outsider.status_code == 200  # not among the filtered candidates: refused
    assert [i.organisation for i in SurveyInvitation.objects.all()] == [chosen]
    assert [message.to for message in mailoutbox] == [["cokhi@example.vn"]]


def test_the_demo_survey_is_created_once_with_two_responses():
    codes = []
    for province in (Province.DONG_THAP, Province.CAN_THO):
        organisation = VerifiedOrganisationFactory(province=province)
        codes.append(organisation.tax_code)

    first = create_demo_survey(respondent_tax_codes=codes)
    again = create_demo_survey(respondent_tax_codes=codes)

    assert first == again
    assert Survey.objects.filter(title=DEMO_SURVEY_TITLE).count() == 1
    assert SurveyResponse.objects.filter(survey=first, submitted_at__isnull=False).count() == 2
    (overall,) = selectors.survey_results(survey=first)
    assert overall.responses == 2
    assert overall.needs == 1
    assert overall.questions["rnd-spending"].total == 1_150_000_000
    headings = [q["heading"] for q in first.form_definition() if q["type"] == "section"]
    assert len(headings) == 5
