"""Suggested challenges in the Wagtail admin: groups of similar needs (``matching.clusters``)
that a curator pools into one challenge through the startups service."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from market.models import Listing
from matching.clusters import suggest_challenges
from startups.models import ChallengePage
from startups.selectors.challenges import challenge_list_drafts
from startups.services.challenges import challenge_create, challenge_publish, may_pool_needs
from techfloor.errors import error_text

PER_PAGE = 10
DRAFTS_SHOWN = 20  # the newest; older drafts are in the page explorer


class PoolForm(forms.Form):
    """The needs a curator keeps from a suggestion, and the challenge's words."""

    needs = forms.ModelMultipleChoiceField(
        queryset=Listing.objects.filter(kind=Listing.Kind.NEED, status=Listing.Status.PUBLISHED),
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(label=gettext_lazy("Title of the challenge"), max_length=255)
    problem = forms.CharField(
        label=gettext_lazy("The problem they share"), widget=forms.Textarea(attrs={"rows": 4})
    )


class SuggestedChallengesView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "matching/admin/suggested_challenges.html"
    page_title = gettext_lazy("Suggested challenges")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not may_pool_needs(request.user):
            # A real 403: Wagtail would turn PermissionDenied into a dashboard redirect.
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        page = Paginator(suggest_challenges(), PER_PAGE).get_page(self.request.GET.get("page"))
        drafts = challenge_list_drafts()[:DRAFTS_SHOWN]
        return {**super().get_context_data(**kwargs), "page": page, "drafts": drafts}

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if "publish" in request.POST:
            return self.publish(request)
        form = PoolForm(request.POST)
        if form.is_valid():
            try:
                challenge = challenge_create(
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    problem=form.cleaned_data["problem"],
                    needs=list(form.cleaned_data["needs"]),
                )
            except ValidationError as error:
                messages.error(request, error_text(error))
            else:
                messages.success(
                    request,
                    _("The challenge “%(title)s” is drafted; edit it and publish it.")
                    % {"title": challenge.title},
                )
                if challenge.permissions_for_user(request.user).can_edit():
                    return redirect("wagtailadmin_pages:edit", challenge.pk)
                return redirect("matching_admin:suggested_challenges")
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        context = self.get_context_data(**kwargs)
        return TemplateResponse(request, self.template_name, context, status=400)

    def publish(self, request: HttpRequest) -> HttpResponse:
        """Curators hold no page permissions, so drafted challenges are published here too."""
        pk = request.POST["publish"]
        if not pk.isdigit():
            return HttpResponseBadRequest()
        challenge = get_object_or_404(ChallengePage, pk=pk)
        challenge_publish(challenge=challenge, actor=request.user)
        messages.success(
            request,
            _("The challenge “%(title)s” is published; the needs' owners are told.")
            % {"title": challenge.title},
        )
        return redirect("matching_admin:suggested_challenges")


urlpatterns = [
    path("challenges/", SuggestedChallengesView.as_view(), name="suggested_challenges"),
]
