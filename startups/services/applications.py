"""Applications from the applicant's side (draft, autosave, files, submit, withdraw) and the
staff's first steps (eligibility screening, more information, sending to the council)."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit, register_action
from accounts.models import Membership, Organisation, User
from accounts.selectors import membership_get
from startups.answers import clean_answers
from startups.eligibility import check_eligibility, results_as_data
from startups.models import Application, ApplicationFile, CallPage
from startups.selectors.access import is_programme_staff
from startups.selectors.applications import application_is_applicant
from startups.services.workflow import application_transition, locked

APPLICATION_CREATE = register_action(
    "techfloor.application.create",
    gettext_lazy("Start application"),
    gettext_lazy("Application started"),
)
APPLICATION_UPDATE = register_action(
    "techfloor.application.update",
    gettext_lazy("Edit application"),
    gettext_lazy("Application edited"),
)
APPLICATION_SCREEN = register_action(
    "techfloor.application.screen",
    gettext_lazy("Screen eligibility"),
    gettext_lazy("Eligibility screened"),
)


def _require_applicant(application: Application, actor: User) -> None:
    if not application_is_applicant(application=application, user=actor):
        raise PermissionDenied(_("Only the applicants may change this application."))


def _require_editable(application: Application) -> None:
    if not application.current_phase.applicant_edits:
        raise ValidationError(
            _("The application cannot be edited while it is “%(phase)s”.")
            % {"phase": application.current_phase.applicant_name},
            code="not_editable",
        )


def _require_staff(actor: User) -> None:
    if not is_programme_staff(actor):
        raise PermissionDenied(_("Only programme staff may do this."))


@transaction.atomic
def application_create(
    *, call: CallPage, organisation: Organisation, actor: User, title: str
) -> Application:
    """Start a draft for ``organisation``, freezing the call's form as it is now."""
    if membership_get(user=actor, organisation=organisation) is None:
        raise PermissionDenied(_("You may apply only for an organisation you belong to."))
    if not call.is_open():
        raise ValidationError(_("This call is not open for applications."), code="call_closed")
    application = Application(
        call=call,
        organisation=organisation,
        created_by=actor,
        title=title.strip(),
        phase=call.workflow.initial,
        form=call.form_definition(),
        reference=uuid.uuid4().hex[:20],
    )
    application.full_clean(exclude=["reference"])
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:
        raise ValidationError(
            _("Your organisation has already applied to this call."), code="duplicate"
        ) from error
    # A readable reference once the row has its number: call page id and sequence.
    application.reference = f"HS-{call.pk}-{application.pk:05d}"
    application.save(update_fields=["reference"])
    audit(actor=actor, action=APPLICATION_CREATE, instance=application)
    return application


@transaction.atomic
def application_save(
    *, application: Application, actor: User, answers: dict, title: str | None = None
) -> Application:
    """Autosave: keep every well-formed answer; a bad one is refused with its question named."""
    application = locked(application)
    _require_applicant(application, actor)
    _require_editable(application)
    cleaned = clean_answers(form=application.form, answers=answers, complete=False)
    application.answers = {**application.answers, **cleaned}
    # An emptied answer is removed, not kept from before.
    for key, value in answers.items():
        if value in (None, "", [], {}):
            application.answers.pop(key, None)
    if title is not None and title.strip():
        application.title = title.strip()[:300]
    application.save(update_fields=["answers", "title", "updated_at"])
    return application


@transaction.atomic
def application_attach(
    *, application: Application, actor: User, field_id: str, upload: UploadedFile
) -> ApplicationFile:
    """Answer a file question; a new upload replaces the previous file."""
    application = locked(application)
    _require_applicant(application, actor)
    _require_editable(application)
    question = next((q for q in application.form if q["id"] == field_id), None)
    if question is None or question["type"] != "file":
        raise ValidationError({"file": _("This form has no such file question.")})
    ApplicationFile.objects.filter(application=application, field_id=field_id).delete()
    attachment = ApplicationFile(
        application=application,
        field_id=field_id,
        file=upload,
        name=upload.name[:255],
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def application_set_co_applicants(
    *, application: Application, actor: User, users: list[User]
) -> Application:
    """Co-applicants must belong to the applying organisation."""
    application = locked(application)
    _require_applicant(application, actor)
    _require_editable(application)
    members = set(
        Membership.objects.filter(
            organisation_id=application.organisation_id, user__in=users
        ).values_list("user_id", flat=True)
    )
    outsiders = [str(user) for user in users if user.pk not in members]
    if outsiders:
        raise ValidationError(
            {
                "co_applicants": _("Not members of %(organisation)s: %(people)s.")
                % {"organisation": application.organisation, "people": ", ".join(outsiders)}
            }
        )
    application.co_applicants.set(users)
    audit(
        actor=actor,
        action=APPLICATION_UPDATE,
        instance=application,
        data={"co_applicants": sorted(user.pk for user in users)},
    )
    return application


@transaction.atomic
def application_submit(*, application: Application, actor: User) -> Application:
    """Submit a draft (only inside the call's window, checked here on the server) or send back
    the additions staff asked for; eligibility is checked again either way."""
    application = locked(application)
    _require_applicant(application, actor)
    if not application.organisation.is_verified:
        raise ValidationError(
            _("Only verified organisations may submit. Ask staff to verify yours first."),
            code="unverified",
        )
    uploaded = dict.fromkeys(application.files.values_list("field_id", flat=True), True)
    clean_answers(form=application.form, answers={**application.answers, **uploaded}, complete=True)
    code = "resubmit" if application.phase in _sources(application, "resubmit") else "submit"
    results = check_eligibility(call=application.call, organisation=application.organisation)
    application.eligibility = results_as_data(results)
    application.is_eligible = all(result.passed for result in results)
    application.submitted_at = application.submitted_at or timezone.now()
    application.save(update_fields=["eligibility", "is_eligible", "submitted_at", "updated_at"])
    return application_transition(application=application, code=code, actor=actor)


def _sources(application: Application, code: str) -> tuple[str, ...]:
    return application.workflow.transition(code).sources


@transaction.atomic
def application_withdraw(*, application: Application, actor: User, reason: str = "") -> Application:
    return application_transition(
        application=application, code="withdraw", actor=actor, reason=reason
    )


@transaction.atomic
def application_screen(
    *, application: Application, actor: User, eligible: bool, reason: str = ""
) -> Application:
    """Staff confirm the automatic eligibility result, or override it with a reason."""
    _require_staff(actor)
    application = locked(application)
    reason = reason.strip()
    if application.is_eligible is not None and eligible != application.is_eligible:
        if not reason:
            raise ValidationError(
                {"reason": _("Say why you override the automatic eligibility check.")}
            )
        application.eligibility_override = eligible
        application.eligibility_override_reason = reason
        application.save(
            update_fields=["eligibility_override", "eligibility_override_reason", "updated_at"]
        )
    audit(
        actor=actor,
        action=APPLICATION_SCREEN,
        instance=application,
        data={"eligible": eligible, "automatic": application.is_eligible, "reason": reason},
    )
    code = "mark_eligible" if eligible else "mark_ineligible"
    return application_transition(application=application, code=code, actor=actor, reason=reason)


@transaction.atomic
def application_request_info(*, application: Application, actor: User, reason: str) -> Application:
    """Reopen editing for the applicants, saying what is missing."""
    return application_transition(
        application=application, code="request_info", actor=actor, reason=reason
    )


@transaction.atomic
def application_send_to_council(*, application: Application, actor: User) -> Application:
    return application_transition(application=application, code="send_to_council", actor=actor)
