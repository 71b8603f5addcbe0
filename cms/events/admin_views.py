"""Staff screens in the Wagtail admin: the registrations of each event, their export, and
the generation of meeting slots."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.events import selectors, services
from cms.models import EventPage, EventRegistration
from techfloor import spreadsheets
from techfloor.errors import error_text


def _event_for_staff(request: HttpRequest, event_id: int) -> EventPage:
    event = get_object_or_404(EventPage, pk=event_id)
    if not selectors.is_event_staff(user=request.user, event=event):
        raise PermissionDenied
    return event


class EventListView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "cms/events/admin/event_list.html"
    page_title = gettext_lazy("Event registrations")
    header_icon = "date"

    def get_context_data(self, **kwargs):
        events = selectors.event_list_for_staff(user=self.request.user)
        return {
            **super().get_context_data(**kwargs),
            "page": Paginator(events, 30).get_page(self.request.GET.get("page")),
        }


class RegistrationListView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "cms/events/admin/registration_list.html"
    page_title = gettext_lazy("Event registrations")
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        self.event = _event_for_staff(request, kwargs["event_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.event.title

    def post(self, request, *args, **kwargs):
        try:
            created = services.meeting_slots_generate(event=self.event, actor=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("%(count)d meeting slots added.") % {"count": created})
        return redirect("events_admin:registrations", event_id=self.event.pk)

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", "")
        registrations = selectors.registration_list(event=self.event)
        if status in EventRegistration.Status.values:
            registrations = registrations.filter(status=status)
        return {
            **super().get_context_data(**kwargs),
            "event": self.event,
            "status": status,
            "statuses": EventRegistration.Status.choices,
            "page": Paginator(registrations, 50).get_page(self.request.GET.get("page")),
            "places_left": selectors.places_left(event=self.event),
            "slot_count": self.event.slots.count(),
        }


def registration_rows(registrations) -> list[list]:
    rows = [
        [
            _("Organisation"),
            _("Tax code"),
            _("Status"),
            _("Registered by"),
            _("Email"),
            _("Registered at"),
            _("Order reference"),
            _("Listings brought"),
        ]
    ]
    for registration in registrations:
        rows.append(
            [
                registration.organisation.legal_name,
                registration.organisation.tax_code,
                registration.get_status_display(),
                registration.registered_by.full_name,
                registration.registered_by.email,
                timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
                registration.order_reference,
                "; ".join(listing.title for listing in registration.listings.all()),
            ]
        )
    return rows


def export(request: HttpRequest, event_id: int, file_format: str) -> HttpResponse:
    """Every registration of the event as CSV or XLSX."""
    event = _event_for_staff(request, event_id)
    if file_format not in ("csv", "xlsx"):
        raise Http404
    return spreadsheets.spreadsheet_response(
        registration_rows(selectors.registration_list(event=event)),
        file_format=file_format,
        filename=f"techfloor-event-{event.pk}-registrations-{timezone.localdate().isoformat()}",
        title=str(_("Registrations")),
    )


app_name = "events_admin"

urlpatterns = [
    path("", EventListView.as_view(), name="events"),
    path("<int:event_id>/", RegistrationListView.as_view(), name="registrations"),
    path("<int:event_id>/export.<str:file_format>", export, name="export"),
]
