"""Ordered S&T tasks on the one call engine: a challenge or an adopted need becomes a call of
type ``st_task``; awardees deliver results that staff accept or reject through the workflow's
transitions; accepted results go to the trading floor as a technology offer."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit, register_action
from accounts.models import Organisation, Sector, User
from market.models import Listing
from market.services.listings import listing_create, listing_submit
from startups.models import (
    Application,
    CallPage,
    ChallengePage,
    ProgrammePage,
    RubricCriterion,
    TaskOrder,
    TaskResult,
)
from startups.selectors.access import is_programme_staff
from startups.services.challenges import child_slug
from startups.services.workflow import application_transition, locked

ST_TASK = "st_task"
TASK_ORDER_CREATE = register_action(
    "techfloor.task.order",
    gettext_lazy("Order S&T task"),
    gettext_lazy("S&T task call created"),
)
TASK_RESULT_OFFER = register_action(
    "techfloor.task.result_offer",
    gettext_lazy("Offer task results on the floor"),
    gettext_lazy("Task results sent to the floor as a technology offer"),
)
# Who answers an ordered task: those who do research, and enterprises that can.
TASK_APPLICANT_KINDS = [
    Organisation.Kind.INSTITUTE,
    Organisation.Kind.UNIVERSITY,
    Organisation.Kind.ENTERPRISE,
]


def default_task_form() -> list[dict]:
    """The proposal form of an ordered task, for staff to adjust in the call's editor."""
    questions = [
        ("long_text", _("Objectives and scientific approach"), True),
        ("long_text", _("Expected results and their technology readiness level"), True),
        ("long_text", _("How the results will be transferred to the enterprises"), True),
        ("team", _("Research team"), True),
        ("money", _("Budget requested"), True),
        ("file", _("Full proposal (thuyết minh)"), False),
    ]
    return [
        {
            "type": kind,
            "value": {"label": label, "help_text": "", "required": required},
            "id": str(uuid.uuid4()),
        }
        for kind, label, required in questions
    ]


def default_task_rubric() -> list[tuple[str, int]]:
    """Criteria of an ordered task and their weights."""
    return [
        (_("Scientific merit"), 3),
        (_("Feasibility"), 2),
        (_("Team capacity"), 2),
        (_("Transfer potential"), 2),
        (_("Budget fit"), 1),
    ]


def _require_staff(actor: User) -> None:
    if not is_programme_staff(actor):
        raise PermissionDenied(_("Only programme staff may do this."))


def _task_call_create(
    *,
    programme: ProgrammePage,
    actor: User,
    title: str,
    intro: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    budget: int | None,
    sectors: list[Sector],
    challenge: ChallengePage | None = None,
    need: Listing | None = None,
) -> CallPage:
    call = CallPage(
        title=title[:255],
        slug=child_slug(programme, title),
        call_type=ST_TASK,
        intro=intro,
        opens_at=opens_at,
        closes_at=closes_at,
        eligible_kinds=list(TASK_APPLICANT_KINDS),
        budget=budget,
        application_form=default_task_form(),
        live=False,
    )
    call.full_clean(exclude=["path", "depth", "slug"])
    programme.add_child(instance=call)
    call.eligible_sectors.set(sectors)
    for position, (name, weight) in enumerate(default_task_rubric()):
        RubricCriterion.objects.create(call=call, name=name, weight=weight, sort_order=position)
    call.save_revision(user=actor)
    order = TaskOrder(call=call, challenge=challenge, need=need, created_by=actor)
    order.full_clean()
    order.save()
    audit(
        actor=actor,
        action=TASK_ORDER_CREATE,
        instance=call,
        data={"challenge": challenge.pk if challenge else None, "need": need.pk if need else None},
    )
    return call


@transaction.atomic
def task_order_from_challenge(
    *,
    challenge: ChallengePage,
    programme: ProgrammePage,
    actor: User,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
) -> CallPage:
    """A draft ``st_task`` call ordering the challenge: its problem, expected results, budget
    ceiling and sectors prefilled, with the default form and rubric for staff to edit."""
    _require_staff(actor)
    return _task_call_create(
        programme=programme,
        actor=actor,
        title=_("S&T task: %(title)s") % {"title": challenge.title},
        intro=challenge.problem + challenge.expected_results,
        opens_at=opens_at,
        closes_at=closes_at,
        budget=challenge.budget_ceiling,
        sectors=list(challenge.sectors.all()),
        challenge=challenge,
    )


