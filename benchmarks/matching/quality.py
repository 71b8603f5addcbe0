"""Matching quality on a labelled set: the engine against a plain BM25 baseline, same run.

    python benchmarks/matching/quality.py                      # SQLite
    python benchmarks/matching/quality.py --database postgres  # PostgreSQL (BENCH_POSTGRES_URL)

``listings.jsonl`` holds needs and supply listings in the import format (Vietnamese and
English, paraphrases, needs typed without diacritics, cross-language pairs, lexical traps,
items over budget or too immature); ``judgements.json`` grades supply listings per need
(2 solves it, 1 partly, 0 or absent not relevant); ``twins.json`` pairs each need typed without
diacritics with its accented twin. The script imports the listings into a fresh database,
runs ``rebuild_matches`` and ranks every need's supply with the engine and with BM25 over the
folded words of all fields (k1 1.2, b 0.75). It prints nDCG@10, Recall@20 and MRR for both.
Targets: engine nDCG@10 ≥ 1.25 × BM25's; needs typed without diacritics lose at most 5 %.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    gain = sum(
        (2 ** grades.get(item, 0) - 1) / math.log2(position + 2)
        for position, item in enumerate(ranked[:k])
    )
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2**grade - 1) / math.log2(position + 2) for position, grade in enumerate(ideal))
    return gain / best if best else 0.0


def recall(ranked: list[str], grades: dict[str, int], k: int = 20) -> float:
    relevant = {item for item, grade in grades.items() if grade > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked: list[str], grades: dict[str, int]) -> float:
    for position, item in enumerate(ranked, start=1):
        if grades.get(item, 0) > 0:
            return 1 / position
    return 0.0


def bm25_rankings(rows: list[dict], *, k1: float = 1.2, b: float = 0.75) -> dict[str, list[str]]:
    """Plain BM25 over folded words of title, summary, keywords and description."""
    from django.utils.html import strip_tags

    from techfloor.text import fold

    def words(row: dict) -> list[str]:
        text = " ".join(
            [row["title"], row["summary"], " ".join(row.get("keywords") or [])]
            + [strip_tags(row["description"])]
        )
        return fold(text).split()

    supply = [row for row in rows if row["kind"] != "need"]
    documents = {row["external_id"]: Counter(_tokens(words(row))) for row in supply}
    lengths = {key: sum(bag.values()) for key, bag in documents.items()}
    average = sum(lengths.values()) / len(lengths)
    frequency = Counter(term for bag in documents.values() for term in bag)
    count = len(documents)
    rankings = {}
    for need in (row for row in rows if row["kind"] == "need"):
        query = set(_tokens(words(need)))
        scores = {}
        for key, bag in documents.items():
            score = 0.0
            for term in query & bag.keys():
                idf = math.log(1 + (count - frequency[term] + 0.5) / (frequency[term] + 0.5))
                tf = bag[term]
                score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[key] / average))
            if score:
                scores[key] = score
        rankings[need["external_id"]] = sorted(scores, key=lambda key: (-scores[key], key))
    return rankings


def _tokens(words: list[str]) -> list[str]:
    import re

    return [token for word in words for token in re.findall(r"\w+", word)]


def child() -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techfloor.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from market.importing import import_listings
    from market.models import Listing
    from matching.selectors import match_report

    call_command("migrate", verbosity=0)
    lines = (HERE / "listings.jsonl").read_text(encoding="utf-8").splitlines()
    report = import_listings(lines=lines, publish=True)
    if not report.is_valid:
        raise SystemExit("\n".join(report.errors))
    call_command("rebuild_matches", verbosity=0, stderr=open(os.devnull, "w"))  # noqa: SIM115
    needs = Listing.objects.filter(kind=Listing.Kind.NEED)
    engine = {
        key: [row["external_id"] for row in rows]
        for key, rows in match_report(needs=needs, top=20, explain=False, language="en").items()
    }
    rows = [json.loads(line) for line in lines]
    return {"database": connection.vendor, "engine": engine, "bm25": bm25_rankings(rows)}


def summarise(rankings: dict[str, list[str]], judgements: dict, needs: list[str]) -> dict:
    return {
        "nDCG@10": sum(ndcg(rankings.get(n, []), judgements[n]) for n in needs) / len(needs),
        "Recall@20": sum(recall(rankings.get(n, []), judgements[n]) for n in needs) / len(needs),
        "MRR": sum(reciprocal_rank(rankings.get(n, []), judgements[n]) for n in needs) / len(needs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--per-need", action="store_true", help="Print nDCG@10 of every need.")
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(child()))
        return
    with tempfile.TemporaryDirectory() as folder:
        if arguments.database == "sqlite":
            url = f"sqlite:///{folder}/quality.sqlite3"
        else:
            sys.path.insert(0, str(ROOT / "benchmarks"))
            from search import _postgres_url

            url = _postgres_url()
        environment = {**os.environ, "DATABASE_URL": url}
        environment.pop("REDIS_URL", None)
        output = subprocess.run(  # noqa: S603 - our own script
            [sys.executable, __file__, "--child"],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
    if output.returncode:
        raise SystemExit(output.stderr)
    result = json.loads(output.stdout.strip().splitlines()[-1])
    judgements = json.loads((HERE / "judgements.json").read_text(encoding="utf-8"))
    twins = json.loads((HERE / "twins.json").read_text(encoding="utf-8"))
    needs = sorted(judgements)
    engine = summarise(result["engine"], judgements, needs)
    baseline = summarise(result["bm25"], judgements, needs)
    print(f"{len(needs)} needs on {result['database']}")
    print(f"{'':<10}{'nDCG@10':>10}{'Recall@20':>11}{'MRR':>8}")
    for name, figures in (("engine", engine), ("BM25", baseline)):
        print(
            f"{name:<10}"
            + "".join(
                f"{figures[key]:>{w}.3f}" for key, w in zip(figures, (10, 11, 8), strict=True)
            )
        )
    print(f"engine / BM25 nDCG@10: {engine['nDCG@10'] / baseline['nDCG@10']:.2f} (target ≥ 1.25)")
    plain = summarise(result["engine"], judgements, sorted(twins))["nDCG@10"]
    accented = summarise(result["engine"], judgements, sorted(twins.values()))["nDCG@10"]
    loss = 1 - plain / accented if accented else 0.0
    print(
        f"without diacritics: nDCG@10 {plain:.3f} against {accented:.3f} with them "
        f"({loss:+.1%} loss; target ≤ 5%)"
    )
    if arguments.per_need:
        for need in needs:
            print(
                f"{need:<18} engine {ndcg(result['engine'].get(need, []), judgements[need]):.2f}"
                f"  bm25 {ndcg(result['bm25'].get(need, []), judgements[need]):.2f}"
            )


if __name__ == "__main__":
    main()
