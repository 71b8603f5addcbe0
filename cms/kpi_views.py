"""Staff's KPI screens in the Wagtail admin: the dashboard panel, the year's report and its
exports. Who may see them: whoever may view KPI targets."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Site

from accounts.models import User
from cms import kpi, kpi_exports
from cms.kpi_charts import result_charts
from cms.models import KpiTarget, report_year
from techfloor.charts import progress_bar
from techfloor.spreadsheets import CONTENT_TYPES

VIEW_PERMISSION = "cms.view_kpitarget"
PDF_CONTENT_TYPE = "application/pdf"


def may_view_kpis(user: User | None) -> bool:
    """Staff given the view permission on KPI targets (and whoever may edit them)."""
    return bool(user and user.is_authenticated and user.has_perm(VIEW_PERMISSION))


def _report(year: int) -> kpi.YearReport:
    return kpi.year_report(year=year, targets=KpiTarget.for_year(year))


class KpiPanel(Component):
    """The admin home page's panel: this year's targets as progress bars."""

    template_name = "cms/kpi/panel.html"
    order = 90

    def get_context_data(self, parent_context):
        report = _report(timezone.localdate().year)
        results = [result for result in report.results if result.target is not None]
        return {
            "report": report,
            "rows": [
                (
                    result,
                    progress_bar(
                        result.actual or 0,
                        result.target,
                        title=result.label,
                        value_format=result.display,
                    ),
                )
                for result in results
            ],
        }


class KpiReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "cms/kpi/admin_report.html"
    page_title = gettext_lazy("KPI report")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not may_view_kpis(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        years = KpiTarget.years()
        year = report_year(self.request.GET.get("year"), years)
        report = _report(year)
        return {
            **super().get_context_data(**kwargs),
            "year": year,
            "years": years,
            "report": report,
            "rows": [(result, result_charts(result)) for result in report.results],
        }


def kpi_export(request: HttpRequest, year: int, file_format: str) -> HttpResponse:
    """The year's KPIs as a workbook or as the PDF report for the ministry."""
    if not may_view_kpis(request.user):
        raise PermissionDenied
    report = _report(year)
    if file_format == "xlsx":
        content, content_type = kpi_exports.report_xlsx(report), CONTENT_TYPES["xlsx"]
    elif file_format == "pdf":
        site = Site.find_for_request(request)
        organisation = site.site_name if site and site.site_name else "TechFloor"
        content = kpi_exports.report_pdf(report, organisation=organisation)
        content_type = PDF_CONTENT_TYPE
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="techfloor-kpi-{year}.{file_format}"'
    response["Cache-Control"] = "private, no-store"
    return response
