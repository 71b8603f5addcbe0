"""Stored matches, what the engine knows about each listing, feedback and the fusion weights."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from market.models import Listing


class ListingProfile(models.Model):
    """A published listing as the engine reads it, kept so that scoring a pair reads two rows
    instead of analysing two texts. Rebuilt on every refresh of the listing."""

    listing = models.OneToOneField(
        Listing,
        verbose_name=_("listing"),
        on_delete=models.CASCADE,
        related_name="+",
        primary_key=True,
    )
    terms = models.JSONField(_("terms"), default=dict)  # folded syllable or pair → weight
    concepts = models.JSONField(_("concepts"), default=dict)  # glossary concept → count
    # Words as written, by folded form, to show matched terms with their diacritics.
    surface = models.JSONField(_("surface forms"), default=dict)
    vector = models.BinaryField(_("semantic vector"), null=True, blank=True)
    space = models.ForeignKey(
        "SemanticSpace", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("listing profile")
        verbose_name_plural = _("listing profiles")

    def __str__(self) -> str:
        return str(self.listing_id)


class SemanticSpace(models.Model):
    """Latent vectors learned from the floor's own listings (see ``matching.semantic``)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    documents = models.PositiveIntegerField(_("documents"))
    vocabulary = models.JSONField(_("vocabulary"))  # term → [column, idf]
    components = models.BinaryField(_("components"))  # float32 matrix, terms × dimensions
    dimensions = models.PositiveSmallIntegerField(_("dimensions"))

    class Meta:
        verbose_name = _("semantic space")
        verbose_name_plural = _("semantic spaces")
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.documents} × {self.dimensions} ({self.created_at:%Y-%m-%d %H:%M})"


class Match(models.Model):
    """A counterpart proposed for a listing: supply for a need, or a need for supply. Both
    directions are stored, each ranked from its own side; a pair scores the same either way.
    Its reasons are worded when a page shows it (``selectors.matches_explained``), from the
    features stored here and the two profiles: a rebuild stores millions of matches, and most
    are never shown."""

    source = models.ForeignKey(
        Listing, verbose_name=_("listing"), on_delete=models.CASCADE, related_name="matches"
    )
    target = models.ForeignKey(
        Listing, verbose_name=_("counterpart"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(_("score"))
    features = models.JSONField(_("features"), default=dict)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="match_once_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="match_not_itself"
            ),
        ]
        indexes = [models.Index(fields=["source", "-score"], name="match_ranked")]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"


class MatchFeedback(models.Model):
    """An owner's or curator's verdict on a proposed pair. Kept by pair, not by ``Match`` row,
    so that it survives refreshes; the features are copied for ``tune_matching``."""

    need = models.ForeignKey(
        Listing, verbose_name=_("need"), on_delete=models.CASCADE, related_name="+"
    )
    supply = models.ForeignKey(
        Listing, verbose_name=_("supply listing"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE
    )
    relevant = models.BooleanField(_("relevant"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    features = models.JSONField(_("features"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        verbose_name = _("match feedback")
        verbose_name_plural = _("match feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["need", "supply", "user"], name="feedback_once_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.need_id} ↔ {self.supply_id}: {self.relevant}"


class FusionWeights(models.Model):
    """Weights that fuse the features into one score; the newest adopted row is in use."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    weights = models.JSONField(_("weights"))  # feature → weight, plus "bias"
    method = models.CharField(_("method"), max_length=200)
    quality_before = models.FloatField(_("quality before"), null=True)
    quality_after = models.FloatField(_("quality after"), null=True)
    examples = models.PositiveIntegerField(_("examples"), default=0)

    class Meta:
        verbose_name = _("fusion weights")
        verbose_name_plural = _("fusion weights")
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.method} ({self.created_at:%Y-%m-%d %H:%M})"


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("At once")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("Never")


class SavedSearch(models.Model):
    """A member's search on the floor, re-run against every newly published listing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    name = models.CharField(_("name"), max_length=200)
    query = models.CharField(_("words"), max_length=200, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)  # SearchFilters fields
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class AlertPreference(models.Model):
    """How often a user hears about new matches for their organisation's listings."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="alert_preference",
    )
    match_frequency = models.CharField(
        _("new matches for my listings"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.DAILY,
    )

    class Meta:
        verbose_name = _("alert preference")
        verbose_name_plural = _("alert preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.match_frequency}"


class Alert(models.Model):
    """One thing to tell one user, once: a listing found by a saved search, or a new match for
    one of their listings. The unique constraints are what "never twice" rests on."""

    class Kind(models.TextChoices):
        SEARCH = "search", _("Saved search")
        MATCH = "match", _("New match")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    saved_search = models.ForeignKey(
        SavedSearch, verbose_name=_("saved search"), on_delete=models.CASCADE, null=True
    )
    listing = models.ForeignKey(
        Listing,
        verbose_name=_("user's listing"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    found = models.ForeignKey(
        Listing, verbose_name=_("listing found"), on_delete=models.CASCADE, related_name="+"
    )
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "saved_search", "found"],
                condition=models.Q(kind="search"),
                name="alert_search_once",
            ),
            models.UniqueConstraint(
                fields=["user", "listing", "found"],
                condition=models.Q(kind="match"),
                name="alert_match_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind} · {self.found_id}"
