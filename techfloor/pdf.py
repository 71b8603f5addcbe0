"""What every PDF of ours needs: DejaVu Sans, which covers every Vietnamese letter, found in
matplotlib's wheel (docs/adr/0008), and text in composed form."""

from __future__ import annotations

import importlib.util
import unicodedata
from functools import cache
from pathlib import Path

from fpdf import FPDF

FONT_FAMILY = "DejaVu"


@cache
def font_directory() -> Path:
    """matplotlib's bundled TrueType fonts, found without importing matplotlib: its import
    reads configuration and wants a writable cache directory that a web worker may lack."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib, which ships the PDF font, is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def add_fonts(document: FPDF) -> None:
    """DejaVu Sans, regular and bold, under ``FONT_FAMILY``."""
    directory = font_directory()
    document.add_font(FONT_FAMILY, "", directory / "DejaVuSans.ttf")
    document.add_font(FONT_FAMILY, "B", directory / "DejaVuSans-Bold.ttf")


def text(value: object) -> str:
    """Decomposed diacritics would need text shaping to sit on their letters; composed ones
    are single glyphs in the font."""
    return unicodedata.normalize("NFC", str(value))
