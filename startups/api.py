"""Calls for applications in the REST API (/api/v1/calls/): the live, public calls that the
programme pages list (``call_list_public``)."""

from __future__ import annotations

from rest_framework import serializers, viewsets
from wagtail.rich_text import expand_db_html

from startups.models import CallPage
from startups.selectors.applications import call_list_public
from techfloor.api import LanguageMixin


class CallSerializer(serializers.ModelSerializer):
    call_type_label = serializers.CharField(source="get_call_type_display")
    intro = serializers.SerializerMethodField()
    is_open = serializers.SerializerMethodField()
    language = serializers.CharField(source="locale.language_code")
    eligible_kinds = serializers.ListField(child=serializers.CharField())
    eligible_provinces = serializers.ListField(child=serializers.CharField())
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = CallPage
        fields = [
            "id",
            "title",
            "slug",
            "language",
            "call_type",
            "call_type_label",
            "intro",
            "opens_at",
            "closes_at",
            "is_open",
            "eligible_kinds",
            "eligible_provinces",
            "max_years_established",
            "quota",
            "budget",
            "page_url",
        ]
        read_only_fields = fields

    def get_intro(self, call: CallPage) -> str:
        """The introduction as HTML, with links to pages and documents resolved."""
        return expand_db_html(call.intro)

    def get_is_open(self, call: CallPage) -> bool:
        return call.is_open()

    def get_page_url(self, call: CallPage) -> str:
        request = self.context.get("request")
        return call.get_full_url(request) or ""


class CallViewSet(LanguageMixin, viewsets.ReadOnlyModelViewSet):
    """Live, public calls, the latest to close first, in every language of the site."""

    queryset = CallPage.objects.none()  # for the schema; get_queryset says which
    lookup_value_regex = "[0-9]{1,18}"
    serializer_class = CallSerializer
    filterset_fields = ["call_type"]

    def get_queryset(self):
        return call_list_public().select_related("locale")
