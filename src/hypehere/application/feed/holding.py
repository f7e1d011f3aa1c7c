"""The fail-closed moderation tier at creation, shared by `CreatePost` and `CreateComment`:
is the next item of this author one of a new account's first ones (held until a verdict)?"""

from __future__ import annotations

from datetime import datetime

from hypehere.application.feed.ports import FeedAudience
from hypehere.domain.shared.holding import HoldPolicy


async def held_at_creation(
    policy: HoldPolicy,
    audience: FeedAudience,
    author_id: str,
    now: datetime,
    *,
    comments: bool = False,
) -> bool:
    """Asks the author's history only when the tier is on, and counts at most N items (a
    prolific author costs no more)."""
    limit = policy.first_items
    if limit <= 0:
        return False
    history = await audience.author_history(author_id, limit, comments=comments)
    return policy.holds(history.joined_at, history.items_written, now)
