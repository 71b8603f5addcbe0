"""Wagtail admin: the verification queue, organisations, and our audited actions."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from accounts import admin_urls, services  # noqa: F401  (services declares audited actions)
from accounts.admin_views import VERIFY_PERMISSION
from accounts.audit import ACTIONS
from accounts.forms import OrganisationForm
from accounts.models import Organisation


@hooks.register("register_log_actions")
def register_audit_actions(actions) -> None:
    for code, (label, message) in ACTIONS.items():
        actions.register_action(code, label, message)


@hooks.register("register_admin_urls")
def register_verification_urls():
    return [path("verification/", include(admin_urls, namespace="accounts_admin"))]


class VerificationMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(VERIFY_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_verification_menu_item():
    return VerificationMenuItem(
        _("Verification queue"),
        reverse("accounts_admin:verification_queue"),
        icon_name="tick-inverse",
        order=150,
    )


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 160
    add_to_admin_menu = True
    list_display = ["legal_name", "kind", "province", "tax_code", "verification_status"]
    list_filter = ["kind", "province", "verification_status"]
    search_fields = ["legal_name", "tax_code"]
    inspect_view_enabled = True
    form_fields = OrganisationForm.Meta.fields


@hooks.register("register_admin_viewset")
def register_organisation_viewset():
    return OrganisationViewSet("organisations")
