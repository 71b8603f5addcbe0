"""One application as programme staff see it: answers, eligibility, history, reviews, and
the forms of the transitions the workflow leaves to staff from its current phase."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from startups.admin_views.base import StaffPageView
from startups.admin_views.forms import ConfirmForm, RequestInfoForm, ReviewerForm, ScreenForm
from startups.models import Application
from startups.selectors.applications import application_answers, application_history_for_staff
from startups.selectors.profiles import reviewer_suggestions
from startups.selectors.reviews import call_scores, review_list_for_staff
from startups.services import applications as application_services
from startups.services import reviews as review_services

SCREENING = frozenset({"mark_eligible", "mark_ineligible"})


class ApplicationDetailView(StaffPageView):
    template_name = "startups/admin/application_detail.html"
    page_title = gettext_lazy("Application")
    actions = {
        "screen": "screen",
        "request_info": "request_info",
        "send_to_council": "send_to_council",
        "assign_reviewer": "assign_reviewer",
    }

    def load(self, **kwargs) -> None:
        self.application = get_object_or_404(
            Application.objects.select_related("call", "organisation", "created_by"),
            pk=kwargs["pk"],
        )
        # A draft is the applicants' own until they submit it.
        if self.application.phase == self.application.workflow.initial:
            raise Http404

    def get_page_subtitle(self):
        return self.application.reference

    def get_breadcrumbs_items(self):
        call = self.application.call
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("startups_admin:call_list"), "label": _("Calls for applications")},
            {
                "url": reverse("startups_admin:call_applications", args=[call.pk]),
                "label": call.title,
            },
            {"url": "", "label": self.application.reference},
        ]

    def _done(self, message: str):
        messages.success(self.request, message)
        return redirect("startups_admin:application_detail", pk=self.application.pk)

    def _moved(self):
        application = self.result
        return self._done(
            _("%(reference)s is now “%(phase)s”.")
            % {"reference": application.reference, "phase": application.current_phase.staff_name}
        )

    def screen(self):
        form = ScreenForm(self.request.POST, prefix="screen")
        if self.attempt(
            "screen",
            form,
            lambda: application_services.application_screen(
                application=self.application,
                actor=self.request.user,
                eligible=form.cleaned_data["eligible"],
                reason=form.cleaned_data["reason"],
            ),
        ):
            return self._moved()
        return None

    def request_info(self):
        form = RequestInfoForm(self.request.POST, prefix="request_info")
        if self.attempt(
            "request_info",
            form,
            lambda: application_services.application_request_info(
                application=self.application,
                actor=self.request.user,
                reason=form.cleaned_data["reason"],
            ),
        ):
            return self._moved()
        return None

    def send_to_council(self):
        form = ConfirmForm(self.request.POST, prefix="send_to_council")
        if self.attempt(
            "send_to_council",
            form,
            lambda: application_services.application_send_to_council(
                application=self.application, actor=self.request.user
            ),
        ):
            return self._moved()
        return None

    def assign_reviewer(self):
        form = ReviewerForm(
            self.request.POST, prefix="assign_reviewer", pool=review_services.reviewer_pool()
        )
        if self.attempt(
            "assign_reviewer",
            form,
            lambda: review_services.review_assign(
                application=self.application,
                reviewer=form.cleaned_data["reviewer"],
                actor=self.request.user,
            ),
        ):
            return self._done(
                _("%(reviewer)s is asked to review.") % {"reviewer": self.result.reviewer}
            )
        return None

    def get_context_data(self, **kwargs):
        application = self.application
        workflow = application.workflow
        phase = application.current_phase
        available = {t.code: t for t in workflow.available(phase=application.phase, role="staff")}
        criteria = list(application.call.criteria.all())
        weighted = call_scores(call=application.call).get(application.pk)
        reviews = list(review_list_for_staff(application=application))
        review_rows = [
            {
                "review": review,
                "marks": [
                    next((s for s in review.scores.all() if s.criterion_id == c.pk), None)
                    for c in criteria
                ],
                "score": weighted.reviews.get(review.reviewer_id) if weighted else None,
            }
            for review in reviews
        ]
        assigned = {review.reviewer_id for review in reviews}
        context = {
            **super().get_context_data(**kwargs),
            "application": application,
            "phase": phase,
            "eligibility": application.eligibility,
            "answers": application_answers(application=application),
            "history": application_history_for_staff(application=application),
            "criteria": criteria,
            "review_rows": review_rows,
            "score": weighted.score if weighted else None,
            "decisions": application.decisions.select_related("session"),
            "agreement": getattr(application, "agreement", None),
            "transitions": available,
        }
        if available.keys() & SCREENING:
            initial = {"eligible": "no" if application.is_eligible is False else "yes"}
            context["screen_form"] = self.form(
                "screen", ScreenForm(prefix="screen", initial=initial)
            )
        if "request_info" in available:
            context["request_info_form"] = self.form(
                "request_info", RequestInfoForm(prefix="request_info")
            )
        if "send_to_council" in available:
            context["send_to_council_form"] = self.form(
                "send_to_council", ConfirmForm(prefix="send_to_council")
            )
        if phase.open_to_reviewers:
            pool = [u for u in review_services.reviewer_pool() if u.pk not in assigned]
            context["reviewer_form"] = self.form(
                "assign_reviewer", ReviewerForm(prefix="assign_reviewer", pool=pool)
            )
            context["reviewer_suggestions"] = reviewer_suggestions(application=application)
        return context
