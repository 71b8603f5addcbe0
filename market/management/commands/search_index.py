"""Elasticsearch indices of the floor: rebuild without downtime, check drift, repair it.

    python manage.py search_index --rebuild                 # every index, with a progress bar
    python manage.py search_index --rebuild --if-missing    # first start (docker compose)
    python manage.py search_index --check --models listings # exit status 1 if anything drifted
    python manage.py search_index --repair                  # rewrite exactly what drifted
    python manage.py search_index --check --deep            # compare whole documents

See docs/elasticsearch.md.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from market.search.elastic import indices, percolator
from market.search.elastic.connection import get_client, is_configured
from market.search.elastic.documents import DOCUMENTS


class Command(BaseCommand):
    help = "Rebuild, check or repair the Elasticsearch indices (needs ELASTICSEARCH_URL)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_mutually_exclusive_group(required=True)
        actions.add_argument(
            "--rebuild",
            action="store_true",
            help="Build a new version of each index from the database and switch to it.",
        )
        actions.add_argument(
            "--check",
            action="store_true",
            help="Count documents missing, stale or extra in each index; exit 1 on any drift.",
        )
        actions.add_argument(
            "--repair",
            action="store_true",
            help="Rewrite exactly the documents that --check finds missing, stale or extra.",
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="With --rebuild: only the indices that do not exist yet (first start).",
        )
        parser.add_argument(
            "--deep",
            action="store_true",
            help=(
                "With --check or --repair: compare each document's whole content, not only "
                "updated_at (finds edits made without it, such as QuerySet.update(); slower)."
            ),
        )
        parser.add_argument(
            "--models",
            nargs="+",
            choices=sorted(DOCUMENTS),
            default=list(DOCUMENTS),
            metavar="INDEX",
            help=f"Which indices ({', '.join(DOCUMENTS)}); all by default.",
        )

    def handle(self, *args, rebuild: bool, check: bool, repair: bool, models, **options) -> None:
        if not is_configured():
            raise CommandError(
                "ELASTICSEARCH_URL is not set: the database backend searches without an index."
            )
        client = get_client()
        show_progress = options["verbosity"] > 0
        drifted = []
        for kind in models:
            document = DOCUMENTS[kind]
            if rebuild and options["if_missing"] and self._exists(document, client):
                self.stdout.write(f"{kind}: exists")
                continue
            if rebuild:
                self._rebuild(kind, document, client, show_progress=show_progress)
                if kind == "listings":
                    self._delete_stale_percolator_indices(client)
                continue
            drift = indices.check(document, client=client, deep=options["deep"])
            self.stdout.write(
                f"{kind}: {len(drift.missing)} missing, {len(drift.stale)} stale, "
                f"{len(drift.extra)} extra"
            )
            if drift.total and repair:
                written = indices.repair(document, drift, client=client)
                self.stdout.write(f"{kind}: repaired {written}")
            elif drift.total:
                drifted.append(kind)
        if drifted:
            raise CommandError(
                f"Drift in {', '.join(drifted)}: run search_index --repair", returncode=1
            )

    def _exists(self, document, client) -> bool:
        return indices.read_alias(document) in indices.aliases(document, client)

    def _delete_stale_percolator_indices(self, client) -> None:
        """Saved searches percolate into the index of the listings' current mapping; those of
        earlier mappings go once the listings are rebuilt with it."""
        for name in percolator.delete_stale_indices(client):
            self.stdout.write(f"saved searches: deleted {name} (an earlier mapping)")

    def _rebuild(self, kind: str, document, client, *, show_progress: bool) -> None:
        total = document.get_queryset().count()
        # The raw stream: Django's wrapper would end each redraw of the bar with a newline.
        stream = self.stderr._out
        with tqdm(
            total=total, desc=kind, unit="doc", file=stream, disable=not show_progress
        ) as bar:
            try:
                result = indices.rebuild(document, client=client, progress=bar.update)
            except indices.RebuildRunning as running:
                raise CommandError(f"{kind}: another rebuild is running ({running})") from None
        self.stdout.write(
            f"{kind}: {result.indexed} documents into {result.index}"
            f" ({result.caught_up} caught up, {len(result.deleted_indices)} old versions deleted)"
        )
