"""Programme staff's screens for ordered S&T tasks: order a task from a challenge or an adopted
need, and accept or reject the results contractors deliver."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from startups.admin_views.base import StaffPageView
from startups.models import Application, TaskResult
from startups.selectors.challenges import task_results_awaiting
from startups.services import tasks as task_services
from startups.task_forms import ResultDecisionForm, TaskOrderForm

PER_PAGE = 25


class TaskOrderView(StaffPageView):
    """One action: the ``st_task`` call is made as a draft, then edited in the page editor."""

    template_name = "startups/admin/task_order.html"
    page_title = gettext_lazy("Order an S&T task")
    header_icon = "form"
    actions = {"order": "order"}

    def order(self):
        form = TaskOrderForm(self.request.POST)
        if self.attempt("order", form, lambda: self._order(**form.cleaned_data)):
            messages.success(
                self.request,
                _("The call “%(title)s” is drafted; check its form and rubric, then publish it.")
                % {"title": self.result.title},
            )
            return redirect("wagtailadmin_pages:edit", self.result.pk)
        return None

    def _order(self, *, challenge, need, **window):
        if challenge:
            return task_services.task_order_from_challenge(
                challenge=challenge, actor=self.request.user, **window
            )
        return task_services.task_order_from_need(need=need, actor=self.request.user, **window)

    def get_context_data(self, **kwargs):
        initial = {
            key: self.request.GET[key] for key in ("challenge", "need") if key in self.request.GET
        }
        return {
            **super().get_context_data(**kwargs),
            "form": self.form("order", TaskOrderForm(initial=initial)),
        }


class TaskResultListView(StaffPageView):
    template_name = "startups/admin/task_result_list.html"
    page_title = gettext_lazy("Task results to accept")
    header_icon = "tasks"

    def get_context_data(self, **kwargs):
        page = Paginator(task_results_awaiting(), PER_PAGE).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page": page}


class TaskResultDecideView(StaffPageView):
    template_name = "startups/admin/task_result_decide.html"
    page_title = gettext_lazy("Results of an S&T task")
    header_icon = "tasks"
    actions = {"decide": "decide"}

    def load(self, **kwargs) -> None:
        self.task_result = get_object_or_404(
            TaskResult.objects.select_related(
                "application", "application__organisation", "application__call", "offer"
            ),
            application_id=kwargs["pk"],
        )
        self.application: Application = self.task_result.application

    def get_page_subtitle(self):
        return self.application.reference

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("startups_admin:task_result_list"), "label": _("Task results")},
            {"url": "", "label": self.application.reference},
        ]

    def decide(self):
        form = ResultDecisionForm(self.request.POST)
        if self.attempt(
            "decide",
            form,
            lambda: task_services.task_results_decide(
                application=self.application, actor=self.request.user, **form.cleaned_data
            ),
        ):
            messages.success(
                self.request,
                _("The results of %(reference)s are now “%(phase)s”.")
                % {
                    "reference": self.application.reference,
                    "phase": self.result.current_phase.staff_name,
                },
            )
            return redirect("startups_admin:task_result_decide", pk=self.application.pk)
        return None

    def get_context_data(self, **kwargs):
        decisions = {"accept_results", "reject_results"}
        available = self.application.workflow.available(phase=self.application.phase, role="staff")
        return {
            **super().get_context_data(**kwargs),
            "application": self.application,
            "task_result": self.task_result,
            "phase": self.application.current_phase,
            "may_decide": any(transition.code in decisions for transition in available),
            "form": self.form("decide", ResultDecisionForm()),
        }


urlpatterns = [
    path("tasks/order/", TaskOrderView.as_view(), name="task_order"),
    path("tasks/results/", TaskResultListView.as_view(), name="task_result_list"),
    path("tasks/results/<int:pk>/", TaskResultDecideView.as_view(), name="task_result_decide"),
]
