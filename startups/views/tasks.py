"""The contractor's side of an ordered S&T task: deliver the results, follow their acceptance,
and put accepted results on the trading floor in one action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from startups.models import Application, TaskResult
from startups.selectors.access import is_programme_staff
from startups.selectors.applications import application_is_applicant
from startups.services import tasks as services
from startups.task_forms import TaskResultForm
from techfloor.errors import error_text


def _task_application(request: HttpRequest, pk: int) -> Application:
    """An application to a call whose awardees deliver results, for its applicants only."""
    application = get_object_or_404(
        Application.objects.select_related("call", "organisation"), pk=pk
    )
    if not (
        application.workflow.has_results
        and application_is_applicant(application=application, user=request.user)
    ):
        raise Http404
    return application


@login_required
def task_results(request: HttpRequest, pk: int) -> HttpResponse:
    application = _task_application(request, pk)
    result = TaskResult.objects.filter(application=application).first()
    phase = application.current_phase
    form = TaskResultForm(request.POST or None, request.FILES or None, instance=result)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_results_submit(
                application=application,
                actor=request.user,
                summary=form.cleaned_data["summary"],
                report=form.cleaned_data["report"],
                trl=form.cleaned_data["trl"],
                file=request.FILES.get("file"),
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Your results are sent for acceptance."))
            return redirect("startups:task_results", pk=application.pk)
    return render(
        request,
        "startups/task_results.html",
        {
            "application": application,
            "phase": phase,
            "result": result,
            "form": form if phase.awaits_results else None,
            "reason": application.phase_changes.filter(transition="reject_results")
            .values_list("reason", flat=True)
            .last(),
        },
    )


@require_POST
@login_required
def task_results_offer(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish as a technology offer: the draft offer is made and sent to the curators."""
    application = _task_application(request, pk)
    try:
        listing = services.task_result_offer(application=application, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("startups:task_results", pk=application.pk)
    messages.success(
        request,
        _("Your offer “%(title)s” is sent to the curators, who publish it on the floor.")
        % {"title": listing.title},
    )
    return redirect("market:listing_edit", pk=listing.pk)


@login_required
def task_result_file(request: HttpRequest, pk: int) -> FileResponse:
    """The results' report file, from private storage, to the contractor and programme staff."""
    result = get_object_or_404(TaskResult.objects.select_related("application"), pk=pk)
    may_read = is_programme_staff(request.user) or application_is_applicant(
        application=result.application, user=request.user
    )
    if not (may_read and result.file):
        raise Http404
    return FileResponse(
        result.file.open("rb"), as_attachment=True, filename=result.file.name.rsplit("/", 1)[-1]
    )


urlpatterns = [
    path("portal/applications/<int:pk>/results/", task_results, name="task_results"),
    path(
        "portal/applications/<int:pk>/results/offer/",
        task_results_offer,
        name="task_results_offer",
    ),
    path("portal/task-results/<int:pk>/file/", task_result_file, name="task_result_file"),
]
