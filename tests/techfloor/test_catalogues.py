"""The message catalogues are complete: Vietnamese has a translation for every string, none
fuzzy (Babel, like msgfmt, leaves fuzzy entries out of the .mo, so they show in English), and
every translation keeps its msgid's placeholders; English, the source language, has nothing
fuzzy. Obsolete entries (``#~``) are not compiled and are ignored."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[2] / "locale"

# Python named placeholders with their type, str.format's "{}", and the escaped "%".
PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{\}|%%")


def _catalogue(language: str) -> Catalog:
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        return read_po(po, locale=language)


def _messages(catalogue: Catalog) -> list[Message]:
    """Every live entry but the header; ``Catalog`` iteration skips obsolete ones."""
    return [message for message in catalogue if message.id]


def _label(message: Message) -> str:
    msgid = message.id[0] if message.pluralizable else message.id
    return f"{message.context}|{msgid!r}" if message.context else repr(msgid)


def _strings(message: Message) -> tuple[str, ...]:
    return message.string if message.pluralizable else (message.string,)


def _placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def vietnamese() -> list[Message]:
    return _messages(_catalogue("vi"))


def test_vietnamese_has_every_string_translated(vietnamese):
    untranslated = [_label(m) for m in vietnamese if not all(_strings(m))]
    assert not untranslated, f"{len(untranslated)} untranslated: " + "; ".join(untranslated)


def test_vietnamese_has_no_fuzzy_entry(vietnamese):
    fuzzy = [_label(m) for m in vietnamese if m.fuzzy]
    assert not fuzzy, f"{len(fuzzy)} fuzzy: " + "; ".join(fuzzy)


def test_vietnamese_keeps_the_placeholders(vietnamese):
    wrong = []
    for message in vietnamese:
        # Vietnamese has one plural form, used for every count: it follows the plural msgid.
        source = message.id[-1] if message.pluralizable else message.id
        for translation in _strings(message):
            if translation and _placeholders(translation) != _placeholders(source):
                wrong.append(
                    f"{_label(message)}: {sorted(_placeholders(source).elements())} "
                    f"became {sorted(_placeholders(translation).elements())}"
                )
    assert not wrong, f"{len(wrong)} with other placeholders: " + "; ".join(wrong)


def test_english_has_no_fuzzy_entry():
    fuzzy = [_label(m) for m in _messages(_catalogue("en")) if m.fuzzy]
    assert not fuzzy, f"{len(fuzzy)} fuzzy in the English catalogue: " + "; ".join(fuzzy)
