from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """The matching engine, stored matches, feedback and alerts."""

    name = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from market.signals import listing_published, listing_unpublished
        from market.tabs import ListingTab, register_listing_tab
        from matching.tasks import enqueue_refresh

        register_listing_tab(ListingTab(_("Matches"), "matching:listing_matches"))
        listing_published.connect(enqueue_refresh, dispatch_uid="matching-published")
        listing_unpublished.connect(enqueue_refresh, dispatch_uid="matching-unpublished")
