"""Portal pages of the trading floor: my listings, introductions and deals.

Views validate, call one service or selector, and render. The public floor (index and detail
pages) is the Wagtail page ``cms.TradingFloorPage``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from accounts.selectors import organisation_acting_for
from market import selectors, services
from market.forms import (
    AttachmentForm,
    DealForm,
    IntroductionRequestForm,
    ListingForm,
    MessageForm,
    NewListingForm,
    OwnerAnswerForm,
)
from market.models import Introduction, Listing, ListingAttachment
from market.services.featuring import may_order_feature
from market.services.introductions import needs_nda
from market.tabs import listing_tabs
from techfloor.errors import add_service_error, error_text

LISTING_ACTIONS = {
    "submit": (services.listing_submit, _lazy("Sent to the curators. You will get an email.")),
    "withdraw": (services.listing_withdraw, _lazy("The listing is withdrawn.")),
    "close": (services.listing_close, _lazy("The listing is closed.")),
    "renew": (services.listing_renew, _lazy("The listing is renewed.")),
    "revise": (
        services.listing_revise,
        _lazy("The listing is a draft again; submit it when ready."),
    ),
}


def _my_listing(request: HttpRequest, pk: int) -> Listing:
    listing = get_object_or_404(Listing.objects.select_related("organisation"), pk=pk)
    if not selectors.listing_is_member(listing=listing, viewer=request.user):
        raise Http404
    return listing


@login_required
def listing_list(request: HttpRequest) -> HttpResponse:
    organisation = organisation_acting_for(user=request.user)
    listings = (
        selectors.listing_list_for_organisation(organisation=organisation)
        if organisation
        else Listing.objects.none()
    )
    status = request.GET.get("status", "")
    if status in Listing.Status.values:
        listings = listings.filter(status=status)
    page = Paginator(listings, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "market/listing_list.html",
        {
            "organisation": organisation,
            "page": page,
            "status": status,
            "statuses": Listing.Status.choices,
        },
    )


@login_required
def listing_create(request: HttpRequest) -> HttpResponse:
    organisation = organisation_acting_for(user=request.user)
    if organisation is None:
        messages.info(request, _("Create or join an organisation first."))
        return redirect("accounts:dashboard")
    form = NewListingForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.listing_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            return redirect("market:listing_edit", pk=listing.pk)
    return render(request, "market/listing_new.html", {"form": form, "organisation": organisation})


@login_required
def listing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _my_listing(request, pk)
    action = request.POST.get("action", "save")
    form = ListingForm(
        request.POST or None, instance=listing, kind=listing.kind, draft=action == "save"
    )
    if request.method == "POST" and listing.is_editable and form.is_valid():
        try:
            listing = services.listing_update(
                listing=listing, actor=request.user, **form.cleaned_data
            )
            if action == "submit":
                services.listing_submit(listing=listing, actor=request.user)
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            if action == "submit":
                messages.success(request, LISTING_ACTIONS["submit"][1])
                return redirect("market:listing_list")
            messages.success(request, _("Saved."))
            return redirect("market:listing_edit", pk=listing.pk)
    context = {
        "listing": listing,
        "tabs": listing_tabs(listing),
        "form": form,
        "attachment_form": AttachmentForm(),
        "attachments": listing.attachments.all(),
        "missing": listing.submission_errors() if listing.is_editable else {},
        "may_feature": listing.status == Listing.Status.PUBLISHED
        and may_order_feature(listing=listing, user=request.user),
    }
    return render(request, "market/listing_edit.html", context)


@login_required
@require_POST
def listing_autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """Save a draft while its owner types (static/js/autosave.js); drafts may be incomplete."""
    listing = _my_listing(request, pk)
    if not listing.is_editable:
        return JsonResponse(
            {"saved": False, "error": _("This listing cannot be edited.")}, status=409
        )
    form = ListingForm(request.POST, instance=listing, kind=listing.kind, draft=True)
    if not form.is_valid():
        return JsonResponse({"saved": False, "errors": form.errors.get_json_data()}, status=400)
    try:
        services.listing_update(listing=listing, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        return JsonResponse({"saved": False, "errors": errors}, status=400)
    return JsonResponse({"saved": True, "saved_at": timezone.localtime().strftime("%H:%M:%S")})


@login_required
@require_POST
def listing_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    listing = _my_listing(request, pk)
    if action not in LISTING_ACTIONS:
        raise Http404
    service, success = LISTING_ACTIONS[action]
    try:
        service(listing=listing, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, success)
    if action == "revise":
        return redirect("market:listing_edit", pk=listing.pk)
    return redirect("market:listing_list")


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _my_listing(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.listing_attachment_add(
                listing=listing, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        except PermissionDenied as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The file is attached."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("market:listing_edit", pk=listing.pk)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(ListingAttachment.objects.select_related("listing"), pk=pk)
    if not selectors.listing_is_member(listing=attachment.listing, viewer=request.user):
        raise Http404
    try:
        services.listing_attachment_remove(attachment=attachment, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    return redirect("market:listing_edit", pk=attachment.listing_id)


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Images to whoever may read the listing's details; documents to whoever may read its
    confidential part. Everyone else gets a 404, as if the file did not exist."""
    attachment = get_object_or_404(
        ListingAttachment.objects.select_related("listing", "listing__organisation"), pk=pk
    )
    listing = attachment.listing
    if not selectors.attachment_is_visible(attachment=attachment, viewer=request.user):
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=attachment.kind == ListingAttachment.Kind.DOCUMENT,
        filename=attachment.filename,
    )
    response["Cache-Control"] = "private, no-store" if not listing.is_public else "private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def introduction_request(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_object_or_404(Listing.objects.select_related("organisation"), pk=pk)
    if not listing.is_public:
        raise Http404
    organisation = organisation_acting_for(user=request.user)
    form = IntroductionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if organisation is None:
            form.add_error(None, _("Create or join an organisation first."))
        else:
            try:
                introduction = services.introduction_request(
                    listing=listing,
                    actor=request.user,
                    organisation=organisation,
                    **form.cleaned_data,
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("Your interest is sent to the owner."))
                return redirect("market:introduction_detail", pk=introduction.pk)
    return render(
        request,
        "market/introduction_request.html",
        {"listing": listing, "form": form, "organisation": organisation},
    )


