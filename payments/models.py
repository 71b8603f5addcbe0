"""Orders and the price list. An order line names what it pays for only by a payable type key
and an id, so that this room never imports the rooms whose things are bought."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class PriceItem(models.Model):
    """One entry of the Innovation Center's price list, kept by staff."""

    class Kind(models.TextChoices):
        EVENT_FEE = "event_fee", _("Event registration")
        FEATURED_LISTING = "featured_listing", _("Featured listing")
        SERVICE = "service", _("S&T service")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    duration_days = models.PositiveSmallIntegerField(
        _("duration (days)"),
        null=True,
        blank=True,
        help_text=_("For a featured listing: how many days the listing stays featured."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("price item")
        verbose_name_plural = _("price list")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="price_item_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(kind="featured_listing")
                | Q(duration_days__isnull=False, duration_days__gte=1),
                name="price_item_featured_has_duration",
                violation_error_message=_("A featured listing needs a duration in days."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Order(models.Model):
    """What an organisation pays for, in whole đồng, and how far the payment has gone."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting payment")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Payment failed")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        STRIPE = "stripe", _("Card (Stripe)")

    reference = models.CharField(_("order reference"), max_length=32, unique=True)
    payer_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("payer organisation"),
    )
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("payer"),
    )
    total = models.PositiveBigIntegerField(_("total (VND)"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    method = models.CharField(
        _("payment method"), max_length=20, choices=Method.choices, default=Method.BANK_TRANSFER
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    bank_reference = models.CharField(_("bank transaction reference"), max_length=100, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # The latest Checkout Session opened for the order; kept after it expires, so that the next
    # one gets an idempotency key of its own.
    stripe_session_id = models.CharField(_("Stripe Checkout Session"), max_length=255, blank=True)
    stripe_payment_intent = models.CharField(
        _("Stripe PaymentIntent"), max_length=255, blank=True, db_index=True
    )
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("refunded by"),
    )
    refund_note = models.TextField(_("refund note"), blank=True)
    stripe_refund_id = models.CharField(_("Stripe refund"), max_length=255, blank=True)
    receipt_sent_at = models.DateTimeField(_("receipt sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("reconcile_order", _("Can mark bank transfers received")),
            ("refund_order", _("Can refund paid orders")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_at__isnull=False),
                name="order_paid_has_paid_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="refunded")
                | Q(paid_at__isnull=False, refunded_at__isnull=False),
                name="order_refunded_was_paid",
            ),
            models.UniqueConstraint(
                fields=["stripe_session_id"],
                condition=~Q(stripe_session_id=""),
                name="order_stripe_session_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def awaits_transfer(self) -> bool:
        """Pending, to be paid by bank transfer: the payer is shown the VietQR code."""
        return self.status == self.Status.PENDING and self.method == self.Method.BANK_TRANSFER


class OrderLine(models.Model):
    """One thing bought: a payable of some type, its description and price at ordering time."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    description = models.CharField(_("description"), max_length=300)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_amount = models.PositiveBigIntegerField(_("unit amount (VND)"))
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    payable_type = models.CharField(_("payable type"), max_length=60)
    payable_id = models.PositiveBigIntegerField(_("payable id"))
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="order_line_position"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity"),
            models.CheckConstraint(
                condition=Q(unit_amount__gte=0) & Q(amount__gte=0),
                name="order_line_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount=F("quantity") * F("unit_amount")),
                name="order_line_amount_is_quantity_times_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class StripeEvent(models.Model):
    """A webhook event from Stripe, stored by its id so that each is processed once however
    often Stripe delivers it."""

    event_id = models.CharField(_("event id"), max_length=255, unique=True)
    type = models.CharField(_("type"), max_length=100)
    order_reference = models.CharField(_("order reference"), max_length=32, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"
