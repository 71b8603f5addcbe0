"""URLs of the programme staff's screens, mounted under the Wagtail admin by wagtail_hooks."""

from django.urls import path

from startups import admin_views
from startups.admin_views import exports, surveys, tasks

app_name = "startups_admin"

urlpatterns = [
    path("calls/", admin_views.CallListView.as_view(), name="call_list"),
    path(
        "calls/<int:call_id>/",
        admin_views.CallApplicationsView.as_view(),
        name="call_applications",
    ),
    path(
        "calls/<int:call_id>/councils/new/",
        admin_views.CouncilCreateView.as_view(),
        name="council_create",
    ),
    path(
        "applications/<int:pk>/",
        admin_views.ApplicationDetailView.as_view(),
        name="application_detail",
    ),
    path(
        "applications/<int:pk>/agreement/new/",
        admin_views.AgreementCreateView.as_view(),
        name="agreement_create",
    ),
    path("councils/", admin_views.CouncilListView.as_view(), name="council_list"),
    path("councils/<int:pk>/", admin_views.CouncilDetailView.as_view(), name="council_detail"),
    path("councils/<int:pk>/minutes.pdf", admin_views.council_minutes, name="council_minutes"),
    path("decisions/<int:pk>/letter.pdf", admin_views.decision_letter, name="decision_letter"),
    path("agreements/", admin_views.AgreementListView.as_view(), name="agreement_list"),
    path(
        "agreements/<int:pk>/", admin_views.AgreementDetailView.as_view(), name="agreement_detail"
    ),
    path(
        "milestones/<int:pk>/report-file/",
        admin_views.milestone_report_file,
        name="milestone_report_file",
    ),
    *exports.urlpatterns,
    *surveys.urlpatterns,
    *tasks.urlpatterns,
]
