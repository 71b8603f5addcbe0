"""What every PDF of ours needs: DejaVu Sans, which covers every Vietnamese letter, found in
matplotlib's wheel (docs/adr/0008), text in composed form, and an A4 page with its number."""

from __future__ import annotations

import importlib.util
import unicodedata
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language, gettext
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_FAMILY = "DejaVu"


@cache
def font_directory() -> Path:
    """matplotlib's bundled TrueType fonts, found without importing matplotlib: its import
    reads configuration and wants a writable cache directory that a web worker may lack."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib, which ships the PDF font, is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def text(value: object) -> str:
    """Decomposed diacritics would need text shaping to sit on their letters; composed ones
    are single glyphs in the font."""
    return unicodedata.normalize("NFC", str(value))


class Document(FPDF):
    """An A4 document in DejaVu Sans, in the active language, numbered "Page n of m" at the
    foot of each page; letters, reports and receipts draw on it."""

    def __init__(self, *, title: str, margin: float = 20) -> None:
        super().__init__(format="A4")
        directory = font_directory()
        self.add_font(FONT_FAMILY, "", directory / "DejaVuSans.ttf")
        self.add_font(FONT_FAMILY, "B", directory / "DejaVuSans-Bold.ttf")
        self.set_margins(margin, 18, margin)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(text(title))
        self.set_creator("TechFloor")
        self.set_lang(get_language() or settings.LANGUAGE_CODE)
        self.page_label = gettext("Page %(page)s of %(pages)s")
        self.add_page()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT_FAMILY, size=8)
        label = self.page_label % {"page": self.page_no(), "pages": self.str_alias_nb_pages}
        self.cell(0, 5, label, align="R")

    def line_of_text(self, value: object, *, size: int = 11, bold: bool = False, align="L"):
        """A paragraph in one font size that wraps at the margins."""
        self.set_font(FONT_FAMILY, "B" if bold else "", size)
        self.multi_cell(
            0, size * 0.55, text(value), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def rule(self) -> None:
        """A thin line across the page under a letterhead."""
        self.ln(2)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(6)
