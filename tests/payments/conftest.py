"""Fixtures of payments: a payer in their organisation, finance staff, and a test-only payable
that records what it was asked to deliver."""

from __future__ import annotations

import threading

import pytest

from accounts.models import Membership
from payments.payables import Description, register_payable, unregister_payable
from tests.factories import MembershipFactory, StaffFactory
from tests.payments.stripe_fakes import SECRET_KEY, WEBHOOK_SECRET, StripeServer

TICKET = "test_ticket"


class TicketPayable:
    """Event tickets priced by id (id 7 costs 350,000 ₫, id 8 is sold out, id 10 costs
    1,250,000 ₫); remembers each fulfilment and revocation so tests can count them."""

    PRICES = {7: 350_000, 8: 500_000, 9: 2_000_000_000_000, 10: 1_250_000}

    def __init__(self) -> None:
        self.fulfilled: list[tuple[int, str]] = []
        self.revoked: list[tuple[int, str]] = []
        self._lock = threading.Lock()

    def describe(self, payable_id: int) -> Description:
        return Description(f"Vé hội chợ công nghệ #{payable_id}", self.PRICES[payable_id])

    def fulfil(self, payable_id: int, order) -> None:
        with self._lock:
            self.fulfilled.append((payable_id, order.reference))

    def revoke(self, payable_id: int, order) -> None:
        with self._lock:
            self.revoked.append((payable_id, order.reference))

    def is_payable(self, payable_id: int, user) -> bool:
        return payable_id in self.PRICES and payable_id != 8


@pytest.fixture
def tickets():
    handler = TicketPayable()
    register_payable(TICKET, handler)
    yield handler
    unregister_payable(TICKET)


@pytest.fixture
def membership(db):
    return MembershipFactory(role=Membership.Role.MEMBER)


@pytest.fixture
def payer(membership):
    return membership.user


@pytest.fixture
def organisation(membership):
    return membership.organisation


@pytest.fixture
def finance(db):
    return StaffFactory(groups=["Finance"])


@pytest.fixture
def stripe_configured(settings):
    """Stripe switched on, with test keys; no request can leave the machine (no server)."""
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    return settings


@pytest.fixture
def stripe_server(stripe_configured):
    """A local Stripe API that records each request; the SDK's base URL points at it."""
    server = StripeServer().start()
    stripe_configured.STRIPE_API_BASE = server.base
    yield server
    server.stop()
