"""The one way an application changes phase: a transition of its call's workflow, taken by
someone in the role the workflow names, recorded, audited and announced."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit, register_action
from accounts.models import User
from startups import emails
from startups.models import Application, PhaseChange
from startups.selectors.access import is_programme_staff
from startups.selectors.applications import application_is_applicant

APPLICATION_TRANSITION = register_action(
    "techfloor.application.transition",
    gettext_lazy("Change application phase"),
    gettext_lazy("Application moved to another phase"),
)


def may_act(*, application: Application, role: str, actor: User) -> bool:
    """Whether ``actor`` holds ``role`` for this application. Council decisions are recorded
    by programme staff (the council's secretariat), with the session checked by the service."""
    if role == "applicant":
        return application_is_applicant(application=application, user=actor)
    if role in ("staff", "council"):
        return is_programme_staff(actor)
    return False


def locked(application: Application) -> Application:
    """The application's row, locked for the rest of the transaction."""
    return Application.objects.select_for_update().select_related("call").get(pk=application.pk)


@transaction.atomic
def application_transition(
    *, application: Application, code: str, actor: User, reason: str = "", notify: bool = True
) -> Application:
    """Take transition ``code`` if the workflow allows it from the current phase to ``actor``;
    ``notify=False`` when the caller sends its own, richer message (a decision letter)."""
    application = locked(application)
    workflow = application.workflow
    transition = workflow.transition(code)
    if not may_act(application=application, role=transition.role, actor=actor):
        raise PermissionDenied(_("You may not do this to this application."))
    if application.phase not in transition.sources:
        raise ValidationError(
            _("“%(action)s” is not possible while the application is “%(phase)s”.")
            % {"action": transition.name, "phase": application.current_phase.applicant_name},
            code="wrong_phase",
        )
    reason = reason.strip()
    if transition.needs_reason and not reason:
        raise ValidationError({"reason": _("Give a reason.")}, code="reason_required")
    now = timezone.now()
    if transition.within_window and not application.call.is_open(now):
        raise ValidationError(
            _("The call is closed: applications were accepted until %(closes)s.")
            % {"closes": timezone.localtime(application.call.closes_at).strftime("%d/%m/%Y %H:%M")},
            code="call_closed",
        )
    source = application.phase
    application.phase = transition.target
    application.save(update_fields=["phase", "updated_at"])
    PhaseChange.objects.create(
        application=application,
        transition=code,
        source=source,
        target=transition.target,
        actor=actor,
        reason=reason,
    )
    audit(
        actor=actor,
        action=APPLICATION_TRANSITION,
        instance=application,
        data={"transition": code, "from": source, "to": transition.target, "reason": reason},
    )
    if notify:
        emails.send_phase_changed(application=application, reason=reason)
    return application
