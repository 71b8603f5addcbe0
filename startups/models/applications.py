"""Applications to calls: a frozen copy of the form, answers, files and the phase history."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation, private_storage, validate_file_size
from startups.models.programmes import CallPage
from startups.workflows import Phase, Workflow

ATTACHMENT_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "png", "jpg", "jpeg"]


class Application(models.Model):
    """One organisation's answer to one call; ``phase`` is a code of the call's workflow."""

    call = models.ForeignKey(
        CallPage, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    co_applicants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-applicants"),
        blank=True,
        related_name="co_applications",
        help_text=_("Members of the same organisation who may edit and follow it."),
    )
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    title = models.CharField(_("project title"), max_length=300)
    phase = models.CharField(_("phase"), max_length=40, db_index=True)
    form = models.JSONField(_("form answered"), default=list, editable=False)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    eligibility = models.JSONField(_("eligibility check"), default=list, editable=False)
    is_eligible = models.BooleanField(_("eligible (automatic)"), null=True, editable=False)
    eligibility_override = models.BooleanField(
        _("eligible (staff decision)"), null=True, blank=True
    )
    eligibility_override_reason = models.TextField(_("reason for the override"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        # "application(s)" alone is a listing's applications (uses of a technology).
        verbose_name = pgettext_lazy("startup support", "application")
        verbose_name_plural = pgettext_lazy("startup support", "applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organisation"],
                condition=~Q(phase="withdrawn"),
                name="application_one_per_organisation_and_call",
                violation_error_message=_("Your organisation has already applied to this call."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.title}"

    @property
    def workflow(self) -> Workflow:
        return self.call.workflow

    @property
    def current_phase(self) -> Phase:
        return self.workflow.phase(self.phase)

    @property
    def eligible(self) -> bool | None:
        """Staff's override when there is one, else the automatic result."""
        if self.eligibility_override is not None:
            return self.eligibility_override
        return self.is_eligible


class ApplicationFile(models.Model):
    """A file answering a "file" question; stored privately, served only through a check."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="files", verbose_name=_("application")
    )
    field_id = models.CharField(_("question"), max_length=64)
    file = models.FileField(
        _("file"),
        upload_to="applications/%Y/%m/",
        storage=private_storage,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS), validate_file_size],
    )
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application file")
        verbose_name_plural = _("application files")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "field_id"], name="application_file_one_per_question"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PhaseChange(models.Model):
    """One transition taken, with its reason: what applicants and staff read as the history."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="phase_changes"
    )
    transition = models.CharField(_("transition"), max_length=40)
    source = models.CharField(_("from"), max_length=40)
    target = models.CharField(_("to"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"
