"""Forms of surveys: the respondents' answers (built from the frozen form, checked by
``startups.answers`` like applications) and the staff's choice of recipients."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation, Sector
from accounts.provinces import Province
from startups.answers import LAYOUT_TYPES, NEED_KEYS
from startups.forms import AnswersForm

NEED_LABELS = {
    "title": pgettext_lazy("survey needs table", "Need"),
    "description": _("What is needed, and why"),
    "sector": _("Sector"),
    "budget": _("Budget (VND)"),
    "deadline": _("Needed by"),
}


def _need_field(key: str, sectors: list[tuple[str, str]]) -> forms.Field:
    common = {"label": NEED_LABELS[key], "required": False}
    if key == "description":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), **common)
    if key == "sector":
        return forms.ChoiceField(choices=[("", "—"), *sectors], **common)
    if key == "budget":
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "numeric"}), **common)
    if key == "deadline":
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    return forms.CharField(max_length=200, **common)


class SurveyAnswersForm(AnswersForm):
    """The application form's fields for ordinary questions, sections as headings, and a
    fixed number of rows for each technology-needs table."""

    def __init__(self, *args, questions: list[dict], **kwargs) -> None:
        asked = [q for q in questions if q["type"] not in (*LAYOUT_TYPES, "needs")]
        super().__init__(*args, questions=asked, **kwargs)
        del self.fields["title"]  # a survey response has no title of its own
        self.all_questions = questions
        self.needs_questions = [q for q in questions if q["type"] == "needs"]
        if self.needs_questions:
            sectors = [(s.code, s.name) for s in Sector.objects.order_by("position", "code")]
            for question in self.needs_questions:
                for row in range(question.get("max_rows", 5)):
                    for key in NEED_KEYS:
                        self.fields[self.need_name(question, row, key)] = _need_field(key, sectors)

    @staticmethod
    def need_name(question: dict, row: int, key: str) -> str:
        return f"{question['id']}-{row}-{key}"

    @classmethod
    def initial_for_response(cls, response) -> dict:
        initial = {}
        for question in response.form:
            value = response.answers.get(question["id"])
            if question["type"] == "needs":
                for row_number, row in enumerate(value or []):
                    for key in NEED_KEYS:
                        initial[cls.need_name(question, row_number, key)] = row.get(key) or ""
            elif question["type"] == "choice" and not question.get("multiple"):
                initial[question["id"]] = value[0] if value else ""
            else:
                initial[question["id"]] = value
        return initial

    def answers(self) -> dict:
        """The raw answers, needs tables as rows, for ``answers.clean_answers``."""
        answers = super().answers()
        for question in self.needs_questions:
            answers[question["id"]] = [
                {
                    key: self.cleaned_data.get(self.need_name(question, row, key), "")
                    for key in NEED_KEYS
                }
                for row in range(question.get("max_rows", 5))
            ]
        return answers

    def layout(self) -> list[dict]:
        """What the template shows in the form's order: a section heading, a field, or a
        needs table with its rows of bound fields."""
        items = []
        for question in self.all_questions:
            if question["type"] in LAYOUT_TYPES:
                items.append({"section": question})
            elif question["type"] == "needs":
                rows = [
                    [self[self.need_name(question, row, key)] for key in NEED_KEYS]
                    for row in range(question.get("max_rows", 5))
                ]
                items.append({"needs": question, "rows": rows})
            else:
                items.append({"field": self[question["id"]]})
        return items


class RecipientFilterForm(forms.Form):
    """Which organisations to list for inviting."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *Organisation.Kind.choices], required=False
    )
    province = forms.ChoiceField(
        label=_("Province or city"),
        choices=[("", _("Any province")), *Province.choices],
        required=False,
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.filter(parent__isnull=True).order_by("position", "code"),
        required=False,
        empty_label=_("Any sector"),
    )


class InviteForm(forms.Form):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    email = forms.EmailField(
        label=_("Send to this address instead"),
        required=False,
        help_text=_("Leave empty to write to each organisation's owners and administrators."),
    )

    def __init__(self, *args, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations
