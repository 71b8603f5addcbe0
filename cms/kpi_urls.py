from django.urls import path

from cms import kpi_views

app_name = "kpi_admin"

urlpatterns = [
    path("", kpi_views.KpiReportView.as_view(), name="report"),
    path("<int:year>.<str:file_format>", kpi_views.kpi_export, name="export"),
]
