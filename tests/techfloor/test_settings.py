"""Each environment's settings, loaded in a fresh interpreter as a deployment would."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "p" * 20 + "-production-secret-key-that-is-long-enough",
    "DJANGO_ALLOWED_HOSTS": "techfloor.example.vn",
}
SETTINGS_PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], "
    "s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)"
)


def _run(*args: str, settings: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean_env, "DJANGO_SETTINGS_MODULE": settings, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_embedded_defaults_need_nothing_running():
    result = _run("-c", SETTINGS_PROBE, settings="techfloor.settings.local")

    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "True",
        "memory://",
    ]


def test_real_components_switch_on_from_the_environment():
    result = _run(
        "-c",
        SETTINGS_PROBE,
        settings="techfloor.settings.local",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/techfloor",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )

    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "django.core.cache.backends.redis.RedisCache",
        "False",
        "redis://127.0.0.1:6379/3",
    ]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_DEBUG": "true"}, "DJANGO_DEBUG must be off in production."),
        ({"DJANGO_SECRET_KEY": ""}, "Set DJANGO_SECRET_KEY"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "Set DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_development_values(env, message):
    result = _run(
        "-c",
        "import django; django.setup()",
        settings="techfloor.settings.production",
        **{**GOOD_PRODUCTION_ENV, **env},
    )

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr


def test_production_passes_the_deployment_checklist():
    result = _run(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        settings="techfloor.settings.production",
        **GOOD_PRODUCTION_ENV,
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/vi/")

    # Directives come in no fixed order: read them by name.
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
        if directive.strip()
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no inline code
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_only_the_admin_allows_inline_code_and_its_own_frames(curator_client):
    policy = curator_client.get("/admin/")["Content-Security-Policy"]

    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "frame-ancestors 'self'" in policy


@pytest.mark.django_db
def test_the_health_check_answers_for_load_balancers(client):
    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


SOCIAL_PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(sorted(a.rsplit('.', 1)[-1] for a in s.INSTALLED_APPS if '.providers.' in a))"
)


def test_social_login_is_offered_only_when_configured():
    bare = _run("-c", SOCIAL_PROBE, settings="techfloor.settings.local")
    configured = _run(
        "-c",
        SOCIAL_PROBE,
        settings="techfloor.settings.local",
        ORCID_CLIENT_ID="APP-1",
        ORCID_SECRET="s",
        GOOGLE_CLIENT_ID="g",
        GOOGLE_SECRET="s",
    )

    assert bare.stdout.strip() == "[]"
    assert configured.stdout.strip() == "['google', 'orcid']"
