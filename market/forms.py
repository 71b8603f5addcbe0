"""Forms of the trading floor: they validate input and leave the work to services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import SectorChoiceField
from accounts.models import Sector
from market.models import Deal, Listing, ListingAttachment, ServiceOrder
from market.selectors import feature_plan_list_on_sale
from techfloor.money import vnd

SHARED_FIELDS = [
    "title",
    "summary",
    "description",
    "language",
    "sectors",
    "keywords",
    "province",
    "visibility",
    "confidential",
    "valid_until",
    "contact_name",
    "contact_email",
    "contact_phone",
]
FIELDS_BY_KIND = {
    Listing.Kind.OFFER: [
        "problem",
        "advantages",
        "applications",
        "test_results",
        "trl",
        "ip_status",
        "ip_number",
        "transfer_modes",
        "price_min",
        "price_max",
    ],
    Listing.Kind.NEED: [
        "problem",
        "desired_outcome",
        "constraints",
        "trl",
        "price_min",
        "price_max",
        "deadline",
        "transfer_modes",
    ],
    Listing.Kind.EQUIPMENT: [
        "equipment_mode",
        "specifications",
        "condition",
        "location",
        "price_min",
        "price_max",
        "availability",
    ],
    Listing.Kind.SERVICE: [
        "service_type",
        "scope",
        "accreditation",
        "turnaround",
        "price_min",
        "price_max",
    ],
}
NEED_LABELS = {
    "problem": _("Problem statement"),
    "trl": _("Minimum TRL"),
    "price_min": _("Budget from (VND)"),
    "price_max": _("Budget up to (VND)"),
    "transfer_modes": _("Preferred transfer modes"),
}


class KeywordsField(forms.CharField):
    """Comma-separated in the form, a list in the model."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [part.strip() for part in (value or "").split(",") if part.strip()][:20]


class ListingForm(forms.ModelForm):
    """The fields of one kind of listing. ``draft=True`` (autosave) requires only a title."""

    sectors = SectorChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.select_related("parent").exclude(parent=None),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    keywords = KeywordsField(
        label=_("Keywords"), required=False, help_text=_("Separated by commas.")
    )

    class Meta:
        model = Listing
        fields = SHARED_FIELDS + sorted({f for fields in FIELDS_BY_KIND.values() for f in fields})
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "confidential": forms.Textarea(attrs={"rows": 4}),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{name: forms.Textarea(attrs={"rows": 4}) for name in Listing.KIND_TEXTS},
        }

    def __init__(self, *args, kind: str, draft: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        keep = set(SHARED_FIELDS) | set(FIELDS_BY_KIND[kind])
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if kind == Listing.Kind.NEED:
            for name, label in NEED_LABELS.items():
                self.fields[name].label = label
        self.fields["description"].help_text = _(
            "Paragraphs, lists, bold, italics and links are kept; other formatting is removed."
        )
        for name in ("valid_until", "deadline"):
            if name in self.fields:
                self.fields[name].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        self.draft = draft
        if draft:
            for name, field in self.fields.items():
                field.required = name == "title"

    def clean(self):
        data = super().clean()
        if self.draft:
            # Autosave may send part of the form: change only what was sent.
            data = {name: value for name, value in data.items() if name in self.data}
            self.cleaned_data = data
        low, high = data.get("price_min"), data.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", _("The upper price must be at least the lower price."))
        return data

    def _post_clean(self) -> None:
        """Model validation happens in the service, against the locked row."""


class NewListingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to list?"), choices=Listing.Kind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=200)


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = ListingAttachment
        fields = ["kind", "file", "title"]


class IntroductionRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the owner"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
    )
    intended_use = forms.CharField(
        label=_("What would you use it for?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class OwnerAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Accept the introduction")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    accept_nda = forms.BooleanField(label=_("I accept the NDA shown above"), required=False)
    reason = forms.CharField(
        label=_("Reason (when declining)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class DealForm(forms.ModelForm):
    class Meta:
        model = Deal
        fields = ["stage", "transaction_type", "value_vnd", "lost_reason"]
        widgets = {"lost_reason": forms.Textarea(attrs={"rows": 2})}

    def _post_clean(self) -> None:
        """The service validates the deal."""


class CurationDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Publish")),
            ("request_changes", _("Request changes")),
            ("reject", _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Comment or reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you request changes or reject; sent to the owner."),
    )


class CuratorIntroductionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Introduce them")), ("reject", _("Do not introduce"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (when not introducing)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FeaturePlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _("%(name)s — %(days)s days, %(amount)s") % {
            "name": obj.name,
            "days": obj.duration_days,
            "amount": vnd(obj.amount),
        }


class FeatureOrderForm(forms.Form):
    """The owner picks one of the featuring plans on sale; the price comes from the server."""

    price_item = FeaturePlanChoiceField(
        label=_("Featuring plan"),
        queryset=feature_plan_list_on_sale(),
        widget=forms.RadioSelect,
        empty_label=None,
    )


class ServiceOrderForm(forms.ModelForm):
    """What the organisation needs from the service it orders."""

    class Meta:
        model = ServiceOrder
        fields = ["details", "preferred_date", "contact_phone"]
        widgets = {
            "details": forms.Textarea(attrs={"rows": 6}),
            "preferred_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class ServiceOrderDoneForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the orderer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("What was done, and where to find the results."),
    )
