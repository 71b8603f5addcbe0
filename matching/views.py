"""Members' pages of the matching room: a listing's matches, and feedback on one of them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.selectors import organisation_acting_for
from market.models import Listing
from market.selectors import is_curator, listing_is_member
from market.tabs import listing_tabs
from matching import alerts, selectors, services
from matching import startups as startup_matching
from matching.forms import (
    AlertPreferenceForm,
    MatchFeedbackForm,
    SavedSearchForm,
    SavedSearchFrequencyForm,
)
from matching.models import Match, SavedSearch
from matching.reasons import render_all


def _may_see_matches(listing: Listing, user) -> bool:
    return is_curator(user) or listing_is_member(listing=listing, viewer=user)


@login_required
def startup_matches(request: HttpRequest) -> HttpResponse:
    """Open calls, incubators and mentors for the startup the user acts for, with reasons."""
    organisation = organisation_acting_for(user=request.user)
    if organisation is None:
        messages.info(request, _("Create or join an organisation first."))
        return redirect("accounts:dashboard")
    recommendations = startup_matching.recommendations_for(organisation=organisation)
    sections = [
        (_("Open calls"), recommendations.calls),
        (_("Incubators and co-working spaces"), recommendations.incubators),
        (_("Mentors"), recommendations.mentors),
    ]
    return render(
        request,
        "matching/startup_matches.html",
        {
            "organisation": organisation,
            "sections": [
                (title, [(entry.item, render_all(entry.scored.reasons)) for entry in ranked])
                for title, ranked in sections
            ],
        },
    )


@login_required
def listing_matches(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_object_or_404(Listing.objects.select_related("organisation"), pk=pk)
    if not _may_see_matches(listing, request.user):
        raise Http404
    matches = selectors.matches_explained(
        matches=selectors.match_list_for_listing(listing=listing, viewer=request.user)
    )
    verdicts = selectors.feedback_verdicts(listing=listing, user=request.user)
    return render(
        request,
        "matching/listing_matches.html",
        {
            "listing": listing,
            "tabs": listing_tabs(listing, current="matching:listing_matches"),
            "matches": [(match, verdicts.get(match.target_id)) for match in matches],
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


@login_required
def alert_settings(request: HttpRequest) -> HttpResponse:
    """A member's saved searches and how often they hear about new matches."""
    if request.method == "POST":
        form = AlertPreferenceForm(request.POST)
        if form.is_valid():
            alerts.alert_preference_set(user=request.user, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("matching:alert_settings")
    else:
        form = AlertPreferenceForm(
            initial={"match_frequency": alerts.match_frequency(request.user)}
        )
    return render(
        request,
        "matching/alert_settings.html",
        {
            "form": form,
            "saved_searches": [
                (saved, SavedSearchFrequencyForm(initial={"frequency": saved.frequency}))
                for saved in SavedSearch.objects.filter(user=request.user)
            ],
        },
    )


@login_required
@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    form = SavedSearchForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("This search cannot be saved: %(errors)s")
            % {
                "errors": "; ".join(
                    f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()
                )
            },
        )
        return redirect("matching:alert_settings")
    try:
        alerts.saved_search_create(
            user=request.user,
            name=form.cleaned_data["name"],
            query=form.cleaned_data["q"],
            filters=form.filters(),
            frequency=form.cleaned_data["frequency"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Search saved: we will email you new listings that it finds."))
    return redirect("matching:alert_settings")


@login_required
@require_POST
def saved_search_update(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    if request.POST.get("action") == "delete":
        alerts.saved_search_delete(saved=saved)
        messages.success(request, _("Search deleted."))
        return redirect("matching:alert_settings")
    form = SavedSearchFrequencyForm(request.POST)
    if form.is_valid():
        alerts.saved_search_set_frequency(saved=saved, frequency=form.cleaned_data["frequency"])
        messages.success(request, _("Saved."))
    return redirect("matching:alert_settings")


# Mail clients' one-click POST (RFC 8058) carries no CSRF token; the signed token is the proof.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        signing.loads(token, salt=alerts.UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise Http404 from error
    if request.method == "POST":
        _user, saved = alerts.unsubscribe(token=token)
        return render(request, "matching/unsubscribed.html", {"saved": saved})
    return render(request, "matching/unsubscribe.html", {"token": token})
