"""Search latency of the database backend on SQLite and PostgreSQL, or of Elasticsearch.

    python benchmarks/search.py                      # 10,000 listings, both databases
    python benchmarks/search.py --listings 100000    # the target size
    python benchmarks/search.py --database postgres
    ELASTICSEARCH_URL=http://127.0.0.1:9200 python benchmarks/search.py --backend elasticsearch

Each database gets a fresh benchmark database (SQLite file in a temporary folder; PostgreSQL
database ``techfloor_bench`` from BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432),
N synthetic listings built from the words of the shipped demo listings, and a fixed set of
queries — with and without diacritics, with facets (always computed), and with filters. It
prints p50/p95/max latency per database. Target on a 2-core machine: p95 ≤ 50 ms at 100,000
listings on PostgreSQL.

``--backend elasticsearch`` (needs ELASTICSEARCH_URL) loads the same listings into one database
(SQLite unless ``--database postgres``), indexes them with ``search_index --rebuild``'s bulk
load into indices named ``techfloor-bench-*`` (deleted afterwards), and prints the indexing
throughput in documents per second and the same queries' p50/p95/max, asked of the
Elasticsearch backend itself (no fallback to the database). The database mode never talks to
Elasticsearch, whatever the environment says.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    ("sấy lạnh", {}),
    ("say lanh", {}),
    ("sầu riêng", {}),
    ("sau rieng", {}),
    ("cà phê", {"kind": "offer"}),
    ("ca phe", {"kind": "offer"}),
    ("hiệu chuẩn", {}),
    ("hieu chuan", {"province": "lam-dong"}),
    ("nuôi cấy mô", {}),
    ("solar dryer", {"language": "en"}),
    ("", {}),
    ("", {"kind": "need", "province": "dak-lak"}),
]
REPEATS = 15
# The Elasticsearch mode's indices: never the floor's own.
BENCH_INDEX_PREFIX = "techfloor-bench"


def child(listings: int, backend: str = "database") -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techfloor.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if backend == "elasticsearch":
        _create_empty_indices()
    load_started = time.perf_counter()
    _load(listings)
    load_seconds = time.perf_counter() - load_started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum would do soon after a bulk load (every table: this server runs
            # with autovacuum off, and a table never analysed gets wild row estimates).
            cursor.execute("VACUUM ANALYZE")
    from market.search import SearchFilters, search_listings

    search = search_listings
    indexing = {}
    if backend == "elasticsearch":
        indexing, search = _index_for_elasticsearch()

    timings = []
    try:
        for _repeat in range(REPEATS):
            for query, filters in QUERIES:
                started = time.perf_counter()
                results = search(query=query, filters=SearchFilters(**filters))
                list(results.page.object_list)
                for facet in results.facets:
                    list(facet.values)
                timings.append((time.perf_counter() - started) * 1000)
    finally:
        if backend == "elasticsearch":
            _delete_indices()
    timings.sort()
    return {
        "database": connection.vendor,
        "listings": listings,
        "load_seconds": round(load_seconds, 1),
        **indexing,
        "queries": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "max_ms": round(timings[-1], 1),
    }


def _create_empty_indices() -> None:
    """Empty indices first, so that the organisations the load creates are indexed live."""
    from market.search.elastic import indices
    from market.search.elastic.documents import DOCUMENTS

    _delete_indices()
    for document in DOCUMENTS.values():
        indices.rebuild(document)


def _delete_indices() -> None:
    from market.search.elastic import indices
    from market.search.elastic.documents import DOCUMENTS

    for document in DOCUMENTS.values():
        indices.delete_all(document)


def _index_for_elasticsearch():
    """Index every listing as ``search_index --rebuild`` does and time it; then search the
    Elasticsearch backend directly, so that a failure shows instead of the database answering."""
    from market.search.elastic import indices
    from market.search.elastic.backend import ElasticsearchBackend
    from market.search.elastic.connection import get_client
    from market.search.elastic.documents import ListingDocument

    started = time.perf_counter()
    result = indices.rebuild(ListingDocument)
    seconds = time.perf_counter() - started
    get_client().indices.refresh(index=indices.read_alias(ListingDocument))
    backend = ElasticsearchBackend()

    def search(*, query, filters):
        return backend.search(
            query=query,
            filters=filters,
            page=1,
            per_page=20,
            sort="relevance",
            viewer=None,
            any_terms=False,
        )

    indexing = {
        "index_seconds": round(seconds, 1),
        "docs_per_second": round(result.indexed / seconds) if seconds else 0,
    }
    return indexing, search


def _load(count: int) -> None:
    """Synthetic published listings from the vocabulary of the demo file."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Organisation, Sector
    from accounts.provinces import Province
    from market.models import Listing

    rows = [
        json.loads(line)
        for line in (ROOT / "market" / "data" / "demo_listings.jsonl").read_text().splitlines()
    ]
    words = [word for row in rows for word in (row["title"] + " " + row["summary"]).split()]
    rng = random.Random(42)
    provinces = Province.values
    sectors = list(Sector.objects.exclude(parent=None))
    organisations = [
        Organisation.objects.create(
            legal_name=f"Tổ chức {n}",
            slug=f"bench-{n}",
            kind="institute",
            province=rng.choice(provinces),
            verification_status="verified",
        )
        for n in range(50)
    ]
    now = timezone.now()
    through = Listing.sectors.through
    batch = 2000
    for start in range(0, count, batch):
        listings = []
        for n in range(start, min(start + batch, count)):
            title = " ".join(rng.choices(words, k=rng.randint(5, 10)))
            listing = Listing(
                organisation=rng.choice(organisations),
                kind=rng.choice(Listing.Kind.values),
                status="draft",
                title=title,
                slug=f"bench-{n}",
                summary=" ".join(rng.choices(words, k=25)),
                description="<p>" + " ".join(rng.choices(words, k=80)) + "</p>",
                language=rng.choice(["vi", "vi", "vi", "en"]),
                keywords=rng.choices(words, k=4),
                province=rng.choice(provinces),
                trl=rng.randint(1, 9),
                ip_status=rng.choice(Listing.IPStatus.values),
                transfer_modes=rng.sample(Listing.TransferMode.values, k=2),
                price_min=rng.choice([None, rng.randint(1, 50) * 50_000_000]),
                published_at=now,
            )
            listing.save_search_fields()
            listings.append(listing)
        with transaction.atomic():
            # As members do: a draft with its sectors, then published. Publishing listings
            # that already have sectors writes each search row once (see README).
            created = Listing.objects.bulk_create(listings)
            through.objects.bulk_create(
                through(listing_id=listing.pk, sector_id=rng.choice(sectors).pk)
                for listing in created
            )
            Listing.objects.filter(pk__in=[listing.pk for listing in created]).update(
                status="published"
            )


