"""Wagtail admin of the cms room."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms import kpi_urls
from cms.events import admin as events_admin  # noqa: F401  (registers the events' hooks)
from cms.kpi_views import KpiPanel, may_view_kpis
from cms.models import KpiTarget

# --- KPI dashboard (docs/kpi-dashboard.md)


class KpiTargetViewSet(SnippetViewSet):
    model = KpiTarget
    icon = "table"
    menu_label = _("KPI targets")
    list_display = ["indicator", "year", "target", "unit", "note"]
    list_filter = ["year", "indicator"]
    ordering = ["-year", "indicator"]


register_snippet(KpiTargetViewSet)


@hooks.register("register_admin_urls")
def register_kpi_urls():
    return [path("kpi/", include(kpi_urls, namespace="kpi_admin"))]


class KpiMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return may_view_kpis(request.user)


@hooks.register("register_reports_menu_item")
def register_kpi_report_menu_item():
    return KpiMenuItem(_("KPI report"), reverse("kpi_admin:report"), icon_name="table", order=50)


@hooks.register("construct_homepage_panels")
def add_kpi_panel(request, panels):
    if may_view_kpis(request.user):
        panels.append(KpiPanel())
