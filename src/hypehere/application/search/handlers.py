"""Events -> search use cases: keep the search documents of posts, users and lessons in step (see
`application/common/subscriptions.py`). Each use case re-reads the current row, so order
and redelivery are harmless. The handler names key the idempotency ledger: never rename a
deployed one."""

from __future__ import annotations

from hypehere.application.common.subscriptions import Subscription
from hypehere.application.search.sync_lessons_to_search import (
    SyncLessonsToSearch,
    SyncLessonsToSearchCommand,
)
from hypehere.application.search.sync_post_to_search import (
    SyncPostToSearch,
    SyncPostToSearchCommand,
)
from hypehere.application.search.sync_user_to_search import (
    SyncUserToSearch,
    SyncUserToSearchCommand,
)
from hypehere.domain.feed.events import (
    PostCreated,
    PostDeleted,
    PostRemoved,
    PostRestored,
    PostUpdated,
)
from hypehere.domain.learning.events import LessonsChanged
from hypehere.domain.users.events import UserProfileUpdated, UserRegistered, UserStateChanged
from hypehere.domain.users.model import AccountState

PostEvent = PostCreated | PostUpdated | PostDeleted | PostRemoved | PostRestored


def _sync_post(
    handler_name: str, event: type[PostEvent]
) -> Subscription[PostEvent, SyncPostToSearchCommand]:
    """Any change to a post: re-read it (gone or removed: out of the index)."""
    return Subscription(
        handler_name, event, SyncPostToSearch, lambda e: SyncPostToSearchCommand(e.post_id)
    )


UserEvent = UserRegistered | UserProfileUpdated


def _sync_user(
    handler_name: str, event: type[UserEvent]
) -> Subscription[UserEvent, SyncUserToSearchCommand]:
    return Subscription(
        handler_name, event, SyncUserToSearch, lambda e: SyncUserToSearchCommand(e.user_id)
    )


SUBSCRIPTIONS = (
    _sync_post("search.post_created", PostCreated),
    _sync_post("search.post_updated", PostUpdated),
    _sync_post("search.post_deleted", PostDeleted),
    _sync_post("search.post_removed", PostRemoved),
    _sync_post("search.post_restored", PostRestored),
    _sync_user("search.user_registered", UserRegistered),
    _sync_user("search.user_profile_updated", UserProfileUpdated),
    # After the grace period the account is purged (state "deleted"): its posts go too.
    Subscription(
        "search.user_state_changed",
        UserStateChanged,
        SyncUserToSearch,
        lambda e: SyncUserToSearchCommand(e.user_id, purged=e.state == AccountState.DELETED),
    ),
    Subscription(
        "search.lessons_changed",
        LessonsChanged,
        SyncLessonsToSearch,
        lambda e: SyncLessonsToSearchCommand(e.lesson_ids, e.languages),
    ),
)
