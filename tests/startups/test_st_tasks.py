"""Ordered S&T tasks run on the one call engine: a challenge or an adopted need becomes an
``st_task`` call; its proposals go through the same services as startup applications, and
accepted results reach the trading floor as an offer that remembers where it came from."""

from __future__ import annotations

import copy
import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import ModelLogEntry, Page

from accounts.models import Membership, Organisation
from market.links import listing_url
from market.models import Listing
from market.services.listings import listing_approve
from startups import demo
from startups.models import (
    Application,
    CallPage,
    ChallengePage,
    PhaseChange,
    TaskOrder,
    TaskResult,
)
from startups.services import agreements, applications, councils, reviews
from startups.services.challenges import challenge_create, challenge_publish
from startups.services.tasks import (
    task_order_from_challenge,
    task_order_from_need,
    task_result_offer,
    task_results_decide,
    task_results_submit,
)
from startups.workflows import WORKFLOW_DIR, parse_workflow
from tests.factories import (
    MembershipFactory,
    StaffFactory,
    UserFactory,
    VerifiedOrganisationFactory,
)
from tests.startups.factories import ApplicationFactory, CallPageFactory, ProgrammePageFactory
from tests.startups.factories_challenges import ChallengeIndexPageFactory, published_need

pytestmark = pytest.mark.django_db

STARTUPS = Path(__file__).resolve().parents[2] / "startups"


@pytest.fixture
def curator(db):
    return StaffFactory(groups=["Curators"])


@pytest.fixture
def challenge(curator):
    ChallengeIndexPageFactory()
    needs = [
        published_need(title="Cần công nghệ sấy lạnh xoài", summary="Sấy xoài giữ màu."),
        published_need(title="Cần công nghệ sấy lạnh sầu riêng", summary="Sấy sầu riêng."),
    ]
    challenge = challenge_create(
        actor=curator,
        title="Sấy lạnh trái cây giữ màu",
        problem="Sấy nóng làm mất màu và vitamin.",
        expected_results="Quy trình sấy lạnh 2 tấn mỗi mẻ.",
        needs=needs,
        budget_ceiling=1_500_000_000,
    )
    return challenge_publish(challenge=challenge, actor=curator)


@pytest.fixture
def programme(db):
    return ProgrammePageFactory(title="Chương trình đặt hàng nhiệm vụ KH&CN 2026")


def window():
    now = timezone.now()
    return {
        "opens_at": now - datetime.timedelta(hours=1),
        "closes_at": now + datetime.timedelta(days=30),
    }


def test_a_challenge_becomes_a_draft_task_call_prefilled_for_staff(
    challenge, programme, programme_staff
):
    call = task_order_from_challenge(
        challenge=challenge, programme=programme, actor=programme_staff, **window()
    )

    assert call.get_parent().specific == programme
    assert (call.call_type, call.live, call.budget) == ("st_task", False, 1_500_000_000)
    assert call.title == "S&T task: Sấy lạnh trái cây giữ màu"
    assert "Sấy nóng làm mất màu và vitamin." in call.intro
    assert call.eligible_kinds == ["institute", "university", "enterprise"]
    assert [(c.name, c.weight) for c in call.criteria.order_by("sort_order")] == [
        ("Scientific merit", 3),
        ("Feasibility", 2),
        ("Team capacity", 2),
        ("Transfer potential", 2),
        ("Budget fit", 1),
    ]
    assert [q["type"] for q in call.form_definition()] == [
        "long_text",
        "long_text",
        "long_text",
        "team",
        "money",
        "file",
    ]
    assert TaskOrder.objects.get(call=call).challenge == challenge


