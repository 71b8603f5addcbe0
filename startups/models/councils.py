"""Council sessions: members, quorum, agenda, score sheets, minutes and decisions."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import private_storage
from startups.models.applications import Application
from startups.models.programmes import CallPage


class Outcome(models.TextChoices):
    """A council's decision; each value is also the workflow transition it takes."""

    APPROVE = "approve", _("Approve")
    WAITLIST = "waitlist", _("Waitlist")
    REJECT = "reject", _("Reject")


class CouncilSession(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CLOSED = "closed", _("Closed")

    call = models.ForeignKey(
        CallPage, on_delete=models.PROTECT, related_name="council_sessions", verbose_name=_("call")
    )
    title = models.CharField(_("title"), max_length=200)
    meets_at = models.DateTimeField(_("meets at"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    quorum = models.PositiveSmallIntegerField(
        _("quorum"), validators=[MinValueValidator(1)], help_text=_("Members present needed.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    agenda = models.ManyToManyField(
        Application, verbose_name=_("agenda"), blank=True, related_name="council_sessions"
    )
    minutes = models.FileField(
        _("minutes"), upload_to="councils/%Y/", storage=private_storage, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("council session")
        verbose_name_plural = _("council sessions")
        ordering = ["-meets_at"]

    def __str__(self) -> str:
        return self.title


class CouncilMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    is_present = models.BooleanField(_("present"), default=False)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="council_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class CouncilScore(models.Model):
    """A member's score sheet line for one application on the agenda."""

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="scores")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(
        _("score (0–100)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    recommendation = models.CharField(_("recommendation"), max_length=10, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("council score")
        verbose_name_plural = _("council scores")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "application"], name="council_score_one_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.score}"


class Decision(models.Model):
    """What the council decided on an application, and the letter that told the applicant.
    A waitlisted application may get a second decision later; the newest one stands."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    session = models.ForeignKey(CouncilSession, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    letter = models.FileField(
        _("decision letter"), upload_to="letters/%Y/", storage=private_storage, blank=True
    )
    letter_sent_at = models.DateTimeField(_("letter sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.get_outcome_display()}"
