"""Staff screens for startup support in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from startups.models import Incubator


class IncubatorViewSet(SnippetViewSet):
    model = Incubator
    icon = "home"
    menu_label = _("Incubators")
    list_display = ["name", "kind", "province", "organisation"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "address"]


register_snippet(IncubatorViewSet)
