"""Payments in the Wagtail admin: the price list and finance's reconciliation and refund
screens."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from payments import admin_urls, services
from payments.models import PriceItem


class PriceItemViewSet(SnippetViewSet):
    model = PriceItem
    icon = "tag"
    menu_label = _("Price list")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "code", "kind", "amount", "duration_days", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]


register_snippet(PriceItemViewSet)


@hooks.register("register_admin_urls")
def register_payments_urls():
    return [path("payments/", include(admin_urls))]


class ReconcileMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return services.may_reconcile(request.user)


@hooks.register("register_admin_menu_item")
def register_reconciliation_menu():
    return ReconcileMenuItem(
        _("Bank transfers"),
        reverse("payments_admin:reconciliation"),
        icon_name="tick-inverse",
        order=240,
    )


class RefundMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return services.may_refund(request.user)


@hooks.register("register_admin_menu_item")
def register_refunds_menu():
    return RefundMenuItem(
        _("Refunds"), reverse("payments_admin:refunds"), icon_name="undo", order=245
    )
