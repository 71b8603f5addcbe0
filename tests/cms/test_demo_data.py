import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from wagtail.models import Page

from accounts.models import Membership, Organisation, User
from cms.management.commands.demo_data import DEMO_PASSWORD, MEMBERS, STAFF_EMAIL
from market.models import Deal, Introduction, Listing

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        User.objects.count(),
        Membership.objects.count(),
        EmailAddress.objects.count(),
        Page.objects.count(),
        Listing.objects.count(),
        Introduction.objects.count(),
        Deal.objects.count(),
    )


def test_demo_data_is_idempotent(capsys):
    call_command("demo_data")
    first = _counts()
    call_command("demo_data")

    assert _counts() == first == (8, 5, 8, 33, 197, 8, 6)
    assert f"{STAFF_EMAIL} / {DEMO_PASSWORD}" in capsys.readouterr().out


def test_demo_data_spans_provinces_with_verified_organisations():
    call_command("demo_data")

    assert Listing.objects.order_by().values("province").distinct().count() >= 20
    assert Organisation.objects.order_by().values("province").distinct().count() >= 10
    assert set(Organisation.objects.values_list("verification_status", flat=True)) == {"verified"}
    assert Listing.objects.filter(status="published").count() >= 150
    assert set(Deal.objects.values_list("stage", flat=True)) == set(Deal.Stage.values)
    assert {row[0] for row in MEMBERS} <= set(User.objects.values_list("email", flat=True))


def test_the_demo_staff_user_can_log_in_and_is_a_curator(client):
    call_command("demo_data")
    staff = User.objects.get(email=STAFF_EMAIL)

    assert staff.is_staff and staff.groups.filter(name="Curators").exists()
    response = client.post("/vi/accounts/login/", {"login": STAFF_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_the_home_page_is_served_in_both_languages(client):
    call_command("demo_data")

    assert "Sàn giao dịch công nghệ và thiết bị" in client.get("/vi/").content.decode()
    assert "Technology and equipment trading floor" in client.get("/en/").content.decode()


def test_demo_data_runs_a_programme_with_an_open_call_incubators_and_mentors():
    from startups.models import CallPage, Expert, Incubator, ProgrammePage

    call_command("demo_data")

    assert ProgrammePage.objects.live().count() == 1
    call = CallPage.objects.live().get(call_type="startup_support")
    assert call.is_open() and call.criteria.count() == 4
    assert Incubator.objects.filter(is_public=True).count() == 3
    assert Expert.objects.filter(is_public=True, is_mentor=True).count() == 2
    staff = User.objects.get(email=STAFF_EMAIL)
    assert staff.groups.filter(name="Programme staff").exists()
