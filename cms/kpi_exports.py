"""The year's KPIs as files for staff: a workbook of three sheets, and the PDF report that
goes to the ministry with the province's yearly report (fpdf2, as ADR 8 decides)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext

from cms.kpi import Result, Unit, YearReport
from startups.models import Indicator as ProgrammeIndicator
from techfloor import pdf
from techfloor.charts import format_number, format_percent
from techfloor.money import vnd
from techfloor.pdf import FONT_FAMILY
from techfloor.spreadsheets import to_xlsx_sheets

DISBURSED = ProgrammeIndicator.DISBURSED


def _number(value):
    """A figure as a spreadsheet number (Decimal shares become floats); None stays empty."""
    return None if value is None else (int(value) if value == int(value) else float(value))


def _status(result: Result) -> str:
    if result.target is None:
        return gettext("No target set")
    if result.is_met:
        return pgettext("KPI target", "Met")
    return pgettext("KPI target", "Not met")


def target_rows(report: YearReport) -> list[list]:
    rows = [
        [
            gettext("Indicator"),
            gettext("Unit"),
            gettext("Target"),
            gettext("Actual"),
            gettext("Progress (%)"),
            gettext("Status"),
        ]
    ]
    for result in report.results:
        rows.append(
            [
                result.label,
                str(Unit(result.unit).label),
                _number(result.target),
                _number(result.actual),
                _number(result.progress),
                _status(result),
            ]
        )
    return rows


def trend_rows(report: YearReport) -> list[list]:
    """One row per indicator and month: the month alone, and cumulated from 1 January."""
    rows = [
        [gettext("Indicator"), gettext("Month"), gettext("In the month"), gettext("Cumulative")]
    ]
    for result in report.results:
        for month in result.months:
            rows.append(
                [result.label, month.label, _number(month.value), _number(month.cumulative)]
            )
    return rows


def breakdown_rows(report: YearReport) -> list[list]:
    rows = [
        [
            gettext("Indicator"),
            gettext("Breakdown"),
            gettext("Group"),
            pgettext("figure of a KPI", "Value"),
            gettext("Counted items"),
        ]
    ]
    for result in report.results:
        for heading, figures in (
            (gettext("Province or city"), result.by_province),
            (gettext("Sector"), result.by_sector),
        ):
            for figure in figures:
                rows.append(
                    [result.label, heading, figure.label, _number(figure.value), figure.basis]
                )
    return rows


def report_xlsx(report: YearReport) -> bytes:
    """Targets, monthly trend and breakdowns, one sheet each, with numbers as numbers."""
    return to_xlsx_sheets(
        {
            gettext("Targets"): target_rows(report),
            gettext("Monthly trend"): trend_rows(report),
            gettext("Breakdowns"): breakdown_rows(report),
        }
    )


class _Report(pdf.Document):
    """The ministry report: paragraphs and tables of figures."""

    def grid(self, header: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
        self.set_font(FONT_FAMILY, size=9)
        aligns = ("LEFT", *("RIGHT",) * (len(widths) - 1))
        with self.table(col_widths=widths, line_height=5.5, text_align=aligns) as table:
            for values in [header, *rows]:
                row = table.row()
                for value in values:
                    row.cell(pdf.text(value))
        self.ln(3)


def report_pdf(report: YearReport, *, organisation: str) -> bytes:
    """The ministry's report: targets against actuals, how many were met, the breakdowns."""
    title = gettext("Science and technology market: targets and results %(year)s") % {
        "year": report.year
    }
    document = _Report(title=title, margin=18)
    document.line_of_text(organisation, size=11, bold=True, align="C")
    document.ln(2)
    document.line_of_text(title, size=14, bold=True, align="C")
    document.line_of_text(
        gettext("Drawn up on %(date)s from the data of the trading floor and the programmes.")
        % {"date": date_format(timezone.localdate())},
        size=9,
        align="C",
    )
    document.ln(4)
    document.line_of_text(
        gettext("%(met)s of %(targets)s targets met")
        % {"met": report.met_count, "targets": len(report.with_target)},
        size=12,
        bold=True,
    )
    document.ln(2)
    document.grid(
        [gettext("Indicator"), gettext("Target"), gettext("Actual"), gettext("Progress"), ""],
        [
            [
                result.label,
                result.target_display,
                result.actual_display,
                "" if result.progress is None else format_percent(result.progress),
                _status(result),
            ]
            for result in report.results
        ],
        (62, 34, 34, 18, 26),
    )
    for result in report.results:
        if not (result.by_province or result.by_sector):
            continue
        document.line_of_text(result.label, size=11, bold=True)
        document.ln(1)
        for heading, figures in (
            (gettext("Province or city"), result.by_province),
            (gettext("Sector"), result.by_sector),
        ):
            document.grid(
                [heading, result.label],
                [[figure.label, result.display(figure.value)] for figure in figures],
                (110, 64),
            )
    if report.programmes:
        document.line_of_text(gettext("Support programmes"), size=12, bold=True)
        document.ln(1)
    for programme in report.programmes:
        document.grid(
            [programme.title, gettext("Target"), gettext("Actual"), gettext("Progress")],
            [
                [
                    row.label,
                    *(
                        vnd(value) if row.indicator == DISBURSED else format_number(value)
                        for value in (row.target, row.actual)
                    ),
                    "" if row.percent is None else format_percent(row.percent),
                ]
                for row in programme.progress
            ],
            (86, 34, 34, 20),
        )
    return bytes(document.output())
