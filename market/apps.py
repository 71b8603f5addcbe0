from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    """Listings (offers, needs, equipment, services), curation, introductions and deals."""

    name = "market"
    verbose_name = _("Trading floor")
