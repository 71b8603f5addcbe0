"""Charts drawn on the server as SVG, with no library and no script: bar, horizontal bar, line
and progress bar. Every chart is an image with a title and a description for screen readers
(``role="img"``), keeps its figures as rows for the data table that the template shows beside it
(``techfloor/chart.html``), escapes every label, formats numbers for the active locale
(1.250.000 in Vietnamese) and draws the same bytes for the same data, so pages cache and tests
compare. Values are non-negative: these charts count and sum things."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

Number = int | float | Decimal
Formatter = Callable[[Number], str]

# Presentation attributes rather than style attributes: the content security policy forbids
# inline styles, and the charts must look the same without the site's stylesheet.
BAR_COLOUR = "#1f5fa8"
TARGET_COLOUR = "#c2410c"
GRID_COLOUR = "#d0d7de"
TRACK_COLOUR = "#e9ecef"
TEXT_COLOUR = "#212529"
FONT = 'font-family="system-ui, sans-serif" font-size="12"'
LABEL_CHARACTERS = 28  # longer labels are cut on the chart; the table and tooltip keep them


@dataclass(frozen=True)
class Point:
    label: str
    value: Number


@dataclass(frozen=True)
class Chart:
    """An SVG chart and the rows of its data table fallback (label, formatted value)."""

    title: str
    description: str
    svg: SafeString
    rows: tuple[tuple[str, str], ...]

    def __html__(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return self.svg


def format_number(value: Number, decimal_places: int = 0) -> str:
    """A number as the active locale writes it: 1.250.000 or 12,5 in Vietnamese."""
    return formats.number_format(value, decimal_pos=decimal_places, force_grouping=True)


def format_percent(value: Number) -> str:
    """A percentage with one decimal, in the active locale: 37,5 %."""
    return f"{format_number(value, 1)}\N{NO-BREAK SPACE}%"


def bar_chart(
    points: Sequence[Point],
    *,
    title: str,
    description: str = "",
    value_format: Formatter = format_number,
    axis_labels: Sequence[str] | None = None,
    width: int = 640,
    height: int = 260,
) -> Chart:
    """Vertical bars, one per point, in the order given (months, years). ``axis_labels``, when
    given, are shorter labels under the bars ("1" … "12"); the table keeps the points' own."""
    _check(points)
    scale_top, step = nice_scale(max((p.value for p in points), default=0))
    ticks = _ticks(scale_top, step, value_format)
    left, right, top, bottom = _left_margin(ticks), 12, 12, 36
    plot_width, plot_height = width - left - right, height - top - bottom
    parts = _axis(left, top, plot_width, plot_height, ticks)
    names = _axis_names(points, axis_labels)
    slot = plot_width / max(len(points), 1)
    bar_width = slot * 0.7
    for index, point in enumerate(points):
        bar_height = plot_height * float(point.value) / scale_top
        x = left + index * slot + (slot - bar_width) / 2
        parts.append(
            f'<rect x="{_n(x)}" y="{_n(top + plot_height - bar_height)}" width="{_n(bar_width)}" '
            f'height="{_n(bar_height)}" fill="{BAR_COLOUR}">'
            f"<title>{_tooltip(point, value_format)}</title></rect>"
        )
        parts.append(
            f'<text x="{_n(x + bar_width / 2)}" y="{_n(top + plot_height + 18)}" '
            f'text-anchor="middle">{escape(names[index])}</text>'
        )
    return _chart(points, parts, title, description, width, height, value_format)


def horizontal_bar_chart(
    points: Sequence[Point],
    *,
    title: str,
    description: str = "",
    value_format: Formatter = format_number,
    width: int = 640,
) -> Chart:
    """Horizontal bars for a breakdown (by province, by sector): long labels stay readable."""
    _check(points)
    row, label_width, value_width, top = 26, 200, 110, 8
    height = top * 2 + row * max(len(points), 1)
    bar_space = width - label_width - value_width
    scale_top, _ = nice_scale(max((p.value for p in points), default=0))
    parts = []
    for index, point in enumerate(points):
        y = top + index * row
        bar_width = bar_space * float(point.value) / scale_top
        parts.append(
            f'<text x="{label_width - 8}" y="{_n(y + row / 2 + 4)}" text-anchor="end">'
            f"{escape(_short(point.label, LABEL_CHARACTERS))}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{_n(y + 4)}" width="{_n(bar_width)}" '
            f'height="{row - 8}" fill="{BAR_COLOUR}">'
            f"<title>{_tooltip(point, value_format)}</title></rect>"
        )
        parts.append(
            f'<text x="{_n(label_width + bar_width + 6)}" y="{_n(y + row / 2 + 4)}">'
            f"{escape(value_format(point.value))}</text>"
        )
    return _chart(points, parts, title, description, width, height, value_format)


