"""Emails of connection events, each rendered in its recipient's language after commit."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import selectors as account_selectors
from accounts.emails import absolute_url, send_to_users
from accounts.models import User
from cms.models import EventRegistration, Meeting
from market.emails import Text


def _people(registration: EventRegistration) -> list[User]:
    """Whoever registered the organisation, and its owners and administrators, each once."""
    people = {
        user.pk: user
        for user in account_selectors.user_list_managing(organisation=registration.organisation)
    }
    if registration.registered_by.is_active:
        people[registration.registered_by.pk] = registration.registered_by
    return list(people.values())


def _notify(*, users: list[User], subject: Text, lines: list[Text], link: str) -> None:
    send_to_users(
        template="notification",
        users=users,
        context={"subject": subject, "lines": lines, "link": absolute_url(link)},
    )


def _agenda(registration: EventRegistration) -> str:
    return reverse("events:agenda", kwargs={"event_id": registration.event_id})


def registration_confirmed(*, registration: EventRegistration) -> None:
    event = registration.event
    _notify(
        users=_people(registration),
        subject=Text(_("Registration confirmed: %(event)s"), event=event.title),
        lines=[
            Text(
                _("%(organisation)s is registered for “%(event)s” on %(date)s at %(venue)s."),
                organisation=registration.organisation,
                event=event.title,
                date=f"{timezone.localtime(event.starts_at):%d/%m/%Y %H:%M}",
                venue=event.venue,
            ),
            Text(_("Your agenda and the other participants are on the event's pages.")),
        ],
        link=_agenda(registration),
    )


def meeting_requested(*, meeting: Meeting) -> None:
    lines = [
        Text(
            _("%(organisation)s asks to meet you at “%(event)s” in the slot %(slot)s."),
            organisation=meeting.requester.organisation,
            event=meeting.slot.event.title,
            slot=meeting.slot,
        )
    ]
    if meeting.listing:
        lines.append(Text(_("About the listing “%(title)s”."), title=meeting.listing.title))
    if meeting.message:
        lines.append(Text(_("Their message: %(text)s"), text=meeting.message))
    lines.append(Text(_("Accept or decline the request on your agenda.")))
    _notify(
        users=_people(meeting.invitee),
        subject=Text(
            _("Meeting request from %(organisation)s"), organisation=meeting.requester.organisation
        ),
        lines=lines,
        link=_agenda(meeting.invitee),
    )


def meeting_answered(*, meeting: Meeting) -> None:
    """Accepted or declined: tell the side that asked."""
    _notify(
        users=_people(meeting.requester),
        subject=Text(
            _("%(organisation)s answered your meeting request: %(status)s"),
            organisation=meeting.invitee.organisation,
            status=Meeting.Status(meeting.status).label,
        ),
        lines=[
            Text(
                _("Your meeting with %(organisation)s in the slot %(slot)s is now: %(status)s."),
                organisation=meeting.invitee.organisation,
                slot=meeting.slot,
                status=Meeting.Status(meeting.status).label,
            )
        ],
        link=_agenda(meeting.requester),
    )
