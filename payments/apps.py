from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Orders, Stripe Checkout and bank transfer with VietQR."""

    name = "payments"
    verbose_name = _("Payments")
