"""The trading floor in the REST API (/api/v1/listings/): serializers and one viewset that read
through ``market.selectors`` and ``market.search`` and write through ``market.services``, so the
API shows and allows exactly what the pages do."""

from __future__ import annotations

from dataclasses import replace

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from accounts.models import Organisation, Sector
from accounts.selectors import organisation_acting_for
from market import selectors, services
from market.forms import FIELDS_BY_KIND, SHARED_FIELDS, IntroductionRequestForm
from market.links import listing_url
from market.models import Introduction, Listing
from market.search import search_listings
from market.search.forms import SearchForm
from techfloor.api import LanguageMixin, Pagination

WRITABLE_FIELDS = SHARED_FIELDS + sorted(
    {name for names in FIELDS_BY_KIND.values() for name in names}
)
# What the listing page shows once its details are visible, and once its confidential part is.
DETAIL_FIELDS = [
    "description",
    "problem",
    "advantages",
    "applications",
    "test_results",
    "desired_outcome",
    "constraints",
    "specifications",
    "condition",
    "location",
    "availability",
    "scope",
    "accreditation",
    "turnaround",
]
# The largest number the databases store: larger IDs and offsets cannot exist.
MAX_ID = 2**63 - 1
CONFIDENTIAL_FIELDS = ["confidential", "contact_name", "contact_email", "contact_phone"]


class OrganisationBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="legal_name")

    class Meta:
        model = Organisation
        fields = ["id", "name", "slug"]


class ListingSummarySerializer(serializers.ModelSerializer):
    """What a card on the floor shows: anyone who may see the listing may read this."""

    kind_label = serializers.CharField(source="get_kind_display")
    province_label = serializers.CharField(source="get_province_display")
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    transfer_modes = serializers.ListField(child=serializers.CharField())
    organisation = OrganisationBriefSerializer()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Listing
        fields = [
            "id",
            "slug",
            "kind",
            "kind_label",
            "status",
            "title",
            "summary",
            "language",
            "province",
            "province_label",
            "sectors",
            "keywords",
            "trl",
            "ip_status",
            "transfer_modes",
            "price_min",
            "price_max",
            "deadline",
            "equipment_mode",
            "service_type",
            "visibility",
            "featured",
            "organisation",
            "published_at",
            "valid_until",
            "page_url",
        ]
        read_only_fields = fields

    def get_page_url(self, listing: Listing) -> str:
        """The listing's page on the floor, in the request's language ("" without a floor)."""
        url = listing_url(listing, language=get_language())
        request = self.context.get("request")
        return request.build_absolute_uri(url) if url and request else url


class ListingDetailsSerializer(serializers.ModelSerializer):
    class Meta:
        model = Listing
        fields = DETAIL_FIELDS
        read_only_fields = fields


class ListingConfidentialSerializer(serializers.ModelSerializer):
    class Meta:
        model = Listing
        fields = CONFIDENTIAL_FIELDS
        read_only_fields = fields


class ListingSerializer(ListingSummarySerializer):
    """The listing page: ``details`` and ``confidential`` are null for whoever the page would
    not show them to (``market.selectors`` decides)."""

    details = serializers.SerializerMethodField()
    confidential = serializers.SerializerMethodField()

    class Meta(ListingSummarySerializer.Meta):
        fields = [*ListingSummarySerializer.Meta.fields, "ip_number", "details", "confidential"]
        read_only_fields = fields

    def _viewer(self):
        request = self.context.get("request")
        return request.user if request else None

    @extend_schema_field(ListingDetailsSerializer(allow_null=True))
    def get_details(self, listing: Listing) -> dict | None:
        if not selectors.listing_details_visible(listing=listing, viewer=self._viewer()):
            return None
        return ListingDetailsSerializer(listing).data

    @extend_schema_field(ListingConfidentialSerializer(allow_null=True))
    def get_confidential(self, listing: Listing) -> dict | None:
        if not selectors.listing_confidential_visible(listing=listing, viewer=self._viewer()):
            return None
        return ListingConfidentialSerializer(listing).data


