"""Council sessions: members and attendance, the agenda, each member's score sheet,
decisions with their letters, and the minutes."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit, register_action
from accounts.models import User
from startups import emails, letters
from startups.models import (
    Application,
    CallPage,
    CouncilMember,
    CouncilScore,
    CouncilSession,
    Decision,
    Outcome,
)
from startups.selectors.access import is_programme_staff
from startups.services.workflow import application_transition

COUNCIL_CREATE = register_action(
    "techfloor.council.create",
    gettext_lazy("Convene council"),
    gettext_lazy("Council session created"),
)
COUNCIL_ATTENDANCE = register_action(
    "techfloor.council.attendance",
    gettext_lazy("Record attendance"),
    gettext_lazy("Council attendance recorded"),
)
COUNCIL_SCORE = register_action(
    "techfloor.council.score", gettext_lazy("Council score"), gettext_lazy("Council score sheet")
)
COUNCIL_DECIDE = register_action(
    "techfloor.council.decide", gettext_lazy("Record decision"), gettext_lazy("Decision recorded")
)
COUNCIL_MINUTES = register_action(
    "techfloor.council.minutes", gettext_lazy("Write minutes"), gettext_lazy("Minutes written")
)


def _require_staff(actor: User) -> None:
    if not is_programme_staff(actor):
        raise PermissionDenied(_("Only programme staff may do this."))


@transaction.atomic
def council_session_create(
    *,
    call: CallPage,
    actor: User,
    title: str,
    meets_at: datetime.datetime,
    quorum: int,
    members: list[tuple[User, str]],
    agenda: list[Application],
    place: str = "",
) -> CouncilSession:
    """Convene a council for applications that wait for one."""
    _require_staff(actor)
    agenda_phases = set(call.workflow.phases_where("on_council_agenda"))
    off_agenda = [
        a.reference for a in agenda if a.call_id != call.pk or a.phase not in agenda_phases
    ]
    if off_agenda:
        raise ValidationError(
            {
                "agenda": _("Not waiting for this council: %(refs)s.")
                % {"refs": ", ".join(off_agenda)}
            }
        )
    if quorum > len(members):
        raise ValidationError({"quorum": _("The quorum is larger than the council.")})
    session = CouncilSession(
        call=call, title=title, meets_at=meets_at, place=place, quorum=quorum, created_by=actor
    )
    session.full_clean()
    session.save()
    CouncilMember.objects.bulk_create(
        CouncilMember(session=session, user=user, role=role) for user, role in members
    )
    session.agenda.set(agenda)
    audit(actor=actor, action=COUNCIL_CREATE, instance=session)
    return session


@transaction.atomic
def council_attendance(*, session: CouncilSession, actor: User, present: list[User]) -> int:
    """Record who is present; returns how many, for the quorum."""
    _require_staff(actor)
    present_ids = {user.pk for user in present}
    session.members.update(is_present=False)
    count = session.members.filter(user_id__in=present_ids).update(is_present=True)
    if session.status == CouncilSession.Status.PLANNED:
        session.status = CouncilSession.Status.HELD
        session.save(update_fields=["status"])
    audit(actor=actor, action=COUNCIL_ATTENDANCE, instance=session, data={"present": count})
    return count


def quorum_met(session: CouncilSession) -> bool:
    return session.members.filter(is_present=True).count() >= session.quorum


@transaction.atomic
def council_score(
    *,
    session: CouncilSession,
    application: Application,
    actor: User,
    score: Decimal,
    recommendation: str,
    note: str = "",
    member_user: User | None = None,
) -> CouncilScore:
    """A member fills their own score sheet; the secretariat may enter it for them."""
    member_user = member_user or actor
    if member_user.pk != actor.pk:
        _require_staff(actor)
    member = session.members.filter(user=member_user).first()
    if member is None:
        raise PermissionDenied(_("Only the council's members score its agenda."))
    if not session.agenda.filter(pk=application.pk).exists():
        raise ValidationError(_("This application is not on the session's agenda."))
    if session.status == CouncilSession.Status.CLOSED:
        raise ValidationError(_("The session is closed."), code="closed")
    sheet = CouncilScore(
        session=session,
        member=member,
        application=application,
        score=score,
        recommendation=recommendation,
        note=note.strip(),
    )
    sheet.full_clean(validate_unique=False, validate_constraints=False)
    sheet, _created = CouncilScore.objects.update_or_create(
        member=member,
        application=application,
        defaults={
            "session": session,
            "score": score,
            "recommendation": recommendation,
            "note": note.strip(),
        },
    )
    audit(
        actor=actor,
        action=COUNCIL_SCORE,
        instance=session,
        data={"application": application.pk, "member": member_user.pk},
    )
    return sheet


@transaction.atomic
def decision_record(
    *,
    session: CouncilSession,
    application: Application,
    actor: User,
    outcome: str,
    reason: str = "",
) -> Decision:
    """The council's decision, taken with its quorum present and within the call's quota;
    the applicants get a letter in their language."""
    _require_staff(actor)
    session = CouncilSession.objects.select_for_update().get(pk=session.pk)
    if not session.agenda.filter(pk=application.pk).exists():
        raise ValidationError(_("This application is not on the session's agenda."))
    if not quorum_met(session):
        raise ValidationError(
            _("The quorum of %(quorum)s members present is not met.") % {"quorum": session.quorum},
            code="no_quorum",
        )
    call = session.call
    if outcome == Outcome.APPROVE and call.quota is not None:
        # Locking the call's page row serialises approvals, so two sessions cannot both take
        # the last place.
        CallPage.objects.select_for_update().filter(pk=call.pk).first()
        approved = (
            Decision.objects.filter(application__call=call, outcome=Outcome.APPROVE)
            .values("application")
            .distinct()
            .count()
        )
        if approved >= call.quota:
            raise ValidationError(
                _("The call's quota of %(quota)s approvals is reached.") % {"quota": call.quota},
                code="quota",
            )
    application = application_transition(
        application=application,
        code=Outcome(outcome).value,
        actor=actor,
        reason=reason,
        notify=False,
    )
    decision = Decision.objects.create(
        application=application,
        session=session,
        outcome=outcome,
        reason=reason.strip(),
        decided_by=actor,
    )
    language = application.created_by.preferred_language if application.created_by else "vi"
    decision.letter.save(
        f"{application.reference}-{outcome}.pdf",
        ContentFile(letters.decision_letter_pdf(decision=decision, language=language)),
        save=False,
    )
    decision.letter_sent_at = timezone.now()
    decision.save(update_fields=["letter", "letter_sent_at"])
    audit(
        actor=actor,
        action=COUNCIL_DECIDE,
        instance=application,
        data={"session": session.pk, "outcome": outcome},
    )
    emails.send_decision(decision=decision)
    return decision


@transaction.atomic
def council_minutes_write(*, session: CouncilSession, actor: User) -> CouncilSession:
    """Generate the minutes as PDF and close the session."""
    _require_staff(actor)
    session = CouncilSession.objects.select_for_update().get(pk=session.pk)
    session.minutes.save(
        f"council-{session.pk}.pdf", ContentFile(letters.minutes_pdf(session=session)), save=False
    )
    session.status = CouncilSession.Status.CLOSED
    session.save(update_fields=["minutes", "status"])
    audit(actor=actor, action=COUNCIL_MINUTES, instance=session)
    return session
