"""Work a use case hands to its entrypoint to run after the answer has gone out (an HTTP
response's background task), for writes the caller does not need to wait for."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

Later = Callable[[], Awaitable[None]]
# Takes work to run after the answer; a use case called without one runs it inline.
Defer = Callable[[Later], None]
