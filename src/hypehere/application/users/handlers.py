"""Events -> users use cases: the denormalized `post_count` on the author follows the feed
(+1 on a created post, -1 on a deleted one; a post removed by moderation stays as a
placeholder, counted). See `application/common/subscriptions.py`. The handler names key
the idempotency ledger: never rename a deployed one."""

from __future__ import annotations

from hypehere.application.common.subscriptions import Subscription
from hypehere.application.users.adjust_post_count import AdjustPostCount, AdjustPostCountCommand
from hypehere.application.users.count_accepted_correction import (
    CountAcceptedCorrection,
    CountAcceptedCorrectionCommand,
)
from hypehere.domain.feed.events import PostCreated, PostDeleted
from hypehere.domain.learning.events import CorrectionAccepted

# Not annotated: mypy then checks each row's mapper against its event and use case.
SUBSCRIPTIONS = (
    Subscription(
        "users.count_created_post",
        PostCreated,
        AdjustPostCount,
        lambda e: AdjustPostCountCommand(author_id=e.author_id, delta=1),
    ),
    Subscription(
        "users.count_deleted_post",
        PostDeleted,
        AdjustPostCount,
        lambda e: AdjustPostCountCommand(author_id=e.author_id, delta=-1),
    ),
    Subscription(
        "users.count_accepted_correction",
        CorrectionAccepted,
        CountAcceptedCorrection,
        lambda e: CountAcceptedCorrectionCommand(corrector_id=e.corrector_id),
    ),
)
