"""Every users use case, port and handler resolves from the real container."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path
from types import ModuleType

import pytest

import hypehere.application.users as users_app
from hypehere.application.common.auth import AccessTokenVerifier
from hypehere.bootstrap.container import make_container
from tests.conftest import test_settings as make_settings

pytestmark = pytest.mark.integration


def use_case_classes(package: ModuleType = users_app) -> list[type]:
    found: list[type] = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if obj.__module__ != module.__name__ or obj.__name__.startswith("_"):
                continue
            if callable(getattr(obj, "execute", None)) or callable(getattr(obj, "handle", None)):
                found.append(obj)
    return found


async def test_every_use_case_resolves(tmp_path: Path, sqlite_url: str) -> None:
    classes = use_case_classes()
    assert len(classes) > 20
    container = make_container(make_settings(tmp_path, database_url=sqlite_url), web=False)
    try:
        async with container() as request:
            for klass in classes:
                assert isinstance(await request.get(klass), klass)
            assert await request.get(AccessTokenVerifier) is not None
    finally:
        await container.close()