def _postgres_url() -> str:
    base = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS techfloor_bench")
        connection.execute("CREATE DATABASE techfloor_bench")
    return f"{base}/techfloor_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=10_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--backend",
        choices=["database", "elasticsearch"],
        default="database",
        help="elasticsearch: index throughput and query latency of ELASTICSEARCH_URL",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(child(arguments.listings, arguments.backend)))
        return
    if arguments.backend == "elasticsearch":
        _main_elasticsearch(parser, arguments)
        return
    databases = ["sqlite", "postgres"] if arguments.database == "both" else [arguments.database]
    print(
        f"{'database':<12}{'listings':>10}{'load s':>9}{'queries':>9}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
    )
    for database in databases:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.sqlite3" if database == "sqlite" else _postgres_url()
            environment = {**os.environ, "DATABASE_URL": url}
            environment.pop("REDIS_URL", None)
            environment.pop("ELASTICSEARCH_URL", None)  # the database backend, always
            output = (
                subprocess.run(  # noqa: S603 - our own script
                    [sys.executable, __file__, "--child", "--listings", str(arguments.listings)],
                    env=environment,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
        result = json.loads(output)
        print(
            f"{result['database']:<12}{result['listings']:>10}{result['load_seconds']:>9}"
            f"{result['queries']:>9}{result['p50_ms']:>9}{result['p95_ms']:>9}"
            f"{result['max_ms']:>9}"
        )


def _main_elasticsearch(parser: argparse.ArgumentParser, arguments) -> None:
    if not os.environ.get("ELASTICSEARCH_URL"):
        parser.error(
            "--backend elasticsearch needs an Elasticsearch 8 server: set ELASTICSEARCH_URL,"
            " e.g. ELASTICSEARCH_URL=http://127.0.0.1:9200"
        )
    database = "postgres" if arguments.database == "postgres" else "sqlite"
    print(
        f"{'backend':<15}{'database':<12}{'listings':>10}{'load s':>9}{'index s':>9}"
        f"{'docs/s':>9}{'queries':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
    )
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3" if database == "sqlite" else _postgres_url()
        environment = {
            **os.environ,
            "DATABASE_URL": url,
            "ELASTICSEARCH_INDEX_PREFIX": BENCH_INDEX_PREFIX,
        }
        environment.pop("REDIS_URL", None)  # tasks run eagerly: live indexing is immediate
        finished = subprocess.run(  # noqa: S603 - our own script
            [
                sys.executable,
                __file__,
                "--child",
                "--backend",
                "elasticsearch",
                "--listings",
                str(arguments.listings),
            ],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
    if finished.returncode:
        # The cluster's answer (refused, an error) is what the reader needs to see.
        sys.exit(finished.stderr[-3000:])
    output = finished.stdout.strip().splitlines()[-1]
    result = json.loads(output)
    print(
        f"{'elasticsearch':<15}{result['database']:<12}{result['listings']:>10}"
        f"{result['load_seconds']:>9}{result['index_seconds']:>9}{result['docs_per_second']:>9}"
        f"{result['queries']:>9}{result['p50_ms']:>9}{result['p95_ms']:>9}{result['max_ms']:>9}"
    )


if __name__ == "__main__":
    main()
