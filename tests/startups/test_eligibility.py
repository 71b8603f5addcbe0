"""Each eligibility rule of a call, and SME size classes under Decree 80/2021/NĐ-CP."""

import datetime

import pytest

from accounts.models import Organisation, Sector
from accounts.provinces import Province
from startups.eligibility import BILLION, check_eligibility, full_years, size_class
from startups.models import SizeClass
from tests.factories import VerifiedOrganisationFactory
from tests.startups.factories import CallPageFactory

PRODUCTION = Organisation.BusinessArea.PRODUCTION
TRADE = Organisation.BusinessArea.TRADE_SERVICES
ON = datetime.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("area", "employees", "revenue", "capital", "expected"),
    [
        (PRODUCTION, 8, 2 * BILLION, None, SizeClass.MICRO),
        # Revenue above the micro limit, but capital within it: "revenue OR capital".
        (PRODUCTION, 8, 5 * BILLION, 3 * BILLION, SizeClass.MICRO),
        (PRODUCTION, 8, 5 * BILLION, 5 * BILLION, SizeClass.SMALL),
        (PRODUCTION, 11, 1 * BILLION, None, SizeClass.SMALL),
        (PRODUCTION, 150, 10 * BILLION, None, SizeClass.MEDIUM),
        (PRODUCTION, 201, 10 * BILLION, None, SizeClass.LARGE),
        (PRODUCTION, 100, 250 * BILLION, 150 * BILLION, SizeClass.LARGE),
        # Trade and services: 10 billion revenue is still micro, 60 employees already medium.
        (TRADE, 10, 10 * BILLION, None, SizeClass.MICRO),
        (TRADE, 60, 50 * BILLION, None, SizeClass.MEDIUM),
        (TRADE, 101, 1 * BILLION, None, SizeClass.LARGE),
    ],
)
def test_size_class(area, employees, revenue, capital, expected):
    assert (
        size_class(business_area=area, employees=employees, revenue=revenue, capital=capital)
        == expected
    )


@pytest.mark.parametrize(
    "facts",
    [
        {"business_area": "", "employees": 5, "revenue": BILLION, "capital": None},
        {"business_area": PRODUCTION, "employees": None, "revenue": BILLION, "capital": None},
        {"business_area": PRODUCTION, "employees": 5, "revenue": None, "capital": None},
    ],
)
def test_size_class_is_unknown_without_the_facts(facts):
    assert size_class(**facts) is None


def test_full_years_turn_on_the_anniversary():
    since = datetime.date(2021, 11, 25)
    assert full_years(since=since, on=datetime.date(2026, 11, 24)) == 4
    assert full_years(since=since, on=datetime.date(2026, 11, 25)) == 5


def _results(call, organisation):
    return {
        result.rule: result
        for result in check_eligibility(call=call, organisation=organisation, on=ON)
    }


@pytest.mark.django_db
def test_a_call_without_rules_has_nothing_to_check():
    assert (
        check_eligibility(call=CallPageFactory(), organisation=VerifiedOrganisationFactory()) == []
    )


@pytest.mark.django_db
def test_organisation_kind_rule():
    call = CallPageFactory(eligible_kinds=["startup", "sme"])

    startup = _results(call, VerifiedOrganisationFactory(kind="startup"))["kind"]
    institute = _results(call, VerifiedOrganisationFactory(kind="institute"))["kind"]

    assert startup.passed is True
    assert institute.passed is False
    assert institute.message == (
        "Organisation kind: Research institute; the call accepts Startup, "
        "Small or medium enterprise."
    )


@pytest.mark.django_db
def test_province_rule():
    call = CallPageFactory(eligible_provinces=[Province.DONG_THAP])

    assert _results(call, VerifiedOrganisationFactory(province=Province.DONG_THAP))[
        "province"
    ].passed
    assert not _results(call, VerifiedOrganisationFactory(province=Province.HA_NOI))[
        "province"
    ].passed


@pytest.mark.django_db
def test_years_since_establishment_rule():
    call = CallPageFactory(max_years_established=5)

    def established(on):
        return _results(call, VerifiedOrganisationFactory(established_on=on))["established"]

    five = established(datetime.date(2021, 11, 24))
    almost_six = established(datetime.date(2020, 11, 25))
    six = established(datetime.date(2020, 11, 24))
    unknown = established(None)

    assert five.passed is True
    assert five.message == "Established 5 full years ago; the call accepts at most 5."
    assert almost_six.passed is True
    assert six.passed is False
    assert unknown.passed is False
    assert unknown.message == "The organisation's profile does not say when it was established."


@pytest.mark.django_db
def test_size_class_rule():
    call = CallPageFactory(eligible_size_classes=[SizeClass.MICRO, SizeClass.SMALL])
    facts = {"business_area": PRODUCTION, "annual_revenue": 2 * BILLION}

    small = _results(call, VerifiedOrganisationFactory(employees=40, **facts))["size"]
    medium = _results(call, VerifiedOrganisationFactory(employees=150, **facts))["size"]
    unknown = _results(call, VerifiedOrganisationFactory())["size"]

    assert small.passed is True
    assert medium.passed is False
    assert medium.message == (
        "Size class: Medium enterprise; the call accepts Micro enterprise, Small enterprise."
    )
    assert unknown.passed is False


@pytest.mark.django_db
def test_sector_rule_accepts_sub_sectors_of_a_wanted_sector():
    parent = Sector.objects.filter(parent=None).first()
    child = parent.children.first()
    other_child = Sector.objects.exclude(parent=None).exclude(parent=parent).first()
    call = CallPageFactory()
    call.eligible_sectors.set([parent])
    call.save()
    inside = VerifiedOrganisationFactory()
    inside.sectors.set([child])
    outside = VerifiedOrganisationFactory()
    outside.sectors.set([other_child])

    assert _results(call, inside)["sector"].passed is True
    assert _results(call, outside)["sector"].passed is False
    assert _results(call, VerifiedOrganisationFactory())["sector"].passed is False
