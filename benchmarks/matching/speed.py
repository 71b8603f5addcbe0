"""Matching speed on SQLite and PostgreSQL: the full rebuild, and one new need against the supply.

    python benchmarks/matching/speed.py                                  # 10,000 supply, both
    python benchmarks/matching/speed.py --supply 100000 --database postgres
    python benchmarks/matching/speed.py --rebuild-listings 5000          # stop ranking at 5,000
    python benchmarks/matching/speed.py --profile                        # cProfile both steps

Each database gets a fresh benchmark database (SQLite file in a temporary folder; PostgreSQL
database ``techfloor_bench_matching`` from BENCH_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432) and N synthetic published supply listings (offers, equipment,
services) plus a few hundred needs, written with the words of ``market/data/demo_listings.jsonl``
and ``benchmarks/matching/listings.jsonl``: each synthetic listing takes runs of words from one
real listing of its language and side (so Vietnamese two-syllable words and glossary terms stay
whole and listings cluster by topic, as on a real floor) and some from others.

It then times ``rebuild_matches`` by phase: profiles read from the texts, semantic space
trained, vectors and profiles saved, every listing ranked and its matches stored (scores and
features: reasons are worded when a page shows a match, so neither the rebuild nor a refresh
words them).
``--rebuild-listings N`` stops it once the progress callback reports N listings ranked: the time
is then partial, a lower bound shown as ">"; profiles and space are complete, the matches are
not stored, and the new needs are matched all the same. Then it times
``refresh_listing_matches`` for 30 new published needs that are not part of the space, each
deleted after its refresh so that none shows up in a later one's lists. Peak memory is the
child's ``ru_maxrss`` (the rebuild's forked scoring workers are not counted); the tracemalloc
peak of one refresh is taken in a separate pass so that tracing does not slow the timed ones.
The engine is edited while benchmarks run, so each result says when its files last changed.

Targets on a 2-core machine, at 100,000 supply listings on PostgreSQL: one new need p95 ≤ 100 ms;
a full rebuild ≤ 10 minutes.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import itertools
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DATABASE_NAME = "techfloor_bench_matching"
SOURCES = (ROOT / "market" / "data" / "demo_listings.jsonl", HERE / "listings.jsonl")
BATCH = 2000
ORGANISATIONS = 50
WARM_UP = 3  # untimed refreshes first: the glossary and connections are read once per process
TRACED = 5
PROFILED = 10
OWN_SHARE = 0.6  # of a synthetic text's words taken from its template listing
PROGRESS_SECONDS = 60
TAG = re.compile(r"<[^>]+>")


class _Enough(Exception):  # noqa: N818 - a signal to stop, not an error
    """Raised from the rebuild's progress callback once ``--rebuild-listings`` are ranked."""


def _log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KB on Linux


class Writer:
    """Synthetic listings from runs of words of the real ones, by language and side."""

    def __init__(self, rng: random.Random) -> None:
        from accounts.models import Sector
        from accounts.provinces import Province

        self.rng = rng
        self.sectors = {sector.code: sector.pk for sector in Sector.objects.exclude(parent=None)}
        self.provinces = {label: value for value, label in Province.choices}
        self.templates: dict[tuple[str, bool], list[dict]] = {}
        for path in SOURCES:
            for line in path.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                template = {
                    "title": row["title"].split(),
                    # Tags become spaces: "pilot</p><p>Nhà" is two words, not one.
                    "text": (row["summary"] + " " + TAG.sub(" ", row["description"])).split(),
                    "keywords": row.get("keywords") or [],
                    "sectors": [self.sectors[c] for c in row["sectors"] if c in self.sectors],
                    "province": self.provinces.get(row.get("province", "")),
                }
                key = (row["language"], row["kind"] == "need")
                self.templates.setdefault(key, []).append(template)

    def _runs(self, words: list[str], count: int) -> list[str]:
        """About ``count`` words in runs of 3 to 8 neighbours."""
        taken: list[str] = []
        while len(taken) < count:
            length = min(self.rng.randint(3, 8), count - len(taken), len(words))
            start = self.rng.randrange(len(words) - length + 1)
            taken += words[start : start + length]
        return taken

    def _text(self, own: list[str], pool: list[dict], count: int, field: str) -> str:
        mine = round(count * OWN_SHARE)
        words = self._runs(own, mine)
        while len(words) < count:
            words += self._runs(self.rng.choice(pool)[field], min(8, count - len(words)))
        return " ".join(words)

    def listing(self, *, kind: str, organisation, slug: str, now):
        from market.models import Listing

        rng = self.rng
        language = "vi" if rng.random() < 0.7 else "en"
        is_need = kind == Listing.Kind.NEED
        pool = self.templates[(language, is_need)]
        template = rng.choice(pool)
        sectors = rng.sample(
            template["sectors"], k=min(len(template["sectors"]), rng.randint(1, 2))
        )
        if not sectors or rng.random() < 0.2:
            sectors = [*sectors[:1], rng.choice(list(self.sectors.values()))]
        price = rng.choice([None, rng.randint(1, 60) * 50_000_000])
        keywords = rng.sample(template["keywords"], k=min(len(template["keywords"]), 3))
        keywords += rng.choice(pool)["keywords"][:1]
        listing = Listing(
            organisation=organisation,
            kind=kind,
            status=Listing.Status.PUBLISHED,
            title=self._text(template["title"], pool, rng.randint(6, 12), "title"),
            slug=slug,
            summary=self._text(template["text"], pool, rng.randint(20, 30), "text"),
            description="<p>" + self._text(template["text"], pool, 80, "text") + "</p>",
            language=language,
            keywords=keywords,
            province=template["province"] or rng.choice(list(self.provinces.values())),
            trl=rng.randint(3, 9) if is_need else rng.randint(1, 9),
            ip_status="none" if is_need else rng.choice(Listing.IPStatus.values),
            transfer_modes=rng.sample(Listing.TransferMode.values, k=rng.randint(1, 3)),
            # A need's budget is its upper price; supply states its lower one.
            price_min=None if is_need else price,
            price_max=price if is_need else None,
            deadline=(now + datetime.timedelta(days=rng.randint(30, 400))).date()
            if is_need and rng.random() < 0.4
            else None,
            published_at=now - datetime.timedelta(days=rng.randint(0, 500)),
        )
        listing.save_search_fields()
        return listing, sorted(set(sectors))


