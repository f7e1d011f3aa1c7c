"""Request and response bodies of strikes and appeals, and the localized explanation of a
strike (msgids in `locale/<lang>/LC_MESSAGES/moderation.po`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from hypehere.application.moderation.strike_views import AppealView, StrikePageView, StrikeView
from hypehere.entrypoints.i18n import gettext

Note = Annotated[str, msgspec.Meta(pattern=r"\S", max_length=2000)]
Email = Annotated[str, msgspec.Meta(max_length=320)]
Password = Annotated[str, msgspec.Meta(max_length=200)]

EXPLANATIONS = {
    "content_removed": "Your content was removed because it broke our rules on {reason}.",
    "warning": "You received a warning for breaking our rules on {reason}.",
    "suspension": "Your account was suspended for breaking our rules on {reason}.",
    "ban": "Your account was banned for breaking our rules on {reason}.",
}
REASONS = {
    "spam": "spam",
    "hate": "hate speech",
    "harassment": "harassment",
    "violence": "violence",
    "nsfw": "sexual content",
    "other": "community safety",
}


def explanation(view: StrikeView, language: str) -> str:
    reason = gettext(language, REASONS.get(view.reason, REASONS["other"]))
    return gettext(language, EXPLANATIONS[view.action], reason=reason)


class StrikeOut(msgspec.Struct, frozen=True, kw_only=True):
    """A strike as its user sees it; `appeal_deadline` is the last moment to appeal."""

    id: str
    action: str
    reason: str
    excerpt: str | None
    explanation: str
    created_at: datetime
    appeal_deadline: datetime
    appeal: AppealView | None

    @classmethod
    def of(cls, view: StrikeView, language: str) -> StrikeOut:
        return cls(
            id=view.id,
            action=view.action,
            reason=view.reason,
            excerpt=view.excerpt,
            explanation=explanation(view, language),
            created_at=view.created_at,
            appeal_deadline=view.appeal_deadline,
            appeal=view.appeal,
        )


class StrikePageOut(msgspec.Struct, frozen=True):
    items: list[StrikeOut]
    next_cursor: str | None

    @classmethod
    def of(cls, page: StrikePageView, language: str) -> StrikePageOut:
        return cls(
            items=[StrikeOut.of(v, language) for v in page.items], next_cursor=page.next_cursor
        )


class AdminAppealOut(msgspec.Struct, frozen=True, kw_only=True):
    """An appeal as staff see it, with the strike it contests."""

    id: str
    status: str
    text: str
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    note: str | None
    strike_id: str
    user_id: str
    action: str
    reason: str
    excerpt: str | None
    issued_by: str
    report_id: str | None
    content_type: str | None
    content_id: str | None
    strike_created_at: datetime

    @classmethod
    def of(cls, view: StrikeView) -> AdminAppealOut:
        appeal = view.appeal
        if appeal is None:
            raise ValueError("the strike has no appeal")
        return cls(
            id=appeal.id,
            status=appeal.status,
            text=appeal.text,
            created_at=appeal.created_at,
            decided_by=view.appeal_decided_by,
            decided_at=appeal.decided_at,
            note=appeal.note,
            strike_id=view.id,
            user_id=view.user_id,
            action=view.action,
            reason=view.reason,
            excerpt=view.excerpt,
            issued_by=view.issued_by,
            report_id=view.report_id,
            content_type=view.content_type,
            content_id=view.content_id,
            strike_created_at=view.created_at,
        )


class AdminAppealPageOut(msgspec.Struct, frozen=True):
    items: list[AdminAppealOut]
    next_cursor: str | None

    @classmethod
    def of(cls, page: StrikePageView) -> AdminAppealPageOut:
        return cls(items=[AdminAppealOut.of(v) for v in page.items], next_cursor=page.next_cursor)


class AppealIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    text: Annotated[str, msgspec.Meta(pattern=r"\S", max_length=2000)]


class CredentialsIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    email: Email
    password: Password


class CredentialsAppealIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    email: Email
    password: Password
    text: Annotated[str, msgspec.Meta(max_length=2000)]


class DecisionIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    note: Note
