"""KPI aggregates in the API and as open data: the public statistics page's figures, no more."""

import csv
import io

import pytest
from django.utils import timezone

from cms import kpi
from cms.models import KpiTarget
from tests.factories import PublishedListingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    this_year = timezone.localdate().year
    KpiTarget.objects.create(year=this_year, indicator="listings_published", target=4)
    PublishedListingFactory()
    PublishedListingFactory()
    return this_year


def _result(data: dict, indicator: str) -> dict:
    return next(result for result in data["results"] if result["indicator"] == indicator)


def test_the_api_gives_the_statistics_pages_figures(client, year):
    data = client.get("/api/v1/kpi/", {"lang": "en"}).json()

    report = kpi.year_report(year=year, targets=KpiTarget.for_year(year), public=True)
    assert data["year"] == year
    assert [result["indicator"] for result in data["results"]] == [
        result.indicator for result in report.results
    ]
    listings = _result(data, "listings_published")
    assert (listings["actual"], listings["target"], listings["progress"]) == (2, 4, 50)
    assert listings["label"] == "Listings published"
    for result in report.results:
        if result.is_suppressed:
            assert _result(data, result.indicator)["actual"] is None


def test_open_data_kpi_files_match_the_api(client, year):
    api = client.get("/api/v1/kpi/").json()
    json_file = client.get("/open-data/kpi.json")
    csv_file = client.get("/open-data/kpi.csv")

    assert json_file.status_code == csv_file.status_code == 200
    assert json_file.json() == api
    text = b"".join(csv_file.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    total = next(
        row
        for row in rows
        if row["indicator"] == "listings_published" and row["dimension"] == "total"
    )
    assert (total["value"], total["basis"], total["year"]) == ("2", "2", str(year))


def test_a_year_without_figures_is_refused_naming_the_parameter(client, year):
    response = client.get("/api/v1/kpi/", {"year": "1999"})

    assert response.status_code == 400
    assert set(response.json()) == {"year"}
    assert client.get("/open-data/kpi.json", {"year": "x"}).status_code == 400
