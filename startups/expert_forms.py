"""Forms of the expert profile and of the experts directory. The structured lists (degrees,
publications, patents, past transfers) are formsets, one row per entry; the model checks the
same rows again, so the Wagtail admin's JSON lists obey the same rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Sector
from startups.models import Expert
from startups.science import ORCID_ERROR, field_choices, orcid_is_valid

ROWS_EXTRA = 2


def _year_field() -> forms.IntegerField:
    # The upper bound is read when the process starts; the model checks it again on saving.
    return forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=Expert.FIRST_YEAR,
        max_value=timezone.localdate().year + 1,
    )


class DegreeForm(forms.Form):
    degree = forms.ChoiceField(label=_("Degree"), choices=Expert.Degree.choices)
    field = forms.CharField(label=_("Field of study"), max_length=200, required=False)
    institution = forms.CharField(label=_("Institution"), max_length=200)
    year = _year_field()


class PublicationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    venue = forms.CharField(
        label=_("Journal, conference or publisher"), max_length=200, required=False
    )
    year = _year_field()
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")


class PatentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    number = forms.CharField(label=_("Patent or certificate number"), max_length=60, required=False)
    year = _year_field()
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")


class TransferForm(forms.Form):
    title = forms.CharField(label=_("Technology transferred"), max_length=300)
    partner = forms.CharField(label=_("Partner"), max_length=200, required=False)
    year = _year_field()
    value = forms.IntegerField(label=_("Value (VND)"), required=False, min_value=0)


ROW_FORMS: dict[str, type[forms.Form]] = {
    "degrees": DegreeForm,
    "publications": PublicationForm,
    "patents": PatentForm,
    "transfers": TransferForm,
}
ROW_TITLES = {
    "degrees": _("Degrees"),
    "publications": _("Publications"),
    "patents": _("Patents"),
    "transfers": _("Past technology transfers"),
}


def row_formsets(expert: Expert | None, data=None) -> dict[str, forms.BaseFormSet]:
    """One formset per structured list, filled from the expert's rows."""
    formsets = {}
    for name, form_class in ROW_FORMS.items():
        formset_class = forms.formset_factory(form_class, extra=ROWS_EXTRA, can_delete=True)
        formsets[name] = formset_class(
            data, prefix=name, initial=getattr(expert, name, None) or None
        )
    return formsets


def rows_of(formset: forms.BaseFormSet) -> list[dict]:
    """The filled rows of a valid formset, deleted and blank ones left out, empty values dropped."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        kept = {key: value for key, value in data.items() if value not in ("", None)}
        kept.pop("DELETE", None)
        rows.append(kept)
    return rows


class ExpertForm(forms.Form):
    headline = forms.CharField(label=_("Headline"), max_length=200)
    expertise = forms.CharField(label=_("Expertise"), widget=forms.Textarea(attrs={"rows": 5}))
    field_of_science = forms.ChoiceField(label=_("Field of science"), required=False)
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.exclude(parent=None).select_related("parent"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    academic_title = forms.ChoiceField(
        label=_("Academic title"),
        choices=[("", "—"), *Expert.AcademicTitle.choices],
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you work in"),
        choices=Expert.Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.ChoiceField(label=_("Availability"), choices=Expert.Availability.choices)
    orcid = forms.CharField(
        label=_("ORCID iD"),
        max_length=19,
        required=False,
        help_text=_("Typed by hand it is shown as unverified; connect ORCID to verify it."),
    )
    is_mentor = forms.BooleanField(label=_("I mentor startups"), required=False)
    mentoring_hours_per_month = forms.IntegerField(
        label=_("Mentoring hours a month"), min_value=0, max_value=200, initial=0
    )
    is_reviewer = forms.BooleanField(label=_("I review applications"), required=False)
    is_public = forms.BooleanField(
        label=_("Show me in the experts directory"),
        required=False,
        help_text=_("Off, only Innovation Center staff see your profile."),
    )

    SECTION_LABELS = {
        "degrees": _("Academic title and degrees"),
        "publications": _("Publications"),
        "patents": _("Patents"),
        "transfers": _("Past technology transfers"),
        "languages": _("Languages"),
        "availability": _("Availability"),
        "orcid": _("ORCID iD"),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field_of_science"].choices = [("", "—"), *field_choices()]
        for section in Expert.SECTIONS:
            self.fields[f"show_{section}"] = forms.ChoiceField(
                label=self.SECTION_LABELS[section],
                choices=Expert.Audience.choices,
                initial=Expert.Audience.STAFF,
                required=False,  # left out, a section stays with staff
            )

    @staticmethod
    def initial_for(expert: Expert | None) -> dict:
        if expert is None:
            return {}
        return {
            "headline": expert.headline,
            "expertise": expert.expertise,
            "field_of_science": expert.field_of_science,
            "sectors": list(expert.sectors.all()),
            "academic_title": expert.academic_title,
            "languages": expert.languages,
            "availability": expert.availability,
            "orcid": expert.orcid,
            "is_mentor": expert.is_mentor,
            "mentoring_hours_per_month": expert.mentoring_hours_per_month,
            "is_reviewer": expert.is_reviewer,
            "is_public": expert.is_public,
            **{f"show_{section}": expert.audience_of(section) for section in Expert.SECTIONS},
        }

    def clean_orcid(self) -> str:
        orcid = self.cleaned_data["orcid"].strip().upper()
        if orcid and not orcid_is_valid(orcid):
            raise forms.ValidationError(ORCID_ERROR)
        return orcid

    def visibility_fields(self) -> list[forms.BoundField]:
        return [self[f"show_{section}"] for section in Expert.SECTIONS]

    def profile_fields(self) -> list[forms.BoundField]:
        return [field for field in self if not field.name.startswith("show_")]

    def profile_data(self) -> dict:
        """The cleaned form as the service's keyword arguments."""
        data = {
            name: value for name, value in self.cleaned_data.items() if not name.startswith("show_")
        }
        data["visibility"] = {
            section: self.cleaned_data[f"show_{section}"] or Expert.Audience.STAFF
            for section in Expert.SECTIONS
        }
        return data


class ExpertFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or expertise"), required=False, max_length=100)
    field_of_science = forms.ChoiceField(label=_("Field of science"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), *Expert.Language.choices]
    )
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Any")), ("mentor", _("Mentors")), ("reviewer", _("Reviewers"))],
    )
    availability = forms.ChoiceField(
        label=_("Availability"),
        required=False,
        choices=[("", _("Any")), *Expert.Availability.choices],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field_of_science"].choices = [
            ("", _("All fields")),
            *field_choices(top_only=True),
            *field_choices(),
        ]
        self.fields["sector"].choices = [("", _("All sectors"))] + [
            (sector.code, sector.name) for sector in Sector.objects.filter(parent=None)
        ]
