"""The KPI figures drawn as charts, the same on the admin report and the public page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cms.kpi import Result, Unit, format_value
from techfloor import charts
from techfloor.charts import Point


def result_charts(result: Result) -> dict[str, charts.Chart | None]:
    """Progress, cumulative monthly trend against the target, and both breakdowns."""

    def value_format(value):
        return format_value(value, result.unit)

    progress = None
    if result.target and result.actual is not None:
        progress = charts.progress_bar(
            result.actual, result.target, title=result.label, value_format=value_format
        )
    trend = None
    if result.months:
        trend = charts.line_chart(
            [Point(month.label, month.cumulative or 0) for month in result.months],
            title=_("%(indicator)s: month by month") % {"indicator": result.label},
            description=_("Cumulative from 1 January, against the year's target.")
            if result.unit != Unit.PERCENT
            else _("Share among the deals closed from 1 January to the end of each month."),
            target=result.target,
            value_format=value_format,
            axis_labels=[str(month.number) for month in result.months],
        )
    return {
        "progress": progress,
        "trend": trend,
        "by_province": _breakdown(
            result.by_province,
            _("%(indicator)s by province") % {"indicator": result.label},
            value_format,
        ),
        "by_sector": _breakdown(
            result.by_sector,
            _("%(indicator)s by sector") % {"indicator": result.label},
            value_format,
        ),
    }


def _breakdown(figures, title: str, value_format) -> charts.Chart | None:
    if not figures:
        return None
    return charts.horizontal_bar_chart(
        [Point(figure.label, figure.value or 0) for figure in figures],
        title=title,
        value_format=value_format,
    )
