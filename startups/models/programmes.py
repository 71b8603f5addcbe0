"""Programmes (support projects with yearly targets) and their calls, both Wagtail pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from accounts.models import Organisation, Sector
from accounts.provinces import Province
from startups.blocks import ApplicationFormBlock, SupportBlock, form_as_data
from startups.fields import ChoiceListField
from startups.workflows import Workflow, call_type_choices, workflow_for


class Indicator(models.TextChoices):
    """What a programme promises each year, counted by ``selectors.programme_actuals``."""

    IDEAS = "ideas", _("Ideas and projects supported")
    STARTUP_PROJECTS = "startup_projects", _("Startup projects supported")
    STARTUP_SMES = "startup_smes", _("Startup SMEs supported")
    INCUBATORS_UPGRADED = "incubators_upgraded", _("Incubators upgraded")
    DISBURSED = "disbursed", _("Money disbursed (VND)")


class SizeClass(models.TextChoices):
    """SME size classes of Decree 80/2021/NĐ-CP; ``large`` is everything above medium."""

    MICRO = "micro", _("Micro enterprise")
    SMALL = "small", _("Small enterprise")
    MEDIUM = "medium", _("Medium enterprise")
    LARGE = "large", _("Large enterprise")


class ProgrammePage(Page):
    """A support project of the province, e.g. "Đề án hỗ trợ khởi nghiệp 2026–2030"."""

    intro = RichTextField(_("introduction"), blank=True)
    starts_in = models.PositiveSmallIntegerField(_("first year"))
    ends_in = models.PositiveSmallIntegerField(_("last year"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("starts_in"), FieldPanel("ends_in")]),
        InlinePanel("targets", label=_("Yearly targets")),
    ]
    api_fields = [APIField("intro"), APIField("starts_in"), APIField("ends_in")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["startups.CallPage"]

    class Meta:
        verbose_name = _("support programme")

    def clean(self) -> None:
        super().clean()
        if self.starts_in and self.ends_in and self.ends_in < self.starts_in:
            raise ValidationError({"ends_in": _("The last year comes before the first.")})

    def get_context(self, request, *args, **kwargs):
        # Selectors import the models; importing them here at call time avoids the cycle.
        from startups.selectors.applications import call_list_public
        from startups.selectors.programmes import programme_progress

        context = super().get_context(request, *args, **kwargs)
        year = self.report_year(request.GET.get("year"))
        context["calls"] = call_list_public(programme=self)
        context["year"] = year
        context["years"] = range(self.starts_in, self.ends_in + 1)
        context["progress"] = programme_progress(programme=self, year=year)
        return context

    def report_year(self, asked: str | None) -> int:
        """The year asked for when it is one of the programme's, else this year within them."""
        years = range(self.starts_in, self.ends_in + 1)
        if asked and asked.isdigit() and int(asked) in years:
            return int(asked)
        return min(max(timezone.localdate().year, self.starts_in), self.ends_in)


class ProgrammeTarget(Orderable):
    programme = ParentalKey(ProgrammePage, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    indicator = models.CharField(_("indicator"), max_length=24, choices=Indicator.choices)
    target = models.PositiveBigIntegerField(_("target"))

    panels = [FieldRowPanel([FieldPanel("year"), FieldPanel("indicator"), FieldPanel("target")])]

    class Meta(Orderable.Meta):
        verbose_name = _("yearly target")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "indicator"], name="programme_target_unique"
            )
        ]


class CallPage(Page):
    """A call for applications: its window, eligibility, support, form, rubric and workflow."""

    call_type = models.CharField(
        _("call type"), max_length=40, choices=call_type_choices, default="startup_support"
    )
    intro = RichTextField(_("introduction"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    # Eligibility, checked automatically when an application is submitted; empty = any.
    eligible_kinds = ChoiceListField(_("organisation kinds"), choices_from=Organisation.Kind)
    eligible_provinces = ChoiceListField(_("provinces"), choices_from=Province)
    max_years_established = models.PositiveSmallIntegerField(
        _("established at most (years ago)"), null=True, blank=True
    )
    eligible_size_classes = ChoiceListField(_("size classes"), choices_from=SizeClass)
    eligible_sectors = ParentalManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="+"
    )
    support = StreamField(SupportBlock(), verbose_name=_("support offered"), blank=True)
    quota = models.PositiveIntegerField(
        _("quota"), null=True, blank=True, help_text=_("How many applications may be approved.")
    )
    budget = models.PositiveBigIntegerField(_("budget (VND)"), null=True, blank=True)
    application_form = StreamField(ApplicationFormBlock(), verbose_name=_("application form"))
    blind_review = models.BooleanField(
        _("blind review"), default=False, help_text=_("Reviewers never see who applied.")
    )
    normalise_scores = models.BooleanField(
        _("normalise each reviewer's scores"),
        default=False,
        help_text=_("Removes the difference between lenient and strict reviewers."),
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(15)],
    )
    review_deadline = models.DateTimeField(_("review deadline"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("call_type"),
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("Window")),
        MultiFieldPanel(
            [
                FieldPanel("eligible_kinds"),
                FieldPanel("eligible_provinces"),
                FieldPanel("max_years_established"),
                FieldPanel("eligible_size_classes"),
                FieldPanel("eligible_sectors"),
            ],
            heading=_("Eligibility"),
        ),
        FieldPanel("support"),
        FieldRowPanel([FieldPanel("quota"), FieldPanel("budget")]),
        FieldPanel("application_form"),
        MultiFieldPanel(
            [
                InlinePanel("criteria", label=_("Criteria"), min_num=1),
                FieldPanel("blind_review"),
                FieldPanel("normalise_scores"),
                FieldPanel("reviewers_per_application"),
                FieldPanel("review_deadline"),
            ],
            heading=_("Review"),
        ),
    ]
    # As /api/v1/calls/ shows a call; its form, rubric and review settings stay out.
    api_fields = [
        APIField("call_type"),
        APIField("intro"),
        APIField("opens_at"),
        APIField("closes_at"),
        APIField("eligible_kinds"),
        APIField("eligible_provinces"),
        APIField("max_years_established"),
        APIField("support"),
        APIField("quota"),
        APIField("budget"),
    ]
    parent_page_types = ["startups.ProgrammePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("call for applications")

    def clean(self) -> None:
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A call closes after it opens.")})

    @property
    def workflow(self) -> Workflow:
        return workflow_for(self.call_type)

    @property
    def programme(self) -> ProgrammePage:
        return self.get_parent().specific

    def is_open(self, at=None) -> bool:
        """Open from ``opens_at`` up to, but not including, ``closes_at``."""
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    def form_definition(self) -> list[dict]:
        """The form as plain data, frozen onto each application when it is created."""
        return form_as_data(self.application_form)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["is_open"] = self.is_open()
        return context


class RubricCriterion(Orderable):
    """One scored criterion: its weight counts in the weighted mean, N/A never counts."""

    call = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("what reviewers look for"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0.01)]
    )
    scale = models.PositiveSmallIntegerField(
        _("highest score"), default=10, validators=[MinValueValidator(1)]
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("weight"), FieldPanel("scale")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")

    def __str__(self) -> str:
        return self.name
