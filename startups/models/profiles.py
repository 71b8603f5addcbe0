"""Startup profiles, kept once per organisation across calls and years; mentors and experts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Sector


class StartupProfile(models.Model):
    class Stage(models.TextChoices):
        IDEA = "idea", _("Idea")
        PROTOTYPE = "prototype", _("Prototype")
        MVP = "mvp", _("Minimum viable product")
        EARLY_REVENUE = "early_revenue", _("First revenue")
        GROWTH = "growth", _("Growth")

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="startup_profile"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    pitch = models.TextField(_("one-paragraph pitch"), max_length=1000)
    traction = models.TextField(_("traction"), blank=True)
    funding_raised = models.PositiveBigIntegerField(_("funding raised (VND)"), default=0)
    funding_note = models.TextField(_("funding so far"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("startup profile")
        verbose_name_plural = _("startup profiles")

    def __str__(self) -> str:
        return str(self.organisation)


class TeamMember(models.Model):
    profile = models.ForeignKey(StartupProfile, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200)
    background = models.TextField(_("background"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Expert(models.Model):
    """A mentor, reviewer or scientist the Innovation Center can call on; they choose what
    the public directory shows."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert"
    )
    headline = models.CharField(_("headline"), max_length=200)
    expertise = models.TextField(_("expertise"))
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="+"
    )
    is_mentor = models.BooleanField(_("mentors startups"), default=False)
    is_reviewer = models.BooleanField(_("reviews applications"), default=False)
    mentoring_hours_per_month = models.PositiveSmallIntegerField(
        _("mentoring hours a month"), default=0
    )
    is_public = models.BooleanField(_("shown in the public directory"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return str(self.user)
