"""Fixtures for the whole suite; factories live in tests/factories.py."""

from __future__ import annotations

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from tests.factories import PASSWORD, StaffFactory, UserFactory


@pytest.fixture(autouse=True)
def _english_messages():
    """Unit tests read messages in English; HTTP tests choose the language by URL prefix."""
    with translation.override("en"):
        yield


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff_totp_secret() -> str:
    return pyotp.random_base32()


@pytest.fixture
def curator(db, staff_totp_secret):
    """A curator who has set up TOTP, as every staff account must before the admin."""
    staff = StaffFactory()
    TOTP.activate(staff, staff_totp_secret)
    return staff


def login_with_totp(client: Client, *, user, secret: str) -> None:
    """Log in through allauth's real two-stage flow: password, then the TOTP code."""
    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    assert response["Location"] == "/en/accounts/2fa/authenticate/"
    response = client.post("/en/accounts/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302, response.content


@pytest.fixture
def curator_client(client, curator, staff_totp_secret):
    login_with_totp(client, user=curator, secret=staff_totp_secret)
    return client


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the floor's shared counts live there)."""
    cache.clear()
    yield
    cache.clear()
