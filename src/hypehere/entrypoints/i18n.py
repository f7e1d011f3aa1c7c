"""Translations with Babel: compiled gettext catalogs shipped in `hypehere/locale`.

Each module keeps its own catalog (`locale/<lang>/LC_MESSAGES/<module>.po`); they are merged
per language. Entry points translate; the domain and use cases speak in codes and params."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations, Translations

from hypehere.domain.shared.languages import DEFAULT_INTERFACE_LANGUAGE, INTERFACE_LANGUAGES

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


@lru_cache(maxsize=len(INTERFACE_LANGUAGES) + 1)
def translations(language: str) -> NullTranslations:
    if language not in INTERFACE_LANGUAGES:
        language = DEFAULT_INTERFACE_LANGUAGE
    merged: NullTranslations = NullTranslations()
    for mo_path in sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.mo")):
        with mo_path.open("rb") as handle:
            catalog = Translations(fp=handle, domain=mo_path.stem)
        if isinstance(merged, Translations):
            merged.merge(catalog)
        else:
            merged = catalog
    return merged


def gettext(language: str, message: str, **params: object) -> str:
    text = translations(language).gettext(message)
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return message.format(**params)
    return text


def negotiate_language(preferred: str | None, accept_language: str | None) -> str:
    """The user's interface language, else the best of Accept-Language, else ko."""
    if preferred is not None and preferred in INTERFACE_LANGUAGES:
        return preferred
    for tag in parse_accept_language(accept_language or ""):
        primary = tag.split("-")[0].split("_")[0].lower()
        if primary in INTERFACE_LANGUAGES:
            return primary
    return DEFAULT_INTERFACE_LANGUAGE


def parse_accept_language(header: str) -> list[str]:
    """Language tags ordered by q-value (RFC 9110), q=0 dropped, '*' ignored."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip()
        if not tag or tag == "*":
            continue
        quality = 1.0
        for param in pieces[1:]:
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            weighted.append((-quality, index, tag))
    return [tag for _, _, tag in sorted(weighted)]
