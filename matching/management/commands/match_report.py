"""python manage.py match_report [--top K] [--need EXTERNAL_ID] [--explain]"""

import json

from django.core.management.base import BaseCommand, CommandError

from market.models import Listing
from matching.selectors import match_report


class Command(BaseCommand):
    help = (
        "Print one JSON object mapping every published need's external_id to its ranked supply "
        "listings, with scores and reasons (English), as the engine ranks them now."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--top", type=int, default=10, help="Listings per need (10).")
        parser.add_argument("--need", help="Only this need (its external_id).")
        parser.add_argument(
            "--explain", action="store_true", help="Add the feature values of every pair."
        )
        parser.add_argument("--language", default="en", choices=["en", "vi"])

    def handle(self, *args, top: int, need: str | None, explain: bool, language: str, **options):
        if top < 1:
            raise CommandError("--top must be at least 1")
        needs = Listing.objects.filter(kind=Listing.Kind.NEED, status=Listing.Status.PUBLISHED)
        if need:
            needs = needs.filter(external_id=need)
            if not needs.exists():
                raise CommandError(f"No published need has external_id {need!r}.")
        report = match_report(needs=needs, top=top, explain=explain, language=language)
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
