"""Search latency of the database backend on SQLite and PostgreSQL.

    python benchmarks/search.py                      # 10,000 listings, both databases
    python benchmarks/search.py --listings 100000    # the target size
    python benchmarks/search.py --database postgres

Each database gets a fresh benchmark database (SQLite file in a temporary folder; PostgreSQL
database ``techfloor_bench`` from BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432),
N synthetic listings built from the words of the shipped demo listings, and a fixed set of
queries — with and without diacritics, with facets (always computed), and with filters. It
prints p50/p95/max latency per database. Target on a 2-core machine: p95 ≤ 50 ms at 100,000
listings on PostgreSQL.
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


def child(listings: int) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techfloor.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    load_started = time.perf_counter()
    _load(listings)
    load_seconds = time.perf_counter() - load_started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum would do soon after a bulk load (every table: this server runs
            # with autovacuum off, and a table never analysed gets wild row estimates).
            cursor.execute("VACUUM ANALYZE")
    from market.search import SearchFilters, search_listings

    timings = []
    for _repeat in range(REPEATS):
        for query, filters in QUERIES:
            started = time.perf_counter()
            results = search_listings(query=query, filters=SearchFilters(**filters))
            list(results.page.object_list)
            for facet in results.facets:
                list(facet.values)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "database": connection.vendor,
        "listings": listings,
        "load_seconds": round(load_seconds, 1),
        "queries": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "max_ms": round(timings[-1], 1),
    }


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
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(child(arguments.listings)))
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


if __name__ == "__main__":
    main()
