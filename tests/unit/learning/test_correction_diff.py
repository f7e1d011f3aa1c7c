"""The server-side diff of corrections: word-level in spaced scripts, character-level in
ko, ja and zh, offsets into the original, and the spans always rebuild the correction."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hypehere.domain.learning.corrections import Span, apply_spans, diff_spans, tokenize

pytestmark = pytest.mark.unit


def test_english_words() -> None:
    original = "Yesterday I goed to the park with my freind."
    corrected = "Yesterday I went to the park with my friend."
    assert diff_spans(original, corrected) == [
        Span(12, 16, "goed", "went"),
        Span(37, 43, "freind", "friend"),
    ]


def test_spanish_accents_are_part_of_words() -> None:
    assert diff_spans(
        "Mañana voy a la playa con mi amigo", "Mañana iré a la playa con mi amiga"
    ) == [
        Span(7, 10, "voy", "iré"),
        Span(29, 34, "amigo", "amiga"),
    ]


def test_korean_particle_inside_a_word() -> None:
    original = "저는 어제 학교을 갔어요."
    corrected = "저는 어제 학교를 갔어요."
    assert diff_spans(original, corrected) == [Span(8, 9, "을", "를")]


def test_japanese_without_spaces() -> None:
    original = "私は昨日学校を行きました。"
    corrected = "私は昨日学校に行きました。"
    assert diff_spans(original, corrected) == [Span(6, 7, "を", "に")]


def test_chinese_without_spaces() -> None:
    original = "我昨天去了图书馆看书了。"
    corrected = "我昨天去图书馆看书了。"
    assert diff_spans(original, corrected) == [Span(4, 5, "了", "")]


def test_insertions_and_deletions_of_words() -> None:
    assert diff_spans("I want go home", "I want to go home") == [Span(7, 7, "", "to ")]
    assert diff_spans("It is is fine", "It is fine") == [Span(6, 9, "is ", "")]


def test_tokens_cover_the_text() -> None:
    text = "Hi, 学校を! ok-ish 저는"
    tokens = tokenize(text)
    assert "".join(t for _, t in tokens) == text
    assert [t for _, t in tokens] == [
        "Hi",
        ",",
        " ",
        "学",
        "校",
        "を",
        "!",
        " ",
        "ok-ish",
        " ",
        "저",
        "는",
    ]


TEXTS = st.text(
    alphabet=st.sampled_from(list("abc xyz,.!学校を行にはい저는학교를을ñé")), max_size=30
)


@given(original=TEXTS, corrected=TEXTS)
def test_spans_rebuild_the_correction(original: str, corrected: str) -> None:
    spans = diff_spans(original, corrected)
    assert apply_spans(original, spans) == corrected
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start <= span.end <= len(original)
        assert original[span.start : span.end] == span.original
        assert span.original != span.replacement
        previous_end = span.end
    assert (spans == []) == (original == corrected)
