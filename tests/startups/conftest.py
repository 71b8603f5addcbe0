"""Fixtures of startup support: people in their roles and an application ready to submit."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from accounts.models import Membership
from tests.factories import MembershipFactory, StaffFactory, UserFactory
from tests.startups.factories import ApplicationFactory


@pytest.fixture
def programme_staff(db):
    return StaffFactory(groups=["Programme staff"])


@pytest.fixture
def finance(db):
    return StaffFactory(groups=["Finance"])


@pytest.fixture
def reviewer(db):
    user = UserFactory(full_name="PGS.TS. Trần Thị Bình")
    user.groups.add(Group.objects.get(name="Reviewers"))
    return user


@pytest.fixture
def application(db):
    """A draft of a verified startup, every required question answered, owned by ``applicant``."""
    application = ApplicationFactory()
    application.answers = {
        question["id"]: answer
        for question, answer in zip(
            application.form, ["Giám sát độ ẩm vườn sầu riêng bằng IoT.", 450_000_000], strict=False
        )
    }
    application.save()
    MembershipFactory(
        user=application.created_by,
        organisation=application.organisation,
        role=Membership.Role.OWNER,
    )
    return application


@pytest.fixture
def applicant(application):
    return application.created_by
