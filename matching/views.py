"""Members' pages of the matching room: a listing's matches, and feedback on one of them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from market.models import Listing
from market.selectors import is_curator, listing_is_member
from market.tabs import listing_tabs
from matching import selectors, services
from matching.forms import MatchFeedbackForm
from matching.models import Match, MatchFeedback


def _may_see_matches(listing: Listing, user) -> bool:
    return is_curator(user) or listing_is_member(listing=listing, viewer=user)


@login_required
def listing_matches(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_object_or_404(Listing.objects.select_related("organisation"), pk=pk)
    if not _may_see_matches(listing, request.user):
        raise Http404
    matches = list(selectors.match_list_for_listing(listing=listing, viewer=request.user))
    verdicts = dict(
        MatchFeedback.objects.filter(
            user=request.user,
            **({"need": listing} if listing.kind == Listing.Kind.NEED else {"supply": listing}),
        ).values_list("supply_id" if listing.kind == Listing.Kind.NEED else "need_id", "relevant")
    )
    return render(
        request,
        "matching/listing_matches.html",
        {
            "listing": listing,
            "tabs": listing_tabs(listing, current="matching:listing_matches"),
            "matches": [(match, verdicts.get(match.target_id)) for match in matches],
            "form": MatchFeedbackForm(),
        },
    )


@login_required
@require_POST
def match_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(Match.objects.select_related("source", "target"), pk=pk)
    if not _may_see_matches(match.source, request.user):
        raise Http404
    form = MatchFeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.match_feedback_record(match=match, actor=request.user, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Thank you: your answer improves the next matches."))
    else:
        messages.error(request, _("Say whether the match is relevant."))
    return redirect("matching:listing_matches", pk=match.source_id)
