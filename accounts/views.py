"""Portal pages for people and their organisations: validate, call one service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services, tokens
from accounts.forms import (
    InvitationForm,
    OrganisationForm,
    ProfileForm,
    VerificationForm,
)
from accounts.models import Invitation, Organisation, VerificationRequest
from accounts.profile_sections import render_profile_sections
from accounts.provinces import Province


def _managed_organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    membership = selectors.membership_get(user=request.user, organisation=organisation)
    if membership is None:
        raise Http404
    return organisation


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    memberships = selectors.membership_list_for_user(user=request.user)
    return render(request, "accounts/dashboard.html", {"memberships": memberships})


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:dashboard")
    return render(request, "accounts/profile_form.html", {"form": form})


@login_required
def api_token(request: HttpRequest) -> HttpResponse:
    """Create, replace or revoke one's API token; a new key is shown on this answer only."""
    created = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if tokens.api_token_revoke(actor=request.user):
                messages.success(request, _("Your API token is revoked."))
            return redirect("accounts:api_token")
        created = tokens.api_token_create(actor=request.user)
    return render(
        request,
        "accounts/api_token.html",
        {"token": created or tokens.api_token_get(user=request.user), "created": created},
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is created. Send evidence so that staff can verify it.")
                % {"name": organisation.legal_name},
            )
            return redirect("accounts:verification_submit", slug=organisation.slug)
    return render(request, "accounts/organisation_form.html", {"form": form, "is_new": True})


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=Organisation.objects.get(pk=organisation.pk),
                actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organisation's profile is saved."))
            return redirect("accounts:organisation_members", slug=organisation.slug)
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "organisation": organisation, "is_new": False},
    )


@login_required
def organisation_members(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("An invitation is sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("accounts:organisation_members", slug=organisation.slug)
    context = {
        "organisation": organisation,
        "membership": selectors.membership_get(user=request.user, organisation=organisation),
        "members": organisation.memberships.select_related("user").order_by("user__email"),
        "invitations": organisation.invitations.filter(accepted_at=None),
        "verification_requests": organisation.verification_requests.order_by("-submitted_at"),
        "form": form,
    }
    return render(request, "accounts/organisation_members.html", context)


@login_required
@require_POST
def organisation_switch(request: HttpRequest) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=request.POST.get("organisation"))
    services.organisation_switch(user=request.user, organisation=organisation)
    messages.success(request, _("You now act for %(name)s.") % {"name": organisation.legal_name})
    return redirect("accounts:dashboard")


@login_required
def verification_submit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    form = VerificationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.verification_submit(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your evidence is sent. Staff will review it."))
            return redirect("accounts:organisation_members", slug=organisation.slug)
    return render(
        request, "accounts/verification_form.html", {"form": form, "organisation": organisation}
    )


@login_required
def verification_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """Serve a private evidence file to the organisation's members and verifying staff."""
    verification = get_object_or_404(
        VerificationRequest.objects.select_related("organisation"), pk=pk
    )
    if not selectors.verification_evidence_visible(request=verification, viewer=request.user):
        raise Http404
    response = FileResponse(verification.evidence.open("rb"), as_attachment=True)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation", "invited_by"), token=token
    )
    error = None
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except (ValidationError, PermissionDenied) as exception:
            error = (
                " ".join(exception.messages) if hasattr(exception, "messages") else str(exception)
            )
        else:
            messages.success(
                request,
                _("Welcome to %(name)s.") % {"name": invitation.organisation.legal_name},
            )
            return redirect("accounts:dashboard")
    return render(
        request, "accounts/invitation_accept.html", {"invitation": invitation, "error": error}
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not selectors.organisation_is_visible(organisation=organisation, viewer=request.user):
        raise Http404
    return render(
        request,
        "accounts/organisation_detail.html",
        {"organisation": organisation, "sections": render_profile_sections(request, organisation)},
    )


def organisation_directory(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/organisation_directory.html", organisation_directory_context(request)
    )


def organisation_directory_context(request: HttpRequest) -> dict:
    """What the directory shows for this request; the CMS's directory page shows it too."""
    organisations = selectors.organisation_list_public(
        province=request.GET.get("province", ""), kind=request.GET.get("kind", "")
    )
    page = Paginator(organisations, 24).get_page(request.GET.get("page"))
    return {"page": page, "provinces": Province.choices, "kinds": Organisation.Kind.choices}
