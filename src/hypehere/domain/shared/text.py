"""Small text rules shared by several modules."""

from __future__ import annotations

import unicodedata

from hypehere.domain.shared.errors import InvalidInputError


def clean_text(value: str, *, field: str, min_len: int, max_len: int) -> str:
    """NFC-normalize, strip, and check length in user-perceived characters (code points)."""
    text = unicodedata.normalize("NFC", value).strip()
    if "\x00" in text:
        raise InvalidInputError(f"{field} contains a NUL character", field=field)
    if len(text) < min_len:
        raise InvalidInputError(f"{field} must have at least {min_len} characters", field=field)
    if len(text) > max_len:
        raise InvalidInputError(f"{field} must have at most {max_len} characters", field=field)
    return text
