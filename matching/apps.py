from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """The matching engine, stored matches, feedback and alerts."""

    name = "matching"
    verbose_name = _("Matching")
