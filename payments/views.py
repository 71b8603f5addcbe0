"""The payer's side: an order page with what to transfer, where, and the VietQR code."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from payments import vietqr
from payments.selectors import order_get_for_payer


@login_required
def order_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """Only members of the paying organisation see an order; to anyone else it does not exist."""
    order = order_get_for_payer(reference=reference, user=request.user)
    if order is None:
        raise Http404
    awaits_transfer = order.awaits_transfer
    return render(
        request,
        "payments/order_detail.html",
        {
            "order": order,
            "lines": order.lines.all(),
            "awaits_transfer": awaits_transfer,
            "qr_image": vietqr.png_data_url(vietqr.order_payload(order)) if awaits_transfer else "",
            "bank_bin": settings.PAYMENTS_BANK_BIN,
            "bank_account": settings.PAYMENTS_BANK_ACCOUNT,
            "bank_account_name": settings.PAYMENTS_BANK_ACCOUNT_NAME,
        },
    )
