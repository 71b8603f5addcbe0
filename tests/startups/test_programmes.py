"""Programme KPIs: yearly targets against actuals computed from decisions, disbursements and
incubator upgrades; shown on the programme's public page."""

from __future__ import annotations

import datetime

import pytest

from accounts.models import Organisation
from startups.models import (
    Decision,
    Disbursement,
    IncubatorUpgrade,
    Indicator,
    ProgrammeTarget,
)
from startups.selectors.programmes import programme_progress
from tests.startups.factories import (
    ApplicationFactory,
    CallPageFactory,
    CouncilSessionFactory,
    IncubatorFactory,
    MilestoneFactory,
    ProgrammePageFactory,
    SupportAgreementFactory,
)

pytestmark = pytest.mark.django_db


def approve(call, kind, *, year=2026):
    application = ApplicationFactory(call=call, phase="approved", organisation__kind=kind)
    decision = Decision.objects.create(
        application=application, session=CouncilSessionFactory(call=call), outcome="approve"
    )
    moment = datetime.datetime(year, 6, 1, 9, tzinfo=datetime.UTC)
    Decision.objects.filter(pk=decision.pk).update(decided_at=moment)
    return application


def test_actuals_are_counted_from_the_data_against_the_targets():
    programme = ProgrammePageFactory()
    call = CallPageFactory(parent=programme)
    other_programme_call = CallPageFactory()
    for indicator, target in (
        (Indicator.IDEAS, 12),
        (Indicator.STARTUP_PROJECTS, 10),
        (Indicator.STARTUP_SMES, 5),
        (Indicator.INCUBATORS_UPGRADED, 2),
    ):
        ProgrammeTarget.objects.create(
            programme=programme, year=2026, indicator=indicator, target=target
        )
    approve(call, Organisation.Kind.STARTUP)
    approve(call, Organisation.Kind.STARTUP)
    funded = approve(call, Organisation.Kind.SME)
    approve(call, Organisation.Kind.STARTUP, year=2025)
    approve(other_programme_call, Organisation.Kind.STARTUP)
    ApplicationFactory(call=call, phase="council")  # not decided: not counted
    milestone = MilestoneFactory(
        agreement=SupportAgreementFactory(application=funded), amount=150_000_000
    )
    disbursement = Disbursement.objects.create(milestone=milestone, amount=150_000_000)
    Disbursement.objects.filter(pk=disbursement.pk).update(
        released_at=datetime.datetime(2026, 9, 1, 10, tzinfo=datetime.UTC)
    )
    IncubatorUpgrade.objects.create(
        incubator=IncubatorFactory(), programme=programme, year=2026, description="Phòng thí nghiệm"
    )

    progress = {row.indicator: row for row in programme_progress(programme=programme, year=2026)}

    assert {key: (row.target, row.actual) for key, row in progress.items()} == {
        "ideas": (12, 3),
        "startup_projects": (10, 2),
        "startup_smes": (5, 1),
        "incubators_upgraded": (2, 1),
        "disbursed": (None, 150_000_000),
    }
    assert (progress["ideas"].percent, progress["incubators_upgraded"].percent) == (25, 50)
    assert progress["disbursed"].percent is None
    assert not progress["ideas"].is_met


def test_the_programme_page_shows_progress_for_the_year_asked(client):
    programme = ProgrammePageFactory(starts_in=2025, ends_in=2027)
    ProgrammeTarget.objects.create(programme=programme, year=2025, indicator="ideas", target=4)
    approve(CallPageFactory(parent=programme), Organisation.Kind.STARTUP, year=2025)

    page = client.get(f"{programme.url}?year=2025").content.decode()
    unknown_year = client.get(f"{programme.url}?year=1999")

    assert '<option value="2025" selected>' in page
    assert 'value="25"' in page  # 1 of 4
    assert unknown_year.status_code == 200
