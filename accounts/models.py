"""Users, organisations, memberships, invitations and verification."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.vn import mst

from accounts.provinces import Province

INVITATION_VALIDITY = timedelta(days=7)


def private_storage():
    """Files that only permitted users may download, through a view that checks."""
    return storages["private"]


def validate_tax_code(value: str) -> None:
    """Vietnamese tax code (mã số thuế): 10 digits, or 10 + "-" + 3 for a branch."""
    try:
        mst.validate(value)
    except InvalidChecksum as error:
        reason = _("the check digit does not match")
        raise _invalid_tax_code(value, reason) from error
    except InvalidLength as error:
        reason = _("it needs 10 digits, or 10 digits, a dash and 3 digits for a branch")
        raise _invalid_tax_code(value, reason) from error
    except StdnumValidationError as error:
        reason = _("it may contain only digits and one dash")
        raise _invalid_tax_code(value, reason) from error


def _invalid_tax_code(value: str, reason: str) -> ValidationError:
    return ValidationError(
        _("“%(value)s” is not a valid Vietnamese tax code: %(reason)s."),
        code="invalid_tax_code",
        params={"value": value, "reason": reason},
    )


def validate_file_size(file) -> None:
    limit = settings.EVIDENCE_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB."),
            code="file_too_large",
            params={"size": round(file.size / 1_048_576, 1), "limit": limit // 1_048_576},
        )


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields) -> User:
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **fields)


class User(AbstractUser):
    """A person. Email is the login; one full name, written as the person writes it."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )
    acting_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("acting organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The organisation this person acts for when they belong to several."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else self.email

    @property
    def is_staff_member(self) -> bool:
        """Whether this person works in the Wagtail admin (and so must use two factors)."""
        return self.is_active and (
            self.is_staff or self.is_superuser or self.has_perm("wagtailadmin.access_admin")
        )


class Sector(models.Model):
    """A node of the two-level sector taxonomy shipped as data (see accounts/data/sectors.json)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi

    def clean(self) -> None:
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("The sector taxonomy has two levels only.")})


class Organisation(models.Model):
    """An enterprise, institute, university, startup or agency that acts on the floor."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        SME = "sme", _("Small or medium enterprise")
        INSTITUTE = "institute", _("Research institute")
        UNIVERSITY = "university", _("University")
        STARTUP = "startup", _("Startup")
        INCUBATOR = "incubator", _("Incubator")
        CENTER = "center", _("Innovation Center")
        INVESTOR = "investor", _("Investor")
        GOVERNMENT = "government", _("Government agency")

    class BusinessArea(models.TextChoices):
        """The two sector groups of Decree 80/2021/NĐ-CP, whose SME thresholds differ."""

        PRODUCTION = "production", _("Agriculture, forestry, fishery, industry or construction")
        TRADE_SERVICES = "trade_services", _("Trade or services")

    class Verification(models.TextChoices):
        UNVERIFIED = "unverified", _("Not verified")
        PENDING = "pending", _("Verification pending")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Verification rejected")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    legal_name = models.CharField(_("legal name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    tax_code = models.CharField(
        _("tax code"),
        max_length=14,
        blank=True,
        validators=[validate_tax_code],
        help_text=_("10 digits, or 10 digits, a dash and 3 digits for a branch."),
    )
    province = models.CharField(_("province or city"), max_length=20, choices=Province.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="organisations"
    )
    # Facts that calls check for eligibility (years since establishment, SME size class).
    established_on = models.DateField(_("established on"), null=True, blank=True)
    business_area = models.CharField(
        _("business area"), max_length=16, choices=BusinessArea.choices, blank=True
    )
    employees = models.PositiveIntegerField(
        _("employees"),
        null=True,
        blank=True,
        help_text=_("Average number of employees with social insurance over the last year."),
    )
    annual_revenue = models.PositiveBigIntegerField(
        _("annual revenue (VND)"), null=True, blank=True
    )
    capital = models.PositiveBigIntegerField(_("total capital (VND)"), null=True, blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"]), validate_file_size],
    )
    verification_status = models.CharField(
        _("verification"),
        max_length=12,
        choices=Verification.choices,
        default=Verification.UNVERIFIED,
        db_index=True,
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=~Q(tax_code=""),
                name="organisation_tax_code_unique",
                violation_error_message=_("An organisation with this tax code already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.legal_name

    def get_absolute_url(self) -> str:
        return reverse("accounts:organisation_detail", kwargs={"slug": self.slug})

    @property
    def is_verified(self) -> bool:
        return self.verification_status == self.Verification.VERIFIED

    def clean(self) -> None:
        self.tax_code = self.tax_code.strip()
        if self.tax_code:
            self.tax_code = mst.compact(self.tax_code)
            if len(self.tax_code) == 13:
                self.tax_code = mst.format(self.tax_code)
            # The constraint below guards against races; this names the field for the form.
            duplicates = Organisation.objects.filter(tax_code=self.tax_code).exclude(pk=self.pk)
            if duplicates.exists():
                raise ValidationError(
                    {"tax_code": _("An organisation with this tax code already exists.")},
                    code="unique",
                )


class Membership(models.Model):
    """A person's role in an organisation."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} ({self.get_role_display()})"

    @property
    def can_manage(self) -> bool:
        """Owners and administrators invite people and manage the organisation's profile."""
        return self.role in (self.Role.OWNER, self.Role.ADMIN)


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + INVITATION_VALIDITY


class Invitation(models.Model):
    """An emailed invitation to join an organisation; it expires after a week."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), default=_invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("accounts:invitation_accept", kwargs={"token": self.token})

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and not self.is_expired


class VerificationRequest(models.Model):
    """Evidence that an organisation is who it says it is, and staff's decision on it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="verification_requests",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    evidence = models.FileField(
        _("evidence"),
        upload_to="verification/%Y/%m/",
        storage=private_storage,
        validators=[FileExtensionValidator(["pdf", "png", "jpg", "jpeg"]), validate_file_size],
        help_text=_("Business registration certificate or founding decision (PDF, PNG or JPG)."),
    )
    note = models.TextField(_("note to staff"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("verification request")
        verbose_name_plural = _("verification requests")
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="pending"),
                name="verification_one_pending_per_organisation",
                violation_error_message=_("This organisation already has a pending request."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_status_display()})"

    def clean(self) -> None:
        if self.status == self.Status.REJECTED and not self.reason.strip():
            raise ValidationError({"reason": _("Give the reason for the rejection.")})
