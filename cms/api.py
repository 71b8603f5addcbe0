"""KPI aggregates in the REST API (/api/v1/kpi/) and as open data (/open-data/kpi.json, .csv):
the public statistics page's report (``kpi.year_report(public=True)``), so figures withheld
there to protect deal terms are withheld here too."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from cms import kpi
from cms.models import KpiTarget
from techfloor.api import LanguageMixin
from techfloor.spreadsheets import safe_cell

NUMBER = {"max_digits": 20, "decimal_places": 1, "coerce_to_string": False, "allow_null": True}


class FigureSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.DecimalField(**NUMBER)
    basis = serializers.IntegerField(help_text="How many facts the figure rests on.")


class MonthSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    value = serializers.DecimalField(**NUMBER)
    cumulative = serializers.DecimalField(**NUMBER)


class ResultSerializer(serializers.Serializer):
    indicator = serializers.ChoiceField(choices=kpi.Indicator.choices)
    label = serializers.CharField()
    unit = serializers.ChoiceField(choices=kpi.Unit.choices)
    target = serializers.DecimalField(**NUMBER)
    actual = serializers.DecimalField(**NUMBER)
    progress = serializers.DecimalField(**NUMBER, help_text="Actual over target, in percent.")
    basis = serializers.IntegerField()
    is_suppressed = serializers.BooleanField(
        help_text="Figures withheld: they rest on too few deals' values or terms."
    )
    months = MonthSerializer(many=True)
    by_province = FigureSerializer(many=True)
    by_sector = FigureSerializer(many=True)


class YearReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    results = ResultSerializer(many=True)


def public_report(year_text: str | None) -> kpi.YearReport:
    """The statistics page's report for ``year_text`` (one of the years with targets, or this
    year); a year the page does not offer is refused, naming the parameter."""
    years = KpiTarget.years()
    if year_text and not (year_text.isdigit() and int(year_text) in years):
        raise ValidationError({"year": [_("Choose one of %(years)s.") % {"years": years}]})
    year = int(year_text) if year_text else years[0]
    return kpi.year_report(year=year, targets=KpiTarget.for_year(year), public=True)


class KpiView(LanguageMixin, APIView):
    """The province's indicators for a year: targets, actuals, trend and breakdowns."""

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT)],
        responses=YearReportSerializer,
    )
    def get(self, request):
        report = public_report(request.query_params.get("year"))
        return Response(YearReportSerializer(report).data)


def _csv_rows(report: kpi.YearReport) -> Iterator[list]:
    yield ["year", "indicator", "unit", "target", "dimension", "key", "value", "basis"]
    for result in report.results:
        if result.is_suppressed:
            yield [report.year, result.indicator, result.unit, result.target, "total", "", "", ""]
            continue
        rows = [("total", "", result.actual, result.basis)]
        rows += [("month", month.number, month.value, "") for month in result.months]
        rows += [
            ("province", figure.label, figure.value, figure.basis) for figure in result.by_province
        ]
        rows += [
            ("sector", figure.label, figure.value, figure.basis) for figure in result.by_sector
        ]
        for dimension, key, value, basis in rows:
            yield [
                report.year,
                result.indicator,
                result.unit,
                result.target,
                dimension,
                key,
                value,
                basis,
            ]


class _Line:
    def write(self, value: str) -> str:
        return value


@require_GET
def kpi_json(request: HttpRequest) -> HttpResponse:
    try:
        report = public_report(request.GET.get("year"))
    except ValidationError as error:
        return JsonResponse(error.detail, status=400)
    content = JSONRenderer().render(YearReportSerializer(report).data)
    response = HttpResponse(content, content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def kpi_csv(request: HttpRequest) -> HttpResponse:
    try:
        report = public_report(request.GET.get("year"))
    except ValidationError as error:
        return JsonResponse(error.detail, status=400)
    writer = csv.writer(_Line())
    lines = (
        writer.writerow([safe_cell("" if value is None else value) for value in row])
        for row in _csv_rows(report)
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="kpi-{report.year}.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
