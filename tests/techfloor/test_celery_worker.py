"""A real Celery worker, started by the test, consuming tasks from Redis."""

from __future__ import annotations

import os
import time

import pytest
import redis
from celery import Celery, current_app
from celery import _state as celery_state
from celery.backends.redis import RedisBackend
from celery.contrib.testing.worker import start_worker
from celery.result import EagerResult
from django.conf import settings

from accounts import services
from accounts.tasks import send_email_task
from tests.factories import MembershipFactory

pytestmark = pytest.mark.worker


def _redis_url() -> str:
    return settings.REDIS_URL or os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def worker_app():
    """A Celery app configured like production's, on Redis, with a worker in a thread."""
    url = _redis_url()
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"The worker test needs a Redis server at {url} (set TEST_REDIS_URL).")
    # Without Celery's Django fix-up: in a thread of the test process it would close the test's
    # own database connection when the worker starts.
    app = Celery("techfloor-worker-test", set_as_current=False, fixups=[])
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    app.loader.import_default_modules()
    app.control.purge()  # nothing left over from an earlier, interrupted run
    previous_app = current_app._get_current_object()
    # The worker makes its app the default of every thread; put the eager one back after, or
    # later tests' threads would queue their tasks on Redis with nobody to run them.
    previous_default = celery_state.default_app
    app.set_current()  # so that ``task.delay()`` in our code sends through this app
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        previous_app.set_current()
        celery_state.set_default_app(previous_default)
        app.close()


def test_a_task_goes_through_redis_to_the_worker(worker_app, mailoutbox):
    result = send_email_task.delay(to=["lan@vien.vn"], subject="Xin chào", body="Nội dung")

    assert not isinstance(result, EagerResult)
    assert isinstance(result.backend, RedisBackend)
    assert result.get(timeout=30) == 1
    assert [(message.to, message.subject) for message in mailoutbox] == [
        (["lan@vien.vn"], "Xin chào")
    ]


@pytest.mark.django_db
def test_an_invitation_email_is_sent_by_the_worker_after_commit(
    worker_app, mailoutbox, django_capture_on_commit_callbacks
):
    owner = MembershipFactory().user
    organisation = owner.memberships.get().organisation

    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(organisation=organisation, actor=owner, email="moi@example.vn")

    deadline = time.monotonic() + 30
    while not mailoutbox and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [message.to for message in mailoutbox] == [["moi@example.vn"]]
    assert organisation.legal_name in mailoutbox[0].body
