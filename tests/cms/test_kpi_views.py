"""The KPI screens from the outside: staff's report, panel and exports, and the public page."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader
from wagtail.models import Page
from wagtail.users.models import UserProfile

from cms.kpi import Indicator
from cms.models import KpiTarget, StatisticsPage
from tests.cms import kpi_data
from tests.cms.kpi_data import YEAR
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REPORT = f"/admin/kpi/?year={YEAR}"
EXPORTS = [f"/admin/kpi/{YEAR}.xlsx", f"/admin/kpi/{YEAR}.pdf"]


@pytest.fixture
def data():
    return kpi_data.build()


@pytest.fixture
def kpi_client(curator, curator_client):
    """Staff who may view KPI targets, reading the admin in English."""
    curator.user_permissions.add(Permission.objects.get(codename="view_kpitarget"))
    profile = UserProfile.get_for_user(curator)
    profile.preferred_language = "en"
    profile.save()
    return curator_client


@pytest.fixture
def finance_client(curator, curator_client):
    """Staff of a group that does not follow the KPIs."""
    curator.groups.set([Group.objects.get(name="Finance")])
    return curator_client


@pytest.fixture
def statistics_page():
    home = Page.objects.get(depth=2, slug="home")
    page = StatisticsPage(title="Thống kê", slug="thong-ke")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.mark.parametrize("url", ["/admin/kpi/", *EXPORTS])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("url", ["/admin/kpi/", *EXPORTS])
def test_members_get_no_figures(client, url):
    client.force_login(UserFactory())

    response = client.get(url)

    # The admin sends whoever may not enter it to log in as someone who may.
    assert response.status_code == 302
    assert response["Location"] == f"/vi/accounts/login/?next={url}"


@pytest.mark.parametrize("url", ["/admin/kpi/", *EXPORTS])
def test_staff_without_the_permission_are_refused(finance_client, url):
    response = finance_client.get(url)

    # Wagtail turns the view's PermissionDenied into a way back to the admin home.
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_the_report_shows_targets_actuals_charts_and_breakdowns(kpi_client, data):
    response = kpi_client.get(REPORT)

    assert response.status_code == 200
    content = response.content.decode()
    assert "4 of 7 targets met" in content
    assert "VND\N{NO-BREAK SPACE}1,000,000,000" in content
    assert "Technology transactions: month by month" in content
    assert "Value of S&amp;T goods traded by province" in content
    # Staff see every cell, however few deals it rests on.
    assert "VND\N{NO-BREAK SPACE}400,000,000" in content
    assert content.count('role="img"') >= 8
    assert f'href="/admin/kpi/{YEAR}.pdf"' in content
    assert f"<caption>{kpi_data.PROGRAMME_TITLE}</caption>" in content


def test_the_admin_home_panel_shows_this_years_progress_to_kpi_staff(kpi_client, curator):
    KpiTarget.objects.create(
        year=timezone.localdate().year, indicator=Indicator.LISTINGS_PUBLISHED, target=10
    )

    content = kpi_client.get("/admin/").content.decode()

    assert 'id="kpi-targets-section"' in content
    assert "0 of 1 targets met" in content
    assert "Listings published" in content


def test_the_admin_home_has_no_kpi_panel_for_other_staff(finance_client):
    content = finance_client.get("/admin/").content.decode()

    assert 'id="kpi-targets-section"' not in content


def test_the_workbook_has_targets_trend_and_breakdowns(kpi_client, data):
    response = kpi_client.get(f"/admin/kpi/{YEAR}.xlsx")

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="techfloor-kpi-{YEAR}.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Targets", "Monthly trend", "Breakdowns"]
    targets = list(workbook["Targets"].values)
    assert targets[0] == ("Indicator", "Unit", "Target", "Actual", "Progress (%)", "Status")
    assert targets[1] == ("Technology transactions", "number", 4, 4, 100, "Met")
    assert targets[2] == (
        "Value of S&T goods traded",
        "VND",
        2_000_000_000,
        1_000_000_000,
        50,
        "Not met",
    )
    assert targets[3] == ("Share of IP transactions", "percent", 40, 50, 125, "Met")
    assert targets[8] == ("Listings published", "number", None, 2, None, "No target set")
    trend = list(workbook["Monthly trend"].values)
    assert trend[1] == ("Technology transactions", "01/2026", 1, 1)
    assert trend[3] == ("Technology transactions", "03/2026", 2, 3)
    assert len(trend) == 1 + 12 * 7  # every dated indicator; incubator upgrades have no months
    breakdowns = list(workbook["Breakdowns"].values)
    assert (
        "Value of S&T goods traded",
        "Province or city",
        "Đà Nẵng",
        400_000_000,
        1,
    ) in breakdowns


def test_the_ministry_report_is_a_pdf_with_the_figures(kpi_client, data):
    response = kpi_client.get(f"/admin/kpi/{YEAR}.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Science and technology market: targets and results 2026" in text
    assert "4 of 7 targets met" in text
    assert "1,000,000,000" in text
    assert "Huế" in text
    assert "33.3" in text  # needs connected: 1 of 3
    assert kpi_data.PROGRAMME_TITLE in text


def test_an_unknown_export_format_is_not_found(kpi_client):
    assert kpi_client.get(f"/admin/kpi/{YEAR}.csv").status_code == 404


def test_the_public_page_shows_aggregates_and_withholds_small_groups(data, statistics_page):
    response = Client().get(f"{statistics_page.url}?year={YEAR}")

    assert response.status_code == 200
    content = response.content.decode()
    assert f"Thống kê {YEAR}</h1>" in content  # a year, not the number 2.026
    assert "1.000.000.000\N{NO-BREAK SPACE}₫" in content  # the year's value, from four deals
    # No province's or sector's value resting on one or two deals, nor one deal's value.
    for amount in ("600.000.000", "400.000.000", "300.000.000", "500.000.000", "100.000.000"):
        assert amount not in content
    assert 'role="img"' in content
    assert "Huế" in content  # counts are published by province
    assert kpi_data.PROGRAMME_TITLE in content  # as public as the programme's own page


def test_the_public_page_falls_back_to_the_current_year(statistics_page):
    response = Client().get(f"{statistics_page.url}?year=abc")

    assert response.status_code == 200
    assert response.context["year"] in response.context["years"]


def test_kpi_staff_may_not_edit_targets_without_the_change_permission(kpi_client):
    response = kpi_client.get("/admin/snippets/cms/kpitarget/add/")

    assert response.status_code in (302, 403)


def test_staff_with_the_add_permission_set_targets_in_the_admin(kpi_client, curator):
    curator.user_permissions.add(Permission.objects.get(codename="add_kpitarget"))
    url = "/admin/snippets/cms/kpitarget/add/"

    refused = kpi_client.post(url, {"year": 2027, "indicator": "ip_share", "target": "120"})
    saved = kpi_client.post(url, {"year": 2027, "indicator": "ip_share", "target": "37.5"})

    assert refused.status_code == 200  # the form again, with the error on the field
    assert "A share is at most 100 percent." in refused.content.decode()
    assert saved.status_code == 302
    assert list(KpiTarget.objects.values_list("year", "indicator", "target")) == [
        (2027, "ip_share", Decimal("37.5"))
    ]


@pytest.mark.parametrize(("group", "may_edit"), [("Programme staff", True), ("Curators", False)])
def test_programme_staff_keep_the_targets_and_curators_follow_them(
    curator, curator_client, group, may_edit
):
    curator.groups.add(Group.objects.get(name=group))

    assert curator_client.get(REPORT).status_code == 200
    response = curator_client.get("/admin/snippets/cms/kpitarget/add/")
    assert (response.status_code == 200) is may_edit
