"""Calls for programme staff: every call with its applications counted per phase, and one
call's applications table with scores and reviewers, filtered by phase."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from startups.admin_views.base import StaffPageView
from startups.admin_views.forms import ConfirmForm
from startups.models import CallPage
from startups.selectors.applications import application_list_for_staff, call_phase_counts
from startups.selectors.councils import council_session_list
from startups.selectors.reviews import call_scores
from startups.services import reviews as review_services
from techfloor.errors import error_text


def export_links(call: CallPage) -> list[dict]:
    """Links to the call's spreadsheet exports."""
    return [
        {
            "url": reverse(
                f"startups_admin:call_export_{dataset}",
                kwargs={"call_id": call.pk, "format": file_format},
            ),
            "label": f"{label} ({file_format.upper()})",
        }
        for dataset, label in (
            ("applications", pgettext_lazy("spreadsheet", "Applications")),
            ("reviews", pgettext_lazy("spreadsheet", "Reviews")),
        )
        for file_format in ("csv", "xlsx")
    ]


class CallListView(StaffPageView):
    template_name = "startups/admin/call_list.html"
    page_title = gettext_lazy("Calls for applications")
    header_icon = "doc-full-inverse"

    def get_context_data(self, **kwargs):
        calls = list(CallPage.objects.order_by("-opens_at", "-pk"))
        counts = call_phase_counts(calls=calls)
        rows = [
            {
                "call": call,
                # In the workflow's order, phases without applications left out.
                "phases": [
                    {"phase": phase, "count": counts[call.pk][code]}
                    for code, phase in call.workflow.phases.items()
                    if code in counts[call.pk]
                ],
                "total": sum(counts[call.pk].values()),
            }
            for call in calls
        ]
        return {**super().get_context_data(**kwargs), "rows": rows}


class CallApplicationsView(StaffPageView):
    template_name = "startups/admin/call_applications.html"
    page_title = pgettext_lazy("startup support", "Applications")
    header_icon = "doc-full-inverse"
    actions = {"assign_balanced": "assign_balanced"}

    def load(self, **kwargs) -> None:
        self.call = get_object_or_404(CallPage, pk=kwargs["call_id"])

    def get_page_subtitle(self):
        return self.call.title

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("startups_admin:call_list"), "label": _("Calls for applications")},
            {"url": "", "label": self.call.title},
        ]

    def get_context_data(self, **kwargs):
        workflow = self.call.workflow
        phase = self.request.GET.get("phase", "")
        if phase not in workflow.phases or phase == workflow.initial:
            phase = ""
        applications = application_list_for_staff(call=self.call, phase=phase or None)
        scores = call_scores(call=self.call)
        rows = [
            {
                "application": application,
                "phase": workflow.phase(application.phase),
                "score": scores[application.pk].score if application.pk in scores else None,
            }
            for application in applications
        ]
        return {
            **super().get_context_data(**kwargs),
            "call": self.call,
            "rows": rows,
            "phase": phase,
            "phases": [p for code, p in workflow.phases.items() if code != workflow.initial],
            "sessions": council_session_list(call=self.call),
            "exports": export_links(self.call),
            "balance_form": ConfirmForm(),
            "review_phases": workflow.phases_where("open_to_reviewers"),
        }

    def assign_balanced(self):
        """Fill every application in review up to the call's number of reviewers."""
        try:
            created = review_services.review_assign_balanced(
                call=self.call, actor=self.request.user
            )
        except ValidationError as error:
            messages.error(self.request, error_text(error))
        else:
            messages.success(
                self.request,
                ngettext(
                    "%(count)s reviewer assignment made.",
                    "%(count)s reviewer assignments made.",
                    len(created),
                )
                % {"count": len(created)},
            )
        return redirect("startups_admin:call_applications", call_id=self.call.pk)
