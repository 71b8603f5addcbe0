"""KPI targets set by staff, and the public statistics page (docs/kpi-dashboard.md)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page

from cms import kpi
from cms.kpi import Indicator
from cms.kpi_charts import result_charts


class KpiTarget(models.Model):
    """A province's target for one indicator in one year; actuals come from the data."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    indicator = models.CharField(_("indicator"), max_length=24, choices=Indicator.choices)
    target = models.DecimalField(
        _("target"),
        max_digits=18,
        decimal_places=1,
        validators=[MinValueValidator(0)],
        help_text=_("A number; VND for the value traded; percent for the share of IP."),
    )
    note = models.TextField(_("note"), blank=True, help_text=_("Where the target comes from."))

    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("indicator"), FieldPanel("target")]),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["-year", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "indicator"],
                name="kpi_target_one_per_year_and_indicator",
                violation_error_message=_("This indicator already has a target for the year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {self.year}"

    @property
    def unit(self) -> str:
        """The indicator's unit: taken from the indicator, so the two cannot disagree."""
        return kpi.DEFINITIONS[self.indicator].unit.label if self.indicator else ""

    def clean(self) -> None:
        if self.target is None or not self.indicator:
            return
        unit = kpi.DEFINITIONS[self.indicator].unit
        if unit == kpi.Unit.PERCENT and self.target > 100:
            raise ValidationError({"target": _("A share is at most 100 percent.")})
        if unit != kpi.Unit.PERCENT and self.target != int(self.target):
            raise ValidationError({"target": _("Give a whole number for this indicator.")})

    @classmethod
    def for_year(cls, year: int) -> dict[str, Decimal]:
        """The year's targets by indicator."""
        return dict(cls.objects.filter(year=year).values_list("indicator", "target"))

    @classmethod
    def years(cls) -> list[int]:
        """Years with targets, and the current one, newest first."""
        years = set(cls.objects.values_list("year", flat=True)) | {timezone.localdate().year}
        return sorted(years, reverse=True)


def report_year(value: str | None, years: list[int]) -> int:
    """The year asked for in the query string when it is one of ``years``, else the first."""
    return int(value) if value and value.isdigit() and int(value) in years else years[0]


class StatisticsPage(Page):
    """Public statistics: the year's targets and actuals in aggregates only; figures that
    rest on fewer than three deals' values or terms are withheld (``kpi.PUBLIC_MINIMUM_DEALS``)."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    # The figures themselves are at /api/v1/kpi/, withheld as the page withholds them.
    api_fields = [APIField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("statistics page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        years = KpiTarget.years()
        year = report_year(request.GET.get("year"), years)
        report = kpi.year_report(year=year, targets=KpiTarget.for_year(year), public=True)
        context.update(
            year=year,
            years=years,
            report=report,
            rows=[(result, result_charts(result)) for result in report.results],
            minimum_deals=kpi.PUBLIC_MINIMUM_DEALS,
        )
        return context
