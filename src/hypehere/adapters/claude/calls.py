"""The call policy of every Claude adapter (the moderation classifier, the daily insights).

- One call has its own timeout (the adapter passes it to the SDK); failures that may pass
  (429, 529 overloaded, 5xx, timeouts, connection errors, a malformed reply) are retried up
  to `max_attempts` with exponential backoff, waiting what a `retry-after` header asks for
  when there is one (at most `max_wait`).
- A circuit breaker: after `threshold` consecutive failed operations, calls fail at once
  for `cooldown` seconds, then one trial call decides whether it closes again.
The SDK's own retries are off (`max_retries=0` on the clients the providers build)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import anthropic

T = TypeVar("T")

RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504, 529})


class MalformedReplyError(Exception):
    """The reply did not carry what the adapter asked for (retried like a transient error)."""


def retry_after(exc: Exception) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    value = headers.get("retry-after") if headers is not None else None
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


class CircuitBreaker:
    def __init__(
        self, threshold: int, cooldown: float, now: Callable[[], float] = time.monotonic
    ) -> None:
        self._threshold = threshold
        self._cooldown = cooldown
        self._now = now
        self._failures = 0
        self._opened_at: float | None = None

    @property
    def is_open(self) -> bool:
        if self._opened_at is None:
            return False
        return self._now() - self._opened_at < self._cooldown  # past it: one trial call

    def succeeded(self) -> None:
        self._failures = 0
        self._opened_at = None

    def failed(self) -> None:
        self._failures += 1
        if self._failures >= self._threshold:
            self._opened_at = self._now()


class ClaudeCalls:
    """Runs one operation (`call(attempt)`) under the policy; every way it cannot succeed
    ends in `unavailable(message)`, the caller's own "dependency down" error."""

    def __init__(
        self,
        name: str,
        unavailable: Callable[[str], Exception],
        *,
        max_attempts: int = 3,
        backoff: float = 1.0,
        max_wait: float = 30.0,
        breaker: CircuitBreaker | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._name = name
        self._unavailable = unavailable
        self._max_attempts = max_attempts
        self._backoff = backoff
        self._max_wait = max_wait
        self._breaker = breaker or CircuitBreaker(threshold=5, cooldown=60.0)
        self._sleep = sleep

    async def run(self, call: Callable[[int], Awaitable[T]]) -> T:
        if self._breaker.is_open:
            raise self._unavailable(f"{self._name} is paused after failures")
        last: Exception | None = None
        for attempt in range(1, self._max_attempts + 1):
            try:
                result = await call(attempt)
            except (anthropic.APITimeoutError, anthropic.APIConnectionError) as exc:
                last, wait = exc, None
            except anthropic.APIStatusError as exc:
                if exc.status_code not in RETRYABLE_STATUS:
                    self._breaker.failed()
                    raise self._unavailable(f"Claude answered {exc.status_code}") from exc
                last, wait = exc, retry_after(exc)
            except MalformedReplyError as exc:
                last, wait = exc, None
            else:
                self._breaker.succeeded()
                return result
            if attempt < self._max_attempts:
                delay = wait if wait is not None else self._backoff * 2 ** (attempt - 1)
                await self._sleep(min(delay, self._max_wait))
        self._breaker.failed()
        raise self._unavailable(f"{self._name} did not answer") from last
