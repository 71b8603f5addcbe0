"""Expert review: assignments with a conflict-of-interest declaration first, then scores."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from startups.models.applications import Application
from startups.models.programmes import RubricCriterion


class ReviewAssignment(models.Model):
    """A reviewer asked to score one application. Until they declare that they have no
    conflict of interest they see nothing of it; a declared conflict ends the assignment."""

    class Conflict(models.TextChoices):
        UNDECLARED = "undeclared", _("Not yet declared")
        NONE = "none", _("No conflict of interest")
        DECLARED = "declared", _("Conflict of interest declared")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("application")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name=_("reviewer"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    conflict = models.CharField(
        _("conflict of interest"),
        max_length=12,
        choices=Conflict.choices,
        default=Conflict.UNDECLARED,
    )
    conflict_note = models.TextField(_("conflict of interest, explained"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(_("scores submitted at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="review_one_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} · {self.reviewer}"

    @property
    def may_read(self) -> bool:
        return self.conflict == self.Conflict.NONE

    def clean(self) -> None:
        if self.conflict == self.Conflict.DECLARED and not self.conflict_note.strip():
            raise ValidationError({"conflict_note": _("Say what the conflict of interest is.")})


class Score(models.Model):
    """One criterion scored by one reviewer; ``value`` None means N/A and is left out of the
    weighted mean instead of counting as 0."""

    review = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_one_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {'N/A' if self.value is None else self.value}"

    def clean(self) -> None:
        if self.value is not None and self.value > self.criterion.scale:
            raise ValidationError(
                {
                    "value": _("“%(criterion)s” is scored from 0 to %(scale)s.")
                    % {"criterion": self.criterion.name, "scale": self.criterion.scale}
                }
            )
