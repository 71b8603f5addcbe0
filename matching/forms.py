from django import forms
from django.utils.translation import gettext_lazy as _


class MatchFeedbackForm(forms.Form):
    relevant = forms.TypedChoiceField(
        label=_("Is this match relevant?"),
        choices=[("1", _("Relevant")), ("0", _("Not relevant"))],
        coerce=lambda value: value == "1",
    )
    reason = forms.CharField(label=_("Why (optional)"), max_length=300, required=False)
