"""Emails of startup support, each in its recipient's language, sent after commit."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.emails import absolute_url, send_templated, send_to_users
from accounts.models import Membership, User
from accounts.selectors import user_list_in_group, user_list_managing
from market.emails import Text
from startups.models import (
    Application,
    ChallengePage,
    Decision,
    ReviewAssignment,
    SeatAllocation,
    SurveyInvitation,
)

PROGRAMME_STAFF_GROUP = "Programme staff"


def applicant_people(application: Application) -> list[User]:
    """Creator, co-applicants and the organisation's managers, each once."""
    people = {
        user.pk: user
        for user in User.objects.filter(
            memberships__organisation_id=application.organisation_id,
            memberships__role__in=[Membership.Role.OWNER, Membership.Role.ADMIN],
            is_active=True,
        )
    }
    for user in application.co_applicants.filter(is_active=True):
        people[user.pk] = user
    if application.created_by and application.created_by.is_active:
        people[application.created_by.pk] = application.created_by
    return list(people.values())


def _link(name: str, **kwargs) -> str:
    with translation.override("vi"):
        return absolute_url(reverse(name, kwargs=kwargs))


def send_phase_changed(*, application: Application, reason: str) -> None:
    """Tell the applicants the new phase under its applicant-facing name; tell programme staff
    when something waits for them (a submission or additions)."""
    send_to_users(
        template="application_phase",
        users=applicant_people(application),
        context={
            "application": application,
            "reason": reason,
            "link": _link("startups:application_detail", pk=application.pk),
        },
    )
    if application.phase == "submitted":
        send_to_users(
            template="application_submitted",
            users=user_list_in_group(name=PROGRAMME_STAFF_GROUP),
            context={"application": application},
        )


def _send_to_reviewer(*, review: ReviewAssignment, template: str) -> None:
    """Only the call and the link: the reviewer learns nothing of the applicant before
    declaring, and nothing at all under blind review."""
    send_to_users(
        template=template,
        users=[review.reviewer],
        context={
            "review": review,
            "call": review.application.call,
            "link": _link("startups:review_detail", pk=review.pk),
        },
    )


def send_review_assigned(*, review: ReviewAssignment) -> None:
    _send_to_reviewer(review=review, template="review_assigned")


def send_conflict_declared(*, review: ReviewAssignment) -> None:
    """Staff must find another reviewer."""
    send_to_users(
        template="review_conflict",
        users=user_list_in_group(name=PROGRAMME_STAFF_GROUP),
        context={"review": review, "application": review.application},
    )


def send_review_reminder(*, review: ReviewAssignment) -> None:
    _send_to_reviewer(review=review, template="review_reminder")


def send_decision(*, decision: Decision) -> None:
    """The decision and a link to its letter, which the applicants download from the portal."""
    application = decision.application
    send_to_users(
        template="decision",
        users=applicant_people(application),
        context={
            "decision": decision,
            "application": application,
            "link": _link("startups:application_detail", pk=application.pk),
        },
    )


def send_seat_allocated(*, allocation: SeatAllocation) -> None:
    """Tell the startup's managers where their places are and for how long."""
    incubator = allocation.space.incubator
    with translation.override("vi"):
        link = absolute_url(incubator.get_absolute_url())
    send_to_users(
        template="seat_allocated",
        users=user_list_managing(organisation=allocation.organisation),
        context={
            "allocation": allocation,
            "incubator": incubator,
            "space": allocation.space,
            "organisation": allocation.organisation,
            "link": link,
        },
    )


def send_survey_invitation(*, invitation: SurveyInvitation, reminder: bool) -> None:
    """The personal link to a survey, to each address of the invitation, in the language of
    the account behind the address (Vietnamese for an address without one)."""
    accounts = {
        user.email.lower(): user for user in User.objects.filter(email__in=invitation.emails)
    }
    for address in invitation.emails:
        user = accounts.get(address.lower())
        language = user.preferred_language if user else settings.LANGUAGE_CODE
        with translation.override(language):
            link = absolute_url(
                reverse("startups:survey_answer", kwargs={"token": invitation.token})
            )
        send_templated(
            template="survey_reminder" if reminder else "survey_invitation",
            to=address,
            context={
                "invitation": invitation,
                "survey": invitation.survey,
                "organisation": invitation.organisation,
                "link": link,
            },
            language=language,
        )


def send_challenge_published(*, challenge: ChallengePage, users: list[User]) -> None:
    """Tell the owners of a pooled need that it is now part of a published challenge, each
    with the page's address in their own language."""
    for user in users:
        # The page's translation in the reader's language when there is one (one locale per
        # language, as the home page has), else the page as written.
        translated = (
            challenge.get_translations()
            .live()
            .filter(locale__language_code=user.preferred_language)
            .first()
        )
        link = absolute_url((translated or challenge).url or "")
        send_to_users(
            template="notification",
            users=[user],
            context={
                "subject": Text(_("Your need is part of a challenge: %(title)s"), title=challenge),
                "lines": [
                    Text(
                        _(
                            "The Innovation Center pooled your need with similar needs of other "
                            "enterprises into the challenge “%(title)s”, so that institutes and "
                            "universities answer them together."
                        ),
                        title=challenge.title,
                    )
                ],
                "link": link,
            },
        )
