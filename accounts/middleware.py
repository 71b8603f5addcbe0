"""Two factors for staff: nobody reaches the Wagtail admin on a password alone."""

from collections.abc import Callable
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

ADMIN_PREFIX = "/admin/"
# Wagtail's own login form would skip allauth's second-factor stage.
ADMIN_LOGIN_PREFIX = "/admin/login/"


class StaffTwoFactorMiddleware:
    """Send staff without a TOTP authenticator to set one up before the admin opens."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(ADMIN_LOGIN_PREFIX):
            next_url = request.GET.get("next", ADMIN_PREFIX)
            return HttpResponseRedirect(
                f"{reverse('account_login')}?{urlencode({'next': next_url})}"
            )
        user = request.user
        if (
            path.startswith(ADMIN_PREFIX)
            and user.is_authenticated
            and user.is_staff_member
            and not is_mfa_enabled(user, [Authenticator.Type.TOTP])
        ):
            messages.warning(
                request,
                _("Staff accounts need two-factor authentication. Set up an authenticator app."),
            )
            return HttpResponseRedirect(
                f"{reverse('mfa_activate_totp')}?{urlencode({'next': path})}"
            )
        return self.get_response(request)
