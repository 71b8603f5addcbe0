"""Public organisation profiles in the REST API (/api/v1/organisations/): the directory and
the profile page's selectors, so the API shows whom the pages show."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from rest_framework import serializers, viewsets

from accounts import selectors
from accounts.models import Organisation
from techfloor.api import LanguageMixin


class OrganisationSerializer(serializers.ModelSerializer):
    """What the public profile page shows."""

    name = serializers.CharField(source="legal_name")
    kind_label = serializers.CharField(source="get_kind_display")
    province_label = serializers.CharField(source="get_province_display")
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    logo = serializers.ImageField(read_only=True, use_url=True)
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "kind_label",
            "province",
            "province_label",
            "description",
            "website",
            "address",
            "sectors",
            "logo",
            "is_verified",
            "page_url",
        ]
        read_only_fields = fields

    def get_page_url(self, organisation: Organisation) -> str:
        """The profile page, in the request's language."""
        url = reverse("accounts:organisation_detail", args=[organisation.slug])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class OrganisationViewSet(LanguageMixin, viewsets.ReadOnlyModelViewSet):
    """Verified organisations, as in the public directory; a profile as its page shows it."""

    queryset = Organisation.objects.none()  # for the schema; get_queryset says which
    lookup_value_regex = "[0-9]{1,18}"
    serializer_class = OrganisationSerializer
    filterset_fields = ["province", "kind"]

    def get_queryset(self):
        return selectors.organisation_list_public()

    def get_object(self) -> Organisation:
        organisation = get_object_or_404(
            Organisation.objects.prefetch_related("sectors"), pk=self.kwargs["pk"]
        )
        if not selectors.organisation_is_visible(
            organisation=organisation, viewer=self.request.user
        ):
            raise Http404
        return organisation
