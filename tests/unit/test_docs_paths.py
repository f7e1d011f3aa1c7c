"""docs/architecture.md cannot silently rot: every repository path it cites in backticks
exists (`path::name` also names something in that file), and every import-linter contract in
pyproject.toml is listed by name."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
README = ROOT / "README.md"

# `src/...`, `tests/...`, `bench/...` (and the other top-level folders), up to the closing
# backtick or a space; an optional `::name` points into the file.
CITED = re.compile(r"`((?:src|tests|bench|tools|migrations|ml)/[^`\s]*)`")
PLACEHOLDER = re.compile(r"[<{*]")


def cited_paths(text: str) -> list[str]:
    return sorted(set(CITED.findall(text)))


def problem(citation: str) -> str | None:
    """Why `citation` does not resolve, or None when it does."""
    path, _, name = citation.partition("::")
    placeholder = PLACEHOLDER.search(path)
    if placeholder:
        # `src/hypehere/domain/<m>/events.py`: the part before the placeholder must exist.
        parent = path[: placeholder.start()].rsplit("/", 1)[0]
        return None if (ROOT / parent).is_dir() else f"{parent}/ does not exist"
    target = ROOT / path
    if not target.exists():
        return "does not exist"
    if path.endswith("/") and not target.is_dir():
        return "is not a directory"
    if name:
        if not target.is_file():
            return f"is not a file, so it holds no {name!r}"
        symbol = name.removesuffix("()")
        if symbol not in target.read_text(encoding="utf-8"):
            return f"does not mention {symbol!r}"
    return None


def test_the_doc_cites_paths() -> None:
    # A regex that stopped matching would make the next test pass vacuously.
    paths = cited_paths(DOC.read_text(encoding="utf-8"))
    assert len(paths) > 50
    assert "src/hypehere/application/chat/send_message.py::SendMessage" in paths


def test_every_cited_path_exists() -> None:
    broken = {c: why for c in cited_paths(DOC.read_text(encoding="utf-8")) if (why := problem(c))}
    assert not broken, f"docs/architecture.md cites paths that moved: {broken}"


def test_problem_catches_a_stale_citation() -> None:
    assert problem("src/hypehere/adapters/sql/chat.py") == "does not exist"
    assert problem("src/hypehere/adapters/sql/uow.py::NoSuchUnitOfWork") is not None
    assert problem("src/hypehere/nowhere/<m>/model.py") is not None
    assert problem("src/hypehere/domain/<m>/model.py") is None
    assert problem("src/hypehere/adapters/sql/uow.py::SqlUnitOfWork") is None


def test_every_import_contract_is_listed() -> None:
    doc = DOC.read_text(encoding="utf-8")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = [c["name"] for c in config["tool"]["importlinter"]["contracts"]]
    missing = [name for name in names if name not in doc]
    assert not missing, f"list these import-linter contracts in docs/architecture.md: {missing}"


def test_the_readme_links_the_doc() -> None:
    assert "(docs/architecture.md)" in README.read_text(encoding="utf-8")
