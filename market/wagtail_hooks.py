"""Wagtail admin: the curators' menu for the trading floor."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from market import admin_urls, services  # noqa: F401  (services declares audited actions)
from market.selectors import is_curator


@hooks.register("register_admin_urls")
def register_market_urls():
    return [path("floor/", include(admin_urls, namespace="market_admin"))]


class CuratorMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return is_curator(request.user)


@hooks.register("register_admin_menu_item")
def register_floor_menu():
    items = [
        CuratorMenuItem(
            _("Listings to review"),
            reverse("market_admin:curation_queue"),
            icon_name="doc-full-inverse",
            order=1,
        ),
        CuratorMenuItem(
            _("Introductions"),
            reverse("market_admin:introduction_queue"),
            icon_name="group",
            order=2,
        ),
        CuratorMenuItem(
            _("Deal board"), reverse("market_admin:deal_board"), icon_name="table", order=3
        ),
    ]
    return SubmenuMenuItem(_("Trading floor"), Menu(items=items), icon_name="site", order=140)
