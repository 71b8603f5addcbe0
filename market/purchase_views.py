"""Portal pages for what members buy from the Innovation Center: featuring a listing, and
S&T services. Each form calls one service, which places a payments order; the member is then
sent to the order's page to pay it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.selectors import organisation_acting_for
from market import selectors
from market.forms import FeatureOrderForm, ServiceOrderForm
from market.models import Listing
from market.services import featuring, service_orders
from market.tabs import listing_tabs
from techfloor.errors import add_service_error


@login_required
def listing_feature(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner of a published listing buys a featuring period for it."""
    listing = get_object_or_404(Listing.objects.select_related("organisation"), pk=pk)
    if not selectors.listing_is_member(listing=listing, viewer=request.user):
        raise Http404
    if not featuring.may_order_feature(listing=listing, user=request.user):
        raise PermissionDenied
    form = FeatureOrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feature = featuring.listing_feature_order(
                listing=listing, actor=request.user, price_item=form.cleaned_data["price_item"]
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            return redirect("payments:order_detail", reference=feature.order.reference)
    return render(
        request,
        "market/listing_feature.html",
        {
            "listing": listing,
            "tabs": listing_tabs(listing, current="market:listing_feature"),
            "form": form,
            "features": listing.features.select_related("order", "price_item")[:20],
        },
    )


@login_required
def service_list(request: HttpRequest) -> HttpResponse:
    """The services on sale, and the acting organisation's service orders."""
    organisation = organisation_acting_for(user=request.user)
    orders = (
        selectors.service_order_list_for_organisation(organisation=organisation)
        if organisation
        else []
    )
    return render(
        request,
        "market/service_list.html",
        {
            "organisation": organisation,
            "services": selectors.service_list_on_sale(),
            "may_order": service_orders.may_order_service(
                organisation=organisation, user=request.user
            ),
            "page": Paginator(orders, 25).get_page(request.GET.get("page")),
        },
    )


@login_required
def service_order_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A member of a verified organisation orders one service."""
    service = get_object_or_404(selectors.service_list_on_sale(), pk=pk)
    organisation = organisation_acting_for(user=request.user)
    if not service_orders.may_order_service(organisation=organisation, user=request.user):
        raise PermissionDenied
    form = ServiceOrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service_order = service_orders.service_order_create(
                organisation=organisation,
                actor=request.user,
                price_item=service,
                **form.cleaned_data,
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            return redirect("payments:order_detail", reference=service_order.order.reference)
    return render(
        request,
        "market/service_order_form.html",
        {"service": service, "organisation": organisation, "form": form},
    )