def test_an_adopted_need_becomes_a_task_call_with_its_public_parts_only(programme, programme_staff):
    need = published_need(
        title="Cần quy trình xử lý nước thải chế biến thủy sản",
        summary="Xử lý 200 m³ nước thải mỗi ngày.",
        visibility=Listing.Visibility.SUMMARY,
        price_max=900_000_000,
    )

    call = task_order_from_need(need=need, programme=programme, actor=programme_staff, **window())

    assert call.intro == "<p>Xử lý 200 m³ nước thải mỗi ngày.</p>"
    assert need.problem not in call.intro
    assert call.budget == 900_000_000
    assert TaskOrder.objects.get(call=call).need == need


def test_only_programme_staff_order_tasks_and_only_from_published_needs(
    programme, programme_staff, curator
):
    need = published_need()
    with pytest.raises(PermissionDenied):
        task_order_from_need(need=need, programme=programme, actor=curator, **window())
    need.status = Listing.Status.CLOSED
    need.save()
    with pytest.raises(ValidationError) as refused:
        task_order_from_need(need=need, programme=programme, actor=programme_staff, **window())
    assert refused.value.message_dict == {
        "need": ["Only a published need can be ordered as a task."]
    }
    assert not CallPage.objects.filter(call_type="st_task").exists()


def test_an_ordered_task_runs_through_the_shared_engine_end_to_end(
    challenge, programme, programme_staff, reviewer, finance
):
    call = task_order_from_challenge(
        challenge=challenge, programme=programme, actor=programme_staff, **window()
    )
    call.save_revision().publish()
    institute = VerifiedOrganisationFactory(kind=Organisation.Kind.INSTITUTE)
    researcher = MembershipFactory(organisation=institute, role=Membership.Role.OWNER).user

    # The proposal, through the services startup applications use.
    application = applications.application_create(
        call=call,
        organisation=institute,
        actor=researcher,
        title="Sấy lạnh trái cây bằng bơm nhiệt",
    )
    answers = ["Mục tiêu", "Quy trình đạt TRL 6", "Chuyển giao cho hai doanh nghiệp"]
    form = application.form
    applications.application_save(
        application=application,
        actor=researcher,
        answers={
            form[0]["id"]: answers[0],
            form[1]["id"]: answers[1],
            form[2]["id"]: answers[2],
            form[3]["id"]: [{"name": "TS. Lê Văn Hùng", "role": "Chủ nhiệm"}],
            form[4]["id"]: 1_200_000_000,
        },
    )
    applications.application_submit(application=application, actor=researcher)
    application = applications.application_screen(
        application=application, actor=programme_staff, eligible=True
    )

    # Expert review with the conflict-of-interest declaration first.
    review = reviews.review_assign(
        application=application, reviewer=reviewer, actor=programme_staff
    )
    reviews.review_declare(review=review, actor=reviewer, has_conflict=False)
    reviews.review_score(
        review=review,
        actor=reviewer,
        values={criterion.pk: 8 for criterion in call.criteria.all()},
        submit=True,
    )
    application = applications.application_send_to_council(
        application=application, actor=programme_staff
    )

    members = [UserFactory(), UserFactory(), UserFactory()]
    session = councils.council_session_create(
        call=call,
        actor=programme_staff,
        title="Hội đồng tuyển chọn",
        meets_at=timezone.now() + datetime.timedelta(days=3),
        quorum=2,
        members=list(zip(members, ["chair", "secretary", "member"], strict=True)),
        agenda=[application],
    )
    councils.council_attendance(session=session, actor=programme_staff, present=members)
    councils.council_score(
        session=session,
        application=application,
        actor=members[0],
        score=Decimal(85),
        recommendation="approve",
    )
    application = councils.decision_record(
        session=session, application=application, actor=programme_staff, outcome="approve"
    ).application

    # The task contract with its milestone, then results, rejected once, then accepted.
    agreement = agreements.agreement_create(
        application=application,
        actor=programme_staff,
        number="HĐ-NV-01/2026",
        signed_on=timezone.localdate(),
        grant_total=1_200_000_000,
        milestones=[
            {"title": "Mẫu sấy thử", "due_on": timezone.localdate(), "amount": 1_200_000_000}
        ],
    )
    task_results_submit(
        application=application,
        actor=researcher,
        summary="Quy trình sấy lạnh giữ 95% vitamin C.",
        report="Báo cáo tổng hợp.",
        trl=5,
    )
    with pytest.raises(ValidationError) as refused:
        task_results_decide(application=application, actor=programme_staff, accept=False)
    assert refused.value.message_dict == {"reason": ["Give a reason."]}
    task_results_decide(
        application=application, actor=programme_staff, accept=False, reason="Thiếu số liệu."
    )
    result = task_results_submit(
        application=application,
        actor=researcher,
        summary="Quy trình sấy lạnh giữ 95% vitamin C, thử trên 2 tấn.",
        report="Báo cáo tổng hợp, có số liệu.",
        trl=6,
    )
    task_results_decide(application=application, actor=programme_staff, accept=True)
    milestone = agreement.milestones.get()
    agreements.milestone_report(milestone=milestone, actor=researcher, report="Đã giao mẫu.")
    agreements.milestone_review(milestone=milestone, actor=programme_staff, accept=True)
    agreements.milestone_disburse(milestone=milestone, actor=finance)
    agreements.agreement_complete(agreement=agreement, actor=programme_staff)

    application.refresh_from_db()
    assert application.phase == "completed"
    assert (result.trl, TaskResult.objects.count()) == (6, 1)
    taken = list(application.phase_changes.values_list("transition", flat=True))
    assert taken == [
        "submit",
        "mark_eligible",
        "send_to_council",
        "approve",
        "start_support",
        "submit_results",
        "reject_results",
        "submit_results",
        "accept_results",
        "complete",
    ]
    # Each of them was taken by the one transition service, which audits every change.
    transitions_logged = ModelLogEntry.objects.filter(
        action="techfloor.application.transition", object_id=str(application.pk)
    )
    assert transitions_logged.count() == len(taken)


