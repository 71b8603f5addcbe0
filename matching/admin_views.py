"""The broker workbench in the Wagtail admin: the best matches nobody has acted on yet."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from market import services as market_services
from market.admin_views import CuratorRequiredMixin
from market.models import Listing
from market.selectors import is_curator
from matching import selectors
from matching.experts import experts_for_need
from matching.models import Match
from matching.reasons import render_all
from matching.services import pair_of

PER_PAGE = 25


class WorkbenchView(CuratorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "matching/admin/workbench.html"
    page_title = gettext_lazy("Broker workbench")
    header_icon = "link"

    def get_context_data(self, **kwargs):
        page = Paginator(selectors.workbench_matches(), PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        return {
            **super().get_context_data(**kwargs),
            "page": page,
            "matches": selectors.matches_explained(matches=page.object_list),
        }


class NeedExpertsView(CuratorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Experts the Innovation Center could call on for one published need (curators only)."""

    template_name = "matching/admin/need_experts.html"
    page_title = gettext_lazy("Experts for a need")
    header_icon = "user"

    def get_context_data(self, **kwargs):
        need = get_object_or_404(
            Listing.objects.select_related("organisation"),
            pk=self.kwargs["pk"],
            kind=Listing.Kind.NEED,
            status=Listing.Status.PUBLISHED,
        )
        ranked = experts_for_need(listing=need)
        return {
            **super().get_context_data(**kwargs),
            "need": need,
            "experts": [(entry.item, render_all(entry.scored.reasons)) for entry in ranked],
        }


@require_POST
def introduce(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the introduction of a match in one action: the need's organisation meets the
    supply listing; its owner answers as for any expressed interest."""
    if not is_curator(request.user):
        raise PermissionDenied
    match = get_object_or_404(Match.objects.select_related("source", "target"), pk=pk)
    need, supply = pair_of(match)
    try:
        market_services.introduction_propose(
            listing=supply,
            requester=need.organisation,
            actor=request.user,
            message=_("The Innovation Center proposes this introduction: “%(need)s”.")
            % {"need": need.title},
            intended_use=need.summary or need.title,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Introduction proposed: %(organisation)s and “%(title)s”.")
            % {"organisation": need.organisation.legal_name, "title": supply.title},
        )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("matching_admin:workbench")
