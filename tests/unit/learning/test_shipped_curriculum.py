"""The curriculum that ships (`src/hypehere/data/curriculum/*.yaml`): every file parses and
the whole of it keeps every content rule (all four languages, romanization for ko and ja,
vocabulary with meanings in the other languages, unique keys, no duplicate texts, 8
expressions per lesson, 3 lessons per category). Works for any number of files."""

from __future__ import annotations

from pathlib import Path

import pytest

from hypehere.adapters.yaml.curriculum import (
    curriculum_directory,
    curriculum_files,
    load_category_file,
    load_curriculum,
)
from hypehere.domain.learning.curriculum import curriculum_problems

pytestmark = pytest.mark.unit

FILES = curriculum_files()


def test_the_curriculum_ships_with_the_package() -> None:
    assert curriculum_directory().is_dir()
    assert FILES, "no curriculum file in src/hypehere/data/curriculum"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_each_file_is_sound(path: Path) -> None:
    category = load_category_file(path)
    prefix = f"{category.position:02d}_"
    assert path.name.startswith(prefix), f"{path.name}: expected the prefix {prefix}"
    # NN_<key>.yaml (an underscore in the file name may stand for a hyphen in the key).
    assert path.stem.removeprefix(prefix).replace("_", "-") == category.key.replace("_", "-")
    assert curriculum_problems([category]) == []


def test_the_whole_curriculum_is_sound() -> None:
    # Keys, positions and texts are unique across files, not only within one.
    categories = load_curriculum()
    assert curriculum_problems(categories) == []
    assert [c.position for c in categories] == sorted({c.position for c in categories})
