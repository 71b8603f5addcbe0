"""A set of choices stored as a bitmask: one integer column, filterable and countable in SQL
on SQLite and PostgreSQL alike (facet counts are one conditional aggregate per choice)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ExpressionWrapper, F, IntegerField, Q
from django.db.models.lookups import GreaterThan


class ChoiceSetField(models.PositiveIntegerField):
    """Python sees ``list[str]`` of choice values; the database sees a bitmask."""

    def __init__(self, *args, choice_set: type[models.TextChoices], **kwargs) -> None:
        self.choice_set = choice_set
        # Enum lookups are slow; decoding runs for every row of a search, so precompute.
        self._values = tuple(choice_set.values)
        self._bits = {value: 1 << index for index, value in enumerate(self._values)}
        kwargs.setdefault("default", 0)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choice_set"] = self.choice_set
        kwargs.pop("default", None)
        return name, path, args, kwargs

    def bit(self, value: str) -> int:
        return self._bits[value]

    def to_mask(self, values) -> int:
        if isinstance(values, int):
            return values
        unknown = [value for value in values or [] if value not in self._bits]
        if unknown:
            raise ValidationError(
                "Unknown choice(s): %(values)s", params={"values": ", ".join(unknown)}
            )
        return sum({self.bit(value) for value in values or []})

    def to_list(self, mask: int | None) -> list[str]:
        mask = mask or 0
        return [value for value, bit in self._bits.items() if mask & bit]

    def from_db_value(self, value, expression, connection):
        return self.to_list(value)

    def to_python(self, value):
        if isinstance(value, int):
            return self.to_list(value)
        return list(value or [])

    def get_prep_value(self, value):
        return self.to_mask(value)

    def validate(self, value, model_instance) -> None:
        self.to_mask(value)

    def run_validators(self, value) -> None:
        """The bitmask is always in range; the choices are checked in ``validate``."""

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=self.choice_set.choices,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )

    def value_to_string(self, obj) -> str:
        return ",".join(self.value_from_object(obj))

    def contains(self, value: str) -> Q:
        """A filter for rows whose set contains ``value``."""
        expression = ExpressionWrapper(
            F(self.name).bitand(self.bit(value)), output_field=IntegerField()
        )
        return Q(GreaterThan(expression, 0))
