"""Ordered S&T tasks: a call of type ``st_task`` remembers the challenge or adopted need it
orders, and each awardee's results, once accepted, may become an offer on the floor."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import private_storage, validate_file_size
from market.models import Listing
from startups.models.applications import ATTACHMENT_EXTENSIONS, Application
from startups.models.challenges import ChallengePage
from startups.models.programmes import CallPage


class TaskOrder(models.Model):
    """Where an ordered task's call comes from: a pooled challenge or one need the province
    adopted (exactly one of the two)."""

    call = models.OneToOneField(CallPage, on_delete=models.CASCADE, related_name="task_order")
    challenge = models.ForeignKey(
        ChallengePage,
        verbose_name=_("challenge"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task_orders",
    )
    need = models.ForeignKey(
        Listing,
        verbose_name=_("adopted need"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task_orders",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ordered S&T task")
        verbose_name_plural = _("ordered S&T tasks")
        constraints = [
            models.CheckConstraint(
                condition=Q(challenge__isnull=False, need__isnull=True)
                | Q(challenge__isnull=True, need__isnull=False),
                name="task_order_one_origin",
                violation_error_message=_("A task is ordered from a challenge or from a need."),
            )
        ]

    def __str__(self) -> str:
        return str(self.challenge or self.need)


class TaskResult(models.Model):
    """What the contractor delivered under an awarded task, and the offer it became."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="task_result"
    )
    summary = models.TextField(
        _("public summary"),
        max_length=500,
        help_text=_("What was achieved, for anyone on the floor to read."),
    )
    report = models.TextField(_("report"))
    file = models.FileField(
        _("report file"),
        upload_to="task-results/%Y/",
        storage=private_storage,
        blank=True,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS), validate_file_size],
    )
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level (TRL)"),
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    # The provenance of an offer on the floor: the listing this result became.
    offer = models.OneToOneField(
        Listing,
        verbose_name=_("technology offer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="task_result",
    )

    class Meta:
        verbose_name = _("task result")
        verbose_name_plural = _("task results")

    def __str__(self) -> str:
        return self.application.title
