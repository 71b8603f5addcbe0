"""Wagtail admin: the broker workbench for curators."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from market.wagtail_hooks import CuratorMenuItem
from matching import admin_urls, services  # noqa: F401  (services declares audited actions)
from startups.services.challenges import may_pool_needs


@hooks.register("register_admin_urls")
def register_matching_urls():
    return [path("matches/", include(admin_urls, namespace="matching_admin"))]


@hooks.register("register_admin_menu_item")
def register_workbench_menu():
    return CuratorMenuItem(
        _("Broker workbench"), reverse("matching_admin:workbench"), icon_name="link", order=141
    )


class PoolerMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return may_pool_needs(request.user)


@hooks.register("register_admin_menu_item")
def register_suggested_challenges_menu():
    return PoolerMenuItem(
        _("Suggested challenges"),
        reverse("matching_admin:suggested_challenges"),
        icon_name="group",
        order=142,
    )
