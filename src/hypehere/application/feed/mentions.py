"""Turning `@handle`s in a text into mentions of existing users."""

from __future__ import annotations

from hypehere.application.feed.ports import FeedAudience
from hypehere.domain.feed.model import Mention
from hypehere.domain.feed.rules import extract_mention_handles


async def resolve_mentions(audience: FeedAudience, text: str) -> tuple[Mention, ...]:
    handles = extract_mention_handles(text)
    if not handles:
        return ()
    found = await audience.resolve_handles(handles)
    return tuple(Mention(found[h], h) for h in handles if h in found)