@login_required
def introduction_list(request: HttpRequest) -> HttpResponse:
    introductions = selectors.introduction_list_for_user(user=request.user)
    page = Paginator(introductions, 25).get_page(request.GET.get("page"))
    return render(request, "market/introduction_list.html", {"page": page})


@login_required
def introduction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    introduction = get_object_or_404(
        Introduction.objects.select_related("listing", "listing__organisation", "requester", "nda"),
        pk=pk,
    )
    if not selectors.introduction_is_visible(introduction=introduction, user=request.user):
        raise Http404
    listing = introduction.listing
    is_owner = selectors.listing_is_member(listing=listing, viewer=request.user)
    answer_form = OwnerAnswerForm(request.POST if "answer" in request.POST else None)
    message_form = MessageForm(request.POST if "message" in request.POST else None)
    deal = getattr(introduction, "deal", None)
    deal_form = DealForm(request.POST if "deal" in request.POST else None, instance=deal)
    if request.method == "POST":
        try:
            if "answer" in request.POST and answer_form.is_valid():
                data = answer_form.cleaned_data
                if data["decision"] == "accept":
                    services.introduction_owner_accept(
                        introduction=introduction,
                        actor=request.user,
                        accept_nda=data["accept_nda"],
                    )
                else:
                    services.introduction_owner_decline(
                        introduction=introduction, actor=request.user, reason=data["reason"]
                    )
                messages.success(request, _("Your answer is recorded."))
                return redirect("market:introduction_detail", pk=pk)
            if "message" in request.POST and message_form.is_valid():
                services.message_post(
                    introduction=introduction, actor=request.user, **message_form.cleaned_data
                )
                return redirect("market:introduction_detail", pk=pk)
            if "deal" in request.POST and deal and deal_form.is_valid():
                services.deal_update(deal=deal, actor=request.user, **deal_form.cleaned_data)
                messages.success(request, _("The deal is updated."))
                return redirect("market:introduction_detail", pk=pk)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
    context = {
        "introduction": introduction,
        "listing": listing,
        "is_owner": is_owner,
        "needs_nda": needs_nda(listing),
        "nda": introduction.nda or selectors.nda_in_force(),
        "answer_form": answer_form,
        "message_form": message_form,
        "deal": deal,
        "deal_form": deal_form,
        "thread": introduction.messages.select_related("author")
        if introduction.is_approved
        else [],
        "contacts_released": introduction.is_approved,
        "requester_contacts": selectors.organisation_contacts(organisation=introduction.requester)
        if introduction.is_approved
        else [],
    }
    return render(request, "market/introduction_detail.html", context)
