"""A list of choices kept as JSON, edited as check boxes (calls' eligibility lists)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models


class ChoiceListField(models.JSONField):
    """An empty list means "any". Unlike market's bitmask field it is never filtered in SQL,
    and it holds the 34 provinces, more than a 32-bit mask would."""

    def __init__(self, *args, choices_from: type[models.TextChoices], **kwargs) -> None:
        self.choices_from = choices_from
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choices_from"] = self.choices_from
        return name, path, args, kwargs

    def validate(self, value, model_instance) -> None:
        super().validate(value, model_instance)
        unknown = sorted(set(value or []) - set(self.choices_from.values))
        if unknown:
            raise ValidationError(
                "Unknown choice(s): %(values)s", params={"values": ", ".join(unknown)}
            )

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            label=self.verbose_name,
            help_text=self.help_text,
            required=not self.blank,
            choices=self.choices_from.choices,
            widget=forms.CheckboxSelectMultiple,
        )
