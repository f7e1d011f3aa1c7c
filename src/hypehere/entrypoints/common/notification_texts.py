"""Notification texts, rendered in the reader's interface language when a notification is
listed or pushed (never stored), from kind + target + actors + actor_count.

Catalog: `locale/<lang>/LC_MESSAGES/notifications.po`."""

from __future__ import annotations

from collections.abc import Sequence

from hypehere.application.common.views import UserCard
from hypehere.entrypoints.i18n import gettext

SOMEONE = "Someone"

# (kind, target type) -> (one actor, one actor and 1 other, one actor and N others)
_GROUPED: dict[tuple[str, str], tuple[str, str, str]] = {
    ("follow", "user"): (
        "{actor} started following you.",
        "{actor} and 1 other started following you.",
        "{actor} and {others} others started following you.",
    ),
    ("like", "post"): (
        "{actor} liked your post.",
        "{actor} and 1 other liked your post.",
        "{actor} and {others} others liked your post.",
    ),
    ("like", "comment"): (
        "{actor} liked your comment.",
        "{actor} and 1 other liked your comment.",
        "{actor} and {others} others liked your comment.",
    ),
}

_SINGLE: dict[tuple[str, str | None], str] = {
    ("post", None): "{actor} published a new post.",
    ("comment", None): "{actor} commented on your post.",
    ("mention", "post"): "{actor} mentioned you in a post.",
    ("mention", "comment"): "{actor} mentioned you in a comment.",
    ("message", None): "{actor} sent you a message.",
    ("report", None): "There is an update on your report.",
    (
        "moderation",
        "strike",
    ): "You received a strike. See your strikes for the reason and to appeal.",
    ("appeal", None): "There is a decision on your appeal.",
    ("moderation", "post"): "Your post was removed by moderation.",
    ("moderation", "comment"): "Your comment was removed by moderation.",
    ("moderation", None): "A moderation action was taken on your account or content.",
    ("correction", None): "{actor} accepted your correction.",
}


def render_text(
    language: str, kind: str, target_type: str, actors: Sequence[UserCard], actor_count: int
) -> str:
    actor = actors[0].nickname if actors else gettext(language, SOMEONE)
    grouped = _GROUPED.get((kind, target_type))
    if grouped is not None:
        others = max(actor_count - 1, 0)
        msgid = grouped[min(others, 2)]
        return gettext(language, msgid, actor=actor, others=others)
    msgid = _SINGLE.get((kind, target_type)) or _SINGLE.get((kind, None)) or "{actor}"
    return gettext(language, msgid, actor=actor)


def all_msgids() -> list[str]:
    """Every msgid this module renders (the catalog test checks they are translated)."""
    out = [SOMEONE]
    for variants in _GROUPED.values():
        out.extend(variants)
    out.extend(_SINGLE.values())
    return out
