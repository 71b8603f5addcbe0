"""Programme staff's screens in the Wagtail admin, one module per part of the journey; each
view checks who may see it, validates a form, calls one service and renders."""

from startups.admin_views.agreements import (
    AgreementCreateView,
    AgreementDetailView,
    AgreementListView,
    milestone_report_file,
)
from startups.admin_views.applications import ApplicationDetailView
from startups.admin_views.calls import CallApplicationsView, CallListView
from startups.admin_views.councils import (
    CouncilCreateView,
    CouncilDetailView,
    CouncilListView,
    council_minutes,
    decision_letter,
)

__all__ = [
    "AgreementCreateView",
    "AgreementDetailView",
    "AgreementListView",
    "ApplicationDetailView",
    "CallApplicationsView",
    "CallListView",
    "CouncilCreateView",
    "CouncilDetailView",
    "CouncilListView",
    "council_minutes",
    "decision_letter",
    "milestone_report_file",
]
