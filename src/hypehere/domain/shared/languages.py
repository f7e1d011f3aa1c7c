"""Language codes (ISO 639-1) and CEFR levels."""

from __future__ import annotations

from enum import StrEnum

from hypehere.domain.shared.errors import InvalidInputError

# ISO 639-1 two-letter codes (184 codes).
ISO_639_1: frozenset[str] = frozenset(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv
    cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr
    ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw
    ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv
    ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr
    ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi
    yo za zh zu
    """.split()  # noqa: SIM905
)

INTERFACE_LANGUAGES: tuple[str, ...] = ("ko", "en", "ja", "es")
DEFAULT_INTERFACE_LANGUAGE = "ko"


class InvalidLanguageError(InvalidInputError):
    code = "invalid_language"


class CefrLevel(StrEnum):
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"

    @property
    def rank(self) -> int:
        return list(CefrLevel).index(self)


def parse_language(code: str, *, field: str = "language") -> str:
    """Normalize and validate an ISO 639-1 code ('KO ' -> 'ko')."""
    normalized = code.strip().lower()
    if normalized not in ISO_639_1:
        raise InvalidLanguageError(f"'{code}' is not an ISO 639-1 language code", field=field)
    return normalized
