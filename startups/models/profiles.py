"""Startup profiles, kept once per organisation across calls and years; mentors and experts."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation, Sector
from startups.science import (
    ORCID_ERROR,
    field_name,
    field_names,
    is_field_code,
    orcid_is_valid,
)
from techfloor.text import fold


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
    """A mentor, reviewer or scientist the Innovation Center can call on. ``is_public`` lists
    them in the directory at all; each section then has its own audience, staff only unless
    the expert opens it. Contact details are never shown."""

    class Availability(models.TextChoices):
        AVAILABLE = "available", _("Available")
        LIMITED = "limited", _("Limited availability")
        UNAVAILABLE = "unavailable", _("Not available at the moment")

    class AcademicTitle(models.TextChoices):
        ASSOCIATE_PROFESSOR = "associate_professor", _("Associate professor")
        PROFESSOR = "professor", _("Professor")

    class Degree(models.TextChoices):
        BACHELOR = "bachelor", _("Bachelor")
        ENGINEER = "engineer", pgettext_lazy("degree", "Engineer")
        MASTER = "master", _("Master")
        DOCTOR = "doctor", _("Doctor (PhD)")
        DOCTOR_OF_SCIENCE = "doctor_of_science", _("Doctor of science")

    class Language(models.TextChoices):
        VI = "vi", _("Vietnamese")
        EN = "en", _("English")
        FR = "fr", _("French")
        DE = "de", _("German")
        RU = "ru", _("Russian")
        JA = "ja", _("Japanese")
        KO = "ko", _("Korean")
        ZH = "zh", _("Chinese")

    class Audience(models.TextChoices):
        """Who may see a section; ordered from the widest audience to the narrowest."""

        PUBLIC = "public", _("Everyone")
        MEMBERS = "members", _("Signed-in members")
        STAFF = "staff", _("Innovation Center staff only")

    # Sections the expert opens one by one; name, headline, expertise, sectors and field of
    # science are what being listed means.
    SECTIONS = (
        "degrees",
        "publications",
        "patents",
        "transfers",
        "languages",
        "availability",
        "orcid",
    )
    # The structured lists: each row's keys, and which of them must be filled.
    ROWS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
        "degrees": (("degree", "field", "institution", "year"), ("degree", "institution")),
        "publications": (("title", "venue", "year", "link"), ("title",)),
        "patents": (("title", "number", "year", "link"), ("title",)),
        "transfers": (("title", "partner", "year", "value"), ("title",)),
    }
    # What an entry of a row is called in an error, in the reader's words.
    ROW_ENTRY_NAMES = {
        "degree": _("degree"),
        "field": _("field of study"),
        "institution": _("institution"),
        "year": _("year"),
        "title": _("title"),
        "venue": _("journal, conference or publisher"),
        "number": _("patent or certificate number"),
        "link": _("link"),
        "partner": _("partner"),
        "value": _("value (VND)"),
    }
    FIRST_YEAR = 1950

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert"
    )
    headline = models.CharField(_("headline"), max_length=200)
    expertise = models.TextField(_("expertise"))
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="+"
    )
    field_of_science = models.CharField(
        _("field of science"),
        max_length=3,
        blank=True,
        help_text=_("As classified by Decision 12/2008/QĐ-BKHCN."),
    )
    academic_title = models.CharField(
        _("academic title"), max_length=24, choices=AcademicTitle.choices, blank=True
    )
    degrees = models.JSONField(_("degrees"), default=list, blank=True)
    publications = models.JSONField(_("publications"), default=list, blank=True)
    patents = models.JSONField(_("patents"), default=list, blank=True)
    transfers = models.JSONField(_("past technology transfers"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    availability = models.CharField(
        _("availability"),
        max_length=12,
        choices=Availability.choices,
        default=Availability.AVAILABLE,
    )
    orcid = models.CharField(
        _("ORCID iD"),
        max_length=19,
        blank=True,
        help_text=_("Typed by hand it is shown as unverified; connect ORCID to verify it."),
    )
    visibility = models.JSONField(_("who sees each section"), default=dict, blank=True)
    is_mentor = models.BooleanField(_("mentors startups"), default=False)
    is_reviewer = models.BooleanField(_("reviews applications"), default=False)
    mentoring_hours_per_month = models.PositiveSmallIntegerField(
        _("mentoring hours a month"), default=0
    )
    is_public = models.BooleanField(_("shown in the public directory"), default=False)
    # Folded (no diacritics, lower case) name, headline, expertise and field, so that "cong nghe"
    # finds "công nghệ"; only what every viewer of a listed expert may read, so a search never
    # reveals a section the expert kept closed.
    search_text = models.TextField(editable=False, blank=True, default="")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(availability__in=["available", "limited", "unavailable"]),
                name="expert_availability_known",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold(
            " ".join(
                (
                    self.user.full_name,
                    self.headline,
                    self.expertise,
                    field_names(self.field_of_science),
                )
            )
        )
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.field_of_science and not is_field_code(self.field_of_science):
            errors["field_of_science"] = [_("Choose a field of science from the list.")]
        if self.orcid and not orcid_is_valid(self.orcid):
            errors["orcid"] = [ORCID_ERROR]
        if not isinstance(self.languages, list) or not set(self.languages) <= set(
            self.Language.values
        ):
            errors["languages"] = [_("Choose languages from the list.")]
        if not isinstance(self.visibility, dict) or any(
            section not in self.SECTIONS or audience not in self.Audience.values
            for section, audience in self.visibility.items()
        ):
            errors["visibility"] = [_("Each section is shown to everyone, members or staff.")]
        for name in self.ROWS:
            problems = self._row_errors(name)
            if problems:
                errors[name] = problems
        if errors:
            raise ValidationError(errors)

    @property
    def field_of_science_name(self) -> str:
        return field_name(self.field_of_science) if self.field_of_science else ""

    def audience_of(self, section: str) -> str:
        return self.visibility.get(section, self.Audience.STAFF)

    def shows(self, section: str, *, audience: str) -> bool:
        """Whether a viewer of ``audience`` (public, members or staff) may see ``section``."""
        order = list(self.Audience.values)
        return order.index(audience) >= order.index(self.audience_of(section))

    def _row_errors(self, name: str) -> list[str]:
        """What is wrong with each row of a structured list, the row named by its number."""
        rows = getattr(self, name)
        if not isinstance(rows, list):
            return [_("Write a list of rows.")]
        keys, required = self.ROWS[name]
        this_year = timezone.localdate().year
        problems = []
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict) or set(row) - set(keys):
                problems.append(
                    _("Row %(row)s: only these entries are known: %(keys)s.")
                    % {"row": number, "keys": ", ".join(keys)}
                )
                continue
            for key in required:
                if not str(row.get(key) or "").strip():
                    problems.append(
                        _("Row %(row)s: fill in “%(field)s”.")
                        % {"row": number, "field": self.ROW_ENTRY_NAMES[key]}
                    )
            year = row.get("year")
            if year not in (None, "") and (
                not isinstance(year, int) or not self.FIRST_YEAR <= year <= this_year + 1
            ):
                problems.append(
                    _("Row %(row)s: the year is between %(first)s and %(last)s.")
                    % {"row": number, "first": self.FIRST_YEAR, "last": this_year + 1}
                )
            if "degree" in row and row["degree"] not in self.Degree.values:
                problems.append(_("Row %(row)s: choose a degree from the list.") % {"row": number})
            link = row.get("link")
            if link:
                try:
                    URLValidator(schemes=["http", "https"])(link)
                except ValidationError:
                    problems.append(
                        _("Row %(row)s: the link is a web address (https://…).") % {"row": number}
                    )
            value = row.get("value")
            if value not in (None, "") and (not isinstance(value, int) or value < 0):
                problems.append(
                    _("Row %(row)s: the value is a whole number of đồng.") % {"row": number}
                )
        return problems
