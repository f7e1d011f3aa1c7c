"""Secrets in settings: the generated JWT secret file appears whole or not at all (a process
that loses the race uses the winner's secret), production refuses to start without an
explicit secret of at least 32 bytes, and secret values never show in a repr."""

from __future__ import annotations

import os
import stat
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from hypehere.bootstrap.settings import Settings, SettingsError, load_settings


def _generate(var_dir: str) -> str:
    return Settings(var_dir=Path(var_dir)).resolved_jwt_secret()


def test_a_generator_that_loses_the_race_reads_the_winners_whole_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first generator is held inside its write until the second one has finished: the
    # second must not read a file that exists but is still empty.
    real_fdopen = os.fdopen
    first_writing = threading.Event()
    second_done = threading.Event()
    first = threading.get_ident()

    def slow_fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        if threading.get_ident() == first:
            first_writing.set()
            second_done.wait(timeout=10)
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", slow_fdopen)
    results: dict[str, str | BaseException] = {}

    def second() -> None:
        first_writing.wait(timeout=10)
        try:
            results["second"] = _generate(str(tmp_path))
        except BaseException as exc:  # reported below
            results["second"] = exc
        finally:
            second_done.set()

    thread = threading.Thread(target=second)
    thread.start()
    results["first"] = _generate(str(tmp_path))
    thread.join()

    assert isinstance(results["second"], str)
    assert len(results["first"]) >= 32
    assert results["first"] == results["second"]
    assert (tmp_path / "jwt_secret").read_text() == results["first"]
    assert [p.name for p in tmp_path.iterdir()] == ["jwt_secret"]  # no temp file left


def test_concurrent_processes_all_use_one_generated_secret(tmp_path: Path) -> None:
    with ProcessPoolExecutor(max_workers=4) as pool:
        secrets = list(pool.map(_generate, [str(tmp_path)] * 8))
    assert len(set(secrets)) == 1
    path = tmp_path / "jwt_secret"
    assert path.read_text() == secrets[0]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_empty_secret_file_is_an_error_not_an_empty_key(tmp_path: Path) -> None:
    (tmp_path / "jwt_secret").write_text("")
    with pytest.raises(SettingsError, match="HYPEHERE_JWT_SECRET"):
        Settings(var_dir=tmp_path).resolved_jwt_secret()


@pytest.mark.parametrize("secret", [None, "", "too-short-0123456789"])
def test_production_refuses_to_start_without_a_strong_explicit_secret(
    tmp_path: Path, secret: str | None
) -> None:
    with pytest.raises(SettingsError, match="HYPEHERE_JWT_SECRET"):
        load_settings(var_dir=tmp_path, environment="production", jwt_secret=secret)


def test_production_starts_with_a_32_byte_secret(tmp_path: Path) -> None:
    settings = load_settings(var_dir=tmp_path, environment="production", jwt_secret="x" * 32)
    assert settings.resolved_jwt_secret() == "x" * 32
    assert not (tmp_path / "jwt_secret").exists()


def test_development_still_generates_a_secret(tmp_path: Path) -> None:
    settings = load_settings(var_dir=tmp_path, environment="development")
    assert len(settings.resolved_jwt_secret()) >= 32


def test_secrets_never_show_in_the_settings_repr(tmp_path: Path) -> None:
    settings = load_settings(
        var_dir=tmp_path,
        jwt_secret="jwt-secret-value-0123456789abcdefgh",
        anthropic_api_key="sk-ant-secret-value",
        meilisearch_api_key="meili-secret-value",
        database_url="postgresql+asyncpg://app:db-password-value@db/hypehere",
        redis_url="redis://:redis-password-value@cache:6379/0",
    )
    shown = repr(settings) + str(settings) + str(settings.model_dump())
    for value in (
        "jwt-secret-value",
        "sk-ant-secret-value",
        "meili-secret-value",
        "db-password-value",
        "redis-password-value",
    ):
        assert value not in repr(settings) + str(settings), value
    assert "jwt-secret-value" not in shown
    assert settings.anthropic_api_key is not None
    assert settings.anthropic_api_key.get_secret_value() == "sk-ant-secret-value"
