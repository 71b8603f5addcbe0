"""Races on real PostgreSQL: work started in several threads at the same moment, each thread
on its own database connection, in English like the rest of the suite."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections
from django.utils import translation

# For a test module whose threads commit on their own connections. Such tests end with a flush,
# which takes the migrations' reference data (sectors, staff groups) away from the transactional
# tests after them: they must make what they need themselves (ADR 5 on serialized rollback).
POSTGRES_RACE = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every write, so it cannot show that row locks prevent races",
    ),
]


def race(work: Callable[[int], object], *, threads: int) -> list[object]:
    """Run ``work(i)`` in ``threads`` threads released together; return each result or error."""
    barrier = threading.Barrier(threads)
    results: list[object] = [None] * threads

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            # Threads start without the test's language.
            with translation.override("en"):
                results[index] = work(index)
        except Exception as error:  # the test inspects whatever each thread met
            results[index] = error
        finally:
            # Each thread opened its own connection; close it so that the test database can
            # be dropped at the end of the session.
            connections.close_all()

    started = [threading.Thread(target=run, args=(index,)) for index in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in started)
    return results
