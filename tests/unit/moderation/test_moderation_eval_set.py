"""The labelled evaluation set (bench/moderation_eval.yaml) and the scoring of
`bench moderation`."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.moderation import LABELS, LANGUAGES, load_examples, predicted_label, score
from hypehere.domain.moderation.verdicts import Category, Verdict

pytestmark = pytest.mark.unit


def test_the_set_has_200_labelled_examples_in_every_language() -> None:
    examples = load_examples()
    assert len(examples) >= 200
    assert len({e.id for e in examples}) == len(examples)
    assert len({e.text for e in examples}) == len(examples)
    assert {e.label for e in examples} == set(LABELS)
    per_language = Counter(e.language for e in examples)
    assert set(per_language) == set(LANGUAGES)
    assert min(per_language.values()) >= 45
    for language in LANGUAGES:
        labels = {e.label for e in examples if e.language == language}
        assert labels == set(LABELS), f"{language} lacks {set(LABELS) - labels}"


def verdict(category: Category, confidence: float) -> Verdict:
    return Verdict(category, confidence, "r", "rules", "v1")


def test_a_verdict_counts_as_its_label_only_when_it_would_reach_staff() -> None:
    assert predicted_label(verdict(Category.SCAM, 0.9)) == "spam"
    assert predicted_label(verdict(Category.SPAM, 0.9)) == "spam"
    assert predicted_label(verdict(Category.HATE, 0.9)) == "hate"
    assert predicted_label(verdict(Category.HATE, 0.1)) == "safe"
    assert predicted_label(verdict(Category.NONE, 0.9)) == "safe"


def test_precision_and_recall_per_label() -> None:
    pairs = [("spam", "spam"), ("spam", "safe"), ("safe", "spam"), ("safe", "safe")]
    by_label = {s.label: s for s in score(pairs)}
    assert (by_label["spam"].precision, by_label["spam"].recall) == (0.5, 0.5)
    assert by_label["spam"].support == 2
    assert by_label["hate"].precision == by_label["hate"].recall == 0.0
    assert by_label["spam"].f1 == 0.5
