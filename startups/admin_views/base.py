"""What every programme-staff screen shares: the permission check, the Wagtail admin frame,
and the way a page with several action forms handles one POST."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from startups.selectors.access import is_programme_staff
from techfloor.errors import add_service_error


def forbidden(request: HttpRequest) -> HttpResponse:
    """A real 403: Wagtail turns a raised PermissionDenied into a redirect to the dashboard,
    which would hide from tests and people alike that the screen is refused."""
    return permission_denied(request, PermissionDenied())


class StaffPageView(WagtailAdminTemplateMixin, TemplateView):
    """A screen for programme staff (or whoever ``has_access`` lets in) in the admin frame.

    Pages with action forms list them in ``actions``: the POSTed ``action`` picks one handler,
    which validates its form and calls one service. On success it redirects; on refusal the
    page is shown again with that form bound and its errors."""

    header_icon = "form"
    actions: dict[str, str] = {}

    def has_access(self, user) -> bool:
        return is_programme_staff(user)

    def dispatch(self, request, *args, **kwargs):
        if not self.has_access(request.user):
            return forbidden(request)
        self.bound_forms: dict[str, forms.Form] = {}
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs) -> None:
        """Fetch the objects the page is about (404 when missing)."""

    def post(self, request, *args, **kwargs):
        name = request.POST.get("action", "")
        if name not in self.actions:
            return HttpResponseBadRequest()
        handler: Callable[[], HttpResponse | None] = getattr(self, self.actions[name])
        response = handler()
        if response is not None:
            return response
        messages.error(request, _errors_summary(self.bound_forms.values()))
        return self.render_to_response(self.get_context_data(**kwargs))

    def attempt(self, name: str, form: forms.Form, call: Callable[[], object]) -> bool:
        """Run one service for a valid form; keep the form, with the refusal, if it fails.
        What the service returned is kept in ``self.result``."""
        self.bound_forms[name] = form
        if not form.is_valid():
            return False
        try:
            self.result = call()
        except ValidationError as error:
            add_service_error(form, error)
            return False
        return True

    def form(self, name: str, default: forms.Form) -> forms.Form:
        """The bound form of a failed attempt, or the page's blank one."""
        return self.bound_forms.get(name, default)


def _errors_summary(bound_forms) -> str:
    problems = []
    for form in bound_forms:
        problems += form.non_field_errors()
        problems += [
            f"{form.fields[name].label}: {' '.join(errors)}"
            for name, errors in form.errors.items()
            if name in form.fields
        ]
    return " ".join(problems) or gettext("Check the form below.")
