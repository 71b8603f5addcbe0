import re
from xml.etree import ElementTree

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from techfloor import charts
from techfloor.charts import Point
from techfloor.money import vnd

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = [Point(f"T{month}", value) for month, value in enumerate([3, 0, 5, 12], start=1)]


def parse(chart):
    return ElementTree.fromstring(str(chart.svg))  # noqa: S314 our own output, not a visitor's


@pytest.mark.parametrize("draw", [charts.bar_chart, charts.horizontal_bar_chart, charts.line_chart])
def test_a_chart_is_an_image_with_its_title_and_description(draw):
    chart = draw(MONTHS, title="Deals per month", description="Closed won, 2026")

    root = parse(chart)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Deals per month"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}desc").text == "Closed won, 2026"


def test_the_same_data_draws_the_same_bytes_and_other_data_other_ids():
    first = charts.bar_chart(MONTHS, title="Deals")
    again = charts.bar_chart(list(MONTHS), title="Deals")
    other = charts.bar_chart(MONTHS[:2], title="Deals")

    assert first.svg == again.svg
    assert parse(first).get("aria-labelledby") != parse(other).get("aria-labelledby")


def test_bars_are_as_tall_as_their_values_on_a_round_scale():
    chart = charts.bar_chart([Point("a", 10), Point("b", 5), Point("c", 0)], title="t")

    heights = [float(rect.get("height")) for rect in parse(chart).iter(f"{SVG}rect")]
    # Plot height 260 - 12 - 36 = 212 on a 0–10 scale (four steps of 2.5).
    assert heights == [212.0, 106.0, 0.0]


def test_labels_are_escaped_everywhere():
    label = '<script>alert("x")</script> & Co'
    for draw in (charts.bar_chart, charts.horizontal_bar_chart, charts.line_chart):
        chart = draw([Point(label, 1)], title="<b>Title</b>", description="a < b")
        assert "<script>" not in chart.svg
        assert "<b>" not in chart.svg
        root = parse(chart)  # still well-formed XML
        assert root.find(f"{SVG}title").text == "<b>Title</b>"


def test_long_labels_are_cut_on_the_chart_but_kept_in_the_tooltip_and_table():
    label = "Nông nghiệp, lâm nghiệp và thủy sản công nghệ cao"
    chart = charts.horizontal_bar_chart([Point(label, 4)], title="By sector")

    texts = [text.text for text in parse(chart).iter(f"{SVG}text")]
    assert texts[0] == label[:27] + "…"
    assert parse(chart).find(f"{SVG}rect/{SVG}title").text == f"{label}: 4"
    assert chart.rows == ((label, "4"),)


@pytest.mark.parametrize(("language", "expected"), [("vi", "1.250.000"), ("en", "1,250,000")])
def test_numbers_are_written_in_the_active_language(language, expected):
    with translation.override(language):
        chart = charts.horizontal_bar_chart([Point("Huế", 1250000)], title="Value")
    assert chart.rows == (("Huế", expected),)
    assert f">{expected}</text>" in chart.svg


def test_a_value_format_such_as_vnd_is_used_for_rows_and_axis():
    with translation.override("vi"):
        chart = charts.bar_chart([Point("T1", 2_000_000)], title="Value", value_format=vnd)
    assert chart.rows == (("T1", "2.000.000\N{NO-BREAK SPACE}₫"),)
    assert "500.000\N{NO-BREAK SPACE}₫</text>" in chart.svg  # an axis step


def test_the_line_chart_draws_one_point_per_month_and_a_dashed_target():
    chart = charts.line_chart(MONTHS, title="Trend", target=20)

    root = parse(chart)
    assert len(root.findall(f"{SVG}circle")) == 4
    polyline = root.find(f"{SVG}polyline").get("points").split()
    assert len(polyline) == 4
    target = root.find(f"{SVG}line[@stroke-dasharray]")
    # Scale 0–20 (step 5): the target sits on the top grid line, y = 12.
    assert target.get("y1") == "12"


def test_the_progress_bar_fills_in_proportion_and_stops_at_the_end():
    with translation.override("en"):
        half = charts.progress_bar(17, 43, title="Targets met")
        over = charts.progress_bar(150, 100, title="Deals")
        none = charts.progress_bar(0, 0, title="Nothing set")

    assert parse(half).findall(f"{SVG}rect")[1].get("width") == "126.5"  # 320 × 17/43
    assert parse(half).find(f"{SVG}desc").text == "17 of 43 (39.5\N{NO-BREAK SPACE}%)"
    assert parse(over).findall(f"{SVG}rect")[1].get("width") == "320"
    assert parse(none).findall(f"{SVG}rect")[1].get("width") == "0"


def test_an_empty_chart_says_there_is_no_data():
    with translation.override("en"):
        chart = charts.bar_chart([], title="Nothing yet")
    assert [text.text for text in parse(chart).iter(f"{SVG}text")] == ["No data"]
    assert chart.rows == ()


def test_negative_values_are_refused():
    with pytest.raises(ValueError, match="non-negative"):
        charts.bar_chart([Point("a", -1)], title="t")


@pytest.mark.parametrize(
    ("maximum", "scale"),
    [
        (0, (4.0, 1.0)),
        (3, (4.0, 1.0)),
        (10, (10.0, 2.5)),
        (12, (20.0, 5.0)),
        (950, (1000.0, 250.0)),
    ],
)
def test_the_scale_is_round_and_reaches_the_maximum(maximum, scale):
    assert charts.nice_scale(maximum) == scale


def test_the_template_shows_the_chart_and_its_figures_as_a_table():
    with translation.override("en"):
        chart = charts.horizontal_bar_chart(
            [Point("Huế", 3), Point("<Đà Nẵng>", 5)], title="Deals by province"
        )
        html = render_to_string(
            "techfloor/chart.html", {"chart": chart, "label_header": "Province"}
        )

    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html  # not escaped by the template
    assert re.search(r'<th scope="row">&lt;Đà Nẵng&gt;</th><td class="text-end">5</td>', html)
    assert '<th scope="col">Province</th>' in html
    assert '<th scope="col" class="text-end">Value</th>' in html  # the default header
    assert "<caption>Deals by province</caption>" in html


def test_axis_labels_replace_the_point_labels_under_the_chart_but_not_in_the_table():
    chart = charts.line_chart(MONTHS, title="Trend", axis_labels=["1", "2", "3", "4"])

    assert [text.text for text in parse(chart).iter(f"{SVG}text")][-4:] == ["1", "2", "3", "4"]
    assert [label for label, _value in chart.rows] == ["T1", "T2", "T3", "T4"]
    with pytest.raises(ValueError, match="one axis label per point"):
        charts.bar_chart(MONTHS, title="Trend", axis_labels=["1"])


def test_the_axis_leaves_room_for_long_values():
    with translation.override("vi"):
        chart = charts.line_chart([Point("T1", 2_000_000_000)], title="Value", value_format=vnd)

    root = parse(chart)
    assert root.find(f"{SVG}text").text == "0\N{NO-BREAK SPACE}₫"
    # "2.000.000.000 ₫" is 15 characters: 7 units each and a gap of 12.
    assert root.find(f"{SVG}line").get("x1") == "117"
