"""Forms of startup support. The application form is built from the frozen copy of the call's
form; its answers are checked by ``startups.answers`` (one place), so fields here only render
and collect."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Sector, User
from accounts.provinces import Province
from startups.models import Incubator, Milestone, Outcome, Space, StartupProfile

TEAM_SEPARATOR = "|"


class AnswersForm(forms.Form):
    """One field per question, named by its question id."""

    title = forms.CharField(label=_("Project title"), max_length=300)

    def __init__(self, *args, questions: list[dict], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = [q for q in questions if q["type"] != "file"]
        for question in self.questions:
            self.fields[question["id"]] = self._field(question)

    @staticmethod
    def _field(question: dict) -> forms.Field:
        common = {
            "label": question["label"],
            "help_text": question.get("help_text", ""),
            "required": False,  # required answers are enforced on submission, not on saving
        }
        kind = question["type"]
        if kind == "long_text":
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), **common)
        if kind == "date":
            return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        if kind in ("number", "money"):
            return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
        if kind == "choice":
            choices = [(choice, choice) for choice in question.get("choices", [])]
            if question.get("multiple"):
                return forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple, **common
                )
            return forms.ChoiceField(choices=[("", "—"), *choices], **common)
        if kind == "team":
            common["help_text"] = _("One person per line: name | role | email")
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
        return forms.CharField(max_length=300, **common)

    @staticmethod
    def initial_for(application) -> dict:
        initial = {"title": application.title}
        for question in application.form:
            value = application.answers.get(question["id"])
            if question["type"] == "team" and isinstance(value, list):
                value = "\n".join(
                    f" {TEAM_SEPARATOR} ".join(
                        member.get(key, "") for key in ("name", "role", "email")
                    )
                    for member in value
                )
            elif (
                question["type"] == "choice"
                and isinstance(value, list)
                and not question.get("multiple")
            ):
                value = value[0] if value else ""
            initial[question["id"]] = value
        return initial

    def answers(self) -> dict:
        """The raw answers, team tables parsed into rows, for ``answers.clean_answers``."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(question["id"])
            if question["type"] == "team":
                value = [
                    dict(
                        zip(
                            ("name", "role", "email"),
                            (part.strip() for part in line.split(TEAM_SEPARATOR)),
                            strict=False,
                        )
                    )
                    for line in (value or "").splitlines()
                    if line.strip()
                ]
            answers[question["id"]] = value
        return answers


class ApplyForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Apply for"), coerce=int)
    title = forms.CharField(label=_("Project title"), max_length=300)

    def __init__(self, *args, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.legal_name) for o in organisations]


