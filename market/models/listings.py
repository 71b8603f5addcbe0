"""Listings: technology offers, technology needs, equipment and S&T services in one table.

One table keeps search, facets and matching simple: the kind-specific fields are nullable and
``Listing.clean`` says which ones each kind needs before it may be submitted.
"""

from __future__ import annotations

import datetime
import re

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Sector, private_storage
from accounts.provinces import Province
from market.fields import ChoiceSetField
from techfloor.text import fold

# Tags a listing description may keep; everything else is stripped on save.
ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "h3", "h4", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
DEFAULT_VALIDITY = datetime.timedelta(days=365)
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
IMAGE_EXTENSIONS = ["png", "jpg", "jpeg", "webp"]
DOCUMENT_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "txt"]


def sanitise_html(html: str) -> str:
    """Keep simple formatting and links; drop scripts, styles and event handlers."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    ).strip()


def validate_attachment_size(file) -> None:
    if file.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB."),
            code="file_too_large",
            params={"size": round(file.size / 1_048_576, 1), "limit": 10},
        )


class Listing(models.Model):
    """Something offered or needed on the floor, owned by an organisation."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("Technology offer")
        NEED = "need", _("Technology need")
        EQUIPMENT = "equipment", _("Equipment")
        SERVICE = "service", _("S&T service")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        REJECTED = "rejected", _("Rejected")
        PUBLISHED = "published", _("Published")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CLOSED = "closed", _("Closed")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        SUMMARY = "summary", _("Public summary; details after an approved introduction")
        STAFF = "staff", _("Innovation Center staff only")

    class Language(models.TextChoices):
        VI = "vi", "Tiếng Việt"
        EN = "en", "English"

    class IPStatus(models.TextChoices):
        PATENT = "patent", _("Patent")
        UTILITY_SOLUTION = "utility_solution", _("Utility solution")
        INDUSTRIAL_DESIGN = "industrial_design", _("Industrial design")
        TRADEMARK = "trademark", _("Trademark")
        COPYRIGHT = "copyright", _("Copyright")
        PLANT_VARIETY = "plant_variety", _("Plant variety")
        TRADE_SECRET = "trade_secret", _("Trade secret")
        NONE = "none", _("None")

    class TransferMode(models.TextChoices):
        # The order is stored (as bits): append new modes, never reorder.
        LICENSE = "license", _("Non-exclusive licence")
        EXCLUSIVE_LICENSE = "exclusive_license", _("Exclusive licence")
        ASSIGNMENT = "assignment", _("Assignment")
        JOINT_DEVELOPMENT = "joint_development", _("Joint development")
        CONSULTING = "consulting", _("Technical service")
        SALE = "sale", _("Sale")
        LEASE = "lease", _("Lease")

    class EquipmentMode(models.TextChoices):
        SALE = "sale", _("For sale")
        LEASE = "lease", _("For lease")
        SHARED = "shared", _("Shared use")

    class ServiceType(models.TextChoices):
        TESTING = "testing", _("Testing")
        INSPECTION = "inspection", _("Inspection")
        CALIBRATION = "calibration", _("Calibration")
        CONSULTING = "consulting", _("Consulting")

    EDITABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED, Status.REJECTED)
    # The kinds' own long texts: written in a few paragraphs, read on the detail page only.
    KIND_TEXTS = (
        "problem",
        "advantages",
        "applications",
        "test_results",
        "desired_outcome",
        "constraints",
        "specifications",
        "scope",
    )

    # Who and what
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="listings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    external_id = models.CharField(_("external ID"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.TextField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.VI
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="listings"
    )
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    province = models.CharField(
        _("province or city"), max_length=20, choices=Province.choices, blank=True
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    confidential = models.TextField(
        _("confidential details"),
        blank=True,
        help_text=_("Released only to the other party after an approved introduction."),
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    # Offers and needs
    problem = models.TextField(
        _("problem"),
        blank=True,
        help_text=_("Offers: the problem it solves. Needs: the problem to solve."),
    )
    advantages = models.TextField(_("advantages over existing solutions"), blank=True)
    applications = models.TextField(_("applications"), blank=True)
    test_results = models.TextField(_("results of tests or pilots"), blank=True)
    desired_outcome = models.TextField(_("desired outcome"), blank=True)
    constraints = models.TextField(_("constraints"), blank=True)
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("1–9. For a need, the minimum level required."),
    )
    ip_status = models.CharField(
        _("intellectual property"),
        max_length=20,
        choices=IPStatus.choices,
        default=IPStatus.NONE,
    )
    ip_number = models.CharField(_("IP registration number"), max_length=50, blank=True)
    transfer_modes = ChoiceSetField(_("transfer modes"), choice_set=TransferMode, blank=True)
    price_min = models.PositiveBigIntegerField(
        _("price from (VND)"),
        null=True,
        blank=True,
        help_text=_("For a need, the budget. Leave both empty for “negotiable”."),
    )
    price_max = models.PositiveBigIntegerField(_("price up to (VND)"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    # Equipment
    equipment_mode = models.CharField(
        _("offered for"), max_length=10, choices=EquipmentMode.choices, blank=True
    )
    specifications = models.TextField(_("specifications"), blank=True)
    condition = models.CharField(_("condition"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=300, blank=True)
    availability = models.CharField(_("availability"), max_length=300, blank=True)

    # S&T services
    service_type = models.CharField(
        _("service type"), max_length=12, choices=ServiceType.choices, blank=True
    )
    scope = models.TextField(_("scope"), blank=True)
    accreditation = models.CharField(_("accreditation"), max_length=300, blank=True)
    turnaround = models.CharField(_("turnaround"), max_length=200, blank=True)

    # Curation and life
    featured = models.BooleanField(_("featured"), default=False, db_index=True)
    # Set while a paid featuring runs (``market.services.featuring``); empty when curators
    # feature a listing with no end. The floor orders by ``featured`` alone.
    featured_until = models.DateTimeField(_("featured until"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    reminded_at = models.DateTimeField(_("expiry reminder sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Folded copies for search (no case, no diacritics, đ → d), kept in step by save().
    search_title = models.TextField(editable=False, default="")
    search_summary = models.TextField(editable=False, default="")
    search_keywords = models.TextField(editable=False, default="")
    search_body = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "kind"], name="listing_status_kind"),
            models.Index(fields=["status", "province"], name="listing_status_province"),
            models.Index(fields=["status", "valid_until"], name="listing_status_valid_until"),
            # The floor's default order: featured first, then newest.
            models.Index(
                fields=["status", "-featured", "-published_at", "-id"], name="listing_floor_order"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="listing_external_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(price_min__isnull=True)
                | Q(price_max__isnull=True)
                | Q(price_min__lte=models.F("price_max")),
                name="listing_price_range_ordered",
                violation_error_message=_("The lower price must not exceed the upper price."),
            ),
            models.CheckConstraint(
                condition=Q(featured_until__isnull=True) | Q(featured=True),
                name="listing_featured_until_only_when_featured",
                violation_error_message=_("Only a featured listing is featured until a date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.save_search_fields()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "search_title",
                "search_summary",
                "search_keywords",
                "search_body",
                "description",
            }
        super().save(*args, **kwargs)

    def save_search_fields(self) -> None:
        """Sanitise the description and refresh the folded copies that search reads."""
        self.description = sanitise_html(self.description)
        self.search_title = fold(self.title)
        self.search_summary = fold(self.summary)
        self.search_keywords = fold(" ".join(self.keywords or []))
        self.search_body = fold(self.public_body())

    def public_body(self) -> str:
        """The plain text of the description and details, or nothing unless visibility is
        public: details shown only after an introduction must not be findable by probing
        searches, nor surface in match reasons."""
        if self.visibility != self.Visibility.PUBLIC:
            return ""
        return " ".join(
            strip_tags(part)
            for part in (
                self.description,
                self.problem,
                self.advantages,
                self.applications,
                self.desired_outcome,
                self.specifications,
                self.scope,
            )
            if part
        )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (
            self.price_min is not None
            and self.price_max is not None
            and self.price_min > self.price_max
        ):
            errors["price_max"] = _("The upper price must be at least the lower price.")
        self.keywords = [
            keyword.strip() for keyword in (self.keywords or []) if str(keyword).strip()
        ]
        if errors:
            raise ValidationError(errors)

    def submission_errors(self) -> dict[str, str]:
        """What must be filled in before curators see it; drafts may be incomplete."""
        required = ["title", "summary", "description", "province", "contact_name"]
        required += {
            self.Kind.OFFER: ["problem", "trl"],
            self.Kind.NEED: ["problem", "desired_outcome", "deadline"],
            self.Kind.EQUIPMENT: ["equipment_mode", "specifications", "location"],
            self.Kind.SERVICE: ["service_type", "scope"],
        }[self.kind]
        errors = {
            name: _("This field is required before you submit.")
            for name in required
            if getattr(self, name) in (None, "", [])
        }
        if not (self.contact_email or self.contact_phone):
            errors["contact_email"] = _("Give an email address or a phone number for contact.")
        if self.kind == self.Kind.NEED and self.deadline and self.deadline < timezone.localdate():
            errors["deadline"] = _("The deadline has passed.")
        return errors

    @property
    def completeness(self) -> int:
        """0–100: how much of what curators and counterparts look for is filled in."""
        wanted = [
            "title",
            "summary",
            "description",
            "province",
            "contact_name",
            "keywords",
            "valid_until",
        ]
        wanted += {
            self.Kind.OFFER: [
                "problem",
                "advantages",
                "applications",
                "test_results",
                "trl",
                "transfer_modes",
            ],
            self.Kind.NEED: ["problem", "desired_outcome", "constraints", "trl", "deadline"],
            self.Kind.EQUIPMENT: ["equipment_mode", "specifications", "condition", "location"],
            self.Kind.SERVICE: ["service_type", "scope", "accreditation", "turnaround"],
        }[self.kind]
        filled = sum(1 for name in wanted if getattr(self, name) not in (None, "", []))
        # .all() reads the portal's prefetched sectors instead of a query per listing.
        has_sector = self.pk is not None and bool(self.sectors.all())
        return round(100 * (filled + has_sector) / (len(wanted) + 1))

    @property
    def is_negotiable(self) -> bool:
        return self.price_min is None and self.price_max is None

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.visibility != self.Visibility.STAFF

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def transfer_mode_labels(self) -> list[str]:
        labels = dict(self.TransferMode.choices)
        return [str(labels[value]) for value in self.transfer_modes]

    @property
    def keywords_text(self) -> str:
        return ", ".join(self.keywords or [])

    def unique_slug(self) -> str:
        """A slug from the folded title, numbered when another listing has it."""
        base = slugify(fold(self.title))[:200] or "listing"
        slug, counter = base, 2
        while Listing.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, counter = f"{base}-{counter}", counter + 1
        return slug


# The content fields copied into each revision and compared in the curators' diff.
REVISION_FIELDS = [
    "title",
    "summary",
    "description",
    "language",
    "keywords",
    "province",
    "visibility",
    "confidential",
    "contact_name",
    "contact_email",
    "contact_phone",
    "valid_until",
    "problem",
    "advantages",
    "applications",
    "test_results",
    "desired_outcome",
    "constraints",
    "trl",
    "ip_status",
    "ip_number",
    "transfer_modes",
    "price_min",
    "price_max",
    "deadline",
    "equipment_mode",
    "specifications",
    "condition",
    "location",
    "availability",
    "service_type",
    "scope",
    "accreditation",
    "turnaround",
]


class ListingRevision(models.Model):
    """A frozen copy of a listing's content at submission; the published one is marked."""

    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("number"))
    content = models.JSONField(_("content"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("listing revision")
        verbose_name_plural = _("listing revisions")
        ordering = ["listing", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "number"], name="revision_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.listing} #{self.number}"


class ListingAttachment(models.Model):
    """An image or document of a listing, stored privately and served by a checking view."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        DOCUMENT = "document", _("Document")

    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(
        _("file"),
        upload_to="listings/%Y/%m/",
        storage=private_storage,
        validators=[
            FileExtensionValidator(IMAGE_EXTENSIONS + DOCUMENT_EXTENSIONS),
            validate_attachment_size,
        ],
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["kind", "created_at"]

    def __str__(self) -> str:
        return self.title or self.file.name.rsplit("/", 1)[-1]

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]

    def clean(self) -> None:
        if not self.file:
            return
        extension = self.file.name.rsplit(".", 1)[-1].lower()
        expected = IMAGE_EXTENSIONS if self.kind == self.Kind.IMAGE else DOCUMENT_EXTENSIONS
        if extension not in expected:
            raise ValidationError(
                {
                    "file": _("A file ending in .%(extension)s is not an allowed %(kind)s.")
                    % {"extension": extension, "kind": self.get_kind_display().lower()}
                }
            )
        head = self.file.read(8)
        self.file.seek(0)
        if not _content_matches(extension, head):
            raise ValidationError(
                {
                    "file": _("The file's content does not match its .%(extension)s name.")
                    % {"extension": extension}
                }
            )


_SIGNATURES = {
    "pdf": [b"%PDF"],
    "png": [b"\x89PNG"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "webp": [b"RIFF"],
    "docx": [b"PK\x03\x04"],
    "xlsx": [b"PK\x03\x04"],
    "pptx": [b"PK\x03\x04"],
    "odt": [b"PK\x03\x04"],
}


def _content_matches(extension: str, head: bytes) -> bool:
    """Check the first bytes, so a renamed executable is not served as a PDF."""
    signatures = _SIGNATURES.get(extension)
    if signatures is None:  # plain text: refuse binary content
        return not re.search(rb"[\x00-\x08\x0e-\x1f]", head)
    return any(head.startswith(signature) for signature in signatures)
