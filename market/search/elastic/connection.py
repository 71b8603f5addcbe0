"""The Elasticsearch client, from settings.

Searches never retry inside the client: a visitor would wait for every retry before the
database answers instead (``market.search.get_backend``). Indexing retries in Celery, with
backoff, where waiting costs nobody anything.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from elasticsearch import Elasticsearch


def is_configured() -> bool:
    """Whether ELASTICSEARCH_URL names a cluster."""
    return bool(settings.ELASTICSEARCH_URL)


def index_prefix() -> str:
    """The start of every index and alias name: "techfloor" → "techfloor-listings"."""
    return getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "techfloor")


def get_client() -> Elasticsearch:
    """The client for ELASTICSEARCH_URL: one per address, with a timeout and no retries, and
    the credentials of ELASTICSEARCH_CLIENT_OPTIONS."""
    options = settings.ELASTICSEARCH_CLIENT_OPTIONS
    return _client(
        settings.ELASTICSEARCH_URL,
        float(settings.ELASTICSEARCH_TIMEOUT),
        tuple(sorted(options.items())),
    )


@lru_cache(maxsize=4)
def _client(url: str, timeout: float, options: tuple[tuple[str, str], ...]) -> Elasticsearch:
    # Cached per address, timeout and options: a client holds a connection pool worth
    # reusing, and a test that points the settings elsewhere gets its own.
    return Elasticsearch(
        url,
        request_timeout=timeout,
        max_retries=0,
        retry_on_timeout=False,
        **dict(options),
    )
