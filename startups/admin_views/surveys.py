"""Surveys for programme staff: every survey with its response rate; one survey's recipients
(invite organisations by kind, province and sector, remind those who have not answered) and
rates per province and sector; the results with charts; one response; the XLSX export."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from startups import exports
from startups.admin_views.base import StaffPageView, forbidden
from startups.admin_views.forms import ConfirmForm
from startups.models import Survey, SurveyResponse
from startups.selectors import surveys as selectors
from startups.selectors.access import is_programme_staff
from startups.services import surveys as services
from startups.survey_forms import InviteForm, RecipientFilterForm
from techfloor import spreadsheets
from techfloor.charts import Point, format_number, format_percent, horizontal_bar_chart
from techfloor.money import vnd

INVITATIONS_PER_PAGE = 50


class SurveyListView(StaffPageView):
    template_name = "startups/admin/survey_list.html"
    page_title = gettext_lazy("Surveys")
    header_icon = "list-ul"

    def get_context_data(self, **kwargs):
        rows = [
            {"survey": survey, "rates": selectors.survey_rates(survey=survey).total}
            for survey in Survey.objects.all()
        ]
        return {**super().get_context_data(**kwargs), "rows": rows}


class SurveyPageView(StaffPageView):
    """A page about one survey, with the way back to the list."""

    header_icon = "list-ul"

    def load(self, **kwargs) -> None:
        self.survey = get_object_or_404(Survey, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return self.survey.title

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("startups_admin:survey_list"), "label": _("Surveys")},
            {"url": "", "label": self.survey.title},
        ]


def _rate_chart(rates: list[selectors.Rate], title: str):
    return horizontal_bar_chart(
        [Point(rate.label, round(rate.answered_percent, 1)) for rate in rates],
        title=title,
        description=_("Share of the organisations sent the survey that answered it."),
        value_format=format_percent,
    )


class SurveyRecipientsView(SurveyPageView):
    template_name = "startups/admin/survey_recipients.html"
    page_title = gettext_lazy("Recipients and response rates")
    actions = {"invite": "invite", "remind": "remind"}

    def filters(self) -> RecipientFilterForm:
        form = RecipientFilterForm(self.request.GET or None)
        form.is_valid()
        return form

    def candidates(self):
        data = getattr(self.filters(), "cleaned_data", {})
        invited = self.survey.invitations.values("organisation_id")
        return selectors.organisation_list_for_survey(
            kind=data.get("kind", ""),
            province=data.get("province", ""),
            sector=data.get("sector"),
        ).exclude(pk__in=invited)

    def get_context_data(self, **kwargs):
        rates = selectors.survey_rates(survey=self.survey)
        candidates = self.candidates()
        invitations = Paginator(
            self.survey.invitations.select_related("organisation"), INVITATIONS_PER_PAGE
        ).get_page(self.request.GET.get("page"))
        answered = set(
            self.survey.responses.filter(submitted_at__isnull=False).values_list(
                "organisation_id", flat=True
            )
        )
        return {
            **super().get_context_data(**kwargs),
            "survey": self.survey,
            "rates": rates,
            "province_chart": _rate_chart(rates.by_province, _("Answered, by province")),
            "sector_chart": _rate_chart(rates.by_sector, _("Answered, by sector")),
            "filter_form": self.filters(),
            "invite_form": self.form(
                "invite",
                InviteForm(organisations=candidates, initial={"organisations": candidates}),
            ),
            "invitations": invitations,
            "answered": answered,
            "remind_form": ConfirmForm(),
        }

    def invite(self):
        form = InviteForm(self.request.POST, organisations=self.candidates())
        if not self.attempt(
            "invite",
            form,
            lambda: services.survey_invite(
                survey=self.survey,
                organisations=list(form.cleaned_data["organisations"]),
                actor=self.request.user,
                email=form.cleaned_data["email"],
            ),
        ):
            return None
        messages.success(
            self.request,
            ngettext(
                "%(count)s organisation invited.",
                "%(count)s organisations invited.",
                len(self.result),
            )
            % {"count": len(self.result)},
        )
        return redirect(self.request.get_full_path())

    def remind(self):
        if not self.attempt(
            "remind",
            ConfirmForm(self.request.POST),
            lambda: services.survey_remind(survey=self.survey, actor=self.request.user),
        ):
            return None
        messages.success(
            self.request,
            ngettext("%(count)s reminder sent.", "%(count)s reminders sent.", len(self.result))
            % {"count": len(self.result)},
        )
        return redirect("startups_admin:survey_recipients", pk=self.survey.pk)


def _two_decimals(value) -> str:
    return format_number(value, 2)


def _question_charts(survey: Survey, by: str) -> list:
    """One chart per counted question: how often each choice was chosen over all responses,
    and for numbers and amounts the mean (amounts: the sum) per group."""
    overall = selectors.survey_results(survey=survey)
    groups = selectors.survey_results(survey=survey, by=by)
    charts = []
    for question in selectors.counted_questions(survey=survey):
        if question["type"] == "choice":
            distribution = overall[0].questions[question["id"]].distribution if overall else {}
            points = [Point(c, distribution.get(c, 0)) for c in question.get("choices", [])]
            description = _("Responses choosing each answer.")
            value_format = format_number
        elif question["type"] == "money":
            points = [
                Point(group.label, int(group.questions[question["id"]].total)) for group in groups
            ]
            description = _("Sum of the amounts answered.")
            value_format = vnd
        else:
            points = [
                Point(group.label, round(group.questions[question["id"]].mean, 2))
                for group in groups
                if group.questions[question["id"]].count
            ]
            description = _("Mean of the numbers answered.")
            value_format = _two_decimals
        charts.append(
            horizontal_bar_chart(
                points, title=question["label"], description=description, value_format=value_format
            )
        )
    return charts


class SurveyResultsView(SurveyPageView):
    template_name = "startups/admin/survey_results.html"
    page_title = gettext_lazy("Survey results")

    def get_context_data(self, **kwargs):
        by = self.request.GET.get("by")
        by = by if by in selectors.GROUPINGS else "province"
        groups = selectors.survey_results(survey=self.survey, by=by)
        questions = selectors.counted_questions(survey=self.survey)
        table = [
            {
                "group": group,
                "cells": [(question, group.questions[question["id"]]) for question in questions],
            }
            for group in groups
        ]
        responses = Paginator(
            selectors.survey_response_list_submitted(survey=self.survey), INVITATIONS_PER_PAGE
        ).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            "survey": self.survey,
            "by": by,
            "groupings": [("province", _("Province")), ("sector", _("Sector"))],
            "questions": questions,
            "table": table,
            "responses_chart": horizontal_bar_chart(
                [Point(group.label, group.responses) for group in groups],
                title=_("Responses"),
                description=_("Submitted responses per group."),
            ),
            "charts": _question_charts(self.survey, by),
            "responses": responses,
        }


class SurveyResponseView(StaffPageView):
    template_name = "startups/admin/survey_response.html"
    page_title = gettext_lazy("Survey response")
    header_icon = "list-ul"

    def load(self, **kwargs) -> None:
        self.response = get_object_or_404(
            SurveyResponse.objects.select_related("survey", "organisation", "submitted_by"),
            pk=kwargs["pk"],
        )

    def get_page_subtitle(self):
        return self.response.organisation.legal_name

    def get_breadcrumbs_items(self):
        survey = self.response.survey
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("startups_admin:survey_list"), "label": _("Surveys")},
            {"url": reverse("startups_admin:survey_results", args=[survey.pk]), "label": survey},
            {"url": "", "label": self.response.organisation.legal_name},
        ]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "response": self.response,
            "answers": selectors.survey_response_answers(response=self.response),
            "needs": self.response.needs.select_related("listing"),
        }


def survey_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey's aggregates and its responses, one sheet each."""
    if not is_programme_staff(request.user):
        return forbidden(request)
    survey = get_object_or_404(Survey, pk=pk)
    return spreadsheets.workbook_response(
        {
            pgettext("spreadsheet", "Results"): exports.survey_aggregate_rows(survey=survey),
            pgettext("spreadsheet", "Responses"): exports.survey_response_rows(survey=survey),
        },
        filename=f"techfloor-survey-{survey.pk}-{timezone.localdate().isoformat()}",
    )


urlpatterns = [
    path("surveys/", SurveyListView.as_view(), name="survey_list"),
    path("surveys/<int:pk>/", SurveyRecipientsView.as_view(), name="survey_recipients"),
    path("surveys/<int:pk>/results/", SurveyResultsView.as_view(), name="survey_results"),
    path("surveys/<int:pk>/export.xlsx", survey_export, name="survey_export"),
    path("survey-responses/<int:pk>/", SurveyResponseView.as_view(), name="survey_response"),
]
