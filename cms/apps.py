from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """Wagtail pages, site settings and the public templates."""

    name = "cms"
    verbose_name = _("Site content")

    def ready(self) -> None:
        from cms import signals  # noqa: F401  (connects the receivers)
