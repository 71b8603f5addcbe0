"""Participants' pages of an event: register, cancel, see the other participants, keep a
personal agenda of B2B meetings, answer requests and record outcomes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import organisation_acting_for
from cms.events import selectors, services
from cms.events.forms import MeetingRequestForm, OutcomeForm, RegistrationForm
from cms.models import EventPage, EventRegistration, Meeting
from market.models import Listing
from techfloor.errors import add_service_error, error_text

PARTICIPANTS_PER_PAGE = 30


def _event(request: HttpRequest, event_id: int) -> EventPage:
    """A live event the viewer may open: public, or restricted (members only, some groups) in
    a way the request passes, by the same Wagtail view restrictions as the event page."""
    event = get_object_or_404(selectors.event_list_live(), pk=event_id)
    if not all(
        restriction.accept_request(request) for restriction in event.get_view_restrictions()
    ):
        raise Http404
    return event


def _participant(request: HttpRequest, event: EventPage) -> EventRegistration:
    """The viewer's confirmed registration; anyone else gets a 404, as if nothing were here."""
    registration = selectors.registration_for_user(event=event, user=request.user)
    if registration is None or not registration.is_confirmed:
        raise Http404
    return registration


def _my_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.select_related(
            "slot__event", "requester__organisation", "invitee__organisation", "listing"
        ),
        pk=pk,
    )
    registration = selectors.registration_for_user(event=meeting.slot.event, user=request.user)
    if registration is None or registration.pk not in (meeting.requester_id, meeting.invitee_id):
        raise Http404
    return meeting


@login_required
def register(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    organisation = organisation_acting_for(user=request.user)
    existing = selectors.registration_for_user(event=event, user=request.user)
    if existing is not None:
        return redirect(event.url)
    listings = (
        selectors.listings_to_bring(organisation=organisation)
        if organisation
        else Listing.objects.none()
    )
    # Bringing no listing posts an empty form, which is still a registration.
    form = RegistrationForm(request.POST if request.method == "POST" else None, listings=listings)
    if request.method == "POST" and organisation is not None and form.is_valid():
        try:
            registration = services.registration_create(
                event=event,
                organisation=organisation,
                actor=request.user,
                listings=list(form.cleaned_data["listings"]),
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            if registration.order_reference:
                return redirect("payments:order_detail", reference=registration.order_reference)
            messages.success(request, _("Your registration is confirmed."))
            return redirect("events:agenda", event_id=event.pk)
    return render(
        request,
        "cms/events/register.html",
        {
            "event": event,
            "organisation": organisation,
            "form": form,
            "places_left": selectors.places_left(event=event),
        },
    )


@login_required
@require_POST
def cancel(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    registration = selectors.registration_for_user(event=event, user=request.user)
    if registration is None:
        raise Http404
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(event.url)


@login_required
def participants(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    if not selectors.participants_visible(event=event, viewer=request.user):
        raise Http404
    page = Paginator(selectors.participant_list(event=event), PARTICIPANTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cms/events/participants.html",
        {
            "event": event,
            "page": page,
            "registration": selectors.registration_for_user(event=event, user=request.user),
        },
    )


@login_required
def agenda(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    registration = _participant(request, event)
    return render(
        request,
        "cms/events/agenda.html",
        {
            "event": event,
            "registration": registration,
            **selectors.agenda(registration=registration),
        },
    )


@login_required
def meeting_request(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    registration = _participant(request, event)
    invitees = selectors.participant_list(event=event).exclude(pk=registration.pk)
    form = MeetingRequestForm(
        request.POST or None,
        initial={"invitee": request.GET.get("invitee")},
        invitees=invitees,
        slots=selectors.slots_free_for(registration=registration),
        listings=Listing.objects.filter(
            Q(event_registrations__in=invitees) | Q(event_registrations=registration),
            status=Listing.Status.PUBLISHED,
        ).distinct(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_request(
                slot=form.cleaned_data["slot"],
                requester=registration,
                invitee=form.cleaned_data["invitee"],
                actor=request.user,
                listing=form.cleaned_data["listing"],
                message=form.cleaned_data["message"],
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            return redirect("events:agenda", event_id=event.pk)
    return render(request, "cms/events/meeting_request.html", {"event": event, "form": form})


@login_required
@require_POST
def meeting_answer(request: HttpRequest, pk: int, answer: str) -> HttpResponse:
    meeting = _my_meeting(request, pk)
    answer_meeting = {"accept": services.meeting_accept, "decline": services.meeting_decline}
    try:
        answer_meeting[answer](meeting=meeting, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    return redirect("events:agenda", event_id=meeting.slot.event_id)


@login_required
def meeting_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _my_meeting(request, pk)
    listings = Listing.objects.filter(
        event_registrations__in=[meeting.requester_id, meeting.invitee_id]
    ).distinct()
    form = OutcomeForm(
        request.POST or None,
        initial={
            "outcome": meeting.outcome,
            "note": meeting.outcome_note,
            "listing": meeting.listing,
        },
        listings=listings,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record_outcome(
                meeting=meeting,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                listing=form.cleaned_data["listing"],
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            return redirect("events:agenda", event_id=meeting.slot.event_id)
    return render(request, "cms/events/meeting_outcome.html", {"meeting": meeting, "form": form})


urlpatterns = [
    path("portal/events/<int:event_id>/register/", register, name="register"),
    path("portal/events/<int:event_id>/cancel/", cancel, name="cancel"),
    path("portal/events/<int:event_id>/participants/", participants, name="participants"),
    path("portal/events/<int:event_id>/agenda/", agenda, name="agenda"),
    path("portal/events/<int:event_id>/meetings/new/", meeting_request, name="meeting_request"),
    path(
        "portal/events/meetings/<int:pk>/accept/",
        meeting_answer,
        {"answer": "accept"},
        name="meeting_accept",
    ),
    path(
        "portal/events/meetings/<int:pk>/decline/",
        meeting_answer,
        {"answer": "decline"},
        name="meeting_decline",
    ),
    path("portal/events/meetings/<int:pk>/outcome/", meeting_outcome, name="meeting_outcome"),
]
