"""Parsing curriculum documents and the rules every shipped category must keep."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from hypehere.adapters.yaml.curriculum import load_curriculum
from hypehere.domain.learning.curriculum import (
    CurriculumRules,
    curriculum_problems,
    parse_category,
)
from hypehere.domain.learning.errors import CurriculumFormatError
from hypehere.domain.learning.model import content_id
from tests.fixtures.curriculum import FIXTURE_CURRICULUM

pytestmark = pytest.mark.unit

# The fixture is small: one lesson per category, one or two expressions per lesson.
SMALL = CurriculumRules(lessons_per_category=1, expressions_per_lesson=2)


def station() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(
        (FIXTURE_CURRICULUM / "01_station.yaml").read_text(encoding="utf-8")
    )
    return document


def test_the_fixture_parses_into_the_model() -> None:
    category = parse_category(station())
    assert category.key == "fixture-station"
    assert category.id == content_id("category", "fixture-station")
    (lesson,) = category.lessons
    assert lesson.category_id == category.id
    assert lesson.level.value == "A1"
    assert lesson.languages == {"ko", "en", "ja", "es"}
    first = lesson.expressions[0]
    assert first.position == 1
    assert first.text["ja"] == "釜山行きの切符を一枚ください。"
    assert first.romanization == {
        "ko": "Busanhaeng pyo han jang juseyo.",
        "ja": "Pusan-yuki no kippu o ichimai kudasai.",
    }
    (word,) = first.vocabulary["ja"]
    assert (word.word, word.reading, word.meaning["en"]) == ("切符", "きっぷ", "ticket")
    assert first.vocabulary["en"][0].reading is None


def test_the_fixture_is_sound_under_its_own_counts() -> None:
    categories = load_curriculum(FIXTURE_CURRICULUM)
    assert [c.key for c in categories] == ["fixture-station", "fixture-cafe"]
    problems = curriculum_problems(categories, SMALL)
    # The café lesson has one expression, not two: the only broken rule.
    assert problems == ["lesson fixture-cafe-order: 1 expressions, expected 2"]


def test_the_shipped_counts_are_3_lessons_and_8_expressions() -> None:
    problems = curriculum_problems([parse_category(station())])
    assert "category fixture-station: 1 lessons, expected 3" in problems
    assert "lesson fixture-station-tickets: 2 expressions, expected 8" in problems


def _problems_after(change: Any) -> list[str]:
    document = copy.deepcopy(station())
    change(document)
    return curriculum_problems([parse_category(document)], SMALL)


def _first(document: dict[str, Any]) -> dict[str, Any]:
    expression: dict[str, Any] = document["lessons"][0]["expressions"][0]
    return expression


def test_a_missing_language_is_reported() -> None:
    assert _problems_after(lambda d: _first(d)["text"].pop("es")) == [
        "expression fixture-station-tickets-1: text lacks es"
    ]
    assert _problems_after(lambda d: d["category"]["title"].pop("ja")) == [
        "category fixture-station: title lacks ja"
    ]
    assert _problems_after(lambda d: _first(d)["note"].update(ko=" ")) == [
        "expression fixture-station-tickets-1: note lacks ko"
    ]


def test_romanization_is_required_for_ko_and_ja() -> None:
    assert _problems_after(lambda d: _first(d)["romanization"].pop("ko")) == [
        "expression fixture-station-tickets-1: romanization lacks ko"
    ]


def test_vocabulary_needs_every_language_and_meanings_in_the_others() -> None:
    assert _problems_after(lambda d: _first(d)["vocabulary"].pop("es")) == [
        "expression fixture-station-tickets-1: no vocabulary for es"
    ]
    assert _problems_after(lambda d: _first(d)["vocabulary"]["en"][0]["meaning"].pop("ja")) == [
        "expression fixture-station-tickets-1: vocabulary en 'ticket' lacks a meaning in ja"
    ]


def test_ko_and_ja_words_have_a_reading() -> None:
    assert _problems_after(lambda d: _first(d)["vocabulary"]["ja"][0].pop("reading")) == [
        "expression fixture-station-tickets-1: vocabulary ja '切符' has no reading"
    ]


def test_keys_are_unique_and_texts_are_not_repeated() -> None:
    def same_key(d: dict[str, Any]) -> None:
        d["lessons"][0]["expressions"][1]["key"] = "fixture-station-tickets-1"

    assert _problems_after(same_key) == [
        "expression key 'fixture-station-tickets-1' is used twice (also by a expression)"
    ]

    def same_text(d: dict[str, Any]) -> None:
        d["lessons"][0]["expressions"][1]["text"]["en"] = "one ticket to busan,  please."

    assert _problems_after(same_text) == [
        "expression fixture-station-tickets-2: en text 'one ticket to busan,  please.' "
        "duplicates expression fixture-station-tickets-1"
    ]


def test_keys_are_unique_across_files() -> None:
    other = copy.deepcopy(station())
    other["category"]["position"] = 2
    other["category"]["key"] = "fixture-station-2"
    problems = curriculum_problems([parse_category(station()), parse_category(other)], SMALL)
    assert "lesson key 'fixture-station-tickets' is used twice (also by a lesson)" in problems


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.pop("category"), "category"),
        (lambda d: d["lessons"][0].update(level="Z9"), "lessons[0].level"),
        (lambda d: d["lessons"][0].update(position="1"), "lessons[0].position"),
        (lambda d: _first(d).update(text="hello"), "expressions[0].text"),
        (lambda d: _first(d)["vocabulary"]["ko"][0].pop("word"), "vocabulary.ko[0].word"),
    ],
)
def test_a_malformed_document_names_the_place(change: Any, where: str) -> None:
    document = copy.deepcopy(station())
    change(document)
    with pytest.raises(
        CurriculumFormatError,
        match=r"01_station\.yaml: .*"
        + ".*".join(part.replace("[", r"\[").replace("]", r"\]") for part in where.split(".")),
    ):
        parse_category(document, source="01_station.yaml")


def test_an_empty_directory_is_an_empty_curriculum(tmp_path: Path) -> None:
    assert load_curriculum(tmp_path) == []
    assert load_curriculum(tmp_path / "absent") == []
