"""python manage.py tune_matching [--holdout 0.3] [--min-examples 20]"""

from django.core.management.base import BaseCommand, CommandError

from matching.tuning import tune


class Command(BaseCommand):
    help = (
        "Fit the fusion weights to match feedback and introductions, and adopt them only if "
        "they rank the held-out part better than the weights in use."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--holdout", type=float, default=0.3, help="Share of pairs kept back to compare (0.3)."
        )
        parser.add_argument(
            "--min-examples", type=int, default=20, help="Fewest examples worth tuning on (20)."
        )

    def handle(self, *args, holdout: float, min_examples: int, **options) -> None:
        if not 0 < holdout < 1:
            raise CommandError("--holdout must be between 0 and 1, exclusive.")
        if min_examples < 1:
            raise CommandError("--min-examples must be at least 1.")
        result = tune(holdout=holdout, minimum_examples=min_examples)
        self.stdout.write(f"Examples: {result.examples} ({result.held_out} held out)")
        if result.before is not None and result.after is not None:
            self.stdout.write(
                "Ranking accuracy on held-out feedback: "
                f"before {result.before:.3f}, after {result.after:.3f}"
            )
        if result.adopted:
            self.stdout.write(self.style.SUCCESS(result.message))
            self.stdout.write(
                "Run `python manage.py rebuild_matches` to re-rank the stored matches."
            )
        else:
            self.stdout.write(self.style.WARNING(result.message))
