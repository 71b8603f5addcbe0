"""Surveys from both sides: staff invite organisations and remind them; an organisation answers
through its personal link (the link is the credential: whoever holds it may answer, nobody
sees another organisation's answers through it), submits, and turns the needs it answered
into draft needs on the trading floor."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit, register_action
from accounts.models import Organisation, Sector, User
from accounts.selectors import membership_get, user_list_managing, user_list_members
from market.models import Listing
from market.services.listings import listing_create
from startups import emails
from startups.answers import clean_answers
from startups.models import Survey, SurveyInvitation, SurveyNeed, SurveyResponse
from startups.selectors.access import is_programme_staff

SURVEY_INVITE = register_action(
    "techfloor.survey.invite",
    gettext_lazy("Invite to a survey"),
    gettext_lazy("Organisations invited to a survey"),
)
SURVEY_REMIND = register_action(
    "techfloor.survey.remind",
    gettext_lazy("Remind survey respondents"),
    gettext_lazy("Survey reminders sent"),
)
SURVEY_SUBMIT = register_action(
    "techfloor.survey.submit",
    gettext_lazy("Submit survey response"),
    gettext_lazy("Survey response submitted"),
)
SURVEY_CONVERT = register_action(
    "techfloor.survey.convert_needs",
    gettext_lazy("Turn survey needs into draft needs"),
    gettext_lazy("Draft needs created from a survey response"),
)

# A reminder is not sent again to the same organisation sooner than this.
REMINDER_INTERVAL = datetime.timedelta(days=3)


def _require_staff(actor: User) -> None:
    if not is_programme_staff(actor):
        raise PermissionDenied(_("Only programme staff may do this."))


def _enqueue_sending(invitation_ids: list[int], *, reminder: bool) -> None:
    # The task is imported here: tasks import this module.
    from startups.tasks import send_survey_invitations_task

    if invitation_ids:
        transaction.on_commit(
            lambda: send_survey_invitations_task.delay(invitation_ids, reminder=reminder)
        )


def recipients_of(*, organisation: Organisation) -> list[str]:
    """Where an organisation's invitation goes: its owners and administrators, else any member."""
    people = user_list_managing(organisation=organisation) or user_list_members(
        organisation=organisation
    )
    return sorted({user.email for user in people})


@transaction.atomic
def survey_invite(
    *, survey: Survey, organisations: Iterable[Organisation], actor: User, email: str = ""
) -> list[SurveyInvitation]:
    """Invite organisations not yet invited (never twice); each gets its personal link by email,
    at ``email`` when given, else at its managers' addresses. Organisations with nobody to write
    to are refused, naming them."""
    _require_staff(actor)
    # One inviter at a time per survey, so two staff sending together never collide.
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.closes_at <= timezone.now():
        raise ValidationError(_("This survey is closed."), code="closed")
    already = set(survey.invitations.values_list("organisation_id", flat=True))
    pending = [organisation for organisation in organisations if organisation.pk not in already]
    addresses = {
        organisation.pk: [email] if email else recipients_of(organisation=organisation)
        for organisation in pending
    }
    unreachable = [str(o) for o in pending if not addresses[o.pk]]
    if unreachable:
        raise ValidationError(
            {
                "email": _("Nobody to write to at %(organisations)s: type an address.")
                % {"organisations": ", ".join(unreachable)}
            }
        )
    invitations = [
        SurveyInvitation.objects.create(
            survey=survey,
            organisation=organisation,
            emails=addresses[organisation.pk],
            invited_by=actor,
        )
        for organisation in pending
    ]
    if invitations:
        audit(
            actor=actor,
            action=SURVEY_INVITE,
            instance=survey,
            data={"organisations": [invitation.organisation_id for invitation in invitations]},
        )
    _enqueue_sending([invitation.pk for invitation in invitations], reminder=False)
    return invitations


@transaction.atomic
def survey_invitation_send(*, invitation: SurveyInvitation, reminder: bool = False) -> bool:
    """Email one personal link, once (a reminder at most every few days, and never after the
    organisation answered); returns whether an email went out."""
    invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
    now = timezone.now()
    if reminder:
        answered = SurveyResponse.objects.filter(
            survey_id=invitation.survey_id,
            organisation_id=invitation.organisation_id,
            submitted_at__isnull=False,
        ).exists()
        recent = invitation.reminded_at and invitation.reminded_at > now - REMINDER_INTERVAL
        if answered or recent or invitation.sent_at is None:
            return False
        invitation.reminded_at = now
    else:
        if invitation.sent_at is not None:
            return False
        invitation.sent_at = now
    invitation.save(update_fields=["reminded_at" if reminder else "sent_at"])
    emails.send_survey_invitation(invitation=invitation, reminder=reminder)
    return True


