from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StartupsConfig(AppConfig):
    """Support programmes, calls, applications, reviews and agreements; incubators."""

    name = "startups"
    verbose_name = _("Startup support")

    def ready(self) -> None:
        from startups import workflows  # noqa: F401  (registers the workflow system check)
