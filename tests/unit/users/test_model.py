"""The account aggregate's state machine and list privacy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hypehere.domain.users.errors import (
    AccountBannedError,
    AccountInactiveError,
    AccountSuspendedError,
    InvalidStateTransitionError,
)
from hypehere.domain.users.model import AccountState, ListVisibility, User, can_see_list

pytestmark = pytest.mark.unit

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def user() -> User:
    return User(
        id="u1",
        email="a@b.com",
        handle="abc",
        nickname="A",
        password_hash="h",
        native_language="ko",
        interface_language="ko",
        created_at=NOW,
        updated_at=NOW,
    )


def test_suspension_blocks_until_it_expires_and_records_events() -> None:
    u = user()
    u.suspend(NOW + timedelta(days=1), "spam", NOW)
    assert u.state is AccountState.SUSPENDED
    with pytest.raises(AccountSuspendedError) as info:
        u.ensure_may_act(NOW + timedelta(hours=23))
    assert info.value.suspended_until == NOW + timedelta(days=1)
    u.ensure_may_act(NOW + timedelta(days=1))
    assert u.state is AccountState.ACTIVE and u.suspended_until is None
    assert [(e.topic, e.payload()["state"]) for e in u.events] == [
        ("users.state_changed", "suspended"),
        ("users.state_changed", "active"),
    ]


def test_ban_is_permanent_until_unban() -> None:
    u = user()
    u.ban("abuse", NOW)
    with pytest.raises(AccountBannedError):
        u.log_in(NOW + timedelta(days=10_000))
    with pytest.raises(InvalidStateTransitionError):
        u.suspend(NOW + timedelta(days=1), None, NOW)
    u.unban(NOW)
    u.log_in(NOW)
    assert u.state is AccountState.ACTIVE


def test_login_reactivates_deactivated_and_cancels_deletion() -> None:
    for action in (User.deactivate, User.request_deletion):
        u = user()
        action(u, NOW)
        assert not u.is_visible
        with pytest.raises(AccountInactiveError):
            u.ensure_may_act(NOW)
        u.log_in(NOW + timedelta(days=3))
        assert u.state is AccountState.ACTIVE and u.is_visible


def test_purge_due_after_grace_period_only() -> None:
    u = user()
    u.request_deletion(NOW)
    assert not u.purge_due(NOW + timedelta(days=29, hours=23))
    assert u.purge_due(NOW + timedelta(days=30))
    u.purge(NOW + timedelta(days=30))
    assert u.state is AccountState.DELETED
    assert u.email.endswith("@deleted.invalid") and u.nickname == "deleted"
    assert len(u.handle) <= 30 and u.target_languages == ()
    with pytest.raises(AccountInactiveError):
        u.log_in(NOW + timedelta(days=31))


def test_suspension_must_end_in_the_future() -> None:
    with pytest.raises(InvalidStateTransitionError):
        user().suspend(NOW, None, NOW)


@pytest.mark.parametrize(
    ("visibility", "owner", "follower", "stranger"),
    [
        (ListVisibility.EVERYONE, True, True, True),
        (ListVisibility.FOLLOWERS, True, True, False),
        (ListVisibility.NOBODY, True, False, False),
    ],
)
def test_list_privacy_matrix(
    visibility: ListVisibility, owner: bool, follower: bool, stranger: bool
) -> None:
    assert can_see_list(visibility, is_owner=True, viewer_follows_owner=False) is owner
    assert can_see_list(visibility, is_owner=False, viewer_follows_owner=True) is follower
    assert can_see_list(visibility, is_owner=False, viewer_follows_owner=False) is stranger
