"""Events -> the activity log: one row per product event (sign-up, post, comment, message,
match, anonymous chat ended, lesson completed, review, correction, report opened/decided),
with user ids only where a figure needs them (active users, cohorts) and never content.
See `application/common/subscriptions.py`; handler names key the idempotency ledger."""

from __future__ import annotations

from hypehere.application.analytics.record_activity import RecordActivity, RecordActivityCommand
from hypehere.application.common.subscriptions import Subscription
from hypehere.domain.analytics.activity import ActivityEvent, ActivityKind, pair_key
from hypehere.domain.chat.events import MessageSent
from hypehere.domain.feed.events import CommentCreated, PostCreated
from hypehere.domain.learning.events import CorrectionProposed, LessonCompleted, ReviewSubmitted
from hypehere.domain.matching.events import AnonymousConversationEnded, PartnersMatched
from hypehere.domain.moderation.events import ReportDecided, ReportFiled
from hypehere.domain.shared.events import DomainEvent
from hypehere.domain.users.events import UserRegistered


def _log(
    e: DomainEvent,
    kind: ActivityKind,
    user_id: str | None = None,
    *,
    language_pair: str | None = None,
    seconds: float | None = None,
    seconds_other: float | None = None,
    flag: bool | None = None,
    detail: str | None = None,
) -> RecordActivityCommand:
    return RecordActivityCommand(
        ActivityEvent(
            event_id=e.event_id,
            kind=kind,
            occurred_at=e.occurred_at,
            user_id=user_id,
            language_pair=language_pair,
            seconds=seconds,
            seconds_other=seconds_other,
            flag=flag,
            detail=detail,
        )
    )


def _decided(e: ReportDecided) -> RecordActivityCommand:
    took = (e.occurred_at - e.filed_at).total_seconds() if e.filed_at is not None else None
    return _log(e, ActivityKind.REPORT_DECIDED, seconds=took, detail=e.status)


# Not annotated: mypy then checks each row's mapper against its event and use case.
SUBSCRIPTIONS = (
    Subscription(
        "analytics.log_sign_up",
        UserRegistered,
        RecordActivity,
        lambda e: _log(e, ActivityKind.SIGN_UP, e.user_id),
    ),
    Subscription(
        "analytics.log_post",
        PostCreated,
        RecordActivity,
        lambda e: _log(e, ActivityKind.POST, e.author_id),
    ),
    Subscription(
        "analytics.log_comment",
        CommentCreated,
        RecordActivity,
        lambda e: _log(e, ActivityKind.COMMENT, e.author_id),
    ),
    Subscription(
        "analytics.log_message",
        MessageSent,
        RecordActivity,
        lambda e: _log(e, ActivityKind.MESSAGE, e.sender_id),
    ),
    # Anonymous matching: no user ids (the figures are per language pair).
    Subscription(
        "analytics.log_match",
        PartnersMatched,
        RecordActivity,
        lambda e: _log(
            e,
            ActivityKind.MATCH,
            language_pair=pair_key(*e.language_pair, ordered=False),
            seconds=e.wait_seconds[0],
            seconds_other=e.wait_seconds[1],
            detail=e.mode,
        ),
    ),
    Subscription(
        "analytics.log_anonymous_chat",
        AnonymousConversationEnded,
        RecordActivity,
        lambda e: _log(
            e,
            ActivityKind.ANONYMOUS_CHAT,
            language_pair=pair_key(*e.language_pair, ordered=False),
            seconds=e.duration_seconds,
            flag=e.revealed,
            detail=e.reason,
        ),
    ),
    Subscription(
        "analytics.log_lesson",
        LessonCompleted,
        RecordActivity,
        lambda e: _log(
            e,
            ActivityKind.LESSON,
            e.user_id,
            language_pair=pair_key(*e.language_pair, ordered=True),
        ),
    ),
    Subscription(
        "analytics.log_review",
        ReviewSubmitted,
        RecordActivity,
        lambda e: _log(
            e,
            ActivityKind.REVIEW,
            e.user_id,
            language_pair=pair_key(*e.language_pair, ordered=True),
        ),
    ),
    Subscription(
        "analytics.log_correction",
        CorrectionProposed,
        RecordActivity,
        lambda e: _log(
            e,
            ActivityKind.CORRECTION,
            e.corrector_id,
            language_pair=pair_key(*e.language_pair, ordered=True),
        ),
    ),
    Subscription(
        "analytics.log_report_opened",
        ReportFiled,
        RecordActivity,
        lambda e: _log(e, ActivityKind.REPORT_OPENED, e.reporter_id, detail=e.target_type),
    ),
    Subscription("analytics.log_report_decided", ReportDecided, RecordActivity, _decided),
)
