"""Corrections: a native speaker's rewrite of a learner's post, comment or message.

The server computes the spans (what changed, where) with a word-level diff whose "words"
work for every script: runs of letters and digits in scripts written with spaces, one
character at a time in scripts written without them (Han, kana) and in Hangul (a Korean
particle is part of its word: `학교을` -> `학교를` changes one syllable, not the word).
Offsets are in code points of the original text."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher
from enum import StrEnum

from hypehere.domain.learning.errors import (
    CannotCorrectOwnTextError,
    CorrectionUnchangedError,
    InvalidCorrectionError,
    NotNativeSpeakerError,
)

MAX_TEXT_LENGTH = 5000
MAX_NOTE_LENGTH = 500


class CorrectionTarget(StrEnum):
    POST = "post"
    COMMENT = "comment"
    MESSAGE = "message"


class CorrectionCategory(StrEnum):
    GRAMMAR = "grammar"
    VOCABULARY = "vocabulary"
    SPELLING = "spelling"
    REGISTER = "register"
    POLITENESS = "politeness"


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    original: str
    replacement: str


def _is_unspaced_script(ch: str) -> bool:
    """Characters of scripts where one character is the unit of a diff."""
    code = ord(ch)
    return (
        0x1100 <= code <= 0x11FF  # Hangul Jamo
        or 0x3040 <= code <= 0x30FF  # Hiragana, Katakana
        or 0x3130 <= code <= 0x318F  # Hangul compatibility Jamo
        or 0x3400 <= code <= 0x4DBF  # CJK extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xAC00 <= code <= 0xD7AF  # Hangul syllables
        or 0xF900 <= code <= 0xFAFF  # CJK compatibility ideographs
        or 0xFF66 <= code <= 0xFF9F  # half-width katakana
        or 0x20000 <= code <= 0x2FA1F  # CJK extensions B..
    )


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch) in ("Mn", "Mc") or ch in "'’-"


def tokenize(text: str) -> list[tuple[int, str]]:
    """(offset, token): words, single unspaced-script characters, whitespace runs and
    single punctuation marks, covering the text exactly."""
    tokens: list[tuple[int, str]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        j = i + 1
        if _is_unspaced_script(ch):
            pass
        elif ch.isspace():
            while j < len(text) and text[j].isspace():
                j += 1
        elif _is_word_char(ch) and ch not in "'’-":
            while j < len(text) and _is_word_char(text[j]) and not _is_unspaced_script(text[j]):
                j += 1
        tokens.append((i, text[i:j]))
        i = j
    return tokens


def diff_spans(original: str, corrected: str) -> list[Span]:
    """What to change in `original` to get `corrected`, as non-overlapping spans in order
    (an insertion has start == end and an empty `original`)."""
    a = tokenize(original)
    b = tokenize(corrected)
    matcher = SequenceMatcher(None, [t for _, t in a], [t for _, t in b], autojunk=False)
    spans: list[Span] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        start = a[i1][0] if i1 < len(a) else len(original)
        end = a[i2 - 1][0] + len(a[i2 - 1][1]) if i2 > i1 else start
        b_start = b[j1][0] if j1 < len(b) else len(corrected)
        b_end = b[j2 - 1][0] + len(b[j2 - 1][1]) if j2 > j1 else b_start
        spans.append(Span(start, end, original[start:end], corrected[b_start:b_end]))
    return spans


def apply_spans(original: str, spans: list[Span]) -> str:
    """The corrected text rebuilt from the original and its spans."""
    out, at = [], 0
    for span in spans:
        out.append(original[at : span.start])
        out.append(span.replacement)
        at = span.end
    out.append(original[at:])
    return "".join(out)


@dataclass(slots=True)
class Correction:
    id: str
    corrector_id: str
    author_id: str
    target_type: CorrectionTarget
    target_id: str
    language: str
    original_text: str
    corrected_text: str
    category: CorrectionCategory
    spans: list[Span]
    created_at: datetime
    note: str | None = None
    accepted_at: datetime | None = None
    events: list[object] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def propose(
        cls,
        *,
        id: str,
        corrector_id: str,
        corrector_native_language: str | None,
        author_id: str,
        target_type: CorrectionTarget,
        target_id: str,
        language: str | None,
        original_text: str,
        corrected_text: str,
        category: CorrectionCategory,
        note: str | None,
        now: datetime,
    ) -> Correction:
        """A correction as its rules allow: by a native speaker of the text's language, of
        someone else's text, with a change."""
        if corrector_id == author_id:
            raise CannotCorrectOwnTextError("You cannot correct your own text")
        if language is None or corrector_native_language != language:
            raise NotNativeSpeakerError(
                "Only native speakers of the text's language can correct it",
                text_language=language,
            )
        corrected = corrected_text.strip()
        if not corrected or len(corrected) > MAX_TEXT_LENGTH:
            raise InvalidCorrectionError(
                f"corrected_text must have 1 to {MAX_TEXT_LENGTH} characters",
                field="corrected_text",
            )
        clean_note = note.strip() if note else None
        if clean_note and len(clean_note) > MAX_NOTE_LENGTH:
            raise InvalidCorrectionError(
                f"note must have at most {MAX_NOTE_LENGTH} characters", field="note"
            )
        spans = diff_spans(original_text, corrected)
        if not spans:
            raise CorrectionUnchangedError("The corrected text is the same as the original")
        return cls(
            id=id,
            corrector_id=corrector_id,
            author_id=author_id,
            target_type=target_type,
            target_id=target_id,
            language=language,
            original_text=original_text,
            corrected_text=corrected,
            category=category,
            spans=spans,
            created_at=now,
            note=clean_note or None,
        )
