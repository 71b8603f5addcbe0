"""Staff screens in the Wagtail admin: the organisation-verification queue."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts import selectors, services
from accounts.forms import DecisionForm
from accounts.models import VerificationRequest

VERIFY_PERMISSION = "accounts.change_verificationrequest"


class VerifierRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VERIFY_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class VerificationQueueView(VerifierRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "accounts/admin/verification_queue.html"
    page_title = gettext_lazy("Organisation verification")
    header_icon = "tick-inverse"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "requests": selectors.verification_queue()}


class VerificationDecideView(VerifierRequiredMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "accounts/admin/verification_decide.html"
    form_class = DecisionForm
    page_title = gettext_lazy("Verify organisation")
    header_icon = "tick-inverse"

    def dispatch(self, request, *args, **kwargs):
        self.verification = get_object_or_404(
            VerificationRequest.objects.select_related("organisation", "submitted_by"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.verification.organisation.legal_name

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "verification": self.verification}

    def form_valid(self, form):
        decide = (
            services.verification_approve
            if form.cleaned_data["decision"] == "verify"
            else services.verification_reject
        )
        try:
            decide(
                request=self.verification,
                actor=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Decision recorded for %(name)s.")
            % {"name": self.verification.organisation.legal_name},
        )
        return redirect("accounts_admin:verification_queue")
