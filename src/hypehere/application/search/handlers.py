"""Events -> search use cases: keep the search documents of posts and users in step (see
`application/common/subscriptions.py`). Each use case re-reads the current row, so order
and redelivery are harmless. The handler names key the idempotency ledger: never rename a
deployed one."""

from __future__ import annotations

from hypehere.application.common.subscriptions import Subscription
from hypehere.application.search.sync_post_to_search import (
    SyncPostToSearch,
    SyncPostToSearchCommand,
)
from hypehere.application.search.sync_user_to_search import (
    SyncUserToSearch,
    SyncUserToSearchCommand,
)
from hypehere.domain.feed.events import PostCreated, PostDeleted, PostRemoved, PostUpdated
from hypehere.domain.users.events import UserProfileUpdated, UserRegistered, UserStateChanged
from hypehere.domain.users.model import AccountState

# Not annotated: mypy then checks each row's mapper against its event and use case.
SUBSCRIPTIONS = (
    Subscription(
        "search.post_created",
        PostCreated,
        SyncPostToSearch,
        lambda e: SyncPostToSearchCommand(e.post_id),
    ),
    Subscription(
        "search.post_updated",
        PostUpdated,
        SyncPostToSearch,
        lambda e: SyncPostToSearchCommand(e.post_id),
    ),
    Subscription(
        "search.post_deleted",
        PostDeleted,
        SyncPostToSearch,
        lambda e: SyncPostToSearchCommand(e.post_id),
    ),
    Subscription(
        "search.post_removed",
        PostRemoved,
        SyncPostToSearch,
        lambda e: SyncPostToSearchCommand(e.post_id),
    ),
    Subscription(
        "search.user_registered",
        UserRegistered,
        SyncUserToSearch,
        lambda e: SyncUserToSearchCommand(e.user_id),
    ),
    Subscription(
        "search.user_profile_updated",
        UserProfileUpdated,
        SyncUserToSearch,
        lambda e: SyncUserToSearchCommand(e.user_id),
    ),
    # After the grace period the account is purged (state "deleted"): its posts go too.
    Subscription(
        "search.user_state_changed",
        UserStateChanged,
        SyncUserToSearch,
        lambda e: SyncUserToSearchCommand(e.user_id, purged=e.state == AccountState.DELETED),
    ),
)
