"""Forms of the programme staff's admin screens. They only collect input: every rule is the
services' (a form never decides whether a transition, a quorum or a quota allows something)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from startups.models import CouncilMember, Outcome

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def person_label(user: User) -> str:
    return f"{user.full_name} <{user.email}>" if user.full_name else user.email


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return person_label(obj)


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return person_label(obj)


class ApplicationMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.reference} — {obj.title} ({obj.organisation.legal_name})"


class ScreenForm(forms.Form):
    eligible = forms.TypedChoiceField(
        label=_("Screening"),
        choices=[("yes", _("Eligible: send to review")), ("no", _("Not eligible"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Needed when you refuse, or when you overrule the automatic check."),
        widget=_textarea(),
        required=False,
    )


class RequestInfoForm(forms.Form):
    reason = forms.CharField(label=_("What is missing"), widget=_textarea())


class ConfirmForm(forms.Form):
    """A transition without input: the button is the form."""


class ReviewerForm(forms.Form):
    reviewer = forms.TypedChoiceField(label=_("Reviewer"), coerce=int)

    def __init__(self, *args, pool: list[User], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pool = {user.pk: user for user in pool}
        self.fields["reviewer"].choices = [("", "—")] + [
            (user.pk, person_label(user)) for user in pool
        ]

    def clean_reviewer(self) -> User:
        # Only someone from the pool offered, whatever pk was posted.
        reviewer = self.pool.get(self.cleaned_data["reviewer"])
        if reviewer is None:
            raise ValidationError(_("Choose a reviewer from the list."))
        return reviewer


class CouncilSessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    meets_at = forms.DateTimeField(
        label=_("Meets at"),
        input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    quorum = forms.IntegerField(
        label=_("Quorum"), min_value=1, help_text=_("Members present needed.")
    )
    chair = UserChoiceField(label=_("Chair"), queryset=User.objects.none())
    secretary = UserChoiceField(label=_("Secretary"), queryset=User.objects.none(), required=False)
    members = UserMultipleChoiceField(
        label=_("Other members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agenda = ApplicationMultipleChoiceField(
        label=_("Agenda"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, agenda, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("chair", "secretary", "members"):
            self.fields[name].queryset = candidates
        self.fields["agenda"].queryset = agenda

    def clean(self):
        data = super().clean()
        chair, secretary = data.get("chair"), data.get("secretary")
        if chair and secretary and chair == secretary:
            raise ValidationError(_("The chair and the secretary are two different people."))
        return data

    def member_roles(self) -> list[tuple[User, str]]:
        """Chair first, then the secretary, then the others, each person once."""
        data = self.cleaned_data
        roles = [(data["chair"], CouncilMember.Role.CHAIR)]
        if data.get("secretary"):
            roles.append((data["secretary"], CouncilMember.Role.SECRETARY))
        seated = {user.pk for user, _role in roles}
        roles += [
            (user, CouncilMember.Role.MEMBER) for user in data["members"] if user.pk not in seated
        ]
        return roles


class AttendanceForm(forms.Form):
    present = UserMultipleChoiceField(
        label=_("Present"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, members, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = members


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), widget=_textarea(2), required=False)

    def __init__(self, *args, outcomes: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Outcome.choices)
        self.fields["outcome"].choices = [(code, labels[code]) for code in outcomes]


class AgreementForm(forms.Form):
    number = forms.CharField(label=_("Agreement number"), max_length=50)
    signed_on = forms.DateField(label=_("Signed on"), widget=_date_input())
    grant_total = forms.IntegerField(label=_("Grant in total (VND)"), min_value=0)
    loan_principal = forms.IntegerField(
        label=_("Loan principal (VND)"), min_value=1, required=False
    )
    loan_annual_rate = forms.DecimalField(
        label=_("Annual interest rate (%)"),
        min_value=0,
        max_digits=5,
        decimal_places=2,
        required=False,
    )
    loan_term_months = forms.IntegerField(
        label=_("Loan term (months)"), min_value=1, max_value=600, required=False
    )
    loan_supported_share = forms.DecimalField(
        label=_("Share of interest supported (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        required=False,
    )

    LOAN_FIELDS = ("loan_principal", "loan_annual_rate", "loan_term_months", "loan_supported_share")

    def clean(self):
        data = super().clean()
        given = [name for name in self.LOAN_FIELDS if data.get(name) is not None]
        if given and len(given) != len(self.LOAN_FIELDS):
            raise ValidationError(
                _("Fill in all four loan fields, or none when there is no loan support.")
            )
        return data


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=_date_input())
    amount = forms.IntegerField(label=_("Disbursement (VND)"), min_value=0)


MilestoneFormSet = forms.formset_factory(
    MilestoneForm, extra=2, min_num=1, validate_min=True, max_num=24, validate_max=True
)


class MilestoneReviewForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Report"),
        choices=[("yes", _("Accept")), ("no", _("Return to the startup"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    review_note = forms.CharField(
        label=_("Note to the startup"),
        help_text=_("Needed when you return the report."),
        widget=_textarea(2),
        required=False,
    )


class DisburseForm(forms.Form):
    reference = forms.CharField(label=_("Transfer reference"), max_length=100, required=False)
