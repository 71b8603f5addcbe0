"""The research side of an expert: the Vietnamese classification of fields of science and
technology (Quyết định 12/2008/QĐ-BKHCN, shipped in ``startups/data/fields_of_science.json``)
and ORCID iDs (ISO 7064 11,2 check character)."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

FIELDS_PATH = Path(__file__).resolve().parent / "data" / "fields_of_science.json"
ORCID_FORMAT = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
ORCID_ERROR = _("An ORCID iD reads 0000-0000-0000-000X and its last character checks the rest.")


@cache
def fields_of_science() -> list[dict]:
    """The six first-level fields, each with its second-level fields as ``children``."""
    return json.loads(FIELDS_PATH.read_text(encoding="utf-8"))


@cache
def _by_code() -> dict[str, dict]:
    found = {}
    for field in fields_of_science():
        found[field["code"]] = field
        for child in field["children"]:
            found[child["code"]] = {**child, "parent": field["code"]}
    return found


def is_field_code(code: str) -> bool:
    return code in _by_code()


def field_name(code: str, language: str | None = None) -> str:
    """The field's name in ``language`` (the active one by default); the code if unknown."""
    field = _by_code().get(code)
    if field is None:
        return code
    return field["vi"] if (language or get_language() or "vi").startswith("vi") else field["en"]


def field_names(code: str) -> str:
    """Both names of a field and of its first-level field, for matching across languages."""
    field = _by_code().get(code)
    if field is None:
        return ""
    parent = _by_code().get(field.get("parent", ""), {})
    return " ".join(filter(None, (field["vi"], field["en"], parent.get("vi"), parent.get("en"))))


def field_choices(*, top_only: bool = False) -> list:
    """Choices grouped by first-level field, in the active language."""
    if top_only:
        return [(field["code"], field_name(field["code"])) for field in fields_of_science()]
    return [
        (
            field_name(field["code"]),
            [(child["code"], field_name(child["code"])) for child in field["children"]],
        )
        for field in fields_of_science()
    ]


def orcid_checksum(base_digits: str) -> str:
    """The check character of the first 15 digits of an ORCID iD (ISO 7064 MOD 11-2)."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def orcid_is_valid(value: str) -> bool:
    """Whether ``value`` is written 0000-0000-0000-000X and its check character is right."""
    if not ORCID_FORMAT.match(value):
        return False
    digits = value.replace("-", "")
    return orcid_checksum(digits[:15]) == digits[15]


def orcid_url(value: str) -> str:
    return f"https://orcid.org/{value}"
