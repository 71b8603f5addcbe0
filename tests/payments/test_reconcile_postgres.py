"""Two staff marking the same transfer received at the same moment fulfil it once: real
threads, each on its own connection to a real PostgreSQL."""

from __future__ import annotations

from django.contrib.auth.models import Permission

from payments import services
from payments.models import Order
from tests.concurrency import POSTGRES_RACE, race
from tests.factories import MembershipFactory, StaffFactory
from tests.payments.conftest import TICKET

pytestmark = POSTGRES_RACE

THREADS = 2


def test_two_reconciliations_at_once_fulfil_the_order_once(tickets):
    # Given a pending order of two lines and two finance staff
    payer = MembershipFactory().user
    organisation = payer.memberships.get().organisation
    order = services.order_create(
        payer=payer, organisation=organisation, items=[(TICKET, 7, 2), (TICKET, 9, 1)]
    )
    # (given the permission itself: an earlier transactional test may have flushed the groups)
    reconcile = Permission.objects.get(codename="reconcile_order")
    staff = [StaffFactory(groups=[]) for _ in range(THREADS)]
    for person in staff:
        person.user_permissions.add(reconcile)

    # When both mark it received at the same moment
    results = race(
        lambda index: services.order_mark_paid(
            order=order, actor=staff[index], bank_reference=f"FT{index}"
        ),
        threads=THREADS,
    )

    # Then both see it paid by the same person, and each line was fulfilled exactly once
    assert all(isinstance(result, Order) for result in results), results
    assert len({(result.confirmed_by_id, result.paid_at) for result in results}) == 1
    assert sorted(tickets.fulfilled) == [(7, order.reference), (9, order.reference)]
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.bank_reference in {"FT0", "FT1"}