@transaction.atomic
def survey_remind(*, survey: Survey, actor: User) -> list[SurveyInvitation]:
    """Remind the invited organisations that have not answered (each at most every few days)."""
    _require_staff(actor)
    if not survey.is_open():
        raise ValidationError(_("Reminders go out only while the survey is open."), code="closed")
    answered = survey.responses.filter(submitted_at__isnull=False).values("organisation_id")
    due = list(
        survey.invitations.filter(sent_at__isnull=False)
        .exclude(organisation_id__in=answered)
        .exclude(reminded_at__gt=timezone.now() - REMINDER_INTERVAL)
    )
    if due:
        audit(actor=actor, action=SURVEY_REMIND, instance=survey, data={"count": len(due)})
    _enqueue_sending([invitation.pk for invitation in due], reminder=True)
    return due


def survey_invitation_open(*, invitation: SurveyInvitation) -> None:
    """Record the first time the personal link was opened."""
    SurveyInvitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
        opened_at=timezone.now()
    )


@transaction.atomic
def survey_response_start(*, invitation: SurveyInvitation) -> SurveyResponse:
    """The organisation's response, started on first opening with the form as it is now."""
    response, _created = SurveyResponse.objects.get_or_create(
        survey=invitation.survey,
        organisation=invitation.organisation,
        defaults={"form": invitation.survey.form_definition()},
    )
    return response


def _locked(response: SurveyResponse) -> SurveyResponse:
    return SurveyResponse.objects.select_for_update().select_related("survey").get(pk=response.pk)


def _require_answerable(response: SurveyResponse) -> None:
    if response.is_submitted:
        raise ValidationError(_("This response is submitted and can no longer change."))
    if not response.survey.is_open():
        raise ValidationError(_("This survey is closed."), code="closed")


@transaction.atomic
def survey_response_save(*, response: SurveyResponse, answers: dict) -> SurveyResponse:
    """Autosave through the personal link: keep every well-formed answer; a bad one is refused
    with its question named (the same checks as applications)."""
    response = _locked(response)
    _require_answerable(response)
    cleaned = clean_answers(form=response.form, answers=answers, complete=False)
    response.answers = {**response.answers, **cleaned}
    for key, value in answers.items():
        if value in (None, "", [], {}):
            response.answers.pop(key, None)
    response.save(update_fields=["answers", "updated_at"])
    return response


@transaction.atomic
def survey_response_submit(*, response: SurveyResponse, actor: User | None) -> SurveyResponse:
    """Freeze the answers once every required question is answered; ``actor`` is whoever is
    logged in, or None when answered through the link alone."""
    response = _locked(response)
    _require_answerable(response)
    clean_answers(form=response.form, answers=response.answers, complete=True)
    response.submitted_at = timezone.now()
    response.submitted_by = actor if actor and actor.is_authenticated else None
    response.save(update_fields=["submitted_at", "submitted_by", "updated_at"])
    audit(actor=response.submitted_by, action=SURVEY_SUBMIT, instance=response)
    return response


def _need_fields(*, row: dict, organisation: Organisation) -> dict:
    description = row.get("description") or ""
    return {
        "title": row["title"],
        "summary": description[:500],
        "description": description,
        "problem": description,
        "province": organisation.province,
        "price_max": row.get("budget"),
        "deadline": datetime.date.fromisoformat(row["deadline"]) if row.get("deadline") else None,
        "sectors": list(Sector.objects.filter(code=row["sector"])) if row.get("sector") else [],
    }


@transaction.atomic
def survey_response_convert_needs(*, response: SurveyResponse, actor: User) -> list[Listing]:
    """Turn every need answered in a submitted response into a draft need of the answering
    organisation, created by ``actor`` (a member), which the organisation reviews and submits
    as any draft. Rows already turned into needs are left alone; returns the drafts made now."""
    response = _locked(response)
    organisation = response.organisation
    if membership_get(user=actor, organisation=organisation) is None:
        raise PermissionDenied(_("Only members of %(name)s may do this.") % {"name": organisation})
    if not response.is_submitted:
        raise ValidationError(_("Submit the survey first."), code="not_submitted")
    done = set(response.needs.values_list("question_id", "row"))
    created = []
    for question_id, row_number, row in response.need_rows():
        if (question_id, row_number) in done:
            continue
        listing = listing_create(
            actor=actor,
            organisation=organisation,
            kind=Listing.Kind.NEED,
            **_need_fields(row=row, organisation=organisation),
        )
        SurveyNeed.objects.create(
            response=response, question_id=question_id, row=row_number, listing=listing
        )
        created.append(listing)
    if created:
        audit(
            actor=actor,
            action=SURVEY_CONVERT,
            instance=response,
            data={"listings": [listing.pk for listing in created]},
        )
    return created