def _load(writer: Writer, *, supply: int, needs: int) -> list:
    """Published supply and needs, interleaved, bulk-created with their sectors."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Organisation
    from market.models import Listing

    rng = writer.rng
    organisations = [
        Organisation.objects.create(
            legal_name=f"Tổ chức {n}",
            slug=f"bench-{n}",
            kind="institute",
            province=rng.choice(list(writer.provinces.values())),
            verification_status="verified",
        )
        for n in range(ORGANISATIONS)
    ]
    kinds = [Listing.Kind.NEED] * needs + [
        rng.choices([Listing.Kind.OFFER, Listing.Kind.EQUIPMENT, Listing.Kind.SERVICE], [5, 3, 2])[
            0
        ]
        for _n in range(supply)
    ]
    rng.shuffle(kinds)  # needs spread over the pk order, as a --rebuild-listings prefix needs
    now = timezone.now()
    through = Listing.sectors.through
    for start in range(0, len(kinds), BATCH):
        built = [
            writer.listing(
                kind=kind, organisation=rng.choice(organisations), slug=f"bench-{n}", now=now
            )
            for n, kind in enumerate(kinds[start : start + BATCH], start=start)
        ]
        for listing, _sectors in built:
            listing.status = Listing.Status.DRAFT
        with transaction.atomic():
            # As members do: a draft with its sectors, then published, so that each search
            # row is written once instead of once more per sector.
            created = Listing.objects.bulk_create([listing for listing, _sectors in built])
            through.objects.bulk_create(
                through(listing_id=listing.pk, sector_id=sector)
                for listing, (_listing, sectors) in zip(created, built, strict=True)
                for sector in sectors
            )
            Listing.objects.filter(pk__in=[listing.pk for listing in created]).update(
                status=Listing.Status.PUBLISHED
            )
        _log(f"loaded {min(start + BATCH, len(kinds))}/{len(kinds)} listings")
    return organisations


def _rebuild(*, limit: int | None, total: int) -> dict:
    """``rebuild_matches`` timed by phase; with ``limit``, the ranking stops after that many."""
    from matching import semantic, services

    marks: dict[str, float] = {}
    train, matcher_class = semantic.train, services.ListingMatcher

    def timed_train(bags):
        marks["train"] = time.perf_counter()
        try:
            return train(bags)
        finally:
            marks["save"] = time.perf_counter()

    def marked_matcher(**kwargs):
        marks["rank"] = time.perf_counter()
        return matcher_class(**kwargs)

    last_report = [time.perf_counter()]

    def progress(done: int) -> None:
        marks["ranked"] = done
        if time.perf_counter() - last_report[0] > PROGRESS_SECONDS:
            last_report[0] = time.perf_counter()
            elapsed = last_report[0] - marks.get("rank", last_report[0])
            _log(f"rebuild: ranked {done}/{total} in {elapsed:.0f} s")
        if limit and done >= limit:
            raise _Enough

    semantic.train, services.ListingMatcher = timed_train, marked_matcher
    started, partial = time.perf_counter(), False
    try:
        services.rebuild_matches(progress=progress)
    except _Enough:
        partial = True
    finally:
        semantic.train, services.ListingMatcher = train, matcher_class
    finished = time.perf_counter()
    ranked = marks.get("ranked", 0)
    # The engine changes under this benchmark: a phase it no longer marks counts as empty.
    marks.setdefault("train", started)
    marks.setdefault("save", marks["train"])
    marks.setdefault("rank", marks["save"])
    rank_seconds = finished - marks["rank"]
    phases = {
        "profiles": marks["train"] - started,
        "train": marks["save"] - marks["train"],
        "save": marks["rank"] - marks["save"],
    }
    return {
        "rebuild_seconds": round(finished - started, 1),
        "partial": partial,
        "ranked": ranked,
        "rank_seconds": round(rank_seconds, 1),
        "rank_ms_each": round(rank_seconds * 1000 / ranked, 1) if ranked else None,
        **{f"{name}_seconds": round(value, 1) for name, value in phases.items()},
    }


def _one_need(
    writer: Writer, organisations: list, number: int, observe=contextlib.nullcontext
) -> tuple[float, int]:
    """Publish one new need, time its refresh (inside ``observe()``), delete it;
    (milliseconds, matches)."""
    from django.utils import timezone

    from market.models import Listing
    from matching.services import refresh_listing_matches

    listing, sectors = writer.listing(
        kind=Listing.Kind.NEED,
        organisation=writer.rng.choice(organisations),
        slug=f"bench-new-{number}",
        now=timezone.now(),
    )
    listing.save()
    listing.sectors.set(sectors)
    with observe():
        started = time.perf_counter()
        matches = refresh_listing_matches(listing_id=listing.pk)
        milliseconds = (time.perf_counter() - started) * 1000
    listing.delete()
    return milliseconds, matches


def child(arguments: argparse.Namespace) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techfloor.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    writer = Writer(random.Random(42))
    total = arguments.supply + arguments.needs
    load_started = time.perf_counter()
    organisations = _load(writer, supply=arguments.supply, needs=arguments.needs)
    load_seconds = time.perf_counter() - load_started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum would do soon after a bulk load (every table: this server runs
            # with autovacuum off, and a table never analysed gets wild row estimates).
            cursor.execute("VACUUM ANALYZE")
    rss_loaded = _peak_rss_mb()

    profiler = None
    if arguments.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    limit = arguments.rebuild_listings if arguments.rebuild_listings else None
    rebuild = _rebuild(limit=limit if limit and limit < total else None, total=total)
    rebuild_profile = _stats(profiler) if profiler else ""
    _log(f"rebuild: {rebuild}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Autovacuum would analyse the tables the rebuild just filled.
            cursor.execute("ANALYZE matching_match, matching_listingprofile")
    rss_rebuilt = _peak_rss_mb()

    serial = itertools.count()
    for _warm_up in range(WARM_UP):
        _one_need(writer, organisations, next(serial))
    timings, matches = [], []
    for _need in range(arguments.new_needs):
        milliseconds, found = _one_need(writer, organisations, next(serial))
        timings.append(milliseconds)
        matches.append(found)
    rss_end = _peak_rss_mb()

    import tracemalloc

    peaks = []

    @contextlib.contextmanager
    def traced():
        tracemalloc.reset_peak()
        yield
        peaks.append(tracemalloc.get_traced_memory()[1])

    tracemalloc.start()
    for _traced in range(TRACED):
        _one_need(writer, organisations, next(serial), observe=traced)
    tracemalloc.stop()

    one_need_profile = ""
    if arguments.profile:
        import cProfile

        profiler = cProfile.Profile()

        @contextlib.contextmanager
        def profiled():
            profiler.enable()
            yield
            profiler.disable()

        for _profiled in range(PROFILED):
            _one_need(writer, organisations, next(serial), observe=profiled)
        one_need_profile = _stats(profiler)

    timings.sort()
    return {
        "database": connection.vendor,
        "engine_as_of": _engine_as_of(),
        "supply": arguments.supply,
        "needs": arguments.needs,
        "load_seconds": round(load_seconds, 1),
        **rebuild,
        "one_need": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
        "max_ms": round(timings[-1], 1),
        "matches_mean": round(statistics.mean(matches), 1),
        "rss_loaded_mb": rss_loaded,
        "rss_rebuilt_mb": rss_rebuilt,
        "rss_peak_mb": rss_end,
        "traced_peak_mb": round(max(peaks) / 1_048_576, 1),
        "rebuild_profile": rebuild_profile,
        "one_need_profile": one_need_profile,
    }


def _engine_as_of() -> str:
    """When the engine's code last changed: others edit it while benchmarks run."""
    files = [*(ROOT / "matching").glob("*.py"), *(ROOT / "market" / "search").glob("*.py")]
    latest = max(path.stat().st_mtime for path in files)
    return datetime.datetime.fromtimestamp(latest, tz=datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _stats(profiler) -> str:
    """The top entries by cumulative time."""
    import io
    import pstats

    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    # Keep the table, not the preamble, with paths relative to the project.
    text = out.getvalue().replace(str(ROOT) + "/", "")
    return re.sub(r"^.*?(?=\s+ncalls)", "", text, count=1, flags=re.DOTALL).strip("\n")


def _postgres_url() -> str:
    base = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE_NAME}")
        connection.execute(f"CREATE DATABASE {DATABASE_NAME}")
    return f"{base}/{DATABASE_NAME}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--supply", type=int, default=10_000, help="supply listings")
    parser.add_argument("--needs", type=int, default=300, help="needs on the floor")
    parser.add_argument("--new-needs", type=int, default=30, help="new needs timed")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--rebuild-listings",
        type=int,
        default=0,
        help="stop the rebuild once N listings are ranked (a partial time)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="print cProfile tables (timings are inflated)"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(child(arguments)))
        return
    databases = ["sqlite", "postgres"] if arguments.database == "both" else [arguments.database]
    header = (
        f"{'database':<12}{'supply':>9}{'load s':>9}{'rebuild s':>11}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'peak RSS MB':>13}"
    )
    results = []
    for database in databases:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.sqlite3" if database == "sqlite" else _postgres_url()
            environment = {**os.environ, "DATABASE_URL": url}
            environment.pop("REDIS_URL", None)  # eager Celery, embedded cache
            command = [
                sys.executable,
                __file__,
                "--child",
                *("--supply", str(arguments.supply), "--needs", str(arguments.needs)),
                *("--new-needs", str(arguments.new_needs)),
                *("--rebuild-listings", str(arguments.rebuild_listings)),
                *(["--profile"] if arguments.profile else []),
            ]
            print(f"{database}: {' '.join(command[2:])}", file=sys.stderr, flush=True)
            # Progress goes to stderr as it happens; the result is the last line of stdout.
            output = subprocess.run(  # noqa: S603 - our own script
                command, env=environment, stdout=subprocess.PIPE, text=True, check=False
            )
        if output.returncode:
            print(f"{database}: the child failed ({output.returncode})", file=sys.stderr)
            continue
        results.append(json.loads(output.stdout.strip().splitlines()[-1]))
    print(header)
    for result in results:
        rebuild = f"{'>' if result['partial'] else ''}{result['rebuild_seconds']}"
        print(
            f"{result['database']:<12}{result['supply']:>9}{result['load_seconds']:>9}"
            f"{rebuild:>11}{result['p50_ms']:>9}{result['p95_ms']:>9}{result['max_ms']:>9}"
            f"{result['rss_peak_mb']:>13}"
        )
    print()
    print(
        f"{'rebuild':<12}{'listings':>9}{'ranked':>8}{'profiles s':>12}{'train s':>9}"
        f"{'save s':>8}{'rank s':>8}{'ms/rank':>9}{'RSS MB':>8}"
    )
    for result in results:
        print(
            f"{result['database']:<12}{result['supply'] + result['needs']:>9}"
            f"{result['ranked']:>8}{result['profiles_seconds']:>12}{result['train_seconds']:>9}"
            f"{result['save_seconds']:>8}{result['rank_seconds']:>8}{result['rank_ms_each']:>9}"
            f"{result['rss_rebuilt_mb']:>8}"
        )
    for result in results:
        print(
            f"\n{result['database']}: {result['needs']} needs on the floor; each of "
            f"{result['one_need']} new needs got {result['matches_mean']} matches on average; "
            f"tracemalloc peak of one refresh {result['traced_peak_mb']} MB; "
            f"RSS {result['rss_loaded_mb']} MB after the load."
        )
        print(f"engine files (matching/, market/search/) as of {result['engine_as_of']}")
        if result["partial"]:
            print(
                f"rebuild stopped after {result['ranked']} of "
                f"{result['supply'] + result['needs']} listings ranked: a partial time (>)."
            )
        for name in ("rebuild_profile", "one_need_profile"):
            if result[name]:
                print(f"\n{result['database']} {name.replace('_', ' ')}:\n{result[name]}")
    print("\nTargets at 100,000 supply on PostgreSQL: p95 ≤ 100 ms; rebuild ≤ 600 s.")


if __name__ == "__main__":
    main()
