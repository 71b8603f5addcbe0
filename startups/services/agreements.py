"""Support agreements for approved applications: milestones, the startup's reports, staff's
acceptance, disbursements against accepted milestones, and completion. All audited."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit, register_action
from accounts.models import User
from startups.models import Application, CallPage, Disbursement, Milestone, SupportAgreement
from startups.selectors.access import is_finance, is_programme_staff
from startups.selectors.applications import application_is_applicant
from startups.services.workflow import application_transition
from techfloor.money import vnd

AGREEMENT_CREATE = register_action(
    "techfloor.agreement.create",
    gettext_lazy("Sign support agreement"),
    gettext_lazy("Support agreement signed"),
)
MILESTONE_REPORT = register_action(
    "techfloor.milestone.report",
    gettext_lazy("Report milestone"),
    gettext_lazy("Milestone report submitted"),
)
MILESTONE_REVIEW = register_action(
    "techfloor.milestone.review",
    gettext_lazy("Review milestone report"),
    gettext_lazy("Milestone report reviewed"),
)
MILESTONE_DISBURSE = register_action(
    "techfloor.milestone.disburse",
    gettext_lazy("Disburse"),
    gettext_lazy("Money disbursed"),
)
AGREEMENT_COMPLETE = register_action(
    "techfloor.agreement.complete",
    gettext_lazy("Complete agreement"),
    gettext_lazy("Support agreement completed"),
)


def _require_staff(actor: User) -> None:
    if not is_programme_staff(actor):
        raise PermissionDenied(_("Only programme staff may do this."))


def _locked_milestone(milestone: Milestone) -> Milestone:
    return (
        Milestone.objects.select_for_update()
        .select_related("agreement", "agreement__application")
        .get(pk=milestone.pk)
    )


def _require_within_budget(*, application: Application, grant_total: int) -> None:
    """The call's grants together stay within its budget; the call's row is locked so that
    two agreements signed at once cannot both take the last of it."""
    call = CallPage.objects.select_for_update().get(pk=application.call_id)
    if call.budget is None:
        return
    committed = (
        SupportAgreement.objects.filter(application__call=call)
        .exclude(status=SupportAgreement.Status.TERMINATED)
        .aggregate(total=Sum("grant_total"))["total"]
        or 0
    )
    if committed + grant_total > call.budget:
        raise ValidationError(
            {
                "grant_total": _(
                    "The call's budget is %(budget)s and %(committed)s is already committed; "
                    "at most %(left)s is left."
                )
                % {
                    "budget": vnd(call.budget),
                    "committed": vnd(committed),
                    "left": vnd(max(call.budget - committed, 0)),
                }
            }
        )


@transaction.atomic
def agreement_create(
    *,
    application: Application,
    actor: User,
    number: str,
    signed_on: datetime.date,
    grant_total: int,
    milestones: list[dict],
    loan_principal: int | None = None,
    loan_annual_rate: Decimal | None = None,
    loan_term_months: int | None = None,
    loan_supported_share: Decimal | None = None,
) -> SupportAgreement:
    """Sign the agreement of an approved application; milestones are ``{"title", "due_on",
    "amount"}`` and their disbursements add up to at most the grant."""
    _require_staff(actor)
    if not application.current_phase.awaits_agreement:
        raise ValidationError(
            _("Only an approved application gets a support agreement."), code="wrong_phase"
        )
    if not milestones:
        raise ValidationError({"milestones": _("Give at least one milestone.")})
    planned = sum(int(item["amount"]) for item in milestones)
    if planned > grant_total:
        raise ValidationError(
            {
                "milestones": _(
                    "The milestones disburse %(planned)s, more than the grant of %(grant)s."
                )
                % {"planned": vnd(planned), "grant": vnd(grant_total)}
            }
        )
    _require_within_budget(application=application, grant_total=grant_total)
    agreement = SupportAgreement(
        application=application,
        number=number.strip(),
        signed_on=signed_on,
        grant_total=grant_total,
        loan_principal=loan_principal,
        loan_annual_rate=loan_annual_rate,
        loan_term_months=loan_term_months,
        loan_supported_share=loan_supported_share,
        created_by=actor,
    )
    agreement.full_clean()
    agreement.save()
    for position, item in enumerate(milestones, start=1):
        milestone = Milestone(
            agreement=agreement,
            title=item["title"],
            due_on=item["due_on"],
            amount=int(item["amount"]),
        )
        try:
            milestone.full_clean()
        except ValidationError as error:
            raise ValidationError(
                {
                    "milestones": _("Milestone %(n)s: %(errors)s")
                    % {"n": position, "errors": "; ".join(error.messages)}
                }
            ) from error
        milestone.save()
    audit(actor=actor, action=AGREEMENT_CREATE, instance=agreement)
    application_transition(application=application, code="start_support", actor=actor)
    return agreement


@transaction.atomic
def milestone_report(
    *, milestone: Milestone, actor: User, report: str, file: UploadedFile | None = None
) -> Milestone:
    """The startup reports what it achieved; a returned report may be sent again."""
    milestone = _locked_milestone(milestone)
    if not application_is_applicant(application=milestone.agreement.application, user=actor):
        raise PermissionDenied(_("Only the startup reports on its milestones."))
    if milestone.status not in (Milestone.Status.PENDING, Milestone.Status.RETURNED):
        raise ValidationError(_("This milestone's report is already in."), code="wrong_status")
    if not report.strip():
        raise ValidationError({"report": _("Describe what was achieved.")})
    milestone.report = report.strip()
    if file:
        milestone.report_file = file
    milestone.status = Milestone.Status.REPORTED
    milestone.reported_at = timezone.now()
    milestone.reported_by = actor
    milestone.full_clean()
    milestone.save()
    audit(actor=actor, action=MILESTONE_REPORT, instance=milestone.agreement)
    return milestone


@transaction.atomic
def milestone_review(
    *, milestone: Milestone, actor: User, accept: bool, note: str = ""
) -> Milestone:
    """Staff accept the report, or return it saying what is missing."""
    _require_staff(actor)
    milestone = _locked_milestone(milestone)
    if milestone.status != Milestone.Status.REPORTED:
        raise ValidationError(_("There is no report waiting for review."), code="wrong_status")
    if not accept and not note.strip():
        raise ValidationError({"review_note": _("Say what is missing from the report.")})
    milestone.status = Milestone.Status.ACCEPTED if accept else Milestone.Status.RETURNED
    milestone.review_note = note.strip()
    milestone.reviewed_at = timezone.now()
    milestone.reviewed_by = actor
    milestone.save(update_fields=["status", "review_note", "reviewed_at", "reviewed_by"])
    audit(
        actor=actor,
        action=MILESTONE_REVIEW,
        instance=milestone.agreement,
        data={"milestone": milestone.pk, "accepted": accept},
    )
    return milestone


@transaction.atomic
def milestone_disburse(*, milestone: Milestone, actor: User, reference: str = "") -> Disbursement:
    """Release the milestone's money, once, only after its report is accepted, and never
    beyond the agreement's grant."""
    if not is_finance(actor):
        raise PermissionDenied(_("Only finance staff may release money."))
    milestone = _locked_milestone(milestone)
    agreement = SupportAgreement.objects.select_for_update().get(pk=milestone.agreement_id)
    if milestone.status != Milestone.Status.ACCEPTED:
        raise ValidationError(
            _("Money is released only against an accepted milestone."), code="wrong_status"
        )
    released = (
        Disbursement.objects.filter(milestone__agreement=agreement).aggregate(total=Sum("amount"))[
            "total"
        ]
        or 0
    )
    if released + milestone.amount > agreement.grant_total:
        raise ValidationError(
            _("This would release more than the grant of %(grant)s.")
            % {"grant": vnd(agreement.grant_total)},
            code="over_grant",
        )
    disbursement = Disbursement.objects.create(
        milestone=milestone, amount=milestone.amount, reference=reference.strip(), released_by=actor
    )
    milestone.status = Milestone.Status.DISBURSED
    milestone.save(update_fields=["status"])
    audit(
        actor=actor,
        action=MILESTONE_DISBURSE,
        instance=agreement,
        data={"milestone": milestone.pk, "amount": milestone.amount},
    )
    return disbursement


@transaction.atomic
def agreement_complete(*, agreement: SupportAgreement, actor: User) -> SupportAgreement:
    """Close the agreement once every milestone is disbursed."""
    _require_staff(actor)
    agreement = SupportAgreement.objects.select_for_update().get(pk=agreement.pk)
    open_milestones = agreement.milestones.exclude(status=Milestone.Status.DISBURSED)
    if open_milestones.exists():
        raise ValidationError(
            _("Milestones still open: %(titles)s.")
            % {"titles": ", ".join(open_milestones.values_list("title", flat=True))},
            code="open_milestones",
        )
    agreement.status = SupportAgreement.Status.COMPLETED
    agreement.save(update_fields=["status"])
    audit(actor=actor, action=AGREEMENT_COMPLETE, instance=agreement)
    application_transition(application=agreement.application, code="complete", actor=actor)
    return agreement
