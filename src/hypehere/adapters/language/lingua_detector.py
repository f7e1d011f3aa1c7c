"""Language detection with lingua (ships its models; good on short and mixed text).

The detector is built once per process, lazily, on first use (building and loading the
models is slow), and limited to a set of languages the community uses, for speed."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any

from hypehere.domain.feed.model import DetectedLanguage, LanguageSpan

DEFAULT_LANGUAGES: tuple[str, ...] = (
    "ko", "en", "ja", "es", "zh", "fr", "de", "pt", "it", "ru", "vi", "th", "id", "ar",
    "hi", "tr", "nl", "pl", "sv", "uk",
)  # fmt: skip
# Below this confidence the main language is "unknown" (None).
MIN_CONFIDENCE = 0.3
# A language must cover this many characters to count as a second language of a post.
MIN_SPAN_CHARS = 8

_lock = threading.Lock()
_detectors: dict[tuple[str, ...], Any] = {}
_WORD = re.compile(r"\w", re.UNICODE)
_SENTENCE = re.compile(r"[^.!?\n。！？]+[.!?\n。！？]*\s*")
SPAN_MIN_CONFIDENCE = 0.3


def _build(languages: tuple[str, ...]) -> Any:
    with _lock:
        detector = _detectors.get(languages)
        if detector is None:
            from lingua import IsoCode639_1, LanguageDetectorBuilder

            codes = [getattr(IsoCode639_1, code.upper()) for code in languages]
            detector = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()
            _detectors[languages] = detector
        return detector


class LinguaLanguageDetector:
    def __init__(self, languages: Sequence[str] = DEFAULT_LANGUAGES) -> None:
        self._languages = tuple(sorted(set(languages)))

    def warm_up(self) -> None:
        """Build the detector and load its models now (e.g. at worker start)."""
        self.detect("warm up the language models")

    def detect(self, text: str) -> DetectedLanguage:
        if not _WORD.search(text):
            return DetectedLanguage(None, 0.0)
        detector = _build(self._languages)
        values = detector.compute_language_confidence_values(text)
        if not values:
            return DetectedLanguage(None, 0.0)
        best = values[0]
        confidence = float(best.value)
        language = (
            best.language.iso_code_639_1.name.lower() if confidence >= MIN_CONFIDENCE else None
        )
        spans = self._spans(detector, text)
        return DetectedLanguage(language, round(confidence, 4), spans)

    @staticmethod
    def _spans(detector: Any, text: str) -> tuple[LanguageSpan, ...]:
        """Per-sentence languages; kept only when two languages each hold a sentence
        detected with some confidence (short-text multi-language guesses are noisy)."""
        spans: list[LanguageSpan] = []
        for match in _SENTENCE.finditer(text):
            sentence = match.group()
            if len(_WORD.findall(sentence)) < MIN_SPAN_CHARS:
                continue
            values = detector.compute_language_confidence_values(sentence)
            if not values or values[0].value < SPAN_MIN_CONFIDENCE:
                continue
            language = values[0].language.iso_code_639_1.name.lower()
            confidence = round(float(values[0].value), 4)
            if spans and spans[-1].language == language:
                last = spans[-1]
                spans[-1] = LanguageSpan(
                    last.start, match.end(), language, max(last.confidence, confidence)
                )
            else:
                spans.append(LanguageSpan(match.start(), match.end(), language, confidence))
        if len({s.language for s in spans}) < 2:
            return ()
        return tuple(spans)
