"""Forms of ordered S&T tasks: ordering a task (staff), delivering results (the contractor)
and deciding on them (staff)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from market.models import Listing
from startups.models import ChallengePage, ProgrammePage, TaskResult


class TaskOrderForm(forms.Form):
    """What staff choose when ordering a task: where the call goes and its window; the rest
    is prefilled from the challenge or need and edited in the call's page editor."""

    challenge = forms.ModelChoiceField(
        label=_("Challenge"), queryset=ChallengePage.objects.live(), required=False
    )
    need = forms.ModelChoiceField(
        label=_("Adopted need"),
        queryset=Listing.objects.filter(kind=Listing.Kind.NEED, status=Listing.Status.PUBLISHED),
        required=False,
    )
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=ProgrammePage.objects.all())
    opens_at = forms.DateTimeField(
        label=_("Opens at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("challenge")) == bool(cleaned.get("need")):
            raise forms.ValidationError(_("Choose either a challenge or a need."))
        return cleaned


class TaskResultForm(forms.ModelForm):
    class Meta:
        model = TaskResult
        fields = ["summary", "report", "trl", "file"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class ResultDecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Results"),
        choices=[("yes", _("Accept the results")), ("no", _("Reject the results"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting: the contractor reads it and delivers again."),
    )