def test_only_the_transition_service_changes_a_phase():
    """No second workflow implementation: outside ``application_transition`` nothing writes
    an application's phase, whatever the call type."""
    writers = sorted(
        path.relative_to(STARTUPS).as_posix()
        for path in STARTUPS.rglob("*.py")
        if "migrations" not in path.parts
        and re.search(r"\bapplication\.phase\s*=[^=]", path.read_text(encoding="utf-8"))
    )
    assert writers == ["services/workflow.py"]


def test_results_are_refused_outside_a_task_and_outside_their_phase(programme_staff):
    startup_application = ApplicationFactory(phase="in_support")
    with pytest.raises(ValidationError, match="do not deliver results"):
        task_results_decide(application=startup_application, actor=programme_staff, accept=True)
    task_application = ApplicationFactory(
        call=CallPageFactory(call_type="st_task"), phase="approved"
    )
    MembershipFactory(user=task_application.created_by, organisation=task_application.organisation)
    with pytest.raises(ValidationError, match="not possible while"):
        task_results_submit(
            application=task_application,
            actor=task_application.created_by,
            summary="Kết quả",
            report="Báo cáo",
            trl=4,
        )
    assert not TaskResult.objects.exists()
    assert not PhaseChange.objects.exists()


@pytest.fixture
def accepted(challenge, programme, programme_staff):
    """An institute's task whose results were accepted, ordered from ``challenge``."""
    call = task_order_from_challenge(
        challenge=challenge, programme=programme, actor=programme_staff, **window()
    )
    institute = VerifiedOrganisationFactory(kind=Organisation.Kind.INSTITUTE)
    application = ApplicationFactory(
        call=call, organisation=institute, phase="results_accepted", title="Sấy lạnh xoài"
    )
    MembershipFactory(user=application.created_by, organisation=institute)
    TaskResult.objects.create(
        application=application,
        summary="Quy trình sấy lạnh xoài giữ màu.",
        report="Dòng một.\nDòng hai.",
        trl=6,
        submitted_by=application.created_by,
        submitted_at=timezone.now(),
    )
    return application


