"""Editor-managed pages that show one of the public directories, with an introduction."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


def _directories() -> dict[str, tuple[str, Callable[[HttpRequest], dict]]]:
    """Each directory's template and the function its own view builds the context with, so the
    page shows exactly what the view shows, to the same viewers."""
    from accounts.views import organisation_directory_context
    from startups.views.incubators import incubator_list_context
    from startups.views.profiles import expert_list_context

    return {
        "organisations": ("accounts/organisation_directory.html", organisation_directory_context),
        "incubators": ("startups/incubator_list.html", incubator_list_context),
        "experts": ("startups/expert_list.html", expert_list_context),
    }


class DirectoryPage(Page):
    """A directory (organisations, incubators or experts) under the editors' own title and
    introduction, at an address of their choosing."""

    class Directory(models.TextChoices):
        ORGANISATIONS = "organisations", _("Organisations")
        INCUBATORS = "incubators", _("Incubators and co-working spaces")
        EXPERTS = "experts", _("Mentors and experts")

    directory = models.CharField(_("directory"), max_length=20, choices=Directory.choices)
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("directory"), FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    template = "cms/directory_page.html"

    class Meta:
        verbose_name = _("directory page")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        template, directory_context = _directories()[self.directory]
        context = super().get_context(request, *args, **kwargs)
        # The directory's own context names its paginator ``page``; the Wagtail page stays
        # reachable as ``self`` and ``directory_page``.
        return {
            **context,
            **directory_context(request),
            "directory_page": self,
            "directory_template": template,
        }
