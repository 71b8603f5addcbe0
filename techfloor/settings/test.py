"""The test suite: fast hashing, captured email, private files in a throwaway folder."""

import tempfile

from techfloor.settings.base import *  # noqa: F403
from techfloor.settings.base import STORAGES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
_TMP = Path(tempfile.mkdtemp(prefix="techfloor-test-"))  # noqa: F405
MEDIA_ROOT = _TMP / "media"
PRIVATE_MEDIA_ROOT = _TMP / "private-media"
STORAGES["private"]["OPTIONS"]["location"] = str(PRIVATE_MEDIA_ROOT)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Rate limits are tested explicitly; the rest of the suite logs in many times a minute.
ACCOUNT_RATE_LIMITS = False
# Tasks run in the test's own thread even when REDIS_URL points at a real broker; the worker
# tests start a real worker on Redis explicitly (tests/techfloor/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
# The suite searches the database; tests that need Elasticsearch read ELASTICSEARCH_URL from
# the environment themselves (the ``es_url`` fixture) and point the settings at it.
ELASTICSEARCH_URL = ""
# Whatever the environment says: tests delete and rebuild the indices they use, and on a shared
# cluster must never touch a floor's own ("techfloor-listings").
ELASTICSEARCH_INDEX_PREFIX = "techfloor-test"
# Wagtail's page search too, whatever base.py chose from the environment.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
