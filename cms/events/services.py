"""Connection events: register an organisation (paid through payments when the event has a
fee), cancel, generate meeting slots, ask for, accept and decline B2B meetings without double
booking, and record what came of a meeting. All audited."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit, register_action
from accounts.models import Organisation, User
from accounts.selectors import membership_get
from cms.events import emails
from cms.events.selectors import is_event_staff
from cms.models import EventPage, EventRegistration, Meeting, MeetingBooking, MeetingSlot
from market.models import Listing
from market.services.introductions import introduction_request
from payments import services as payment_services
from payments.models import Order

EVENT_REGISTRATION = "event_registration"  # the payable type of a registration's fee

REGISTRATION_CREATE = register_action(
    "techfloor.event_registration.create",
    gettext_lazy("Register for an event"),
    gettext_lazy("Registered for the event"),
)
REGISTRATION_CONFIRM = register_action(
    "techfloor.event_registration.confirm",
    gettext_lazy("Confirm event registration"),
    gettext_lazy("Event registration confirmed"),
)
REGISTRATION_CANCEL = register_action(
    "techfloor.event_registration.cancel",
    gettext_lazy("Cancel event registration"),
    gettext_lazy("Event registration cancelled"),
)
SLOTS_GENERATE = register_action(
    "techfloor.event.slots_generate",
    gettext_lazy("Generate meeting slots"),
    gettext_lazy("Meeting slots generated"),
)
MEETING_REQUEST = register_action(
    "techfloor.meeting.request",
    gettext_lazy("Request a B2B meeting"),
    gettext_lazy("B2B meeting requested"),
)
MEETING_ACCEPT = register_action(
    "techfloor.meeting.accept",
    gettext_lazy("Accept a B2B meeting"),
    gettext_lazy("B2B meeting accepted"),
)
MEETING_DECLINE = register_action(
    "techfloor.meeting.decline",
    gettext_lazy("Decline a B2B meeting"),
    gettext_lazy("B2B meeting declined"),
)
MEETING_OUTCOME = register_action(
    "techfloor.meeting.outcome",
    gettext_lazy("Record a meeting outcome"),
    gettext_lazy("Meeting outcome recorded"),
)


def _require_member(actor: User, organisation: Organisation) -> None:
    if membership_get(user=actor, organisation=organisation) is None:
        raise PermissionDenied(_("You may only act for your own organisations."))


@transaction.atomic
def registration_create(
    *,
    event: EventPage,
    organisation: Organisation,
    actor: User,
    listings: list[Listing] | None = None,
) -> EventRegistration:
    """Take a place for a verified organisation, bringing some of its published listings.
    A free event confirms at once; a paid one waits for the order placed here to be paid."""
    _require_member(actor, organisation)
    if not organisation.is_verified:
        raise PermissionDenied(_("Only verified organisations may register for events."))
    # The event's row lock makes registrations queue, so the last place is taken only once.
    locked = EventPage.objects.select_for_update().get(pk=event.pk)
    if not locked.live or not locked.registration_is_open():
        raise ValidationError(_("Registration for this event is not open."), code="closed")
    listings = list(listings or [])
    for listing in listings:
        if listing.organisation_id != organisation.pk or listing.status != Listing.Status.PUBLISHED:
            raise ValidationError(
                {"listings": _("Bring only your organisation's published listings.")},
                code="listing",
            )
    holding = locked.registrations.filter(status__in=EventRegistration.HOLDS_PLACE)
    if holding.filter(organisation=organisation).exists():
        raise ValidationError(
            _("%(organisation)s is already registered for this event.")
            % {"organisation": organisation.legal_name},
            code="registered",
        )
    if holding.count() >= locked.capacity:
        raise ValidationError(_("This event is full."), code="full")
    now = timezone.now()
    registration = EventRegistration(
        event=locked,
        organisation=organisation,
        registered_by=actor,
        status=(
            EventRegistration.Status.AWAITING_PAYMENT
            if locked.is_paid
            else EventRegistration.Status.CONFIRMED
        ),
        confirmed_at=None if locked.is_paid else now,
    )
    registration.full_clean()
    registration.save()
    registration.listings.set(listings)
    audit(
        actor=actor,
        action=REGISTRATION_CREATE,
        instance=registration,
        data={"event": locked.pk, "organisation": organisation.pk},
    )
    if locked.is_paid:
        order = payment_services.order_create(
            payer=actor, organisation=organisation, items=[(EVENT_REGISTRATION, registration.pk, 1)]
        )
        registration.order_reference = order.reference
        registration.save(update_fields=["order_reference"])
    else:
        transaction.on_commit(lambda: emails.registration_confirmed(registration=registration))
    return registration


def registration_confirm(*, registration_id: int, order: Order) -> EventRegistration | None:
    """The fee is paid (payments calls this inside its transaction): confirm the place once.
    A registration cancelled meanwhile stays cancelled; finance refund the order."""
    registration = (
        EventRegistration.objects.select_for_update(of=("self",))
        .select_related("event", "organisation", "registered_by")
        .get(pk=registration_id)
    )
    if registration.status != EventRegistration.Status.AWAITING_PAYMENT:
        return registration
    registration.status = EventRegistration.Status.CONFIRMED
    registration.confirmed_at = timezone.now()
    registration.save(update_fields=["status", "confirmed_at"])
    audit(
        actor=order.confirmed_by,
        action=REGISTRATION_CONFIRM,
        instance=registration,
        data={"order": order.reference},
    )
    transaction.on_commit(lambda: emails.registration_confirmed(registration=registration))
    return registration


def _release(registration: EventRegistration) -> None:
    """A participant who leaves frees their slots: their meetings end and the other side's
    slot is free again."""
    meetings = Meeting.objects.filter(
        Q(requester=registration) | Q(invitee=registration),
        status__in=[Meeting.Status.REQUESTED, Meeting.Status.ACCEPTED],
    )
    MeetingBooking.objects.filter(meeting__in=meetings).delete()
    meetings.update(status=Meeting.Status.CANCELLED)


def _cancel(registration: EventRegistration) -> None:
    registration.status = EventRegistration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    _release(registration)


@transaction.atomic
def registration_cancel(*, registration: EventRegistration, actor: User) -> EventRegistration:
    """The registrant gives the place back; an order still awaiting payment is cancelled with
    it, a paid fee is refunded by finance through payments."""
    _require_member(actor, registration.organisation)
    locked = EventRegistration.objects.select_for_update().get(pk=registration.pk)
    if locked.status == EventRegistration.Status.CANCELLED:
        raise ValidationError(_("This registration is already cancelled."), code="cancelled")
    if locked.status == EventRegistration.Status.AWAITING_PAYMENT and locked.order_reference:
        order = Order.objects.filter(reference=locked.order_reference).first()
        if order is not None and order.status == Order.Status.PENDING:
            payment_services.order_cancel(order=order, actor=actor)
    _cancel(locked)
    audit(actor=actor, action=REGISTRATION_CANCEL, instance=locked)
    return locked


def registration_revoke(*, registration_id: int, order: Order) -> None:
    """Finance refunded the fee (payments calls this inside the refund's transaction)."""
    registration = EventRegistration.objects.select_for_update().get(pk=registration_id)
    if registration.status == EventRegistration.Status.CANCELLED:
        return
    _cancel(registration)
    audit(
        actor=None,
        action=REGISTRATION_CANCEL,
        instance=registration,
        data={"order": order.reference, "refunded": True},
    )


def meeting_slot_times(*, event: EventPage) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Each day's meeting window cut into meetings of the event's length, inside the event."""
    if not event.has_meetings:
        return []
    length = datetime.timedelta(minutes=event.meeting_minutes)
    zone = timezone.get_current_timezone()
    day = timezone.localtime(event.starts_at).date()
    times = []
    while day <= timezone.localtime(event.ends_at).date():
        start = datetime.datetime.combine(day, event.meetings_start, tzinfo=zone)
        day_end = datetime.datetime.combine(day, event.meetings_end, tzinfo=zone)
        while start + length <= day_end:
            if start >= event.starts_at and start + length <= event.ends_at:
                times.append((start, start + length))
            start += length
        day += datetime.timedelta(days=1)
    return times


@transaction.atomic
def meeting_slots_generate(*, event: EventPage, actor: User) -> int:
    """Cut each day of the event's meeting window into slots of the meeting length; slots that
    exist already are kept, so running it again after a change only adds the missing ones."""
    if not is_event_staff(user=actor, event=event):
        raise PermissionDenied(_("Only staff who edit the event may generate its slots."))
    if not event.has_meetings:
        raise ValidationError(
            {"meeting_minutes": _("Set the meeting length and daily window first.")},
            code="no_meetings",
        )
    existing = set(event.slots.values_list("starts_at", flat=True))
    slots = [
        MeetingSlot(event=event, starts_at=start, ends_at=end)
        for start, end in meeting_slot_times(event=event)
        if start not in existing
    ]
    MeetingSlot.objects.bulk_create(slots)
    audit(actor=actor, action=SLOTS_GENERATE, instance=event, data={"created": len(slots)})
    return len(slots)


def _require_confirmed(*registrations: EventRegistration) -> None:
    for registration in registrations:
        if registration.status != EventRegistration.Status.CONFIRMED:
            raise ValidationError(
                _("%(organisation)s is not a confirmed participant of this event.")
                % {"organisation": registration.organisation.legal_name},
                code="not_participant",
            )


def _booked(slot: MeetingSlot, *registrations: EventRegistration) -> EventRegistration | None:
    taken = set(
        MeetingBooking.objects.filter(slot=slot, registration__in=registrations).values_list(
            "registration_id", flat=True
        )
    )
    return next((registration for registration in registrations if registration.pk in taken), None)


@transaction.atomic
def meeting_request(
    *,
    slot: MeetingSlot,
    requester: EventRegistration,
    invitee: EventRegistration,
    actor: User,
    listing: Listing | None = None,
    message: str = "",
) -> Meeting:
    """A confirmed participant asks another for a meeting in a free slot, perhaps about one
    of the listings either of them brings."""
    _require_member(actor, requester.organisation)
    if requester.pk == invitee.pk:
        raise ValidationError({"invitee": _("Choose another participant.")}, code="self")
    if not (slot.event_id == requester.event_id == invitee.event_id):
        raise ValidationError(
            {"slot": _("The slot and both participants must belong to the same event.")},
            code="event",
        )
    _require_confirmed(requester, invitee)
    if listing is not None and not (
        requester.listings.filter(pk=listing.pk).exists()
        or invitee.listings.filter(pk=listing.pk).exists()
    ):
        raise ValidationError(
            {"listing": _("Choose a listing that one of you brings to the event.")},
            code="listing",
        )
    busy = _booked(slot, requester, invitee)
    if busy is not None:
        raise ValidationError(
            {
                "slot": _("%(organisation)s already has a meeting in this slot.")
                % {"organisation": busy.organisation.legal_name}
            },
            code="booked",
        )
    if Meeting.objects.filter(
        slot=slot, requester=requester, invitee=invitee, status=Meeting.Status.REQUESTED
    ).exists():
        raise ValidationError(
            {"slot": _("You have already asked for this meeting.")}, code="duplicate"
        )
    meeting = Meeting(
        slot=slot,
        requester=requester,
        invitee=invitee,
        listing=listing,
        message=message.strip(),
        requested_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    audit(actor=actor, action=MEETING_REQUEST, instance=meeting)
    transaction.on_commit(lambda: emails.meeting_requested(meeting=meeting))
    return meeting


def _locked_meeting(meeting: Meeting) -> Meeting:
    """Lock both participants (lower id first, so two acceptances never deadlock), then the
    meeting: every acceptance touching either participant waits for this one."""
    ids = sorted([meeting.requester_id, meeting.invitee_id])
    list(EventRegistration.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("slot__event", "requester__organisation", "invitee__organisation")
        .get(pk=meeting.pk)
    )


def _require_requested(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.REQUESTED:
        raise ValidationError(
            _("This meeting request is already “%(status)s”.")
            % {"status": meeting.get_status_display()},
            code="wrong_status",
        )


@transaction.atomic
def meeting_accept(*, meeting: Meeting, actor: User) -> Meeting:
    """The invitee accepts; the slot is then booked for both sides, never twice for anyone."""
    _require_member(actor, meeting.invitee.organisation)
    locked = _locked_meeting(meeting)
    _require_requested(locked)
    _require_confirmed(locked.requester, locked.invitee)
    busy = _booked(locked.slot, locked.requester, locked.invitee)
    if busy is not None:
        raise ValidationError(
            _("%(organisation)s already has a meeting in this slot.")
            % {"organisation": busy.organisation.legal_name},
            code="booked",
        )
    try:
        with transaction.atomic():
            MeetingBooking.objects.bulk_create(
                [
                    MeetingBooking(slot=locked.slot, registration=side, meeting=locked)
                    for side in (locked.requester, locked.invitee)
                ]
            )
    except IntegrityError:
        # The unique (slot, registration) pair is the last word if the locks were bypassed.
        raise ValidationError(
            _("One of you already has a meeting in this slot."), code="booked"
        ) from None
    locked.status = Meeting.Status.ACCEPTED
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_at"])
    audit(actor=actor, action=MEETING_ACCEPT, instance=locked)
    transaction.on_commit(lambda: emails.meeting_answered(meeting=locked))
    return locked


@transaction.atomic
def meeting_decline(*, meeting: Meeting, actor: User) -> Meeting:
    """The invitee declines; the requester is told."""
    _require_member(actor, meeting.invitee.organisation)
    locked = _locked_meeting(meeting)
    _require_requested(locked)
    locked.status = Meeting.Status.DECLINED
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_at"])
    audit(actor=actor, action=MEETING_DECLINE, instance=locked)
    transaction.on_commit(lambda: emails.meeting_answered(meeting=locked))
    return locked


@transaction.atomic
def meeting_record_outcome(
    *,
    meeting: Meeting,
    actor: User,
    outcome: str,
    note: str = "",
    listing: Listing | None = None,
) -> Meeting:
    """Either side says what came of an accepted meeting once its slot has begun. "Start an
    introduction" asks the floor's introduction service, for the actor's organisation, about
    the other side's listing, so curators broker it like any other."""
    locked = _locked_meeting(meeting)
    own = next(
        (
            side
            for side in (locked.requester, locked.invitee)
            if membership_get(user=actor, organisation=side.organisation) is not None
        ),
        None,
    )
    if own is None:
        raise PermissionDenied(_("Only the two participants may record the outcome."))
    if locked.status != Meeting.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted meeting has an outcome."), code="wrong_status")
    if locked.slot.starts_at > timezone.now():
        raise ValidationError(
            _("Record the outcome once the meeting has taken place."), code="too_early"
        )
    if outcome not in Meeting.Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")}, code="outcome")
    note = note.strip()
    if outcome == Meeting.Outcome.INTRODUCTION:
        if locked.introduction_id:
            raise ValidationError(
                _("An introduction was already started from this meeting."), code="started"
            )
        other = locked.invitee if own.pk == locked.requester.pk else locked.requester
        listing = listing or locked.listing
        if listing is None or listing.organisation_id != other.organisation_id:
            raise ValidationError(
                {"listing": _("Choose a listing of the organisation you met.")}, code="listing"
            )
        if not note:
            raise ValidationError(
                {"note": _("Say what you intend to use the technology for.")}, code="required"
            )
        locked.introduction = introduction_request(
            listing=listing,
            actor=actor,
            organisation=own.organisation,
            message=_("We met at “%(event)s” (%(slot)s).")
            % {"event": locked.slot.event.title, "slot": locked.slot},
            intended_use=note,
        )
    locked.outcome = outcome
    locked.outcome_note = note
    locked.save(update_fields=["outcome", "outcome_note", "introduction"])
    audit(actor=actor, action=MEETING_OUTCOME, instance=locked, data={"outcome": outcome})
    return locked
