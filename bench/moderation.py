"""Precision and recall of a content classifier on the labelled evaluation set
(`bench/moderation_eval.yaml`: 204 examples in ko, en, ja and es; learner mistakes, mixed
scripts and idioms that are not abuse, and abuse, some of it written with learner mistakes).

    make bench BENCH=moderation
    .venv/bin/python -m bench moderation --show-errors
    HYPEHERE_ANTHROPIC_API_KEY=... .venv/bin/python -m bench moderation --classifier claude

A text counts as flagged with a category when the classifier's verdict would send it to the
staff queue (`needs_review`: flagged and confident enough); otherwise it counts as safe. The
set's `spam` label covers scams and contact harvesting, so the classifier's `spam` and
`scam` both count as `spam`. Prints per category precision, recall and F1, the share of safe
texts flagged (what learners would suffer), per language accuracy, and the time per text.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.common import machine
from hypehere.adapters.moderation.rules import RulesClassifier
from hypehere.application.moderation.classifier_ports import ContentClassifier
from hypehere.domain.moderation.verdicts import (
    Category,
    ClassifyContext,
    ContentKind,
    Verdict,
    needs_review,
)

EVAL_SET = Path(__file__).with_name("moderation_eval.yaml")
LABELS = ("safe", "spam", "harassment", "hate", "violence", "nsfw")
LANGUAGES = ("ko", "en", "ja", "es")
CONTEXTS = {
    "post": ContentKind.POST,
    "comment": ContentKind.COMMENT,
    "message": ContentKind.MESSAGE,
    "anonymous_message": ContentKind.MESSAGE,
    "room_title": ContentKind.ROOM_TITLE,
}


@dataclass(frozen=True, slots=True)
class Example:
    id: str
    language: str
    context: str
    label: str
    text: str


def load_examples(path: Path = EVAL_SET) -> list[Example]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["examples"]
    return [
        Example(
            id=str(e["id"]),
            language=str(e["language"]),
            context=str(e["context"]),
            label=str(e["label"]),
            text=str(e["text"]),
        )
        for e in raw
    ]


def predicted_label(verdict: Verdict) -> str:
    """The set's label a verdict amounts to (see the module docstring)."""
    if not needs_review(verdict):
        return "safe"
    if verdict.category in (Category.SPAM, Category.SCAM):
        return "spam"
    return str(verdict.category)


@dataclass(frozen=True, slots=True)
class Scores:
    label: str
    support: int
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def score(pairs: Sequence[tuple[str, str]]) -> list[Scores]:
    """Per label precision and recall from (expected, predicted) pairs."""
    results = []
    for label in LABELS:
        true_positive = sum(1 for e, p in pairs if e == label and p == label)
        predicted = sum(1 for _, p in pairs if p == label)
        actual = sum(1 for e, _ in pairs if e == label)
        results.append(
            Scores(
                label=label,
                support=actual,
                precision=true_positive / predicted if predicted else 0.0,
                recall=true_positive / actual if actual else 0.0,
            )
        )
    return results


async def classify_all(
    classifier: ContentClassifier, examples: Iterable[Example]
) -> list[tuple[Example, str, Verdict]]:
    out = []
    for example in examples:
        context = ClassifyContext(kind=CONTEXTS[example.context])
        verdict = await classifier.classify(example.text, example.language, context)
        out.append((example, predicted_label(verdict), verdict))
    return out


def make_classifier(name: str) -> ContentClassifier:
    if name == "rules":
        return RulesClassifier()
    from anthropic import AsyncAnthropic

    from hypehere.adapters.moderation.claude import ClaudeClassifier

    key = os.environ.get("HYPEHERE_ANTHROPIC_API_KEY")
    if not key:
        raise SystemExit("--classifier claude needs HYPEHERE_ANTHROPIC_API_KEY")
    model = os.environ.get("HYPEHERE_ANTHROPIC_MODEL", "claude-haiku-4-5")
    return ClaudeClassifier(AsyncAnthropic(api_key=key, max_retries=0), model, timeout=20.0)


def report(results: list[tuple[Example, str, Verdict]], seconds: float, show_errors: bool) -> None:
    pairs = [(example.label, predicted) for example, predicted, _ in results]
    print(f"{'category':<12}{'support':>8}{'precision':>11}{'recall':>8}{'F1':>7}")
    for s in score(pairs):
        print(f"{s.label:<12}{s.support:>8}{s.precision:>11.2f}{s.recall:>8.2f}{s.f1:>7.2f}")
    abusive = [(e, p) for e, p in pairs if e != "safe"]
    caught = sum(1 for _, p in abusive if p != "safe")
    safe = [(e, p) for e, p in pairs if e == "safe"]
    flagged_safe = sum(1 for _, p in safe if p != "safe")
    print(f"abuse flagged (any category): {caught}/{len(abusive)} = {caught / len(abusive):.2f}")
    print(
        f"safe texts flagged:           {flagged_safe}/{len(safe)} = {flagged_safe / len(safe):.2f}"
    )
    exact = sum(1 for e, p in pairs if e == p)
    print(f"exact label accuracy:         {exact}/{len(pairs)} = {exact / len(pairs):.2f}")
    by_language = Counter(ex.language for ex, _, _ in results)
    right = Counter(ex.language for ex, p, _ in results if ex.label == p)
    print(
        "per language accuracy:        "
        + ", ".join(f"{lang} {right[lang]}/{by_language[lang]}" for lang in LANGUAGES)
    )
    print(f"time per text:                {seconds / len(results) * 1000:.2f} ms")
    if show_errors:
        for example, predicted, verdict in results:
            if example.label != predicted:
                print(
                    f"  {example.id:<8} expected {example.label:<10} got {predicted:<10} "
                    f"({verdict.category} {verdict.confidence:.2f}: {verdict.reason}) "
                    f"{example.text[:60]!r}"
                )


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench moderation", description=__doc__)
    parser.add_argument("--classifier", choices=("rules", "claude"), default="rules")
    parser.add_argument("--show-errors", action="store_true", help="list misclassified texts")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    examples = load_examples()
    classifier = make_classifier(args.classifier)
    print(machine())
    print(f"classifier: {args.classifier}; {len(examples)} examples from {EVAL_SET.name}")
    started = time.perf_counter()
    results = asyncio.run(classify_all(classifier, examples))
    report(results, time.perf_counter() - started, args.show_errors)
    return 0
