"""The learning module's `TextLanguageDetector` over the feed's language detector."""

from __future__ import annotations

from hypehere.application.feed.ports import LanguageDetector


class MainLanguageDetector:
    def __init__(self, detector: LanguageDetector) -> None:
        self._detector = detector

    def main_language(self, text: str) -> str | None:
        return self._detector.detect(text).language
