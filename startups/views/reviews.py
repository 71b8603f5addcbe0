"""Reviewers' pages: the declaration of conflicts of interest comes before anything of the
application is shown; then the application (without who applied, under blind review) and the
rubric. Council members fill their score sheets here too."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from startups.forms import CouncilScoreForm, DeclarationForm, ScoreForm
from startups.models import CouncilScore, CouncilSession, ReviewAssignment
from startups.selectors import applications as application_selectors
from startups.selectors import reviews as selectors
from startups.services import councils as council_services
from startups.services import reviews as services
from techfloor.errors import error_text


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    reviews = selectors.review_list_for_reviewer(reviewer=request.user)
    return render(request, "startups/review_list.html", {"reviews": reviews})


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(
        ReviewAssignment.objects.select_related("application__call", "application__organisation"),
        pk=pk,
        reviewer=request.user,
    )
    if review.conflict == ReviewAssignment.Conflict.DECLARED:
        raise Http404
    if review.conflict == ReviewAssignment.Conflict.UNDECLARED:
        return _declaration(request, review)
    if not selectors.review_may_read(review=review, user=request.user):
        raise Http404
    criteria = review.application.call.criteria.all()
    form = ScoreForm(
        request.POST or None,
        criteria=criteria,
        initial=ScoreForm.initial_for(review),
    )
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.review_score(
                review=review,
                actor=request.user,
                values=form.values(),
                comments=form.comments(),
                comment=form.cleaned_data["comment"],
                submit=submit,
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request, _("Your scores are submitted.") if submit else _("Your scores are saved.")
            )
            return redirect("startups:review_detail", pk=review.pk)
    application = review.application
    return render(
        request,
        "startups/review_detail.html",
        {
            "review": review,
            "application": application,
            "blind": application.call.blind_review,
            "answers": application_selectors.application_answers(application=application),
            "form": form,
        },
    )


def _declaration(request: HttpRequest, review: ReviewAssignment) -> HttpResponse:
    """What a reviewer sees before declaring: the call, never the application."""
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_declare(
                review=review,
                actor=request.user,
                has_conflict=form.cleaned_data["has_conflict"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "conflict_note" in error.message_dict:
                form.add_error("note", error.message_dict["conflict_note"])
            else:
                form.add_error(None, error_text(error))
        else:
            if form.cleaned_data["has_conflict"]:
                messages.info(
                    request, _("Thank you. Staff will ask another reviewer; this one is closed.")
                )
                return redirect("startups:review_list")
            return redirect("startups:review_detail", pk=review.pk)
    applicant = None if review.application.call.blind_review else review.application.organisation
    return render(
        request,
        "startups/review_declare.html",
        {"review": review, "call": review.application.call, "applicant": applicant, "form": form},
    )


@login_required
def council_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """A council member's score sheet for the session's agenda."""
    session = get_object_or_404(CouncilSession.objects.select_related("call"), pk=pk)
    member = session.members.filter(user=request.user).first()
    if member is None:
        raise Http404
    agenda = list(session.agenda.select_related("organisation").order_by("pk"))
    sheets = {sheet.application_id: sheet for sheet in CouncilScore.objects.filter(member=member)}
    if request.method == "POST":
        application = next(
            (item for item in agenda if str(item.pk) == request.POST.get("application")), None
        )
        form = CouncilScoreForm(request.POST, prefix=str(application.pk) if application else None)
        if application is None:
            raise Http404
        if form.is_valid():
            try:
                council_services.council_score(
                    session=session,
                    application=application,
                    actor=request.user,
                    **form.cleaned_data,
                )
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, error_text(error))
            else:
                messages.success(request, _("Score saved."))
            return redirect("startups:council_sheet", pk=session.pk)
        messages.error(request, _("Check the score and the recommendation."))
    scores = selectors.call_scores(call=session.call)
    rows = [
        {
            "application": application,
            "review_score": scores[application.pk].score,
            "sheet": sheets.get(application.pk),
            "form": CouncilScoreForm(
                prefix=str(application.pk),
                initial=CouncilScoreForm.initial_for(sheets.get(application.pk)),
            ),
        }
        for application in agenda
    ]
    return render(
        request,
        "startups/council_sheet.html",
        {"session": session, "member": member, "rows": rows},
    )


urlpatterns = [
    path("portal/reviews/", review_list, name="review_list"),
    path("portal/reviews/<int:pk>/", review_detail, name="review_detail"),
    path("portal/councils/<int:pk>/", council_sheet, name="council_sheet"),
]
