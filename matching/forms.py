from django import forms
from django.utils.translation import gettext_lazy as _

from market.search.forms import SearchForm
from matching.models import Frequency


class MatchFeedbackForm(forms.Form):
    relevant = forms.TypedChoiceField(
        label=_("Is this match relevant?"),
        choices=[("1", _("Relevant")), ("0", _("Not relevant"))],
        coerce=lambda value: value == "1",
    )
    reason = forms.CharField(label=_("Why (optional)"), max_length=300, required=False)


class SavedSearchForm(SearchForm):
    """Save the floor's current words and filters under a name."""

    name = forms.CharField(label=_("Name of this search"), max_length=200, required=False)
    frequency = forms.ChoiceField(
        label=_("Email me"),
        choices=[(value, label) for value, label in Frequency.choices if value != Frequency.OFF],
        initial=Frequency.DAILY,
    )


class SavedSearchFrequencyForm(forms.Form):
    frequency = forms.ChoiceField(label=_("Email me"), choices=Frequency.choices)


class AlertPreferenceForm(forms.Form):
    match_frequency = forms.ChoiceField(
        label=_("New matches for my organisation's listings"), choices=Frequency.choices
    )
