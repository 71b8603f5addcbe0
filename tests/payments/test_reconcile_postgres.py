"""Two staff marking the same transfer received at the same moment fulfil it once: real
threads, each on its own connection to a real PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import translation

from payments import services
from payments.models import Order
from tests.factories import MembershipFactory, StaffFactory
from tests.payments.conftest import TICKET

pytestmark = [
    # Each thread commits on its own connection: the test cannot run inside one transaction.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every write, so it cannot show that row locks prevent races",
    ),
]

THREADS = 2


def test_two_reconciliations_at_once_fulfil_the_order_once(tickets):
    # Given a pending order of two lines and two finance staff
    payer = MembershipFactory().user
    organisation = payer.memberships.get().organisation
    order = services.order_create(
        payer=payer, organisation=organisation, items=[(TICKET, 7, 2), (TICKET, 9, 1)]
    )
    staff = [StaffFactory(groups=["Finance"]) for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    results: list[object] = [None] * THREADS

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            with translation.override("en"):
                results[index] = services.order_mark_paid(
                    order=order, actor=staff[index], bank_reference=f"FT{index}"
                )
        except Exception as error:  # the test inspects whatever each thread met
            results[index] = error
        finally:
            connections.close_all()

    # When both mark it received at the same moment
    threads = [threading.Thread(target=run, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Then both see it paid by the same person, and each line was fulfilled exactly once
    assert not any(thread.is_alive() for thread in threads)
    assert all(isinstance(result, Order) for result in results), results
    assert len({(result.confirmed_by_id, result.paid_at) for result in results}) == 1
    assert sorted(tickets.fulfilled) == [(7, order.reference), (9, order.reference)]
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.bank_reference in {"FT0", "FT1"}
