from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from techfloor.text import fold

TEMPLATE = Template("{{ amount|vnd }} · {{ moment|date:'SHORT_DATETIME_FORMAT' }} · {{ ratio }}")
CONTEXT = {"amount": 1250000, "moment": datetime(2026, 11, 23, 1, 30, tzinfo=UTC), "ratio": 0.5}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", "1.250.000\N{NO-BREAK SPACE}₫ · 08:30 23/11/2026 · 0,5"),
        ("en", "VND\N{NO-BREAK SPACE}1,250,000 · 23/11/2026 08:30 · 0.5"),
    ],
)
def test_amounts_and_dates_follow_the_locale_in_vietnam_time(language, expected):
    with translation.override(language):
        assert TEMPLATE.render(Context(CONTEXT)) == expected


def test_empty_amounts_render_as_nothing():
    assert Template("[{{ amount|vnd }}]").render(Context({"amount": None})) == "[]"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Công nghệ SẤY", "cong nghe say"),
        ("Đồng Tháp", "dong thap"),
        ("Cong nghe say", "cong nghe say"),
        # NFD input (as typed on some keyboards) folds the same as NFC.
        ("Công nghệ sấy".encode().decode(), "cong nghe say"),
    ],
)
def test_fold_removes_case_and_diacritics(text, folded):
    assert fold(text) == folded
