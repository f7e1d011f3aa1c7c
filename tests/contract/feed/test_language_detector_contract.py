"""The LanguageDetector port: lingua (production) and the script-based fake (unit tests)
agree on the cases use cases rely on."""

from __future__ import annotations

import pytest

from hypehere.adapters.language.lingua_detector import LinguaLanguageDetector
from hypehere.adapters.language.script_detector import ScriptLanguageDetector
from hypehere.application.feed.ports import LanguageDetector


class LanguageDetectorContract:
    @pytest.fixture
    def detector(self) -> LanguageDetector:
        raise NotImplementedError

    @pytest.mark.parametrize(
        ("text", "language"),
        [
            ("안녕하세요, 저는 한국어를 공부하는 학생입니다.", "ko"),
            ("Hello everyone, I am learning Korean and it is a lot of fun.", "en"),
            ("今日はとても良い天気ですね。散歩に行きましょう。", "ja"),
            ("Hola a todos, estoy aprendiendo coreano y es muy divertido.", "es"),
        ],
    )
    def test_single_language(self, detector: LanguageDetector, text: str, language: str) -> None:
        result = detector.detect(text)
        assert result.language == language
        assert 0.0 < result.confidence <= 1.0
        assert result.spans == ()

    def test_mixed_languages_give_sentence_spans(self, detector: LanguageDetector) -> None:
        text = (
            "오늘은 한국어를 열심히 공부했어요. Tomorrow I will practice speaking with my friends."
        )
        result = detector.detect(text)
        assert [s.language for s in result.spans] == ["ko", "en"]
        assert result.spans[0].start == 0 and result.spans[-1].end == len(text)
        for a, b in zip(result.spans, result.spans[1:], strict=False):
            assert a.end == b.start

    def test_no_words_no_language(self, detector: LanguageDetector) -> None:
        result = detector.detect("😀 !!! 😀")
        assert result.language is None and result.confidence == 0.0


class TestLinguaDetector(LanguageDetectorContract):
    @pytest.fixture
    def detector(self) -> LanguageDetector:
        return LinguaLanguageDetector()


class TestScriptDetector(LanguageDetectorContract):
    @pytest.fixture
    def detector(self) -> LanguageDetector:
        return ScriptLanguageDetector()
