"""Forms for people and organisations; they validate input and leave the work to services."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organisation, Sector, User, VerificationRequest


class SignupDetailsForm(forms.Form):
    """Extra fields on allauth's sign-up form (allauth calls ``signup``)."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES, initial="vi"
    )

    field_order = ["full_name", "email", "password1", "password2", "preferred_language"]

    def signup(self, request, user) -> None:
        """Nothing more to do: ``AccountAdapter.save_user`` stores both fields."""


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "preferred_language"]


class SectorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Sector) -> str:
        return f"{obj.parent.name} › {obj.name}" if obj.parent_id else obj.name


class OrganisationForm(forms.ModelForm):
    sectors = SectorChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.select_related("parent").exclude(parent=None),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Organisation
        fields = [
            "kind",
            "legal_name",
            "tax_code",
            "province",
            "address",
            "website",
            "description",
            "sectors",
            "established_on",
            "business_area",
            "employees",
            "annual_revenue",
            "capital",
            "logo",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "established_on": forms.DateInput(attrs={"type": "date"}),
        }


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )


class VerificationForm(forms.ModelForm):
    class Meta:
        model = VerificationRequest
        fields = ["evidence", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class DecisionForm(forms.Form):
    """Staff's decision on a verification request; a rejection needs a reason."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("verify", _("Verify")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for the rejection."))
        return data
