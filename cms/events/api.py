"""Events in the REST API (/api/v1/events/): the live, public events that the events page
lists (``selectors.event_list_public``), with what their pages show to anyone. Participants,
registrations and B2B meetings are never here: they belong to the participants' pages."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from wagtail.rich_text import expand_db_html

from cms.events import selectors
from cms.models import EventPage
from techfloor.api import LanguageMixin


class AgendaItemSerializer(serializers.Serializer):
    time = serializers.TimeField()
    title = serializers.CharField()
    speaker = serializers.CharField()
    description = serializers.CharField()


class EventSerializer(serializers.ModelSerializer):
    """What the event's page shows to a visitor who has not registered."""

    url = serializers.SerializerMethodField()
    language = serializers.CharField(source="locale.language_code")
    kind_label = serializers.CharField(source="get_kind_display")
    province_label = serializers.CharField(source="get_province_display")
    body = serializers.SerializerMethodField()
    seats_left = serializers.SerializerMethodField(
        help_text="Organisations that may still register: capacity less places held."
    )
    fee = serializers.IntegerField(
        source="fee.amount",
        allow_null=True,
        read_only=True,
        help_text="The registration fee in whole VND; null for a free event.",
    )
    registration_open = serializers.SerializerMethodField(
        help_text="Within the registration window (a full event may still say true)."
    )
    agenda = serializers.SerializerMethodField()

    class Meta:
        model = EventPage
        fields = [
            "id",
            "title",
            "slug",
            "url",
            "language",
            "kind",
            "kind_label",
            "summary",
            "body",
            "starts_at",
            "ends_at",
            "venue",
            "address",
            "province",
            "province_label",
            "capacity",
            "seats_left",
            "fee",
            "registration_opens_at",
            "registration_closes_at",
            "registration_open",
            "agenda",
        ]
        read_only_fields = fields

    def get_url(self, event: EventPage) -> str:
        """The event's page, absolute."""
        return event.get_full_url(self.context.get("request")) or ""

    def get_body(self, event: EventPage) -> str:
        """The description as HTML, with links to pages and documents resolved."""
        return expand_db_html(event.body)

    def get_seats_left(self, event: EventPage) -> int:
        return selectors.places_left(event=event)

    def get_registration_open(self, event: EventPage) -> bool:
        return event.registration_is_open()

    @extend_schema_field(AgendaItemSerializer(many=True))
    def get_agenda(self, event: EventPage) -> list[dict]:
        items = [item.value for item in event.agenda]
        return AgendaItemSerializer(items, many=True).data


class EventQuerySerializer(serializers.Serializer):
    """The list's filters, checked before the query runs: a wrong value is a 400 naming it."""

    upcoming = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: events that have not ended yet; false: past events.",
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES, required=False, help_text="The language of the event's page."
    )
    starts_after = serializers.DateTimeField(
        required=False, help_text="Events starting at or after this time (ISO 8601)."
    )
    starts_before = serializers.DateTimeField(
        required=False, help_text="Events starting before this time (ISO 8601)."
    )
    ordering = serializers.ChoiceField(
        choices=[("starts_at", "soonest first"), ("-starts_at", "latest first")],
        default="starts_at",
        help_text="By start: soonest first (the default) or latest first.",
    )


class EventViewSet(LanguageMixin, viewsets.ReadOnlyModelViewSet):
    """Live, public events, soonest first; filters narrow the list, never the detail."""

    queryset = EventPage.objects.none()  # for the schema; get_queryset says which
    lookup_value_regex = "[0-9]{1,18}"
    serializer_class = EventSerializer
    filter_backends: list = []  # EventQuerySerializer's filters, through the selector

    def get_queryset(self):
        if self.action != "list":
            return selectors.event_list_public()
        query = EventQuerySerializer(data=self.request.query_params.dict())
        if not query.is_valid():
            raise ValidationError(query.errors)
        filters = dict(query.validated_data)
        latest_first = filters.pop("ordering") == "-starts_at"
        events = selectors.event_list_public(**filters)
        return events.reverse() if latest_first else events

    @extend_schema(parameters=[EventQuerySerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
