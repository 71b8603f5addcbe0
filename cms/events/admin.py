"""Wagtail admin hooks of connection events, loaded from the cms app's ready()."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.events import admin_views


@hooks.register("register_admin_urls")
def register_event_urls():
    return [path("events/", include(admin_views, namespace="events_admin"))]


class EventStaffMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.is_staff


@hooks.register("register_admin_menu_item")
def register_event_menu_item():
    return EventStaffMenuItem(
        _("Event registrations"), reverse("events_admin:events"), icon_name="date", order=160
    )
