"""Identity rules, with hypothesis properties for handle derivation and email normalization."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from hypehere.domain.shared.errors import InvalidInputError
from hypehere.domain.users import rules
from hypehere.domain.users.errors import InvalidEmailError, WeakPasswordError

pytestmark = pytest.mark.unit

local_parts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Cc"), blacklist_characters="@"),
    min_size=1,
    max_size=64,
)
domains = st.from_regex(r"[a-z0-9]{1,20}\.(com|org|예시|jp)", fullmatch=True)


@given(local=local_parts, domain=domains)
def test_handle_base_is_always_a_valid_handle(local: str, domain: str) -> None:
    base = rules.handle_base(f"{local}@{domain}")
    assert rules.HANDLE_PATTERN.match(base), base
    assert rules.parse_handle(base) == base


@given(local=local_parts, domain=domains, count=st.integers(min_value=1, max_value=200))
@example(local="0" * 29 + "2", domain="0.com", count=2)  # cut + "2" gave the base back
@example(local="0" * 28 + "12", domain="0.com", count=12)  # ... and so did cut + "12"
def test_handle_candidates_are_distinct_valid_handles(local: str, domain: str, count: int) -> None:
    candidates = list(rules.handle_candidates(rules.handle_base(f"{local}@{domain}"), count))
    assert len(candidates) == count
    assert len(set(candidates)) == count
    assert all(rules.HANDLE_PATTERN.match(c) for c in candidates)


@given(local=st.from_regex(r"[A-Za-z0-9._]{1,40}", fullmatch=True), domain=domains)
def test_handle_base_keeps_ascii_local_parts_recognisable(local: str, domain: str) -> None:
    base = rules.handle_base(f"{local}@{domain}")
    cleaned = "".join(ch if ch.isalnum() else "_" for ch in local.lower()).strip("_")
    if len(cleaned) >= 3 and "__" not in cleaned:
        assert base == cleaned[:30].rstrip("_")


@given(
    local=st.from_regex(r"[A-Za-z0-9.+_-]{1,30}", fullmatch=True),
    domain=st.from_regex(r"[A-Za-z0-9]{1,20}\.[A-Za-z]{2,6}", fullmatch=True),
    pad=st.sampled_from(["", " ", "  ", "\t", "\n "]),
)
def test_email_normalization_is_idempotent_and_case_insensitive(
    local: str, domain: str, pad: str
) -> None:
    raw = f"{pad}{local}@{domain}{pad}"
    normalized = rules.normalize_email(raw)
    assert normalized == normalized.strip().lower()
    assert rules.normalize_email(normalized) == normalized
    assert rules.normalize_email(raw.upper()) == normalized
    assert rules.normalize_email(raw.swapcase()) == normalized


@given(st.text(max_size=40).filter(lambda s: "@" not in s))
def test_text_without_at_is_never_an_email(text: str) -> None:
    with pytest.raises(InvalidEmailError):
        rules.normalize_email(text)


@pytest.mark.parametrize("raw", ["a@", "@b.com", "a b@c.com", "a@b@c.com", "x" * 321 + "@a.io"])
def test_malformed_emails(raw: str) -> None:
    with pytest.raises(InvalidEmailError):
        rules.normalize_email(raw)


def test_handle_examples() -> None:
    assert rules.handle_base("Mina.Kim+work@x.com") == "mina_kim"
    assert rules.handle_base("민아@x.com") == "user"
    assert rules.handle_base("jo@x.com") == "jo_user"
    assert rules.handle_base("josé@x.com") == "jose"
    assert list(rules.handle_candidates("a" * 30, 3)) == ["a" * 30, "a" * 29 + "2", "a" * 29 + "3"]


def test_password_policy() -> None:
    rules.check_password("eight ch", email="a@b.com")
    with pytest.raises(WeakPasswordError):
        rules.check_password("seven c", email="a@b.com")
    with pytest.raises(WeakPasswordError):
        rules.check_password("Mina@Example.com", email="mina@example.com")
    with pytest.raises(WeakPasswordError):
        rules.check_password("x" * 257, email="a@b.com")


def test_target_languages() -> None:
    parsed = rules.parse_target_languages([("EN", "b2"), ("ja", "A1")], native_language="ko")
    assert [(lang, level.value) for lang, level in parsed] == [("en", "B2"), ("ja", "A1")]
    for pairs in (
        [("ko", "A1")],
        [("en", "A1"), ("en", "B1")],
        [("en", "Z9")],
        [("xx", "A1")],
        [(c, "A1") for c in ("en", "ja", "es", "fr", "de", "it")],
    ):
        with pytest.raises(InvalidInputError):
            rules.parse_target_languages(pairs, native_language="ko")


def test_nickname_any_script_1_to_30() -> None:
    assert rules.parse_nickname("  미나 ") == "미나"
    assert rules.parse_nickname("ñ" * 30) == "ñ" * 30
    for bad in ("", "   ", "n" * 31):
        with pytest.raises(InvalidInputError):
            rules.parse_nickname(bad)
