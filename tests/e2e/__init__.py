"""End-to-end tests: real `hypehere serve` processes."""

from __future__ import annotations

import os

# What every server of these tests runs with, like the in-process apps of tests/conftest.py:
# their accounts are all new, and the fail-closed moderation tier would hold their first
# posts, comments and messages (and every room title) until a verdict.
_TEST_DEFAULTS = {
    "HYPEHERE_MODERATION_HOLD_FIRST_POSTS": "0",
    "HYPEHERE_MODERATION_HOLD_FIRST_COMMENTS": "0",
    "HYPEHERE_MODERATION_HOLD_FIRST_MESSAGES": "0",
    "HYPEHERE_MODERATION_HOLD_ROOM_TITLES": "false",
}


def server_env(**values: str) -> dict[str, str]:
    """The environment of a test server: this process's without any HYPEHERE_ variable,
    the test defaults, then `values`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HYPEHERE_")}
    env.update(_TEST_DEFAULTS)
    env.update(values)
    return env
