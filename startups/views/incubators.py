"""The public directory of incubators and co-working spaces; managers' occupancy page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from startups.forms import IncubatorFilterForm, OccupancyForm
from startups.models import Incubator, Space
from startups.selectors import incubators as selectors
from startups.services import incubators as services
from techfloor.errors import error_text

PAGE_SIZE = 20


def incubator_list(request: HttpRequest) -> HttpResponse:
    return render(request, "startups/incubator_list.html", incubator_list_context(request))


def incubator_list_context(request: HttpRequest) -> dict:
    """What the directory shows for this request; the CMS's directory page shows it too."""
    form = IncubatorFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    incubators = selectors.incubator_list_public(filters=filters)
    page = Paginator(incubators, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"form": form, "page": page, "is_filtered": any(filters.values())}


def incubator_detail(request: HttpRequest, slug: str) -> HttpResponse:
    incubator = selectors.incubator_get_public(slug=slug)
    if incubator is None:
        raise Http404
    return render(
        request,
        "startups/incubator_detail.html",
        {
            "incubator": incubator,
            "spaces": incubator.spaces.all(),
            "is_manager": selectors.incubator_is_manager(incubator=incubator, user=request.user),
        },
    )


@login_required
def incubator_occupancy(request: HttpRequest, slug: str) -> HttpResponse:
    incubator = selectors.incubator_list_managed(user=request.user).filter(slug=slug).first()
    if incubator is None:
        # A directory page the user does not manage is forbidden; anything else is unknown.
        if selectors.incubator_get_public(slug=slug) is not None:
            raise PermissionDenied
        raise Http404
    spaces = list(incubator.spaces.all())
    forms_by_space = {
        space.pk: OccupancyForm(
            request.POST if request.POST.get("space") == str(space.pk) else None,
            space=space,
            initial={"occupied": space.occupied},
        )
        for space in spaces
    }
    if request.method == "POST":
        response = _occupancy_post(
            request, incubator=incubator, spaces=spaces, forms=forms_by_space
        )
        if response is not None:
            return response
    return render(
        request,
        "startups/incubator_occupancy.html",
        {
            "incubator": incubator,
            "rows": [(space, forms_by_space[space.pk]) for space in spaces],
        },
    )


def _occupancy_post(
    request: HttpRequest, *, incubator: Incubator, spaces: list[Space], forms: dict
) -> HttpResponse | None:
    """Either a space's new count or the release of one allocation; None re-renders errors."""
    if "release" in request.POST:
        allocation = next(
            (
                allocation
                for space in spaces
                for allocation in space.active_allocations
                if str(allocation.pk) == request.POST["release"]
            ),
            None,
        )
        if allocation is None:
            raise Http404
        try:
            services.seat_release(allocation=allocation, actor=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _("%(organisation)s's places are released.")
                % {"organisation": allocation.organisation.legal_name},
            )
        return redirect("startups:incubator_occupancy", slug=incubator.slug)
    form = next((form for form in forms.values() if form.is_bound), None)
    if form is None:
        raise Http404
    if form.is_valid():
        try:
            services.space_set_occupancy(
                space=form.space, occupied=form.cleaned_data["occupied"], actor=request.user
            )
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {}
            form.add_error("occupied", errors.get("occupied") or error.messages)
        except PermissionDenied as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request,
                _("Occupancy of %(space)s is saved.") % {"space": form.space.get_kind_display()},
            )
            return redirect("startups:incubator_occupancy", slug=incubator.slug)
    return None


urlpatterns = [
    path("incubators/", incubator_list, name="incubator_list"),
    path("incubators/<slug:slug>/", incubator_detail, name="incubator_detail"),
    path(
        "portal/incubators/<slug:slug>/occupancy/",
        incubator_occupancy,
        name="incubator_occupancy",
    ),
]
