"""Support agreements for programme staff and finance: sign one for an approved application,
accept or return milestone reports, release money (finance only), complete, and read the
loan interest schedule."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from startups.admin_views.base import StaffPageView, forbidden
from startups.admin_views.forms import (
    AgreementForm,
    ConfirmForm,
    DisburseForm,
    MilestoneFormSet,
    MilestoneReviewForm,
)
from startups.models import Application, Milestone, SupportAgreement
from startups.selectors.access import is_finance, is_programme_staff, may_follow_agreements
from startups.selectors.agreements import agreement_list_for_staff
from startups.selectors.applications import agreement_interest_schedule
from startups.services import agreements as agreement_services


def _agreements_crumb() -> dict:
    return {"url": reverse("startups_admin:agreement_list"), "label": _("Support agreements")}


class AgreementListView(StaffPageView):
    template_name = "startups/admin/agreement_list.html"
    page_title = gettext_lazy("Support agreements")
    header_icon = "doc-full"

    def has_access(self, user) -> bool:
        return may_follow_agreements(user)

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", "")
        if status not in SupportAgreement.Status.values:
            status = ""
        return {
            **super().get_context_data(**kwargs),
            "agreements": agreement_list_for_staff(status=status or None),
            "status": status,
            "statuses": SupportAgreement.Status.choices,
        }


class AgreementCreateView(StaffPageView):
    template_name = "startups/admin/agreement_create.html"
    page_title = gettext_lazy("New support agreement")
    header_icon = "doc-full"
    actions = {"create": "create"}

    def load(self, **kwargs) -> None:
        self.application = get_object_or_404(
            Application.objects.select_related("call", "organisation"), pk=kwargs["pk"]
        )
        self.formset = MilestoneFormSet(prefix="milestones")

    def get(self, request, *args, **kwargs):
        agreement = getattr(self.application, "agreement", None)
        if agreement is not None:
            return redirect("startups_admin:agreement_detail", pk=agreement.pk)
        return super().get(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.application.reference

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            _agreements_crumb(),
            {"url": "", "label": self.application.reference},
        ]

    def create(self):
        form = AgreementForm(self.request.POST, prefix="agreement")
        self.formset = MilestoneFormSet(self.request.POST, prefix="milestones")
        if not self.formset.is_valid():
            self.bound_forms["create"] = form
            form.is_valid()
            return None
        milestones = [item.cleaned_data for item in self.formset if item.cleaned_data]
        if self.attempt(
            "create",
            form,
            lambda: agreement_services.agreement_create(
                application=self.application,
                actor=self.request.user,
                milestones=milestones,
                **form.cleaned_data,
            ),
        ):
            messages.success(
                self.request,
                _("Support agreement %(number)s is signed.") % {"number": self.result.number},
            )
            return redirect("startups_admin:agreement_detail", pk=self.result.pk)
        return None

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "application": self.application,
            "phase": self.application.current_phase,
            "form": self.form("create", AgreementForm(prefix="agreement")),
            "formset": self.formset,
        }


class AgreementDetailView(StaffPageView):
    template_name = "startups/admin/agreement_detail.html"
    page_title = gettext_lazy("Support agreement")
    header_icon = "doc-full"
    actions = {"review": "review", "disburse": "disburse", "complete": "complete"}

    def has_access(self, user) -> bool:
        return may_follow_agreements(user)

    def load(self, **kwargs) -> None:
        self.agreement = get_object_or_404(
            SupportAgreement.objects.select_related(
                "application", "application__organisation", "application__call"
            ),
            pk=kwargs["pk"],
        )

    def get_page_subtitle(self):
        return self.agreement.number

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            _agreements_crumb(),
            {"url": "", "label": self.agreement.number},
        ]

    def _milestone(self) -> Milestone:
        # Only a milestone of this agreement, whatever pk was posted.
        pk = self.request.POST.get("milestone", "")
        if not pk.isdigit():
            raise Http404
        return get_object_or_404(self.agreement.milestones, pk=int(pk))

    def _done(self, message: str):
        messages.success(self.request, message)
        return redirect("startups_admin:agreement_detail", pk=self.agreement.pk)

    def review(self):
        if not is_programme_staff(self.request.user):
            return forbidden(self.request)
        milestone = self._milestone()
        prefix = f"review-{milestone.pk}"
        form = MilestoneReviewForm(self.request.POST, prefix=prefix)
        if self.attempt(
            prefix,
            form,
            lambda: agreement_services.milestone_review(
                milestone=milestone,
                actor=self.request.user,
                accept=form.cleaned_data["accept"],
                note=form.cleaned_data["review_note"],
            ),
        ):
            return self._done(
                _("“%(milestone)s”: %(status)s.")
                % {"milestone": milestone.title, "status": self.result.get_status_display()}
            )
        return None

    def disburse(self):
        if not is_finance(self.request.user):
            return forbidden(self.request)
        milestone = self._milestone()
        prefix = f"disburse-{milestone.pk}"
        form = DisburseForm(self.request.POST, prefix=prefix)
        if self.attempt(
            prefix,
            form,
            lambda: agreement_services.milestone_disburse(
                milestone=milestone,
                actor=self.request.user,
                reference=form.cleaned_data["reference"],
            ),
        ):
            return self._done(
                _("%(amount)s VND released for “%(milestone)s”.")
                % {
                    "amount": number_format(self.result.amount, force_grouping=True),
                    "milestone": milestone.title,
                }
            )
        return None

    def complete(self):
        if not is_programme_staff(self.request.user):
            return forbidden(self.request)
        form = ConfirmForm(self.request.POST, prefix="complete")
        if self.attempt(
            "complete",
            form,
            lambda: agreement_services.agreement_complete(
                agreement=self.agreement, actor=self.request.user
            ),
        ):
            return self._done(_("The support agreement is completed."))
        return None

    def get_context_data(self, **kwargs):
        agreement = self.agreement
        user = self.request.user
        may_review, may_disburse = is_programme_staff(user), is_finance(user)
        milestones = list(
            agreement.milestones.select_related("disbursement", "reported_by", "reviewed_by")
        )
        rows = []
        for milestone in milestones:
            row = {"milestone": milestone, "review_form": None, "disburse_form": None}
            if may_review and milestone.status == Milestone.Status.REPORTED:
                prefix = f"review-{milestone.pk}"
                row["review_form"] = self.form(prefix, MilestoneReviewForm(prefix=prefix))
            if may_disburse and milestone.status == Milestone.Status.ACCEPTED:
                prefix = f"disburse-{milestone.pk}"
                row["disburse_form"] = self.form(prefix, DisburseForm(prefix=prefix))
            rows.append(row)
        disbursed = sum(m.amount for m in milestones if m.status == Milestone.Status.DISBURSED)
        return {
            **super().get_context_data(**kwargs),
            "agreement": agreement,
            "application": agreement.application,
            "rows": rows,
            "disbursed": disbursed,
            "schedule": agreement_interest_schedule(agreement=agreement),
            "may_review": may_review,
            "may_disburse": may_disburse,
            "complete_form": (
                self.form("complete", ConfirmForm(prefix="complete"))
                if may_review and agreement.status == SupportAgreement.Status.ACTIVE
                else None
            ),
        }


def milestone_report_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A milestone report's attachment, from private storage, to staff and finance only."""
    if not may_follow_agreements(request.user):
        return forbidden(request)
    milestone = get_object_or_404(Milestone, pk=pk)
    if not milestone.report_file:
        raise Http404
    return FileResponse(
        milestone.report_file.open("rb"),
        as_attachment=True,
        filename=milestone.report_file.name.rsplit("/", 1)[-1],
    )
