"""Answers checked against the frozen form of an application, question by question.

Drafts keep whatever is well formed so autosave never loses typing; submission also needs
every required question answered. Errors are keyed by question id and name the question."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import Sector

TEAM_KEYS = ("name", "role", "email")
NEED_KEYS = ("title", "description", "sector", "budget", "deadline")
# Blocks that structure a form but ask nothing.
LAYOUT_TYPES = ("section",)


def _clean_value(question: dict, value):
    kind = question["type"]
    if kind in ("short_text", "long_text"):
        text = str(value).strip()
        limit = 300 if kind == "short_text" else 20_000
        if len(text) > limit:
            raise ValueError(_("at most %(limit)s characters") % {"limit": limit})
        return text
    if kind == "number":
        try:
            number = Decimal(str(value).replace(",", ".").strip())
        except InvalidOperation as error:
            raise ValueError(_("a number is expected")) from error
        if not number.is_finite():
            raise ValueError(_("a number is expected"))
        return str(number)
    if kind == "money":
        digits = str(value).replace(".", "").replace(",", "").replace(" ", "").strip()
        if not digits.isdigit():
            raise ValueError(_("an amount in whole dong is expected, e.g. 500000000"))
        return int(digits)
    if kind == "date":
        try:
            return datetime.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError as error:
            raise ValueError(_("a date is expected (YYYY-MM-DD)")) from error
    if kind == "choice":
        chosen = value if isinstance(value, list) else [value]
        chosen = [str(item) for item in chosen if str(item).strip()]
        unknown = [item for item in chosen if item not in question.get("choices", [])]
        if unknown:
            raise ValueError(
                _("not one of the choices: %(values)s") % {"values": ", ".join(unknown)}
            )
        if not question.get("multiple") and len(chosen) > 1:
            raise ValueError(_("only one choice is allowed"))
        return chosen
    if kind == "team":
        if not isinstance(value, list):
            raise ValueError(_("a list of team members is expected"))
        members = [
            {key: str(member.get(key, "")).strip()[:200] for key in TEAM_KEYS}
            for member in value
            if isinstance(member, dict) and str(member.get("name", "")).strip()
        ]
        if len(members) > question.get("max_members", 10):
            raise ValueError(
                _("at most %(count)s team members") % {"count": question.get("max_members", 10)}
            )
        return members
    if kind == "needs":
        return _clean_needs(question, value)
    raise ValueError(_("this question cannot be answered here"))


def _clean_needs(question: dict, value) -> list[dict]:
    """Rows of a technology-needs table; a row without a title is an empty row."""
    if not isinstance(value, list):
        raise ValueError(_("a list of technology needs is expected"))
    rows = [
        {key: str(row.get(key) or "").strip() for key in NEED_KEYS}
        for row in value
        if isinstance(row, dict) and str(row.get("title") or "").strip()
    ]
    if len(rows) > question.get("max_rows", 5):
        raise ValueError(_("at most %(count)s needs") % {"count": question.get("max_rows", 5)})
    sectors = set(
        Sector.objects.filter(code__in=[r["sector"] for r in rows]).values_list("code", flat=True)
    )
    for number, row in enumerate(rows, start=1):
        if len(row["title"]) > 200:
            raise ValueError(
                _("need %(number)s: a title of at most 200 characters") % {"number": number}
            )
        row["description"] = row["description"][:5000]
        if row["sector"] and row["sector"] not in sectors:
            raise ValueError(_("need %(number)s: unknown sector") % {"number": number})
        try:
            row["budget"] = (
                _clean_value({"type": "money"}, row["budget"]) if row["budget"] else None
            )
            if row["deadline"]:
                row["deadline"] = _clean_value({"type": "date"}, row["deadline"])
        except ValueError as error:
            raise ValueError(
                _("need %(number)s: %(problem)s") % {"number": number, "problem": error}
            ) from error
    return rows


def _is_empty(value) -> bool:
    return value in (None, "", [], {})


def clean_answers(*, form: list[dict], answers: dict, complete: bool) -> dict:
    """The answers to keep; raises one ValidationError listing every bad question.

    File questions are answered by uploads (``ApplicationFile``); ``complete`` asks that every
    required question, files included, has an answer — pass the ids of uploaded files in
    ``answers`` under their question id to count them."""
    questions = {question["id"]: question for question in form}
    errors: dict[str, str] = {}
    cleaned: dict = {}
    for key in answers:
        if key not in questions or questions[key]["type"] in LAYOUT_TYPES:
            errors[key] = _("This form has no such question.")
    for key, question in questions.items():
        if question["type"] in LAYOUT_TYPES:
            continue
        value = answers.get(key)
        if question["type"] == "file":
            if complete and question.get("required") and _is_empty(value):
                errors[key] = _("“%(label)s”: attach a file.") % {"label": question["label"]}
            continue
        if _is_empty(value):
            if complete and question.get("required"):
                errors[key] = _("“%(label)s” needs an answer.") % {"label": question["label"]}
            continue
        try:
            cleaned[key] = _clean_value(question, value)
        except ValueError as error:
            errors[key] = f"“{question['label']}”: {error}"
    if errors:
        raise ValidationError(errors)
    return cleaned
