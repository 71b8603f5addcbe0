"""Surveys from the respondent's side: the personal link (no account needed) to answer with
autosave and submit, the portal's list of an organisation's surveys, reading a submitted
response, and turning its needs into draft needs on the floor (members only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.selectors import membership_get
from startups.models import SurveyInvitation, SurveyResponse
from startups.selectors import surveys as selectors
from startups.services import surveys as services
from startups.survey_forms import SurveyAnswersForm
from techfloor.errors import add_service_error, error_text


def _invitation(token: str) -> SurveyInvitation:
    invitation = selectors.survey_invitation_by_token(token=token)
    if invitation is None:
        raise Http404
    return invitation


def _no_referrer(response: HttpResponse) -> HttpResponse:
    """The page's address is a credential: links followed from it must not carry it away."""
    response["Referrer-Policy"] = "no-referrer"
    return response


def _submitted_page(request: HttpRequest, response: SurveyResponse) -> HttpResponse:
    is_member = (
        request.user.is_authenticated
        and membership_get(user=request.user, organisation=response.organisation) is not None
    )
    converted = {(need.question_id, need.row): need.listing for need in response.needs.all()}
    needs = [
        {"row": row, "listing": converted.get((question_id, number))}
        for question_id, number, row in response.need_rows()
    ]
    return render(
        request,
        "startups/survey_response.html",
        {
            "response": response,
            "survey": response.survey,
            "answers": selectors.survey_response_answers(response=response),
            "needs": needs,
            "needs_left": any(item["listing"] is None for item in needs),
            "is_member": is_member,
        },
    )


@never_cache
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The personal link: the organisation's answers, editable until submitted."""
    invitation = _invitation(token)
    services.survey_invitation_open(invitation=invitation)
    response = selectors.survey_response_for(invitation=invitation)
    if response is not None and response.is_submitted:
        return _no_referrer(_submitted_page(request, response))
    survey = invitation.survey
    if not survey.is_open():
        return _no_referrer(
            render(request, "startups/survey_closed.html", {"survey": survey}, status=410)
        )
    response = response or services.survey_response_start(invitation=invitation)
    form = SurveyAnswersForm(
        request.POST or None,
        questions=response.form,
        initial=SurveyAnswersForm.initial_for_response(response),
    )
    if request.method == "POST" and form.is_valid():
        submitting = request.POST.get("action") == "submit"
        try:
            services.survey_response_save(response=response, answers=form.answers())
            if submitting:
                services.survey_response_submit(response=response, actor=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if submitting:
                messages.success(request, _("Thank you: your answers are submitted."))
            else:
                messages.success(request, _("Answers saved."))
            return redirect("startups:survey_answer", token=token)
    return _no_referrer(
        render(
            request,
            "startups/survey_answer.html",
            {"survey": survey, "invitation": invitation, "response": response, "form": form},
        )
    )


@require_POST
def survey_autosave(request: HttpRequest, token: str) -> JsonResponse:
    """Save answers while the respondent types (static/js/autosave.js)."""
    invitation = _invitation(token)
    response = selectors.survey_response_for(invitation=invitation)
    if response is None:
        raise Http404
    form = SurveyAnswersForm(request.POST, questions=response.form)
    if not form.is_valid():
        return JsonResponse({"saved": False, "errors": form.errors.get_json_data()}, status=400)
    try:
        services.survey_response_save(response=response, answers=form.answers())
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        return JsonResponse({"saved": False, "errors": errors}, status=400)
    return JsonResponse({"saved": True, "saved_at": timezone.localtime().strftime("%H:%M:%S")})


@login_required
@require_POST
def survey_convert_needs(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn a submitted response's needs into drafts of the answering organisation."""
    response = get_object_or_404(SurveyResponse, pk=pk)
    if membership_get(user=request.user, organisation=response.organisation) is None:
        raise Http404
    try:
        created = services.survey_response_convert_needs(response=response, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect("startups:survey_response", pk=response.pk)
    messages.success(
        request,
        ngettext(
            "%(count)s draft need created: review it and submit it to the floor.",
            "%(count)s draft needs created: review them and submit them to the floor.",
            len(created),
        )
        % {"count": len(created)},
    )
    return redirect("market:listing_list")


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    """The surveys the user's organisations are asked to answer."""
    rows = selectors.survey_portal_rows(user=request.user)
    return render(request, "startups/survey_list.html", {"rows": rows})


@login_required
@never_cache
def survey_response(request: HttpRequest, pk: int) -> HttpResponse:
    """A submitted response, for the members of the organisation that answered."""
    response = get_object_or_404(
        SurveyResponse.objects.select_related("survey", "organisation"), pk=pk
    )
    if (
        not response.is_submitted
        or membership_get(user=request.user, organisation=response.organisation) is None
    ):
        raise Http404
    return _submitted_page(request, response)


urlpatterns = [
    path("surveys/<str:token>/", survey_answer, name="survey_answer"),
    path("surveys/<str:token>/autosave/", survey_autosave, name="survey_autosave"),
    path("portal/surveys/", survey_list, name="survey_list"),
    path("portal/surveys/responses/<int:pk>/", survey_response, name="survey_response"),
    path(
        "portal/surveys/responses/<int:pk>/needs/",
        survey_convert_needs,
        name="survey_convert_needs",
    ),
]
