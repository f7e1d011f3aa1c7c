"""The curriculum data files: `hypehere/data/curriculum/NN_<key>.yaml`, one per category.

Every file in the directory is read (in name order), however many there are; the data
migration and the validation test both go through `load_curriculum`."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import yaml

from hypehere.domain.learning.curriculum import parse_category
from hypehere.domain.learning.errors import CurriculumFormatError
from hypehere.domain.learning.model import Category


def curriculum_directory() -> Path:
    """Where the shipped curriculum lives (inside the installed package)."""
    return Path(str(files("hypehere") / "data" / "curriculum"))


def curriculum_files(directory: Path | None = None) -> list[Path]:
    folder = directory or curriculum_directory()
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.yaml"))


def load_category_file(path: Path) -> Category:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CurriculumFormatError(f"{path.name}: not valid YAML: {exc}") from exc
    return parse_category(document, source=path.name)


def load_curriculum(directory: Path | None = None) -> list[Category]:
    """Every category of the directory (default: the shipped one), ordered by position."""
    categories = [load_category_file(path) for path in curriculum_files(directory)]
    return sorted(categories, key=lambda c: (c.position, c.key))


class YamlCurriculumSource:
    """The CurriculumSource over the data files (`location`: a directory of them)."""

    async def categories(self, location: str | None = None) -> list[Category]:
        return load_curriculum(Path(location) if location is not None else None)
