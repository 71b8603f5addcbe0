"""python manage.py import_listings FILE.jsonl [--publish] [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from market.importing import import_listings


class Command(BaseCommand):
    help = "Import listings from a JSON Lines file; nothing is written if any line is invalid."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--publish", action="store_true", help="Publish without curation.")
        parser.add_argument("--dry-run", action="store_true", help="Only check the file.")

    def handle(self, *args, file: Path, publish: bool, dry_run: bool, **options) -> None:
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        lines = file.read_text(encoding="utf-8").splitlines()

        def progress(rows):
            return tqdm(
                rows,
                desc="Importing",
                unit="listing",
                file=self.stderr._out,
                disable=len(rows) < 200,
            )

        report = import_listings(lines=lines, publish=publish, dry_run=dry_run, progress=progress)
        if not report.is_valid:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(report.errors)} error(s) in {file}; nothing was imported.")
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(report.rows)} valid listing(s); nothing written (dry run)."
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {report.created} new and {report.updated} updated listing(s); "
                f"{report.organisations_created} new organisation(s)."
            )
        )
