"""Finance's screens: reconciliation (bank transfers awaiting payment, each with a form to mark
it received against the bank's transaction reference, and who marked the recent ones) and
refunds (paid orders, each with a form to refund it, who refunded the recent ones, and what
Stripe's recent webhook events did, such as a card payment to give back by hand)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from payments import services
from payments.models import Order
from payments.selectors import (
    order_list_bank_transfers,
    order_list_refundable,
    order_list_refunded,
    stripe_event_list_recent,
)
from techfloor.errors import add_service_error

RECENTLY_PAID = 50
RECENTLY_REFUNDED = 50
RECENT_STRIPE_EVENTS = 50
REFUNDABLE_PER_PAGE = 50


class MarkReceivedForm(forms.Form):
    order = forms.IntegerField(widget=forms.HiddenInput)
    bank_reference = forms.CharField(
        label=gettext_lazy("Bank transaction reference"), max_length=100
    )


class ReconciliationView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "payments/admin/reconciliation.html"
    page_title = gettext_lazy("Bank transfers")
    header_icon = "tick-inverse"

    def dispatch(self, request, *args, **kwargs):
        if not services.may_reconcile(request.user):
            # A real 403: Wagtail would turn PermissionDenied into a redirect to the dashboard.
            return permission_denied(request, PermissionDenied())
        self.failed_form: MarkReceivedForm | None = None
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = MarkReceivedForm(request.POST)
        if form.is_valid():
            order = get_object_or_404(Order, pk=form.cleaned_data["order"])
            try:
                order = services.order_mark_paid(
                    order=order,
                    actor=request.user,
                    bank_reference=form.cleaned_data["bank_reference"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    _("%(reference)s is marked paid.") % {"reference": order.reference},
                )
                return redirect("payments_admin:reconciliation")
        self.failed_form = form
        messages.error(request, _("The transfer could not be marked received."))
        return self.render_to_response(self.get_context_data(**kwargs))

    def get_context_data(self, **kwargs):
        failed_order = self.failed_form.data.get("order") if self.failed_form else None
        return {
            **super().get_context_data(**kwargs),
            "pending": order_list_bank_transfers(status=Order.Status.PENDING),
            "paid": order_list_bank_transfers(status=Order.Status.PAID)[:RECENTLY_PAID],
            "failed_form": self.failed_form,
            "failed_order": str(failed_order or ""),
        }


class RefundForm(forms.Form):
    order = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=gettext_lazy("Refund note"),
        required=False,
        max_length=1000,
        help_text=gettext_lazy(
            "For a bank transfer: how the money goes back, for example the transfer's reference."
        ),
    )


class RefundView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "payments/admin/refunds.html"
    page_title = gettext_lazy("Refunds")
    header_icon = "undo"

    def dispatch(self, request, *args, **kwargs):
        if not services.may_refund(request.user):
            return permission_denied(request, PermissionDenied())
        self.failed_form: RefundForm | None = None
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = RefundForm(request.POST)
        if form.is_valid():
            order = get_object_or_404(Order, pk=form.cleaned_data["order"])
            try:
                order = services.order_refund(
                    order=order, actor=request.user, note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("%(reference)s is refunded.") % {"reference": order.reference}
                )
                return redirect("payments_admin:refunds")
        self.failed_form = form
        messages.error(request, _("The order could not be refunded."))
        return self.render_to_response(self.get_context_data(**kwargs))

    def get_context_data(self, **kwargs):
        failed_order = self.failed_form.data.get("order") if self.failed_form else None
        page = Paginator(order_list_refundable(), REFUNDABLE_PER_PAGE).get_page(
            self.request.GET.get("p")
        )
        return {
            **super().get_context_data(**kwargs),
            "page": page,
            "refunded": order_list_refunded()[:RECENTLY_REFUNDED],
            "stripe_events": stripe_event_list_recent()[:RECENT_STRIPE_EVENTS],
            "failed_form": self.failed_form,
            "failed_order": str(failed_order or ""),
        }
