"""A fast, dependency-free language detector (`HYPEHERE_LANGUAGE_DETECTOR=simple`, and unit
tests): decides by script (Hangul -> ko, kana -> ja, Han -> zh) and, for Latin text, by a
few function words (es/en). Sentences in different languages become spans, like the lingua
detector; the same contract suite runs against both."""

from __future__ import annotations

import re

from hypehere.domain.feed.model import DetectedLanguage, LanguageSpan

_SPANISH = frozenset(
    [
        "el",
        "la",
        "los",
        "las",
        "de",
        "que",
        "y",
        "en",
        "un",
        "una",
        "es",
        "por",
        "para",
        "con",
        "no",
        "hola",
        "gracias",
    ]
)
_ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "is",
        "are",
        "of",
        "to",
        "in",
        "it",
        "i",
        "you",
        "this",
        "that",
        "hello",
        "thanks",
    ]
)
_SENTENCE = re.compile(r"[^.!?。！？]+[.!?。！？]?\s*")


def _language_of(text: str) -> str | None:
    counts = {"ko": 0, "ja": 0, "zh": 0, "latin": 0}
    for ch in text:
        code = ord(ch)
        if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
            counts["ko"] += 1
        elif 0x3040 <= code <= 0x30FF:
            counts["ja"] += 1
        elif 0x4E00 <= code <= 0x9FFF:
            counts["zh"] += 1
        elif (ch.isascii() and ch.isalpha()) or ch in "áéíóúñü":
            counts["latin"] += 1
    if counts["ja"] and counts["ja"] + counts["zh"] >= counts["ko"]:
        return "ja"
    best = max(counts, key=lambda k: counts[k])
    if counts[best] == 0:
        return None
    if best != "latin":
        return best
    words = re.findall(r"[a-záéíóúñü]+", text.lower())
    spanish = sum(w in _SPANISH for w in words)
    english = sum(w in _ENGLISH for w in words)
    return "es" if spanish > english else "en"


class ScriptLanguageDetector:
    def detect(self, text: str) -> DetectedLanguage:
        language = _language_of(text)
        if language is None:
            return DetectedLanguage(None, 0.0)
        spans: list[LanguageSpan] = []
        for match in _SENTENCE.finditer(text):
            sentence_language = _language_of(match.group())
            if sentence_language is None:
                continue
            if spans and spans[-1].language == sentence_language:
                last = spans[-1]
                spans[-1] = LanguageSpan(last.start, match.end(), last.language, 1.0)
            else:
                spans.append(LanguageSpan(match.start(), match.end(), sentence_language, 1.0))
        if len({s.language for s in spans}) < 2:
            return DetectedLanguage(language, 1.0)
        return DetectedLanguage(language, 0.9, tuple(spans))