class ListingWriteSerializer(serializers.ModelSerializer):
    """A draft's fields, those of its kind only (as the portal's form); every one optional
    but the title, since drafts may be incomplete — submitting checks completeness."""

    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        required=False,
        help_text="The organisation the listing is for; by default the one you act for.",
    )
    sectors = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=Sector.objects.exclude(parent=None),
        help_text="Codes of second-level sectors.",
    )
    keywords = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=20, required=False
    )
    transfer_modes = serializers.ListField(
        child=serializers.ChoiceField(choices=Listing.TransferMode.choices), required=False
    )

    class Meta:
        model = Listing
        fields = ["kind", "organisation", *WRITABLE_FIELDS]
        extra_kwargs = {name: {"required": False} for name in WRITABLE_FIELDS if name != "title"}

    def validate(self, data: dict) -> dict:
        kind = data.get("kind") or getattr(self.instance, "kind", None)
        if self.instance is not None:
            for name in ("kind", "organisation"):
                if name in data:
                    raise ApiValidationError({name: _("This cannot be changed.")})
        allowed = set(SHARED_FIELDS) | set(FIELDS_BY_KIND[kind])
        foreign = {
            name: _("A listing of this kind has no such field.")
            for name in data
            if name in WRITABLE_FIELDS and name not in allowed
        }
        if foreign:
            raise ApiValidationError(foreign)
        low = data.get("price_min", getattr(self.instance, "price_min", None))
        high = data.get("price_max", getattr(self.instance, "price_max", None))
        if low is not None and high is not None and low > high:
            raise ApiValidationError(
                {"price_max": _("The upper price must be at least the lower price.")}
            )
        return data


class InterestSerializer(serializers.Serializer):
    """The portal's "Express interest" form, field for field."""

    message = serializers.CharField(
        max_length=IntroductionRequestForm.base_fields["message"].max_length
    )
    intended_use = serializers.CharField(
        max_length=IntroductionRequestForm.base_fields["intended_use"].max_length
    )
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        required=False,
        help_text="The organisation that is interested; by default the one you act for.",
    )


class IntroductionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Introduction
        fields = ["id", "listing", "requester", "status", "created_at"]
        read_only_fields = fields


def _search_parameters() -> list[OpenApiParameter]:
    """The floor's search form, as query parameters: one definition of the filters."""
    parameters = []
    for name, field in SearchForm.base_fields.items():
        choices = [value for value, _label in getattr(field, "choices", []) if value != ""]
        parameters.append(
            OpenApiParameter(
                name,
                OpenApiTypes.INT if name == "trl" else OpenApiTypes.STR,
                enum=choices or None,
                description=str(field.label or ""),
            )
        )
    parameters.append(
        OpenApiParameter("organisation", OpenApiTypes.INT, description="An organisation's ID.")
    )
    return parameters


