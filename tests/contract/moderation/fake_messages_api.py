"""A fake of the Anthropic Messages API for the Claude classifier: an httpx2 MockTransport
(the transport package of anthropic 2.x, the httpx API under another name)
that replays the documented response shapes (a `tool_use` reply, a text-only reply, error
bodies with their status codes and `retry-after`) and records the requests it got."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import anthropic
import httpx2

Reply = Callable[[httpx2.Request], httpx2.Response]


def tool_use(category: str = "none", confidence: float = 0.9, reason: str = "ok") -> Reply:
    def reply(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(
            200,
            json={
                "id": "msg_01",
                "type": "message",
                "role": "assistant",
                "model": "claude-haiku-4-5",
                "content": [
                    {
                        "type": "tool_use",
                        "id": "toolu_01",
                        "name": "record_verdict",
                        "input": {
                            "category": category,
                            "confidence": confidence,
                            "reason": reason,
                        },
                    }
                ],
                "stop_reason": "tool_use",
                "stop_sequence": None,
                "usage": {"input_tokens": 321, "output_tokens": 42},
            },
        )

    return reply


def text_only(text: str = "This looks fine to me.") -> Reply:
    def reply(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(
            200,
            json={
                "id": "msg_02",
                "type": "message",
                "role": "assistant",
                "model": "claude-haiku-4-5",
                "content": [{"type": "text", "text": text}],
                "stop_reason": "end_turn",
                "stop_sequence": None,
                "usage": {"input_tokens": 300, "output_tokens": 8},
            },
        )

    return reply


def error(status: int, kind: str, retry_after: str | None = None) -> Reply:
    def reply(request: httpx2.Request) -> httpx2.Response:
        headers = {"retry-after": retry_after} if retry_after is not None else {}
        return httpx2.Response(
            status,
            headers=headers,
            json={"type": "error", "error": {"type": kind, "message": kind}},
        )

    return reply


def timeout() -> Reply:
    def reply(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ReadTimeout("timed out", request=request)

    return reply


@dataclass
class FakeMessagesApi:
    """Answers with `replies` in order (the last one repeats)."""

    replies: list[Reply]
    requests: list[dict[str, Any]] = field(default_factory=list)

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(json.loads(request.content))
        reply = self.replies[min(len(self.requests) - 1, len(self.replies) - 1)]
        return reply(request)

    def client(self) -> anthropic.AsyncAnthropic:
        return anthropic.AsyncAnthropic(
            api_key="test-key",
            max_retries=0,
            http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(self.handle)),
        )
