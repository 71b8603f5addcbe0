"""Background work of the trading floor (scheduled by Celery beat in settings)."""

from celery import shared_task
from elastic_transport import TransportError
from elasticsearch import ApiError
from elasticsearch.helpers import BulkIndexError

from market import services


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=3)
def expire_listings_task() -> int:
    """Take listings whose validity ended off the floor; safe to run twice."""
    return services.listing_expire_due()


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=3)
def remind_expiring_listings_task() -> int:
    """Remind owners two weeks before expiry; each listing is reminded once."""
    return services.listing_remind_expiring()


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=3)
def end_featuring_task() -> int:
    """Stop featuring listings whose paid period ran out; safe to run twice."""
    return services.listing_feature_end_due()


# Elasticsearch: what a failed write may raise. The transport's errors cover refused
# connections and timeouts; ApiError a cluster that answers 429 or 503; BulkIndexError a
# document the cluster rejected.
SEARCH_INDEX_ERRORS = (TransportError, ApiError, BulkIndexError)
# A write retries for about half an hour, backing off; reconciliation catches what still fails.
SEARCH_WRITE_RETRIES = {
    "autoretry_for": SEARCH_INDEX_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
    "time_limit": 120,
    "soft_time_limit": 100,
}


@shared_task(**SEARCH_WRITE_RETRIES)
def index_search_documents_task(kind: str, object_ids: list[int]) -> int:
    """Write these objects' Elasticsearch documents, or delete those that left the index;
    idempotent. A failure leaves their dirty marks for the reconciliation."""
    from market.search.elastic import sync

    return sync.index_many(kind=kind, object_ids=object_ids)


@shared_task(**SEARCH_WRITE_RETRIES)
def remove_search_document_task(kind: str, object_id: int) -> None:
    """Delete one object's Elasticsearch document; deleting it twice is no error."""
    from market.search.elastic import sync

    sync.delete_now(kind, object_id)


@shared_task(autoretry_for=SEARCH_INDEX_ERRORS, retry_backoff=60, max_retries=2)
def reconcile_search_index_task() -> int:
    """Write every document still marked dirty (scheduled every five minutes by beat);
    nothing to do without ELASTICSEARCH_URL."""
    from market.search.elastic import sync

    return sync.reconcile()
