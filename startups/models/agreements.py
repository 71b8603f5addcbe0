"""Support agreements: milestones, the startup's reports, and disbursements against them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import private_storage, validate_file_size
from startups.models.applications import ATTACHMENT_EXTENSIONS, Application


class SupportAgreement(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        TERMINATED = "terminated", _("Terminated")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="agreement"
    )
    number = models.CharField(_("agreement number"), max_length=50, unique=True)
    signed_on = models.DateField(_("signed on"))
    grant_total = models.PositiveBigIntegerField(_("grant in total (VND)"), default=0)
    # Loan interest support, when the agreement grants it.
    loan_principal = models.PositiveBigIntegerField(
        _("loan principal (VND)"), null=True, blank=True
    )
    loan_annual_rate = models.DecimalField(
        _("annual interest rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    loan_term_months = models.PositiveSmallIntegerField(
        _("loan term (months)"), null=True, blank=True
    )
    loan_supported_share = models.DecimalField(
        _("share of interest supported (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("support agreement")
        verbose_name_plural = _("support agreements")
        ordering = ["-signed_on", "-pk"]

    def __str__(self) -> str:
        return self.number

    @property
    def has_loan_support(self) -> bool:
        return bool(self.loan_principal and self.loan_term_months and self.loan_supported_share)


class Milestone(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the report")
        REPORTED = "reported", _("Report submitted")
        RETURNED = "returned", _("Report returned")
        ACCEPTED = "accepted", _("Accepted")
        DISBURSED = "disbursed", _("Disbursed")

    agreement = models.ForeignKey(
        SupportAgreement, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    amount = models.PositiveBigIntegerField(_("disbursement (VND)"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    report = models.TextField(_("report"), blank=True)
    report_file = models.FileField(
        _("report file"),
        upload_to="milestones/%Y/",
        storage=private_storage,
        blank=True,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS), validate_file_size],
    )
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("staff's note"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Disbursement(models.Model):
    """Money released against one accepted milestone; at most one per milestone."""

    milestone = models.OneToOneField(
        Milestone, on_delete=models.PROTECT, related_name="disbursement"
    )
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    reference = models.CharField(_("transfer reference"), max_length=100, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    released_at = models.DateTimeField(_("released at"), auto_now_add=True)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["-released_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="disbursement_positive")
        ]

    def __str__(self) -> str:
        return f"{self.milestone} · {self.amount:,} VND"
