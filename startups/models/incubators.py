"""Incubators and co-working spaces: a public directory, capacity, and seats allocated to
startups. ``Space.occupied`` never exceeds ``capacity``: allocation locks the row and a check
constraint backs it up."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Sector
from accounts.provinces import Province
from startups.models.applications import Application


class Incubator(models.Model):
    class Kind(models.TextChoices):
        INCUBATOR = "incubator", _("Incubator")
        COWORKING = "coworking", _("Co-working space")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("run by"),
        on_delete=models.PROTECT,
        related_name="incubators",
        help_text=_("Its owners and administrators keep the occupancy current."),
    )
    province = models.CharField(_("province or city"), max_length=20, choices=Province.choices)
    address = models.CharField(_("address"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    facilities = models.TextField(_("facilities"), blank=True)
    services = models.TextField(_("services"), blank=True)
    focus_sectors = models.ManyToManyField(
        Sector, verbose_name=_("focus sectors"), blank=True, related_name="+"
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_public = models.BooleanField(_("shown in the directory"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("incubator or co-working space")
        verbose_name_plural = _("incubators and co-working spaces")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("startups:incubator_detail", kwargs={"slug": self.slug})


class Space(models.Model):
    """Desks, offices or labs of one incubator, with how many are taken."""

    class Kind(models.TextChoices):
        DESK = "desk", _("Desks")
        OFFICE = "office", _("Offices")
        LAB = "lab", _("Labs")

    incubator = models.ForeignKey(Incubator, on_delete=models.CASCADE, related_name="spaces")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    capacity = models.PositiveIntegerField(_("capacity"))
    occupied = models.PositiveIntegerField(_("occupied"), default=0)

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["incubator", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["incubator", "kind"], name="space_one_per_kind"),
            models.CheckConstraint(
                condition=Q(occupied__lte=F("capacity")),
                name="space_never_overbooked",
                violation_error_message=_("More places are taken than the space has."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incubator} · {self.get_kind_display()}"

    @property
    def free(self) -> int:
        return self.capacity - self.occupied


class SeatAllocation(models.Model):
    """Places of one space given to a startup, usually for an approved application."""

    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="allocations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="seat_allocations"
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seat_allocations",
    )
    seats = models.PositiveIntegerField(_("places"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    allocated_at = models.DateTimeField(_("allocated at"), auto_now_add=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("seat allocation")
        verbose_name_plural = _("seat allocations")
        ordering = ["-allocated_at"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gt=0), name="allocation_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="allocation_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.seats} × {self.space}"


class IncubatorUpgrade(models.Model):
    """An incubator upgraded with a programme's support in a year (a yearly target)."""

    incubator = models.ForeignKey(Incubator, on_delete=models.PROTECT, related_name="upgrades")
    programme = models.ForeignKey(
        "startups.ProgrammePage", on_delete=models.PROTECT, related_name="incubator_upgrades"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("what was upgraded"))
    amount = models.PositiveBigIntegerField(_("support (VND)"), default=0)

    class Meta:
        verbose_name = _("incubator upgrade")
        verbose_name_plural = _("incubator upgrades")
        ordering = ["-year", "incubator"]
        constraints = [
            models.UniqueConstraint(
                fields=["incubator", "programme", "year"], name="incubator_upgrade_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.incubator} ({self.year})"