class ListingViewSet(
    LanguageMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Listings of the trading floor. Reading follows the floor's pages; writing the portal's."""

    queryset = Listing.objects.none()
    lookup_value_regex = "[0-9]{1,18}"
    pagination_class = Pagination
    filter_backends: list = []  # market.search filters, as on the floor
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.action == "list":
            return ListingSummarySerializer
        if self.action in ("create", "partial_update"):
            return ListingWriteSerializer
        if self.action == "interest":
            return InterestSerializer
        return ListingSerializer

    @extend_schema(parameters=_search_parameters())
    def list(self, request, *args, **kwargs):
        """Published listings the viewer may see, found and ordered as on the floor."""
        form = SearchForm(request.query_params)
        organisation = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
        if not form.is_valid():
            raise ApiValidationError(form.errors)
        try:
            organisation_id = organisation.clean(request.query_params.get("organisation"))
        except forms.ValidationError as error:
            raise ApiValidationError({"organisation": error.messages}) from error
        paginator = self.pagination_class()
        per_page = paginator.get_page_size(request)
        number = request.query_params.get(paginator.page_query_param) or 1
        try:
            number = int(number)
        except ValueError:
            raise NotFound(_("Invalid page.")) from None
        if number < 1 or (number - 1) * per_page > MAX_ID:
            raise NotFound(_("Invalid page."))
        filters = form.filters()
        if organisation_id:
            filters = replace(filters, organisation_id=organisation_id)
        results = search_listings(
            query=form.cleaned_data.get("q", ""),
            filters=filters,
            page=number,
            per_page=per_page,
            sort=form.cleaned_data.get("sort") or "relevance",
            viewer=request.user,
        )
        page = results.page
        if page.number != number and results.total:
            raise NotFound(_("Invalid page."))
        url = request.build_absolute_uri()
        return Response(
            {
                "count": results.total,
                "next": replace_query_param(url, "page", page.next_page_number())
                if page.has_next()
                else None,
                "previous": (
                    replace_query_param(url, "page", page.previous_page_number())
                    if page.previous_page_number() > 1
                    else remove_query_param(url, "page")
                )
                if page.has_previous()
                else None,
                "results": ListingSummarySerializer(
                    self._full_listings(page.object_list),
                    many=True,
                    context=self.get_serializer_context(),
                ).data,
            }
        )

    def _full_listings(self, listings: list[Listing]) -> list[Listing]:
        """The search loads only what the floor's cards show; the API shows a little more,
        read in one query for the page rather than one per listing."""
        loaded = (
            Listing.objects.select_related("organisation")
            .prefetch_related("sectors")
            .in_bulk([listing.pk for listing in listings])
        )
        return [loaded[listing.pk] for listing in listings]

    def get_object(self) -> Listing:
        """The listing if its page would show it to this viewer; 404 as the page answers."""
        listing = get_object_or_404(
            Listing.objects.select_related("organisation").prefetch_related("sectors"),
            pk=self.kwargs["pk"],
        )
        if not selectors.listing_is_visible(listing=listing, viewer=self.request.user):
            raise Http404
        return listing

    def _my_listing(self) -> Listing:
        """As the portal: a listing of another organisation does not exist for this member."""
        listing = get_object_or_404(
            Listing.objects.select_related("organisation"), pk=self.kwargs["pk"]
        )
        if not selectors.listing_is_member(listing=listing, viewer=self.request.user):
            raise Http404
        return listing

    def _detail(self, listing: Listing, *, status_code: int = status.HTTP_200_OK) -> Response:
        """The listing as its owner now reads it, after a write."""
        listing = (
            Listing.objects.select_related("organisation")
            .prefetch_related("sectors")
            .get(pk=listing.pk)
        )
        data = ListingSerializer(listing, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    @extend_schema(request=ListingWriteSerializer, responses={201: ListingSerializer})
    def create(self, request, *args, **kwargs):
        """Start a draft for your organisation, as "New listing" in the portal."""
        serializer = ListingWriteSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "kind" not in data:
            raise ApiValidationError({"kind": [_("This field is required.")]})
        organisation = data.pop("organisation", None) or organisation_acting_for(user=request.user)
        if organisation is None:
            raise ApiValidationError({"organisation": [_("Create or join an organisation first.")]})
        listing = services.listing_create(actor=request.user, organisation=organisation, **data)
        return self._detail(listing, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=ListingWriteSerializer, responses={200: ListingSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Change your organisation's draft, or a listing sent back for changes."""
        listing = self._my_listing()
        serializer = ListingWriteSerializer(
            listing, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        listing = services.listing_update(
            listing=listing, actor=request.user, **serializer.validated_data
        )
        return self._detail(listing)

    @extend_schema(request=None, responses={200: ListingSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send your organisation's draft to the curators; missing fields are named."""
        listing = services.listing_submit(listing=self._my_listing(), actor=request.user)
        return self._detail(listing)

    @extend_schema(request=InterestSerializer, responses={201: IntroductionSerializer})
    @action(detail=True, methods=["post"])
    def interest(self, request, pk=None):
        """Express your organisation's interest: an introduction request to the curators."""
        listing = get_object_or_404(Listing.objects.select_related("organisation"), pk=pk)
        if not listing.is_public:
            raise Http404
        serializer = InterestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation", None) or organisation_acting_for(user=request.user)
        if organisation is None:
            raise ApiValidationError({"organisation": [_("Create or join an organisation first.")]})
        introduction = services.introduction_request(
            listing=listing, actor=request.user, organisation=organisation, **data
        )
        return Response(IntroductionSerializer(introduction).data, status=status.HTTP_201_CREATED)
