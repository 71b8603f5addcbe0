"""Wagtail admin: the broker workbench for curators."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from market.wagtail_hooks import CuratorMenuItem
from matching import admin_urls, services  # noqa: F401  (services declares audited actions)


@hooks.register("register_admin_urls")
def register_matching_urls():
    return [path("matches/", include(admin_urls, namespace="matching_admin"))]


@hooks.register("register_admin_menu_item")
def register_workbench_menu():
    return CuratorMenuItem(
        _("Broker workbench"), reverse("matching_admin:workbench"), icon_name="link", order=141
    )
