"""Sub-commands beyond serve/migrate (worker, jobs, seed-demo, train-ranker, create-admin)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def register(sub: argparse._SubParsersAction, command: Callable[[str], Any]) -> None:  # type: ignore[type-arg]
    """Each module adds `sub.add_parser(...)` and a `@command(name)` function here."""
    return
