"""Startup profiles and expert profiles kept by their owners; the public experts directory."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from accounts.selectors import organisation_acting_for
from startups.forms import ExpertFilterForm, ExpertForm, StartupProfileForm
from startups.models import Expert, StartupProfile
from startups.selectors.profiles import EXPERTS_PER_PAGE, expert_list_public
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


@login_required
def expert_profile_edit(request: HttpRequest) -> HttpResponse:
    expert = Expert.objects.filter(user=request.user).first()
    form = ExpertForm(request.POST or None, instance=expert)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_profile_save(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Your expert profile is saved."))
            return redirect("startups:expert_profile_edit")
    return render(request, "startups/expert_form.html", {"form": form, "expert": expert})


def expert_list(request: HttpRequest) -> HttpResponse:
    form = ExpertFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    experts = expert_list_public(
        query=filters.get("q", ""),
        sector=filters.get("sector", ""),
        mentors_only=filters.get("mentors_only", False),
    )
    page = Paginator(experts, EXPERTS_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "startups/expert_list.html",
        {"form": form, "page": page, "query_string": params.urlencode()},
    )


urlpatterns = [
    path("portal/startup-profile/", startup_profile_edit, name="startup_profile_edit"),
    path("portal/expert-profile/", expert_profile_edit, name="expert_profile_edit"),
    path("experts/", expert_list, name="expert_list"),
]
