"""Technology-capacity and needs surveys: staff build the form, invite organisations with a
personal link each, and collect one response per organisation; needs answered in a response
may become draft needs on the trading floor."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField, StreamField

from accounts.models import Organisation
from startups.blocks import SurveyFormBlock, form_as_data


def new_survey_token() -> str:
    """A personal link's secret: 256 random bits, never derived from anything guessable."""
    return secrets.token_urlsafe(32)


class Survey(models.Model):
    """A survey of enterprises' production, technology level and needs for innovation. It is
    a snippet, not a page: nothing lists it publicly, only personal links lead to it."""

    title = models.CharField(_("title"), max_length=255)
    intro = RichTextField(_("introduction"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    form = StreamField(
        SurveyFormBlock(),
        verbose_name=_("questions"),
        help_text=_(
            "Group questions under sections. Answers to a “Technology needs” table can become "
            "draft needs on the trading floor."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("Window")),
        FieldPanel("form"),
    ]

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A survey closes after it opens.")})

    def is_open(self, at=None) -> bool:
        """Open from ``opens_at`` up to, but not including, ``closes_at``."""
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    def form_definition(self) -> list[dict]:
        """The form as plain data, frozen onto each response when it is started."""
        return form_as_data(self.form)


class SurveyInvitation(models.Model):
    """One organisation asked to answer: its personal link and what became of it."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="invitations"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="survey_invitations",
    )
    emails = models.JSONField(_("sent to"), default=list)
    token = models.CharField(max_length=64, unique=True, default=new_survey_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["organisation__legal_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "organisation"],
                name="survey_invitation_one_per_organisation",
                violation_error_message=_("This organisation is already invited."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.organisation}"


class SurveyResponse(models.Model):
    """An organisation's answers, against the copy of the form it answered."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="survey_responses",
    )
    form = models.JSONField(_("form answered"), default=list, editable=False)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when answered through the personal link without logging in."),
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "organisation"], name="survey_response_one_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.organisation}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    def need_rows(self) -> list[tuple[str, int, dict]]:
        """Every answered row of the form's needs tables: (question id, row number, row)."""
        return [
            (question["id"], index, row)
            for question in self.form
            if question["type"] == "needs"
            for index, row in enumerate(self.answers.get(question["id"]) or [])
        ]


class SurveyNeed(models.Model):
    """Which draft need a row of a response became, so converting twice creates nothing."""

    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="needs", verbose_name=_("response")
    )
    question_id = models.CharField(_("question"), max_length=64)
    row = models.PositiveSmallIntegerField(_("row"))
    listing = models.OneToOneField(
        "market.Listing",
        verbose_name=_("draft need"),
        on_delete=models.CASCADE,
        related_name="survey_need",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("need from a survey")
        verbose_name_plural = _("needs from surveys")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question_id", "row"], name="survey_need_one_per_row"
            )
        ]

    def __str__(self) -> str:
        return str(self.listing)
