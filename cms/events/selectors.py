"""Read queries of connection events, scoped to what the viewer may see."""

from __future__ import annotations

import datetime

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.permission_policies.pages import PagePermissionPolicy

from accounts.models import Organisation, User
from accounts.selectors import organisation_acting_for
from cms.models import EventPage, EventRegistration, Meeting, MeetingSlot
from market.models import Listing


def _places_taken() -> Coalesce:
    """How many registrations hold a place, as a subquery: one query for a page of events."""
    taken = (
        EventRegistration.objects.filter(
            event=OuterRef("pk"), status__in=EventRegistration.HOLDS_PLACE
        )
        .order_by()
        .values("event")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(taken, output_field=IntegerField()), 0)


def event_list_live() -> QuerySet[EventPage]:
    """Live events with their places taken counted, whatever their view restrictions: the
    participants' pages check those against the request (``cms.events.views``)."""
    return (
        EventPage.objects.live()
        .select_related("locale", "fee")
        .annotate(places_taken=_places_taken())
    )


def event_list_public(
    *,
    language: str | None = None,
    upcoming: bool | None = None,
    starts_after: datetime.datetime | None = None,
    starts_before: datetime.datetime | None = None,
) -> QuerySet[EventPage]:
    """Live events without a view restriction, soonest first: what anyone may see, for the
    events page and both APIs. ``upcoming`` means not yet ended, as the events page marks
    past ones; ``language`` is the page tree's (``vi``, ``en``)."""
    events = event_list_live().public()
    if language:
        events = events.filter(locale__language_code=language)
    if upcoming is not None:
        now = timezone.now()
        events = events.filter(ends_at__gte=now) if upcoming else events.filter(ends_at__lt=now)
    if starts_after is not None:
        events = events.filter(starts_at__gte=starts_after)
    if starts_before is not None:
        events = events.filter(starts_at__lt=starts_before)
    return events.order_by("starts_at", "pk")


def is_event_staff(*, user: User, event: EventPage) -> bool:
    """Staff who may edit the event's page also see and manage its registrations."""
    return bool(
        user.is_authenticated and user.is_staff and event.permissions_for_user(user).can_edit()
    )


def event_list_for_staff(*, user: User) -> QuerySet[EventPage]:
    """The events whose pages ``user`` may edit, latest first, in one query: the staff's
    registration screens list exactly what is_event_staff lets them open."""
    if not (user.is_authenticated and user.is_staff):
        return EventPage.objects.none()
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(user, {"change"})
    return EventPage.objects.filter(pk__in=editable.values("pk")).order_by("-starts_at", "-pk")


def registration_for_user(*, event: EventPage, user: User) -> EventRegistration | None:
    """The live registration of the organisation the user acts for, if any."""
    organisation = organisation_acting_for(user=user)
    if organisation is None:
        return None
    return (
        EventRegistration.objects.filter(
            event=event, organisation=organisation, status__in=EventRegistration.HOLDS_PLACE
        )
        .select_related("organisation", "event")
        .first()
    )


def places_left(*, event: EventPage) -> int:
    """Capacity less the places held (awaiting payment or confirmed); never below zero."""
    taken = getattr(event, "places_taken", None)
    if taken is None:
        taken = event.registrations.filter(status__in=EventRegistration.HOLDS_PLACE).count()
    return max(event.capacity - taken, 0)


def listings_to_bring(*, organisation: Organisation) -> QuerySet[Listing]:
    """An organisation may bring its own published listings."""
    return Listing.objects.filter(
        organisation=organisation, status=Listing.Status.PUBLISHED
    ).order_by("title")


def participants_visible(*, event: EventPage, viewer: User) -> bool:
    """Confirmed participants and the event's staff see who else takes part."""
    if is_event_staff(user=viewer, event=event):
        return True
    registration = registration_for_user(event=event, user=viewer)
    return registration is not None and registration.is_confirmed


def participant_list(*, event: EventPage) -> QuerySet[EventRegistration]:
    """Confirmed participants with the published listings they bring."""
    return (
        EventRegistration.objects.filter(event=event, status=EventRegistration.Status.CONFIRMED)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "listings",
                queryset=Listing.objects.filter(status=Listing.Status.PUBLISHED).order_by("title"),
            )
        )
        .order_by("organisation__legal_name")
    )


def registration_list(*, event: EventPage) -> QuerySet[EventRegistration]:
    """Every registration of an event, for staff."""
    return (
        EventRegistration.objects.filter(event=event)
        .select_related("organisation", "registered_by")
        .prefetch_related("listings")
        .order_by("status", "created_at")
    )


def slots_free_for(*, registration: EventRegistration) -> QuerySet[MeetingSlot]:
    """Slots of the event in which the participant has no accepted meeting yet."""
    return MeetingSlot.objects.filter(event_id=registration.event_id).exclude(
        bookings__registration=registration
    )


def agenda(*, registration: EventRegistration) -> dict:
    """The participant's accepted meetings by slot, and the requests waiting either way."""
    meetings = Meeting.objects.filter(
        Q(requester=registration) | Q(invitee=registration)
    ).select_related(
        "slot", "listing", "requester__organisation", "invitee__organisation", "introduction"
    )
    return {
        "accepted": meetings.filter(status=Meeting.Status.ACCEPTED).order_by("slot__starts_at"),
        "incoming": meetings.filter(invitee=registration, status=Meeting.Status.REQUESTED).order_by(
            "slot__starts_at"
        ),
        "outgoing": meetings.filter(
            requester=registration, status=Meeting.Status.REQUESTED
        ).order_by("slot__starts_at"),
        "answered": meetings.filter(
            requester=registration, status=Meeting.Status.DECLINED
        ).order_by("slot__starts_at"),
    }
