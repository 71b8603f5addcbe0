"""Connection events: supply–demand connection sessions, technology fairs and workshops, with
registration by organisations, time slots and B2B meetings between participants."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from rest_framework import serializers
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from accounts.provinces import Province


class AgendaItemBlock(blocks.StructBlock):
    time = blocks.TimeBlock(label=_("time"))
    title = blocks.CharBlock(label=_("title"), max_length=200)
    speaker = blocks.CharBlock(label=_("speaker"), max_length=200, required=False)
    description = blocks.TextBlock(label=_("description"), required=False)

    class Meta:
        icon = "time"
        label = _("agenda item")


class EventIndexPage(Page):
    """The list of events: upcoming first (soonest first), then past ones (latest first)."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.EventPage"]
    max_count_per_parent = 1
    per_page = 12

    class Meta:
        verbose_name = _("event index page")

    def get_context(self, request, *args, **kwargs):
        from cms.events.selectors import event_list_public

        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        is_past = Case(When(ends_at__lt=now, then=Value(1)), default=Value(0))
        events = (
            event_list_public()
            .child_of(self)
            .annotate(is_past=is_past)
            # Upcoming ones soonest first, then past ones latest first, paged in the database.
            .order_by(
                "is_past",
                Case(When(is_past=0, then=F("starts_at"))).asc(),
                F("starts_at").desc(),
            )
        )
        context["events"] = Paginator(events, self.per_page).get_page(request.GET.get("page"))
        context["now"] = now
        return context


