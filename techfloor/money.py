"""Money as people read it: integer amounts of đồng formatted for the active locale."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import get_language


def vnd(amount: int | None) -> str:
    """An integer amount of đồng for the active locale: "1.250.000 ₫" or "VND 1,250,000"."""
    if amount is None or amount == "":
        return ""
    number = formats.number_format(int(amount), decimal_pos=0, force_grouping=True)
    if (get_language() or "vi").startswith("vi"):
        return f"{number}\N{NO-BREAK SPACE}₫"
    return f"VND\N{NO-BREAK SPACE}{number}"
