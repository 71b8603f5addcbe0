"""python manage.py rebuild_matches"""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from market.models import Listing
from matching.services import rebuild_matches


class Command(BaseCommand):
    help = (
        "Learn the semantic space from the published listings and rebuild every listing's "
        "matches (after a bulk import, or to adopt new fusion weights everywhere)."
    )

    def handle(self, *args, **options) -> None:
        total = Listing.objects.filter(status=Listing.Status.PUBLISHED).count()
        with tqdm(total=total, desc="Matching", unit="listing", file=self.stderr._out) as bar:
            result = rebuild_matches(progress=lambda done: bar.update(done - bar.n))
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['matches']} match(es) for {result['listings']} published listing(s)."
            )
        )
