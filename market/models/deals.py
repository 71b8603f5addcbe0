"""Brokered introductions between two organisations, their message threads and the deals."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from market.models.listings import Listing


class NdaVersion(models.Model):
    """The text of the non-disclosure agreement; the newest one is in force."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    text_vi = models.TextField(_("text (Vietnamese)"))
    text_en = models.TextField(_("text (English)"))
    in_force_from = models.DateTimeField(_("in force from"))

    class Meta:
        verbose_name = _("NDA version")
        verbose_name_plural = _("NDA versions")
        ordering = ["-in_force_from"]

    def __str__(self) -> str:
        return f"NDA {self.version}"

    @classmethod
    def in_force(cls) -> NdaVersion | None:
        return cls.objects.filter(in_force_from__lte=timezone.now()).first()


class Introduction(models.Model):
    """One organisation's interest in another's listing, brokered by a curator."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the owner")
        ACCEPTED = "accepted", _("Waiting for a curator")
        DECLINED = "declined", _("Declined by the owner")
        APPROVED = "approved", _("Introduced")
        REJECTED = "rejected", _("Not approved")

    listing = models.ForeignKey(
        Listing,
        verbose_name=_("listing"),
        on_delete=models.PROTECT,
        related_name="introductions",
    )
    requester = models.ForeignKey(
        Organisation,
        verbose_name=_("interested organisation"),
        on_delete=models.PROTECT,
        related_name="introductions_requested",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    message = models.TextField(_("message"))
    intended_use = models.TextField(_("intended use"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.REQUESTED,
        db_index=True,
    )
    owner_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_decided_at = models.DateTimeField(_("owner answered at"), null=True, blank=True)
    nda = models.ForeignKey(
        NdaVersion,
        verbose_name=_("NDA accepted"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    nda_accepted_at = models.DateTimeField(_("NDA accepted at"), null=True, blank=True)
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("curator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    curator_decided_at = models.DateTimeField(_("curator decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "requester"],
                condition=Q(status__in=["requested", "accepted", "approved"]),
                name="introduction_one_open_per_listing_and_organisation",
                violation_error_message=_(
                    "Your organisation already has an open introduction for this listing."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.listing}"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def waiting_since(self):
        """When the current step began: the request, or the owner's acceptance."""
        if self.status == self.Status.ACCEPTED:
            return self.owner_decided_at
        return self.created_at


class Message(models.Model):
    """A message in the thread that opens once an introduction is approved."""

    introduction = models.ForeignKey(
        Introduction,
        verbose_name=_("introduction"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.body[:60]


class Deal(models.Model):
    """What an introduction became; closed deals count toward the province's targets."""

    class Stage(models.TextChoices):
        INTRODUCED = "introduced", _("Introduced")
        NEGOTIATING = "negotiating", _("Negotiating")
        AGREEMENT = "agreement", _("Agreement")
        CONTRACTED = "contracted", _("Contracted")
        CLOSED_WON = "closed_won", _("Closed – won")
        CLOSED_LOST = "closed_lost", _("Closed – lost")

    class TransactionType(models.TextChoices):
        LICENSE = "license", _("Licence")
        ASSIGNMENT = "assignment", _("Assignment")
        SALE = "sale", _("Sale")
        LEASE = "lease", _("Lease")
        JOINT_DEVELOPMENT = "joint_development", _("Joint development")
        SERVICE = "service", _("Service")

    CLOSED_STAGES = (Stage.CLOSED_WON, Stage.CLOSED_LOST)

    introduction = models.OneToOneField(
        Introduction,
        verbose_name=_("introduction"),
        on_delete=models.PROTECT,
        related_name="deal",
    )
    stage = models.CharField(
        _("stage"),
        max_length=12,
        choices=Stage.choices,
        default=Stage.INTRODUCED,
        db_index=True,
    )
    transaction_type = models.CharField(
        _("transaction type"), max_length=20, choices=TransactionType.choices, blank=True
    )
    value_vnd = models.PositiveBigIntegerField(_("value (VND)"), null=True, blank=True)
    lost_reason = models.TextField(_("reason it was lost"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return str(self.introduction)

    def clean(self) -> None:
        errors = {}
        if self.stage == self.Stage.CLOSED_LOST and not self.lost_reason.strip():
            errors["lost_reason"] = _("Say why the deal was lost.")
        if self.stage == self.Stage.CLOSED_WON:
            if not self.value_vnd:
                errors["value_vnd"] = _("Give the value of the won deal.")
            if not self.transaction_type:
                errors["transaction_type"] = _("Give the transaction type of the won deal.")
        if errors:
            raise ValidationError(errors)