def line_chart(
    points: Sequence[Point],
    *,
    title: str,
    description: str = "",
    target: Number | None = None,
    value_format: Formatter = format_number,
    axis_labels: Sequence[str] | None = None,
    width: int = 640,
    height: int = 260,
) -> Chart:
    """A line through the points in order (a monthly trend), with an optional dashed target;
    ``axis_labels`` as for the bar chart."""
    _check(points)
    highest = max([p.value for p in points] + ([target] if target is not None else []), default=0)
    scale_top, step = nice_scale(highest)
    ticks = _ticks(scale_top, step, value_format)
    left, right, top, bottom = _left_margin(ticks), 12, 12, 36
    plot_width, plot_height = width - left - right, height - top - bottom
    parts = _axis(left, top, plot_width, plot_height, ticks)
    names = _axis_names(points, axis_labels)
    slot = plot_width / max(len(points), 1)

    def y_of(value: Number) -> float:
        return top + plot_height - plot_height * float(value) / scale_top

    if target is not None:
        parts.append(
            f'<line x1="{left}" y1="{_n(y_of(target))}" x2="{left + plot_width}" '
            f'y2="{_n(y_of(target))}" stroke="{TARGET_COLOUR}" stroke-dasharray="6 4">'
            f"<title>{escape(gettext('Target'))}: {escape(value_format(target))}</title></line>"
        )
    coordinates = [(left + slot * (i + 0.5), y_of(p.value)) for i, p in enumerate(points)]
    if coordinates:
        path = " ".join(f"{_n(x)},{_n(y)}" for x, y in coordinates)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{BAR_COLOUR}" stroke-width="2"/>'
        )
    for (x, y), point, name in zip(coordinates, points, names, strict=True):
        parts.append(
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{BAR_COLOUR}">'
            f"<title>{_tooltip(point, value_format)}</title></circle>"
        )
        parts.append(
            f'<text x="{_n(x)}" y="{_n(top + plot_height + 18)}" text-anchor="middle">'
            f"{escape(name)}</text>"
        )
    return _chart(points, parts, title, description, width, height, value_format)


def progress_bar(
    value: Number,
    target: Number,
    *,
    title: str,
    value_format: Formatter = format_number,
    width: int = 320,
    height: int = 16,
) -> Chart:
    """How far ``value`` has come towards ``target``: the bar fills at 100 % and stops there."""
    if value < 0 or target < 0:
        raise ValueError("A progress bar shows non-negative figures.")
    share = float(value) / float(target) if target else 0.0
    filled = width * min(share, 1.0)
    description = gettext("%(value)s of %(target)s (%(percent)s)") % {
        "value": value_format(value),
        "target": value_format(target),
        "percent": format_percent(share * 100),
    }
    parts = [
        f'<rect x="0" y="0" width="{width}" height="{height}" rx="3" fill="{TRACK_COLOUR}"/>',
        f'<rect x="0" y="0" width="{_n(filled)}" height="{height}" rx="3" fill="{BAR_COLOUR}"/>',
    ]
    points = [Point(gettext("Actual"), value), Point(gettext("Target"), target)]
    return _chart(points, parts, title, description, width, height, value_format)


def nice_scale(maximum: Number, ticks: int = 4) -> tuple[float, float]:
    """The top of the axis and its step: round numbers (1, 2, 2.5 or 5 times a power of ten) so
    that ``ticks`` steps reach at least ``maximum``. An empty chart gets the scale 0–4."""
    maximum = float(maximum)
    if maximum <= 0:
        return float(ticks), 1.0
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return step * ticks, step


def _check(points: Sequence[Point]) -> None:
    if any(point.value < 0 for point in points):
        raise ValueError("These charts show non-negative figures.")


def _ticks(scale_top: float, step: float, value_format: Formatter) -> list[str]:
    """The values of the grid lines from 0 up, formatted."""
    values = [step * tick for tick in range(round(scale_top / step) + 1)]
    return [value_format(int(value) if float(value).is_integer() else value) for value in values]


def _left_margin(ticks: list[str]) -> int:
    """Room for the longest value on the axis (about 7 units a character at size 12)."""
    return max(40, 7 * max(len(tick) for tick in ticks) + 12)


def _axis_names(points: Sequence[Point], axis_labels: Sequence[str] | None) -> list[str]:
    if axis_labels is None:
        return [_short(point.label, 8) for point in points]
    if len(axis_labels) != len(points):
        raise ValueError("Give one axis label per point.")
    return list(axis_labels)


def _axis(
    left: int, top: int, plot_width: float, plot_height: float, ticks: list[str]
) -> list[str]:
    """Horizontal grid lines with their values on the left, the lowest being the baseline."""
    parts = []
    steps = len(ticks) - 1
    for index, label in enumerate(ticks):
        y = top + plot_height - plot_height * index / steps
        parts.append(
            f'<line x1="{left}" y1="{_n(y)}" x2="{_n(left + plot_width)}" y2="{_n(y)}" '
            f'stroke="{GRID_COLOUR}"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{_n(y + 4)}" text-anchor="end">{escape(label)}</text>'
        )
    return parts


def _chart(
    points: Sequence[Point],
    parts: list[str],
    title: str,
    description: str,
    width: int,
    height: int,
    value_format: Formatter,
) -> Chart:
    rows = tuple((str(point.label), value_format(point.value)) for point in points)
    # The same data gives the same ids, so two charts on a page differ and output is stable.
    digest = hashlib.sha256(repr((title, description, rows)).encode()).hexdigest()[:10]
    identifier = f"chart-{digest}"
    if not points:
        parts = [
            f'<text x="{width // 2}" y="{height // 2}" text-anchor="middle">'
            f"{escape(gettext('No data'))}</text>"
        ]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{identifier}-title {identifier}-desc" {FONT} fill="{TEXT_COLOUR}">'
        f'<title id="{identifier}-title">{escape(title)}</title>'
        f'<desc id="{identifier}-desc">{escape(description)}</desc>' + "".join(parts) + "</svg>"
    )
    return Chart(title=title, description=description, svg=mark_safe(svg), rows=rows)  # noqa: S308 every label and text above is escaped


def _tooltip(point: Point, value_format: Formatter) -> str:
    return f"{escape(point.label)}: {escape(value_format(point.value))}"


def _short(label: str, characters: int) -> str:
    label = str(label)
    return label if len(label) <= characters else label[: characters - 1] + "…"


def _n(number: float) -> str:
    """A coordinate with at most one decimal, never in the locale's format: SVG wants dots."""
    text = f"{number:.1f}"
    return text[:-2] if text.endswith(".0") else text