def test_accepted_results_become_a_published_offer_with_their_provenance(
    accepted, challenge, curator, client
):
    researcher = accepted.created_by

    listing = task_result_offer(application=accepted, actor=researcher)

    assert (listing.kind, listing.status, listing.organisation) == (
        Listing.Kind.OFFER,
        Listing.Status.SUBMITTED,
        accepted.organisation,
    )
    assert (listing.title, listing.summary, listing.trl) == (
        "Sấy lạnh xoài",
        "Quy trình sấy lạnh xoài giữ màu.",
        6,
    )
    assert listing.description == "<p>Dòng một.</p><p>Dòng hai.</p>"
    assert listing.problem == "Sấy nóng làm mất màu và vitamin."
    listing = listing_approve(listing=listing, actor=curator)
    assert listing.status == Listing.Status.PUBLISHED
    provenance = Listing.objects.get(pk=listing.pk).task_result.application
    assert provenance == accepted
    assert provenance.call.specific.task_order.challenge == challenge
    assert [link.need.title for link in challenge.source_needs.all()] == [
        "Cần công nghệ sấy lạnh xoài",
        "Cần công nghệ sấy lạnh sầu riêng",
    ]

    with pytest.raises(ValidationError, match="already on the floor"):
        task_result_offer(application=accepted, actor=researcher)
    # The public page of the offer says where it came from.
    content = client.get(listing_url(listing, language="vi")).content.decode()
    assert f"Kết quả của nhiệm vụ KH&amp;CN “{escape(accepted.call.title)}”" in content
    assert f'bài toán chung <a href="{challenge.url}">{escape(challenge.title)}</a>' in content


def test_only_the_contractor_offers_only_accepted_results(accepted, programme_staff):
    with pytest.raises(PermissionDenied):
        task_result_offer(application=accepted, actor=programme_staff)
    Application.objects.filter(pk=accepted.pk).update(phase="results_submitted")
    with pytest.raises(ValidationError, match="Only accepted results"):
        task_result_offer(application=accepted, actor=accepted.created_by)
    assert not Listing.objects.filter(kind=Listing.Kind.OFFER).exists()


def test_the_demo_challenge_and_its_task_are_made_once():
    home = Page.objects.get(depth=2, slug="home")
    ProgrammePageFactory(slug=demo.PROGRAMME_SLUG)
    for external_id in demo.CHALLENGE_NEED_IDS:
        published_need(external_id=external_id)
    staff = StaffFactory(groups=["Curators", "Programme staff"])

    first = demo.create_demo_challenge(home=home, actor=staff)
    again = demo.create_demo_challenge(home=home, actor=staff)

    assert again == first
    assert (first.call_type, first.live, first.slug) == ("st_task", True, demo.TASK_SLUG)
    challenge = first.task_order.challenge
    assert challenge.live is True
    assert sorted(challenge.source_needs.values_list("need__external_id", flat=True)) == sorted(
        demo.CHALLENGE_NEED_IDS
    )
    assert ChallengePage.objects.count() == 1


def test_the_result_steps_of_a_workflow_are_checked_at_start_up():
    shipped = json.loads((WORKFLOW_DIR / "st_task.json").read_text(encoding="utf-8"))
    assert parse_workflow(shipped).problems == ()
    assert parse_workflow(shipped).has_results is True

    missing = copy.deepcopy(shipped)
    missing["transitions"] = [t for t in missing["transitions"] if t["code"] != "accept_results"]
    assert (
        "a workflow with results needs every result transition; missing: accept_results"
        in parse_workflow(missing).problems
    )

    wrong = copy.deepcopy(shipped)
    for transition in wrong["transitions"]:
        if transition["code"] == "reject_results":
            transition["to"] = "completed"
    assert parse_workflow(wrong).problems == (
        "“reject_results” must lead back to a phase awaiting results",
        "phases no transition reaches: results_rejected",
    )
