"""Fixtures of payments: a payer in their organisation, finance staff, and a test-only payable
that records what it was asked to deliver."""

from __future__ import annotations

import threading

import pytest

from accounts.models import Membership
from payments.payables import Description, register_payable, unregister_payable
from tests.factories import MembershipFactory, StaffFactory

TICKET = "test_ticket"


class TicketPayable:
    """Event tickets priced by id (id 7 costs 350,000 ₫, id 8 is sold out); remembers each
    fulfilment so tests can count them."""

    PRICES = {7: 350_000, 8: 500_000, 9: 2_000_000_000_000}

    def __init__(self) -> None:
        self.fulfilled: list[tuple[int, str]] = []
        self._lock = threading.Lock()

    def describe(self, payable_id: int) -> Description:
        return Description(f"Vé hội chợ công nghệ #{payable_id}", self.PRICES[payable_id])

    def fulfil(self, payable_id: int, order) -> None:
        with self._lock:
            self.fulfilled.append((payable_id, order.reference))

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
