from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """Wagtail pages, site settings and the public templates."""

    name = "cms"
    verbose_name = _("Site content")

    def ready(self) -> None:
        from cms import signals  # noqa: F401  (connects the receivers)
        from cms.context_processors import floor_url_for
        from cms.events.payables import EventRegistrationPayable
        from cms.events.services import EVENT_REGISTRATION
        from market.links import register_listing_url
        from payments.payables import register_payable

        register_listing_url(
            lambda listing, language: (
                f"{floor_url_for(language)}{listing.slug}/" if floor_url_for(language) else ""
            )
        )
        register_payable(EVENT_REGISTRATION, EventRegistrationPayable())
