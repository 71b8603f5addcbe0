"""Search latency of the database backend on SQLite and PostgreSQL, or of Elasticsearch.

    python benchmarks/search.py                      # 10,000 listings, both databases
    python benchmarks/search.py --listings 100000    # the target size
    python benchmarks/search.py --database postgres
    ELASTICSEARCH_URL=http://127.0.0.1:9200 python benchmarks/search.py --backend elasticsearch
    python benchmarks/search.py --backend documents  # building documents, no cluster needed

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
Elasticsearch backend itself (no fallback to the database), and how long ``search_index --check``
and ``--check --deep`` take on the fresh index. ``--backend documents`` measures the database's
side of that work with no cluster: reading ids and ``updated_at`` (``check``) and building every
listing's document (a rebuild's bulk load and ``check --deep``). The database and documents
modes never talk to Elasticsearch, whatever the environment says.
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
    if backend == "documents":
        return {
            "database": connection.vendor,
            "listings": listings,
            "load_seconds": round(load_seconds, 1),
            **_time_documents(),
        }
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


def _time_documents() -> dict:
    """The database's side of the index lifecycle, with no cluster: what ``check`` reads (ids
    and ``updated_at``), and every document built as a rebuild and ``check --deep`` build them."""
    from market.search.elastic import indices
    from market.search.elastic.documents import ListingDocument

    started = time.perf_counter()
    count = len(indices._updated_at_by_id(ListingDocument))
    check_seconds = time.perf_counter() - started
    started = time.perf_counter()
    indices._digest_by_id(ListingDocument)
    build_seconds = time.perf_counter() - started
    return {
        "check_read_s": round(check_seconds, 2),
        "build_s": round(build_seconds, 1),
        "docs_per_second": round(count / build_seconds) if build_seconds else 0,
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

    timed = {}
    for name, deep in (("check_seconds", False), ("deep_check_seconds", True)):
        started = time.perf_counter()
        drift = indices.check(ListingDocument, deep=deep)
        timed[name] = round(time.perf_counter() - started, 1)
        if drift.total:
            raise RuntimeError(f"A fresh index drifted: {drift}")
    indexing = {
        "index_seconds": round(seconds, 1),
        "docs_per_second": round(result.indexed / seconds) if seconds else 0,
        **timed,
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
        choices=["database", "elasticsearch", "documents"],
        default="database",
        help=(
            "elasticsearch: index throughput and query latency of ELASTICSEARCH_URL; "
            "documents: how fast the database side builds Elasticsearch documents (no cluster)"
        ),
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(child(arguments.listings, arguments.backend)))
        return
    if arguments.backend == "elasticsearch":
        _main_elasticsearch(parser, arguments)
    elif arguments.backend == "documents":
        _print_table(
            [("database", 12), ("listings", 10), ("load s", 9), ("check s", 9)]
            + [("build s", 9), ("docs/s", 9)],
            ["database", "listings", "load_seconds", "check_read_s", "build_s", "docs_per_second"],
            _each_database(arguments, "documents"),
        )
    else:
        _print_table(
            [("database", 12), ("listings", 10), ("load s", 9), ("queries", 9)]
            + [("p50 ms", 9), ("p95 ms", 9), ("max ms", 9)],
            ["database", "listings", "load_seconds", "queries", "p50_ms", "p95_ms", "max_ms"],
            _each_database(arguments, "database"),
        )


def _print_table(columns: list[tuple[str, int]], keys: list[str], results) -> None:
    """A header, then one row per result as it arrives (the first column left-aligned)."""

    def row(values) -> str:
        cells = [
            f"{value!s:<{width}}" if n == 0 else f"{value!s:>{width}}"
            for n, (value, (_title, width)) in enumerate(zip(values, columns, strict=True))
        ]
        return "".join(cells)

    print(row([title for title, _width in columns]), flush=True)
    for result in results:
        print(row([result[key] for key in keys]), flush=True)


def _database_url(database: str, folder: str) -> str:
    return f"sqlite:///{folder}/bench.sqlite3" if database == "sqlite" else _postgres_url()


def _each_database(arguments, backend: str):
    """The child's result on each database asked for, never talking to Elasticsearch."""
    databases = ["sqlite", "postgres"] if arguments.database == "both" else [arguments.database]
    for database in databases:
        with tempfile.TemporaryDirectory() as folder:
            environment = {**os.environ, "DATABASE_URL": _database_url(database, folder)}
            for name in ("REDIS_URL", "ELASTICSEARCH_URL"):
                environment.pop(name, None)
            yield _run_child(arguments.listings, backend, environment)


def _run_child(listings: int, backend: str, environment: dict) -> dict:
    """Run this script's ``--child`` in ``environment``; its last line of output, as JSON."""
    command = [sys.executable, __file__, "--child", "--backend", backend]
    finished = subprocess.run(  # noqa: S603 - our own script
        [*command, "--listings", str(listings)],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode:
        # The child's error (a cluster's answer, a database's) is what the reader needs.
        sys.exit(finished.stderr[-3000:])
    return json.loads(finished.stdout.strip().splitlines()[-1])


def _main_elasticsearch(parser: argparse.ArgumentParser, arguments) -> None:
    if not os.environ.get("ELASTICSEARCH_URL"):
        parser.error(
            "--backend elasticsearch needs an Elasticsearch 8 server: set ELASTICSEARCH_URL,"
            " e.g. ELASTICSEARCH_URL=http://127.0.0.1:9200"
        )
    database = "postgres" if arguments.database == "postgres" else "sqlite"
    with tempfile.TemporaryDirectory() as folder:
        environment = {
            **os.environ,
            "DATABASE_URL": _database_url(database, folder),
            "ELASTICSEARCH_INDEX_PREFIX": BENCH_INDEX_PREFIX,
        }
        environment.pop("REDIS_URL", None)  # tasks run eagerly: live indexing is immediate
        result = _run_child(arguments.listings, "elasticsearch", environment)
    _print_table(
        [("backend", 15), ("database", 12), ("listings", 10), ("load s", 9), ("index s", 9)]
        + [("docs/s", 9), ("check s", 9), ("deep s", 9), ("queries", 9), ("p50 ms", 9)]
        + [("p95 ms", 9), ("max ms", 9)],
        ["backend", "database", "listings", "load_seconds", "index_seconds", "docs_per_second"]
        + ["check_seconds", "deep_check_seconds", "queries", "p50_ms", "p95_ms", "max_ms"],
        [{"backend": "elasticsearch", **result}],
    )


if __name__ == "__main__":
    main()
