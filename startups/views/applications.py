"""The applicants' portal: apply to a call, edit with autosave, attach files, submit, follow
the status under applicant-facing phase names, read the decision, report on milestones."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation, User
from startups.forms import (
    AnswersForm,
    ApplyForm,
    CoApplicantsForm,
    FileAnswerForm,
    MilestoneReportForm,
    ReasonForm,
)
from startups.models import Application, ApplicationFile, CallPage, Decision, Milestone
from startups.selectors import applications as selectors
from startups.selectors.files import application_file_may_download, download_name
from startups.services import agreements as agreement_services
from startups.services import applications as services
from techfloor.errors import add_service_error, error_text


def _my_application(request: HttpRequest, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("call", "organisation"), pk=pk
    )
    if not selectors.application_is_applicant(application=application, user=request.user):
        raise Http404
    return application


@login_required
def call_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a draft for one of the user's organisations."""
    call = get_object_or_404(CallPage.objects.live().public(), pk=pk)
    organisations = Organisation.objects.filter(memberships__user=request.user).order_by(
        "legal_name"
    )
    form = ApplyForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                call=call,
                organisation=organisations.get(pk=form.cleaned_data["organisation"]),
                actor=request.user,
                title=form.cleaned_data["title"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            return redirect("startups:application_edit", pk=application.pk)
    return render(
        request,
        "startups/call_apply.html",
        {"call": call, "form": form, "has_organisation": organisations.exists()},
    )


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    applications = selectors.application_list_for_applicant(user=request.user)
    return render(request, "startups/application_list.html", {"applications": applications})


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _my_application(request, pk)
    agreement = getattr(application, "agreement", None)
    return render(
        request,
        "startups/application_detail.html",
        {
            "application": application,
            "phase": application.current_phase,
            "history": selectors.application_history(application=application),
            "actions": application.workflow.available(phase=application.phase, role="applicant"),
            "answers": selectors.application_answers(application=application),
            "decision": application.decisions.first(),
            "agreement": agreement,
            "milestones": agreement.milestones.all() if agreement else [],
            "schedule": selectors.agreement_interest_schedule(agreement=agreement),
            "withdraw_form": ReasonForm(),
        },
    )


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _my_application(request, pk)
    if not application.current_phase.applicant_edits:
        return redirect("startups:application_detail", pk=application.pk)
    form = AnswersForm(
        request.POST or None,
        questions=application.form,
        initial=AnswersForm.initial_for(application),
    )
    members = User.objects.filter(memberships__organisation=application.organisation).exclude(
        pk=application.created_by_id
    )
    co_form = CoApplicantsForm(
        request.POST if "co_applicants_form" in request.POST else None,
        members=members,
        initial={"co_applicants": application.co_applicants.all()},
    )
    if request.method == "POST" and "co_applicants_form" in request.POST:
        if co_form.is_valid():
            try:
                services.application_set_co_applicants(
                    application=application,
                    actor=request.user,
                    users=list(co_form.cleaned_data["co_applicants"]),
                )
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, error_text(error))
            else:
                messages.success(request, _("Co-applicants saved."))
        return redirect("startups:application_edit", pk=application.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_save(
                application=application,
                actor=request.user,
                answers=form.answers(),
                title=form.cleaned_data["title"],
            )
            if request.POST.get("action") == "submit":
                services.application_submit(application=application, actor=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, error_text(error))
        else:
            if request.POST.get("action") == "submit":
                messages.success(request, _("Your application is submitted."))
                return redirect("startups:application_detail", pk=application.pk)
            messages.success(request, _("Draft saved."))
            return redirect("startups:application_edit", pk=application.pk)
    files = {item.field_id: item for item in application.files.all()}
    file_questions = [
        {"question": question, "file": files.get(question["id"])}
        for question in application.form
        if question["type"] == "file"
    ]
    return render(
        request,
        "startups/application_edit.html",
        {
            "application": application,
            "form": form,
            "co_form": co_form,
            "has_members": members.exists(),
            "file_questions": file_questions,
            "file_form": FileAnswerForm(),
            "closes_at": application.call.closes_at,
        },
    )


@login_required
@require_POST
def application_autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """Save a draft while its applicant types (static/js/autosave.js)."""
    application = _my_application(request, pk)
    form = AnswersForm(request.POST, questions=application.form)
    if not form.is_valid():
        return JsonResponse({"saved": False, "errors": form.errors.get_json_data()}, status=400)
    try:
        services.application_save(
            application=application,
            actor=request.user,
            answers=form.answers(),
            title=form.cleaned_data["title"],
        )
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        return JsonResponse({"saved": False, "errors": errors}, status=400)
    except PermissionDenied as error:
        return JsonResponse(
            {"saved": False, "errors": {"__all__": [error_text(error)]}}, status=409
        )
    return JsonResponse({"saved": True, "saved_at": timezone.localtime().strftime("%H:%M:%S")})


@login_required
@require_POST
def application_attach(request: HttpRequest, pk: int, field_id: str) -> HttpResponse:
    application = _my_application(request, pk)
    form = FileAnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.application_attach(
                application=application,
                actor=request.user,
                field_id=field_id,
                upload=form.cleaned_data["file"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("File attached."))
    else:
        messages.error(request, " ".join(form.errors.get("file", [])))
    return redirect("startups:application_edit", pk=application.pk)


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _my_application(request, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.application_withdraw(
            application=application,
            actor=request.user,
            reason=form.cleaned_data.get("reason", ""),
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("startups:application_detail", pk=application.pk)


@login_required
def application_file(request: HttpRequest, pk: int) -> FileResponse:
    """A file of an application, for its applicants, programme staff and reviewers who have
    declared no conflict; under blind review it is served under a neutral name."""
    attachment = get_object_or_404(
        ApplicationFile.objects.select_related("application__call"), pk=pk
    )
    if not application_file_may_download(attachment=attachment, user=request.user):
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=download_name(attachment=attachment, user=request.user),
    )


@login_required
def decision_letter(request: HttpRequest, pk: int) -> FileResponse:
    decision = get_object_or_404(Decision.objects.select_related("application"), pk=pk)
    if not selectors.application_is_applicant(application=decision.application, user=request.user):
        raise Http404
    if not decision.letter:
        raise Http404
    return FileResponse(
        decision.letter.open("rb"),
        as_attachment=True,
        filename=f"{decision.application.reference}.pdf",
    )


@login_required
def milestone_report(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.select_related("agreement__application"), pk=pk)
    application = milestone.agreement.application
    if not selectors.application_is_applicant(application=application, user=request.user):
        raise Http404
    form = MilestoneReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            agreement_services.milestone_report(
                milestone=milestone,
                actor=request.user,
                report=form.cleaned_data["report"],
                file=form.cleaned_data.get("report_file"),
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Your report is sent to the Innovation Center."))
            return redirect("startups:application_detail", pk=application.pk)
    return render(
        request,
        "startups/milestone_report.html",
        {"milestone": milestone, "application": application, "form": form},
    )


urlpatterns = [
    path("calls/<int:pk>/apply/", call_apply, name="call_apply"),
    path("portal/applications/", application_list, name="application_list"),
    path("portal/applications/<int:pk>/", application_detail, name="application_detail"),
    path("portal/applications/<int:pk>/edit/", application_edit, name="application_edit"),
    path(
        "portal/applications/<int:pk>/autosave/",
        application_autosave,
        name="application_autosave",
    ),
    path(
        "portal/applications/<int:pk>/files/<str:field_id>/",
        application_attach,
        name="application_attach",
    ),
    path(
        "portal/applications/<int:pk>/withdraw/",
        application_withdraw,
        name="application_withdraw",
    ),
    path("portal/application-files/<int:pk>/", application_file, name="application_file"),
    path("portal/decisions/<int:pk>/letter/", decision_letter, name="decision_letter"),
    path("portal/milestones/<int:pk>/report/", milestone_report, name="milestone_report"),
]
