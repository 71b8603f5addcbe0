"""What members buy from the Innovation Center on the floor: featuring a listing for a period,
and S&T services (valuation, testing and calibration, IP registration help). Each purchase is a
payable (``market.payables``): payments knows it only by a key and this row's id."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from market.models.listings import Listing


class ListingFeature(models.Model):
    """One featuring period bought for a listing; paying for it puts the listing at the top of
    the floor for ``days`` (after any period already running)."""

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled")

    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="features", verbose_name=_("listing")
    )
    price_item = models.ForeignKey(
        "payments.PriceItem",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("featuring plan"),
    )
    days = models.PositiveSmallIntegerField(_("days"))
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ordered by"),
    )
    order = models.ForeignKey(
        "payments.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT
    )
    starts_at = models.DateTimeField(_("featured from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("featured until"), null=True, blank=True)
    created_at = models.DateTimeField(_("ordered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("listing featuring")
        verbose_name_plural = _("listing featurings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1), name="listing_feature_days"),
            models.CheckConstraint(
                condition=Q(status__in=["awaiting_payment", "cancelled"])
                | Q(starts_at__isnull=False, ends_at__gt=F("starts_at")),
                name="listing_feature_period_when_paid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.listing} · {self.days}"


class ServiceOrder(models.Model):
    """An S&T service ordered from the Innovation Center: paid, then worked by staff."""

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="service_orders",
        verbose_name=_("organisation"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    price_item = models.ForeignKey(
        "payments.PriceItem",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service"),
    )
    order = models.ForeignKey(
        "payments.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order"),
    )
    details = models.TextField(_("what you need"), max_length=4000)
    preferred_date = models.DateField(_("preferred date"), null=True, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.AWAITING_PAYMENT,
        db_index=True,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    staff_note = models.TextField(_("note from the Innovation Center"), blank=True)
    created_at = models.DateTimeField(_("ordered at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("service order")
        verbose_name_plural = _("service orders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="in_progress") | Q(started_at__isnull=False),
                name="service_order_started_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_at__isnull=False),
                name="service_order_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.price_item} · {self.organisation}"