class EventPage(Page):
    """One event: when and where, its agenda, who may register until when, and its fee."""

    class Kind(models.TextChoices):
        CONNECTION_SESSION = "connection_session", _("Supply–demand connection session")
        FAIR = "fair", _("Technology fair (Techmart)")
        WORKSHOP = "workshop", _("Workshop")

    kind = models.CharField(
        _("kind"), max_length=30, choices=Kind.choices, default=Kind.CONNECTION_SESSION
    )
    summary = models.TextField(_("summary"), max_length=500, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    province = models.CharField(_("province"), max_length=30, choices=Province.choices)
    capacity = models.PositiveIntegerField(
        _("capacity (organisations)"),
        help_text=_("How many organisations may register; a place waiting for payment counts."),
    )
    registration_opens_at = models.DateTimeField(_("registration opens at"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("registration closes at"), null=True, blank=True
    )
    fee = models.ForeignKey(
        "payments.PriceItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "event_fee"},
        verbose_name=_("registration fee"),
        help_text=_("An entry of the price list; leave empty for a free event."),
    )
    agenda = StreamField(
        [("item", AgendaItemBlock())],
        verbose_name=pgettext_lazy("event programme", "agenda"),
        blank=True,
    )
    body = RichTextField(_("body"), blank=True)
    meeting_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for an event without B2B meetings."),
    )
    meetings_start = models.TimeField(_("meetings start each day at"), null=True, blank=True)
    meetings_end = models.TimeField(_("meetings end each day at"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("venue"),
                FieldPanel("address"),
                FieldPanel("province"),
            ],
            heading=_("When and where"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldRowPanel(
                    [FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]
                ),
                FieldPanel("fee"),
            ],
            heading=_("Registration"),
        ),
        FieldPanel("agenda"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("meeting_minutes"),
                FieldRowPanel([FieldPanel("meetings_start"), FieldPanel("meetings_end")]),
            ],
            heading=_("B2B meetings"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    # What the page shows anyone; registrations and B2B meeting settings stay out.
    api_fields = [
        APIField("kind"),
        APIField("summary"),
        APIField("starts_at"),
        APIField("ends_at"),
        APIField("venue"),
        APIField("address"),
        APIField("province"),
        APIField("capacity"),
        APIField("registration_opens_at"),
        APIField("registration_closes_at"),
        APIField(
            "fee",
            serializer=serializers.IntegerField(source="fee.amount", allow_null=True),
        ),
        APIField("agenda"),
        APIField("body"),
    ]
    parent_page_types = ["cms.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event page")

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if (
            self.registration_closes_at
            and self.ends_at
            and self.registration_closes_at > (self.ends_at)
        ):
            errors["registration_closes_at"] = _("Registration must close before the event ends.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        meeting_fields = (self.meeting_minutes, self.meetings_start, self.meetings_end)
        if any(value is not None for value in meeting_fields):
            if not all(value is not None for value in meeting_fields):
                errors["meeting_minutes"] = _(
                    "B2B meetings need a length, a start time and an end time."
                )
            elif self.meetings_end <= self.meetings_start:
                errors["meetings_end"] = _("Meetings must end after they start each day.")
            elif self.meeting_minutes < 5:
                errors["meeting_minutes"] = _("A meeting lasts at least 5 minutes.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_paid(self) -> bool:
        return self.fee_id is not None

    @property
    def has_meetings(self) -> bool:
        return self.meeting_minutes is not None

    def registration_is_open(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        closes = self.registration_closes_at or self.ends_at
        return now < closes

    def get_context(self, request, *args, **kwargs):
        from cms.events import selectors

        context = super().get_context(request, *args, **kwargs)
        context["registration"] = selectors.registration_for_user(event=self, user=request.user)
        context["places_left"] = selectors.places_left(event=self)
        context["registration_open"] = self.registration_is_open()
        return context


class EventRegistration(models.Model):
    """An organisation's place at an event, with the listings it brings."""

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    HOLDS_PLACE = (Status.AWAITING_PAYMENT, Status.CONFIRMED)

    event = models.ForeignKey(
        EventPage, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="event_registrations",
        verbose_name=_("organisation"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="event_registrations",
        verbose_name=_("registered by"),
    )
    listings = models.ManyToManyField(
        "market.Listing",
        blank=True,
        related_name="event_registrations",
        verbose_name=_("listings brought"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT
    )
    order_reference = models.CharField(_("order reference"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"],
                condition=~Q(status="cancelled"),
                name="event_registration_once_per_organisation",
                violation_error_message=_("This organisation is already registered."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.event}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED


class MeetingSlot(models.Model):
    """A time in which B2B meetings of an event take place."""

    event = models.ForeignKey(
        EventPage, on_delete=models.CASCADE, related_name="slots", verbose_name=_("event")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "starts_at"], name="meeting_slot_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_slot_ends_after"
            ),
        ]

    def __str__(self) -> str:
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{start:%d/%m %H:%M}–{end:%H:%M}"


class Meeting(models.Model):
    """A B2B meeting one participant asks another for, in a slot, perhaps about a listing."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    class Outcome(models.TextChoices):
        FOLLOW_UP = "follow_up", _("We will follow up")
        INTRODUCTION = "introduction", _("Introduction started on the floor")
        NO_FIT = "no_fit", _("Not a fit")
        DID_NOT_MEET = "did_not_meet", _("We did not meet")

    slot = models.ForeignKey(
        MeetingSlot, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("slot")
    )
    requester = models.ForeignKey(
        EventRegistration,
        on_delete=models.CASCADE,
        related_name="meetings_requested",
        verbose_name=_("requested by"),
    )
    invitee = models.ForeignKey(
        EventRegistration,
        on_delete=models.CASCADE,
        related_name="meetings_invited",
        verbose_name=_("invitee"),
    )
    listing = models.ForeignKey(
        "market.Listing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_meetings",
        verbose_name=_("about the listing"),
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asked by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome note"), max_length=2000, blank=True)
    introduction = models.ForeignKey(
        "market.Introduction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("introduction"),
    )

    class Meta:
        verbose_name = _("B2B meeting")
        verbose_name_plural = _("B2B meetings")
        ordering = ["slot__starts_at", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=models.F("invitee")), name="meeting_two_participants"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requester.organisation} ↔ {self.invitee.organisation} · {self.slot}"

    def clean(self) -> None:
        if self.requester_id and self.invitee_id and self.requester_id == self.invitee_id:
            raise ValidationError({"invitee": _("Choose another participant.")})
        if self.slot_id and self.requester_id and self.invitee_id:
            events = {self.slot.event_id, self.requester.event_id, self.invitee.event_id}
            if len(events) != 1:
                raise ValidationError(
                    {"slot": _("The slot and both participants must belong to the same event.")}
                )


class MeetingBooking(models.Model):
    """One participant's hold on a slot for an accepted meeting: two rows per meeting, and the
    unique pair (slot, registration) is what makes a double booking impossible."""

    slot = models.ForeignKey(MeetingSlot, on_delete=models.CASCADE, related_name="bookings")
    registration = models.ForeignKey(
        EventRegistration, on_delete=models.CASCADE, related_name="bookings"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="bookings")

    class Meta:
        verbose_name = _("meeting booking")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "registration"],
                name="meeting_booking_one_per_slot",
                violation_error_message=_("This participant already has a meeting in this slot."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration.organisation} · {self.slot}"