@transaction.atomic
def task_order_from_need(
    *,
    need: Listing,
    programme: ProgrammePage,
    actor: User,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
) -> CallPage:
    """A draft ``st_task`` call for one published need the province adopts; only its public
    parts (title, summary, the problem and outcome when the listing is public) are copied."""
    _require_staff(actor)
    if need.kind != Listing.Kind.NEED or need.status != Listing.Status.PUBLISHED:
        raise ValidationError({"need": _("Only a published need can be ordered as a task.")})
    parts = [need.summary]
    if need.visibility == Listing.Visibility.PUBLIC:
        parts += [need.problem, need.desired_outcome]
    return _task_call_create(
        programme=programme,
        actor=actor,
        title=_("S&T task: %(title)s") % {"title": need.title},
        intro="".join(f"<p>{escape(part)}</p>" for part in parts if part),
        opens_at=opens_at,
        closes_at=closes_at,
        budget=need.price_max,
        sectors=list(need.sectors.all()),
        need=need,
    )


def _require_results_workflow(application: Application) -> None:
    if not application.workflow.has_results:
        raise ValidationError(
            _("This call's awardees do not deliver results for acceptance."), code="no_results"
        )


@transaction.atomic
def task_results_submit(
    *,
    application: Application,
    actor: User,
    summary: str,
    report: str,
    trl: int,
    file: UploadedFile | None = None,
) -> TaskResult:
    """The contractor delivers the task's results (again, after a rejection), through the
    workflow's ``submit_results`` transition."""
    application = locked(application)
    _require_results_workflow(application)
    application = application_transition(
        application=application, code="submit_results", actor=actor
    )
    result = TaskResult.objects.filter(application=application).first() or TaskResult(
        application=application
    )
    result.summary = summary.strip()
    result.report = report.strip()
    result.trl = trl
    if file:
        result.file = file
    result.submitted_by = actor
    result.submitted_at = timezone.now()
    result.full_clean()
    result.save()
    return result


@transaction.atomic
def task_results_decide(
    *, application: Application, actor: User, accept: bool, reason: str = ""
) -> Application:
    """Staff accept the results or reject them with a reason (the contractor may deliver
    again); both are transitions of the call's workflow."""
    _require_results_workflow(application)
    code = "accept_results" if accept else "reject_results"
    return application_transition(application=application, code=code, actor=actor, reason=reason)


@transaction.atomic
def task_result_offer(*, application: Application, actor: User) -> Listing:
    """Put accepted results on the floor in one action: a technology offer of the contractor,
    prefilled from the task and its results and submitted to the curators, who publish it as
    any other listing. The result keeps the listing, which is the offer's provenance."""
    application = locked(application)
    if not application.current_phase.results_accepted:
        raise ValidationError(
            _("Only accepted results can be offered on the floor."), code="not_accepted"
        )
    result = TaskResult.objects.select_for_update().get(application=application)
    if result.offer_id is not None:
        raise ValidationError(_("These results are already on the floor."), code="offered")
    order = TaskOrder.objects.filter(call_id=application.call_id).first()
    problem = ""
    if order and order.challenge_id:
        problem = strip_tags(order.challenge.problem)
    elif order and order.need_id:
        problem = order.need.summary
    organisation = application.organisation
    listing = listing_create(
        actor=actor,
        organisation=organisation,
        kind=Listing.Kind.OFFER,
        title=application.title[:200],
        sectors=list(application.call.eligible_sectors.all()),
        summary=result.summary,
        description="".join(
            f"<p>{escape(line)}</p>" for line in result.report.splitlines() if line.strip()
        ),
        problem=problem or result.summary,
        trl=result.trl,
        province=organisation.province,
        contact_name=actor.full_name or actor.email,
        contact_email=actor.email,
    )
    listing = listing_submit(listing=listing, actor=actor)
    result.offer = listing
    result.save(update_fields=["offer"])
    audit(
        actor=actor,
        action=TASK_RESULT_OFFER,
        instance=application,
        data={"listing": listing.pk},
    )
    return listing
