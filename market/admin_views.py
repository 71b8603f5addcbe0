"""Curators' screens in the Wagtail admin: curation queue, introductions, deal board, S&T
service orders, exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.provinces import Province
from market import exports, selectors, services
from market.forms import CurationDecisionForm, CuratorIntroductionForm, ServiceOrderDoneForm
from market.models import Deal, Introduction, Listing, ServiceOrder
from market.services import service_orders
from techfloor import spreadsheets
from techfloor.errors import error_text


class CuratorRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not selectors.is_curator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CurationQueueView(CuratorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "market/admin/curation_queue.html"
    page_title = gettext_lazy("Listings to review")
    header_icon = "doc-full-inverse"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "listings": selectors.curation_queue(),
            "now": timezone.now(),
        }


class CurationReviewView(CuratorRequiredMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "market/admin/curation_review.html"
    form_class = CurationDecisionForm
    page_title = gettext_lazy("Review listing")
    header_icon = "doc-full-inverse"

    def dispatch(self, request, *args, **kwargs):
        self.listing = get_object_or_404(
            Listing.objects.select_related("organisation", "created_by"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.listing.title

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "listing": self.listing,
            "changes": selectors.listing_revision_diff(listing=self.listing),
            "sectors": self.listing.sectors.all(),
        }

    def post(self, request, *args, **kwargs):
        if "featured" in request.POST:
            services.listing_feature(
                listing=self.listing,
                actor=request.user,
                featured=request.POST["featured"] == "1",
            )
            messages.success(request, _("Saved."))
            return redirect("market_admin:curation_review", pk=self.listing.pk)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        try:
            if decision == "approve":
                services.listing_approve(
                    listing=self.listing, actor=self.request.user, comment=reason
                )
            elif decision == "request_changes":
                services.listing_request_changes(
                    listing=self.listing, actor=self.request.user, reason=reason
                )
            else:
                services.listing_reject(
                    listing=self.listing, actor=self.request.user, reason=reason
                )
        except ValidationError as error:
            form.add_error(
                "reason" if "reason" in getattr(error, "error_dict", {}) else None, error.messages
            )
            return self.form_invalid(form)
        messages.success(
            self.request, _("Decision recorded for “%(title)s”.") % {"title": self.listing.title}
        )
        return redirect("market_admin:curation_queue")


class IntroductionQueueView(CuratorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "market/admin/introduction_queue.html"
    page_title = gettext_lazy("Introductions")
    header_icon = "group"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "introductions": selectors.introduction_queue(),
        }


class IntroductionReviewView(CuratorRequiredMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "market/admin/introduction_review.html"
    form_class = CuratorIntroductionForm
    page_title = gettext_lazy("Introduction")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        self.introduction = get_object_or_404(
            Introduction.objects.select_related("listing", "listing__organisation", "requester"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.introduction)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "introduction": self.introduction}

    def form_valid(self, form):
        try:
            if form.cleaned_data["decision"] == "approve":
                services.introduction_approve(
                    introduction=self.introduction, actor=self.request.user
                )
            else:
                services.introduction_reject(
                    introduction=self.introduction,
                    actor=self.request.user,
                    reason=form.cleaned_data["reason"],
                )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("Decision recorded."))
        return redirect("market_admin:introduction_queue")


class DealBoardView(CuratorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "market/admin/deal_board.html"
    page_title = gettext_lazy("Deal board")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        filters = {
            "stage": params.get("stage", "") if params.get("stage") in Deal.Stage.values else "",
            "transaction_type": params.get("transaction_type", "")
            if params.get("transaction_type") in Deal.TransactionType.values
            else "",
            "province": params.get("province", "")
            if params.get("province") in Province.values
            else "",
            "query": params.get("q", "")[:100],
        }
        deals = selectors.deal_board(**filters)
        return {
            **super().get_context_data(**kwargs),
            "page": Paginator(deals, 50).get_page(params.get("page")),
            "filters": filters,
            "stages": Deal.Stage.choices,
            "transaction_types": Deal.TransactionType.choices,
            "provinces": Province.choices,
            "waiting": selectors.introduction_queue()[:20],
            "query_string": params.urlencode(),
        }


class ServiceOrderQueueView(CuratorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Service orders by status; those in progress (paid, to be worked) unless asked."""

    template_name = "market/admin/service_order_queue.html"
    page_title = gettext_lazy("Service orders")
    header_icon = "tasks"

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", ServiceOrder.Status.IN_PROGRESS)
        if status not in ServiceOrder.Status.values:
            status = ""
        orders = selectors.service_order_queue(status=status)
        return {
            **super().get_context_data(**kwargs),
            "page": Paginator(orders, 50).get_page(self.request.GET.get("page")),
            "status": status,
            "statuses": ServiceOrder.Status.choices,
            "query_string": f"status={status}",
        }


class ServiceOrderDetailView(CuratorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """One service order: take it on, or mark it done with a note for the orderer."""

    template_name = "market/admin/service_order_detail.html"
    page_title = gettext_lazy("Service order")
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        self.service_order = get_object_or_404(selectors.service_order_queue(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.service_order)

    def get_context_data(self, **kwargs):
        return {
            "form": ServiceOrderDoneForm(),
            **super().get_context_data(**kwargs),
            "service_order": self.service_order,
        }

    def post(self, request, *args, **kwargs):
        form = ServiceOrderDoneForm(request.POST if "done" in request.POST else None)
        try:
            if "assign" in request.POST:
                service_orders.service_order_assign(
                    service_order=self.service_order, actor=request.user
                )
                messages.success(request, _("The service order is yours."))
            elif form.is_valid():
                service_orders.service_order_complete(
                    service_order=self.service_order,
                    actor=request.user,
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("Marked done; the orderer is told."))
            else:
                return self.render_to_response(self.get_context_data(form=form))
        except ValidationError as error:
            messages.error(request, error_text(error))
        return redirect("market_admin:service_order_detail", pk=self.service_order.pk)


def export(request: HttpRequest, dataset: str, file_format: str) -> HttpResponse:
    """Listings or deals, filtered like the screens, as CSV or XLSX."""
    if not selectors.is_curator(request.user):
        raise PermissionDenied
    if file_format not in ("csv", "xlsx"):
        raise Http404
    params = request.GET
    if dataset == "listings":
        listings = Listing.objects.order_by("-updated_at")
        for name in ("status", "kind", "province"):
            if params.get(name):
                listings = listings.filter(**{name: params[name]})
        rows, title = exports.listing_rows(listings), _("Listings")
    elif dataset == "deals":
        deals = selectors.deal_board(
            stage=params.get("stage", ""),
            transaction_type=params.get("transaction_type", ""),
            province=params.get("province", ""),
            query=params.get("q", "")[:100],
        )
        rows, title = exports.deal_rows(deals), _("Deals")
    else:
        raise Http404
    stamp = timezone.localdate().isoformat()
    return spreadsheets.spreadsheet_response(
        rows, file_format=file_format, filename=f"techfloor-{dataset}-{stamp}", title=str(title)
    )
