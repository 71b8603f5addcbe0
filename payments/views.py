"""The payer's side: an order page with what to transfer, where, and the VietQR code; paying
by card through Stripe Checkout; cancelling; the receipt once paid."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from payments import services, stripe_api, vietqr
from payments.models import Order
from payments.receipts import receipt_filename, receipt_pdf
from payments.selectors import order_get_for_payer
from techfloor.errors import error_text


def _order_or_404(request: HttpRequest, reference: str) -> Order:
    """Only members of the paying organisation see an order; to anyone else it does not exist."""
    order = order_get_for_payer(reference=reference, user=request.user)
    if order is None:
        raise Http404
    return order


@login_required
def order_detail(request: HttpRequest, reference: str) -> HttpResponse:
    order = _order_or_404(request, reference)
    awaits_transfer = order.awaits_transfer
    return render(
        request,
        "payments/order_detail.html",
        {
            "order": order,
            "lines": order.lines.all(),
            "awaits_transfer": awaits_transfer,
            "card_payment": order.status == Order.Status.PENDING and stripe_api.is_enabled(),
            "qr_image": vietqr.png_data_url(vietqr.order_payload(order)) if awaits_transfer else "",
            "bank_bin": settings.PAYMENTS_BANK_BIN,
            "bank_account": settings.PAYMENTS_BANK_ACCOUNT,
            "bank_account_name": settings.PAYMENTS_BANK_ACCOUNT_NAME,
        },
    )


@login_required
@require_POST
def order_pay_by_card(request: HttpRequest, reference: str) -> HttpResponse:
    """Send the payer to Stripe's Checkout page; Stripe sends them back to the order."""
    order = _order_or_404(request, reference)
    order_url = request.build_absolute_uri(
        reverse("payments:order_detail", kwargs={"reference": order.reference})
    )
    try:
        checkout_url = services.order_checkout_start(
            order=order,
            actor=request.user,
            success_url=f"{order_url}?card=paid",
            cancel_url=order_url,
            language=get_language() or settings.LANGUAGE_CODE,
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect("payments:order_detail", reference=order.reference)
    return redirect(checkout_url)


@login_required
@require_POST
def order_cancel(request: HttpRequest, reference: str) -> HttpResponse:
    order = _order_or_404(request, reference)
    try:
        services.order_cancel(order=order, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The order is cancelled."))
    return redirect("payments:order_detail", reference=order.reference)


@login_required
def order_receipt(request: HttpRequest, reference: str) -> HttpResponse:
    """The receipt of a paid order as a PDF, in the reader's language."""
    order = _order_or_404(request, reference)
    if order.paid_at is None:
        raise Http404
    language = get_language() or settings.LANGUAGE_CODE
    response = HttpResponse(
        receipt_pdf(order=order, language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{receipt_filename(order)}"'
    return response
