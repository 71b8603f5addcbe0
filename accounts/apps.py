from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with our user viewset (see accounts/admin_users.py)."""

    user_viewset = "accounts.admin_users.UserViewSet"