class CoApplicantsForm(forms.Form):
    co_applicants = forms.ModelMultipleChoiceField(
        label=_("Co-applicants"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, members, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["co_applicants"].queryset = members


class FileAnswerForm(forms.Form):
    file = forms.FileField(label=_("File"))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this applicant?"),
        choices=[("no", _("No, I have no conflict of interest")), ("yes", _("Yes, I have one"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("If so, what is it?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


NOT_APPLICABLE = "na"


class ScoreForm(forms.Form):
    """One choice per criterion, 0…scale or N/A, and a comment each."""

    comment = forms.CharField(
        label=_("Overall comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, criteria, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            choices = [("", "—"), (NOT_APPLICABLE, _("N/A"))] + [
                (str(value), str(value)) for value in range(criterion.scale + 1)
            ]
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=f"{criterion.name} ({_('weight')} {criterion.weight:g})",
                help_text=criterion.description,
                choices=choices,
                required=False,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    @staticmethod
    def initial_for(review) -> dict:
        """The reviewer's saved scores as this form shows them."""
        initial: dict = {"comment": review.comment}
        for score in review.scores.all():
            value = NOT_APPLICABLE if score.value is None else str(score.value)
            initial[f"score_{score.criterion_id}"] = value
            initial[f"comment_{score.criterion_id}"] = score.comment
        return initial

    def values(self) -> dict[int, int | None]:
        """Scores given, N/A as None; criteria left blank are left out."""
        values = {}
        for criterion in self.criteria:
            raw = self.cleaned_data.get(f"score_{criterion.pk}")
            if raw == NOT_APPLICABLE:
                values[criterion.pk] = None
            elif raw not in (None, ""):
                values[criterion.pk] = int(raw)
        return values

    def comments(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"comment_{c.pk}", "") for c in self.criteria}


class CouncilScoreForm(forms.Form):
    score = forms.DecimalField(
        label=_("Score (0–100)"), min_value=0, max_value=100, decimal_places=2
    )
    recommendation = forms.ChoiceField(label=_("Recommendation"), choices=Outcome.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @staticmethod
    def initial_for(sheet) -> dict | None:
        """A member's saved line of the score sheet as this form shows it."""
        if sheet is None:
            return None
        return {"score": sheet.score, "recommendation": sheet.recommendation, "note": sheet.note}


class MilestoneReportForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["report", "report_file"]
        widgets = {"report": forms.Textarea(attrs={"rows": 5})}


class IncubatorFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Incubators and co-working spaces")), *Incubator.Kind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    province = forms.ChoiceField(
        label=_("Province or city"),
        required=False,
        choices=[("", _("All provinces and cities")), *Province.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    sector = forms.ChoiceField(
        label=_("Focus sector"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    has_free_places = forms.BooleanField(
        label=_("With free places"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Top-level sectors first, each followed by its sub-sectors; choosing a top-level one
        # finds incubators focused on any of its sub-sectors.
        sectors = list(Sector.objects.select_related("parent"))
        children: dict[int, list[Sector]] = {}
        for sector in sectors:
            if sector.parent_id:
                children.setdefault(sector.parent_id, []).append(sector)
        choices: list = [("", _("All sectors"))]
        for top in (sector for sector in sectors if sector.parent_id is None):
            group = [(top.code, _("All of %(sector)s") % {"sector": top.name})]
            group += [(child.code, child.name) for child in children.get(top.pk, [])]
            choices.append((top.name, group))
        self.fields["sector"].choices = choices


class OccupancyForm(forms.Form):
    occupied = forms.IntegerField(label=_("Places taken"), min_value=0)

    def __init__(self, *args, space: Space, **kwargs) -> None:
        super().__init__(*args, prefix=f"space-{space.pk}", **kwargs)
        self.space = space
        field = self.fields["occupied"]
        field.widget.attrs.update({"min": space.held, "max": space.capacity})
        field.help_text = _(
            "Between %(held)d (held by allocations) and %(capacity)d (the capacity)."
        ) % {"held": space.held, "capacity": space.capacity}


class StartupProfileForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=StartupProfile.Stage.choices)
    pitch = forms.CharField(
        label=_("One-paragraph pitch"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )
    traction = forms.CharField(
        label=_("Traction"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    funding_raised = forms.IntegerField(label=_("Funding raised (VND)"), min_value=0, initial=0)
    funding_note = forms.CharField(
        label=_("Funding so far"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    team = forms.CharField(
        label=_("Team"),
        required=False,
        help_text=_("One person per line: name | role | background"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @staticmethod
    def initial_for(profile: StartupProfile | None) -> dict:
        if profile is None:
            return {}
        return {
            "stage": profile.stage,
            "pitch": profile.pitch,
            "traction": profile.traction,
            "funding_raised": profile.funding_raised,
            "funding_note": profile.funding_note,
            "team": "\n".join(
                f" {TEAM_SEPARATOR} ".join((member.name, member.role, member.background))
                for member in profile.team.all()
            ),
        }

    def clean_team(self) -> list[dict]:
        team = []
        for number, line in enumerate(self.cleaned_data["team"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(TEAM_SEPARATOR)]
            if len(parts) < 2 or not parts[0] or not parts[1]:
                raise forms.ValidationError(
                    _("Line %(line)s: write the name and the role, separated by “|”.")
                    % {"line": number}
                )
            team.append(
                {
                    "name": parts[0][:200],
                    "role": parts[1][:200],
                    "background": " | ".join(parts[2:]),
                }
            )
        return team
