"""Events -> matching use cases: a block between two people in an anonymous conversation
ends it (see `application/common/subscriptions.py`)."""

from __future__ import annotations

from hypehere.application.common.subscriptions import Subscription
from hypehere.application.matching.end_conversations import EndOnBlock, EndOnBlockCommand
from hypehere.domain.users.events import UserBlocked

# Not annotated: mypy then checks each row's mapper against its event and use case.
SUBSCRIPTIONS = (
    Subscription(
        "matching.end_on_block",
        UserBlocked,
        EndOnBlock,
        lambda e: EndOnBlockCommand(blocker_id=e.blocker_id, blocked_id=e.blocked_id),
    ),
)
