"""Startup profiles and expert profiles kept by their owners; the public experts directory."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from accounts.selectors import organisation_acting_for
from startups.expert_forms import ROW_TITLES, ExpertFilterForm, ExpertForm, row_formsets, rows_of
from startups.forms import StartupProfileForm
from startups.models import Expert, StartupProfile
from startups.selectors.profiles import (
    EXPERTS_PER_PAGE,
    expert_get_visible,
    expert_list_visible,
    expert_orcid,
    expert_shown,
)
from startups.services import profiles as services
from techfloor.errors import error_text


@login_required
def startup_profile_edit(request: HttpRequest) -> HttpResponse:
    """The acting organisation's startup profile, kept once across calls and years."""
    organisation = organisation_acting_for(user=request.user)
    if organisation is None:
        messages.info(request, _("Create or join an organisation first."))
        return redirect("accounts:dashboard")
    profile = StartupProfile.objects.filter(organisation=organisation).first()
    form = StartupProfileForm(request.POST or None, initial=StartupProfileForm.initial_for(profile))
    if request.method == "POST" and form.is_valid():
        try:
            services.startup_profile_save(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The startup profile is saved."))
            return redirect("startups:startup_profile_edit")
    return render(
        request,
        "startups/startup_profile_form.html",
        {"form": form, "organisation": organisation, "profile": profile},
    )


def _orcid_connect_url() -> str:
    """Where to connect an ORCID account, or "" when ORCID sign-in is not configured."""
    if not apps.is_installed("allauth.socialaccount.providers.orcid"):
        return ""
    return f"{reverse('orcid_login')}?process=connect"


def _add_model_errors(form: ExpertForm, error: ValidationError) -> None:
    """The model's errors beside the fields they name; the lists' errors above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error_text(error))
        return
    for name, messages_ in error.message_dict.items():
        if name in form.fields:
            form.add_error(name, messages_)
        else:
            title = ROW_TITLES.get(name, name)
            form.add_error(None, [f"{title}: {message}" for message in messages_])


@login_required
def expert_profile_edit(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own expert profile, and who sees each of its sections."""
    expert = Expert.objects.filter(user=request.user).first()
    data = request.POST if request.method == "POST" else None
    form = ExpertForm(data, initial=ExpertForm.initial_for(expert))
    formsets = row_formsets(expert, data)
    if data is not None and form.is_valid() and all(f.is_valid() for f in formsets.values()):
        rows = {name: rows_of(formset) for name, formset in formsets.items()}
        try:
            services.expert_profile_save(actor=request.user, **form.profile_data(), **rows)
        except ValidationError as error:
            _add_model_errors(form, error)
        else:
            messages.success(request, _("Your expert profile is saved."))
            return redirect("startups:expert_profile_edit")
    shown_orcid = expert_orcid(expert=expert) if expert else None
    return render(
        request,
        "startups/expert_form.html",
        {
            "form": form,
            "expert": expert,
            "formsets": [(ROW_TITLES[name], formset) for name, formset in formsets.items()],
            "orcid": shown_orcid,
            "orcid_connect_url": _orcid_connect_url(),
        },
    )


def expert_list(request: HttpRequest) -> HttpResponse:
    """The directory: what each expert opened to this viewer, searchable and filtered."""
    return render(request, "startups/expert_list.html", expert_list_context(request))


def expert_list_context(request: HttpRequest) -> dict:
    """What the directory shows for this request; the CMS's directory page shows it too."""
    form = ExpertFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    experts = expert_list_visible(
        viewer=request.user,
        query=filters.get("q", ""),
        field_of_science=filters.get("field_of_science", ""),
        sector=filters.get("sector", ""),
        language=filters.get("language", ""),
        role=filters.get("role", ""),
        availability=filters.get("availability", ""),
    )
    page = Paginator(experts, EXPERTS_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {
        "form": form,
        "page": page,
        "shown": [expert_shown(expert=expert, viewer=request.user) for expert in page],
        "query_string": params.urlencode(),
    }


def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One expert's profile as this viewer may see it; unlisted experts exist for staff only."""
    expert = expert_get_visible(viewer=request.user, pk=pk)
    if expert is None:
        raise Http404
    return render(
        request,
        "startups/expert_detail.html",
        {"shown": expert_shown(expert=expert, viewer=request.user)},
    )


urlpatterns = [
    path("portal/startup-profile/", startup_profile_edit, name="startup_profile_edit"),
    path("portal/expert-profile/", expert_profile_edit, name="expert_profile_edit"),
    path("experts/", expert_list, name="expert_list"),
    path("experts/<int:pk>/", expert_detail, name="expert_detail"),
]
