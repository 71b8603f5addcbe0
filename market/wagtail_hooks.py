"""Wagtail admin: the curators' menu for the trading floor."""

from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet

from market import admin_urls, services  # noqa: F401  (services declares audited actions)
from market.models import Listing
from market.search import is_search_degraded
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
        CuratorMenuItem(
            _("All listings"), reverse("listings:index"), icon_name="doc-full", order=4
        ),
        CuratorMenuItem(
            _("Service orders"),
            reverse("market_admin:service_order_queue"),
            icon_name="tasks",
            order=5,
        ),
    ]
    return SubmenuMenuItem(_("Trading floor"), Menu(items=items), icon_name="site", order=140)


class ListingViewSet(ModelViewSet):
    """Every listing for curators: browse, filter, inspect; edits are limited to curation
    fields — content changes go through the owner and the review queue."""

    model = Listing
    icon = "doc-full"
    menu_label = _("All listings")
    add_to_admin_menu = False
    list_display = ["title", "kind", "status", "organisation", "province", "featured"]
    list_filter = ["kind", "status", "language", "province", "featured", "visibility"]
    search_fields = ["title", "summary"]
    inspect_view_enabled = True
    form_fields = ["featured", "visibility", "valid_until"]
    list_export = ["title", "kind", "status", "organisation", "province", "published_at"]


listing_viewset = ListingViewSet("listings")


@hooks.register("register_admin_viewset")
def register_listing_viewset():
    return listing_viewset


class SearchDegradedPanel(Component):
    """Tells staff that the database is answering searches while Elasticsearch is out."""

    order = 10

    def render_html(self, parent_context=None):
        return format_html(
            '<div class="help-block help-warning" role="status" id="search-degraded">'
            "<p>{}</p></div>",
            _(
                "Elasticsearch did not answer in the last few minutes, so the database is "
                "answering searches. Results may rank differently; check the cluster."
            ),
        )


@hooks.register("construct_homepage_panels")
def add_search_degraded_panel(request, panels):
    if request.user.is_staff and is_search_degraded():
        panels.append(SearchDegradedPanel())
