"""Forms of connection events; the services decide, the forms only collect."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.models import EventRegistration, Meeting, MeetingSlot
from market.models import Listing


class RegistrationForm(forms.Form):
    listings = forms.ModelMultipleChoiceField(
        label=_("Listings you bring"),
        queryset=Listing.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Other participants see them and may ask to meet you about them."),
    )

    def __init__(self, *args, listings, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["listings"].queryset = listings


class MeetingRequestForm(forms.Form):
    invitee = forms.ModelChoiceField(
        label=_("Participant"), queryset=EventRegistration.objects.none()
    )
    slot = forms.ModelChoiceField(label=_("Time slot"), queryset=MeetingSlot.objects.none())
    listing = forms.ModelChoiceField(
        label=_("About the listing"), queryset=Listing.objects.none(), required=False
    )
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )

    def __init__(self, *args, invitees, slots, listings, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invitee"].queryset = invitees
        self.fields["invitee"].label_from_instance = lambda registration: (
            registration.organisation.legal_name
        )
        self.fields["slot"].queryset = slots
        self.fields["listing"].queryset = listings


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Meeting.Outcome.choices)
    listing = forms.ModelChoiceField(
        label=_("Listing to start an introduction about"),
        queryset=Listing.objects.none(),
        required=False,
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("To start an introduction, say what you intend to use the technology for."),
    )

    def __init__(self, *args, listings, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["listing"].queryset = listings
