from __future__ import annotations

import pytest

from hypehere.entrypoints.i18n import LOCALE_DIR, gettext, negotiate_language, parse_accept_language
from tools.i18n_catalog import compiled

pytestmark = pytest.mark.unit


def test_compiled_catalogs_are_up_to_date() -> None:
    pos = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
    assert {p.parts[-3] for p in pos} == {"ko", "en", "ja", "es"}
    for lang in ("ko", "en", "ja", "es"):
        assert {p.name for p in pos if p.parts[-3] == lang} == {
            p.name for p in pos if p.parts[-3] == "ko"
        }
    for po in pos:
        assert po.with_suffix(".mo").read_bytes() == compiled(po), f"run `make i18n` for {po}"


def test_every_language_translates_every_message() -> None:
    from babel.messages.pofile import read_po

    for po in LOCALE_DIR.glob("*/LC_MESSAGES/*.po"):
        if po.parts[-3] == "en":
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle)
        missing = [m.id for m in catalog if m.id and not m.string]
        assert missing == [], f"{po} lacks translations: {missing}"


def test_gettext_by_language() -> None:
    assert gettext("ko", "The resource was not found.") == "리소스를 찾을 수 없습니다."
    assert gettext("en", "The resource was not found.") == "The resource was not found."
    assert gettext("xx", "The resource was not found.") == "리소스를 찾을 수 없습니다."


@pytest.mark.parametrize(
    ("preferred", "header", "expected"),
    [
        ("ja", "en", "ja"),
        (None, "fr;q=1, es;q=0.8, en;q=0.9", "en"),
        (None, "es-MX", "es"),
        (None, "fr, de", "ko"),
        (None, None, "ko"),
        (None, "en;q=0", "ko"),
    ],
)
def test_negotiation(preferred: str | None, header: str | None, expected: str) -> None:
    assert negotiate_language(preferred, header) == expected


def test_accept_language_order() -> None:
    assert parse_accept_language("a;q=0.1, b, c;q=0.5") == ["b", "c", "a"]
