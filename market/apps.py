from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    """Listings (offers, needs, equipment, services), curation, introductions and deals."""

    name = "market"
    verbose_name = _("Trading floor")

    def ready(self) -> None:
        from accounts.profile_sections import register_profile_section
        from market import payables
        from market.profile import organisation_listings_section
        from market.search.database import forget_floor_counts
        from market.search.elastic import sync as elasticsearch_sync
        from market.signals import listing_published, listing_unpublished

        register_profile_section(organisation_listings_section)
        payables.register()
        listing_published.connect(forget_floor_counts, dispatch_uid="floor-counts-published")
        listing_unpublished.connect(forget_floor_counts, dispatch_uid="floor-counts-unpublished")
        elasticsearch_sync.connect()
