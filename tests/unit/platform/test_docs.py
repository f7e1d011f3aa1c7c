"""The README documents every setting; the bench runner finds benchmarks by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.__main__ import available
from bench.__main__ import main as bench_main
from hypehere.bootstrap.settings import ENV_PREFIX, Settings

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]


def test_readme_has_a_row_for_every_setting() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = [
        ENV_PREFIX + name.upper()
        for name in Settings.model_fields
        if f"| `{ENV_PREFIX}{name.upper()}` |" not in readme
    ]
    assert not missing, f"add these settings to the README configuration table: {missing}"


def test_readme_names_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme
    assert "make test" in readme


def test_bench_runner_lists_and_rejects(capsys: pytest.CaptureFixture[str]) -> None:
    assert "health" in available()
    assert "common" not in available()
    assert bench_main([]) == 2
    assert "health" in capsys.readouterr().out
    assert bench_main(["no-such-benchmark"]) == 2
    assert "unknown benchmark" in capsys.readouterr().err
