"""Text helpers for Vietnamese: users type with and without diacritics, and both must match."""

import unicodedata


def fold(text: str) -> str:
    """NFC, lower case and without diacritics, đ included: "Đắk Lắk" → "dak lak"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold().strip()
