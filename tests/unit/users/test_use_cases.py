"""Users use cases against the in-memory fakes: state lives in the fakes, asserted directly."""

from __future__ import annotations

import pytest

from hypehere.application.common.actor import Actor
from hypehere.application.users.block_user import BlockUser, BlockUserCommand
from hypehere.application.users.change_password import ChangePassword, ChangePasswordCommand
from hypehere.application.users.follow_user import FollowUser, FollowUserCommand
from hypehere.application.users.get_profile import GetProfile, GetProfileCommand
from hypehere.application.users.get_relationship import GetRelationship, GetRelationshipCommand
from hypehere.application.users.get_user_summaries import GetUserSummaries, GetUserSummariesCommand
from hypehere.application.users.list_followers import ListFollowers, ListFollowersCommand
from hypehere.application.users.log_in import LogIn, LogInCommand
from hypehere.application.users.log_out import LogOut, LogOutCommand
from hypehere.application.users.purge_deleted_accounts import (
    PurgeDeletedAccounts,
    PurgeDeletedAccountsCommand,
)
from hypehere.application.users.refresh_session import RefreshSession, RefreshSessionCommand
from hypehere.application.users.register_user import TargetLanguageInput
from hypehere.application.users.request_account_deletion import (
    RequestAccountDeletion,
    RequestAccountDeletionCommand,
)
from hypehere.application.users.suggest_partners import SuggestPartners, SuggestPartnersCommand
from hypehere.application.users.unblock_user import UnblockUser, UnblockUserCommand
from hypehere.application.users.unfollow_user import UnfollowUser, UnfollowUserCommand
from hypehere.application.users.update_me import UpdateMe, UpdateMeCommand
from hypehere.application.users.verify_access_token import (
    VerifyAccessToken,
    VerifyAccessTokenCommand,
)
from hypehere.domain.users.errors import (
    AccountInactiveError,
    CannotFollowSelfError,
    EmailTakenError,
    HandleTakenError,
    InvalidCredentialsError,
    InvalidRefreshTokenError,
    ListPrivateError,
    UserNotFoundError,
    WrongPasswordError,
)
from hypehere.domain.users.model import AccountState
from tests.unit.users.conftest import PASSWORD, Kit

pytestmark = pytest.mark.unit


async def test_register_stores_user_tokens_and_event(kit: Kit) -> None:
    result = await kit.register(email=" Mina@Example.com ")
    stored = kit.store.users[result.user.id]
    assert stored.email == "mina@example.com" and stored.handle == "mina"
    assert kit.hasher.check(stored.password_hash, PASSWORD)
    assert kit.uow.commits == 1
    assert kit.outbox.topics() == ["users.registered"]
    payload = kit.outbox.messages[0].payload
    assert payload["target_languages"] == [{"language": "en", "level": "B1"}]
    assert payload["handle"] == "mina" and payload["native_language"] == "ko"
    [token] = kit.store.tokens.values()
    assert token.user_id == result.user.id and token.token_hash != result.tokens.refresh_token


async def test_register_duplicate_email_and_handle_suffixes(kit: Kit) -> None:
    await kit.register(email="kim@a.com")
    with pytest.raises(EmailTakenError):
        await kit.register(email="KIM@a.com")
    second = await kit.register(email="kim@b.com")
    assert second.user.handle == "kim2"


async def test_login_unknown_email_burns_a_dummy_hash(kit: Kit) -> None:
    await kit.register(email="a@a.com")
    login = kit.build(LogIn)
    with pytest.raises(InvalidCredentialsError):
        await login.execute(LogInCommand("nobody@a.com", PASSWORD))
    assert kit.hasher.dummy_checks == 1
    with pytest.raises(InvalidCredentialsError):
        await login.execute(LogInCommand("a@a.com", "wrong password"))
    with pytest.raises(InvalidCredentialsError):
        await login.execute(LogInCommand("not an email", PASSWORD))


async def test_login_rehashes_when_parameters_change(kit: Kit) -> None:
    result = await kit.register(email="a@a.com")
    kit.hasher.version = 2
    await kit.build(LogIn).execute(LogInCommand("a@a.com", PASSWORD))
    assert kit.store.users[result.user.id].password_hash.startswith("plain$2$")


async def test_refresh_rotation_and_reuse_detection(kit: Kit) -> None:
    first = (await kit.register()).tokens.refresh_token
    refresh = kit.build(RefreshSession)
    second = (await refresh.execute(RefreshSessionCommand(first))).refresh_token
    third = (await refresh.execute(RefreshSessionCommand(second))).refresh_token
    assert len({t.family_id for t in kit.store.tokens.values()}) == 1
    with pytest.raises(InvalidRefreshTokenError):
        await refresh.execute(RefreshSessionCommand(first))
    assert all(t.revoked_at is not None for t in kit.store.tokens.values())
    with pytest.raises(InvalidRefreshTokenError):
        await refresh.execute(RefreshSessionCommand(third))


async def test_refresh_expired_and_logged_out(kit: Kit) -> None:
    token = (await kit.register()).tokens.refresh_token
    await kit.build(LogOut).execute(LogOutCommand(token))
    with pytest.raises(InvalidRefreshTokenError):
        await kit.build(RefreshSession).execute(RefreshSessionCommand(token))
    other = (await kit.register()).tokens.refresh_token
    kit.clock.advance(days=31)
    with pytest.raises(InvalidRefreshTokenError):
        await kit.build(RefreshSession).execute(RefreshSessionCommand(other))


async def test_follow_counts_events_and_idempotence(kit: Kit) -> None:
    a = await kit.actor()
    b = await kit.actor()
    follow = kit.build(FollowUser)
    await follow.execute(FollowUserCommand(a, b.user_id))
    await follow.execute(FollowUserCommand(a, b.user_id))
    assert kit.store.users[b.user_id].follower_count == 1
    assert kit.store.users[a.user_id].following_count == 1
    assert kit.outbox.topics().count("users.followed") == 1
    with pytest.raises(CannotFollowSelfError):
        await follow.execute(FollowUserCommand(a, a.user_id))
    with pytest.raises(UserNotFoundError):
        await follow.execute(FollowUserCommand(a, "missing"))
    await kit.build(UnfollowUser).execute(UnfollowUserCommand(a, b.user_id))
    await kit.build(UnfollowUser).execute(UnfollowUserCommand(a, b.user_id))
    assert kit.store.users[b.user_id].follower_count == 0
    assert kit.outbox.topics().count("users.unfollowed") == 1


async def test_block_removes_follows_and_hides(kit: Kit) -> None:
    a = await kit.actor()
    b = await kit.actor()
    await kit.build(FollowUser).execute(FollowUserCommand(a, b.user_id))
    await kit.build(FollowUser).execute(FollowUserCommand(b, a.user_id))
    await kit.build(BlockUser).execute(BlockUserCommand(a, b.user_id))
    assert kit.store.follows == {}
    assert kit.store.users[a.user_id].follower_count == 0
    assert kit.outbox.topics().count("users.blocked") == 1
    with pytest.raises(UserNotFoundError):
        await kit.build(GetProfile).execute(GetProfileCommand(b, a.user_id))
    seen = await kit.build(GetProfile).execute(GetProfileCommand(a, b.user_id))
    assert seen.is_blocking is True
    with pytest.raises(UserNotFoundError):
        await kit.build(FollowUser).execute(FollowUserCommand(b, a.user_id))
    relationship = await kit.build(GetRelationship).execute(
        GetRelationshipCommand(b.user_id, a.user_id)
    )
    assert relationship.blocked_either_way and relationship.is_blocked_by
    await kit.build(UnblockUser).execute(UnblockUserCommand(a, b.user_id))
    assert not (
        await kit.build(GetRelationship).execute(GetRelationshipCommand(b.user_id, a.user_id))
    ).blocked_either_way


async def test_list_privacy(kit: Kit) -> None:
    owner = await kit.actor()
    fan = await kit.actor()
    stranger = await kit.actor()
    await kit.build(FollowUser).execute(FollowUserCommand(fan, owner.user_id))
    await kit.build(UpdateMe).execute(UpdateMeCommand(actor=owner, show_followers_list="followers"))
    listing = kit.build(ListFollowers)
    page = await listing.execute(ListFollowersCommand(fan, owner.user_id, limit=10))
    assert [p.id for p in page.items] == [fan.user_id]
    await listing.execute(ListFollowersCommand(owner, owner.user_id, limit=10))
    for viewer in (stranger, None):
        with pytest.raises(ListPrivateError):
            await listing.execute(ListFollowersCommand(viewer, owner.user_id, limit=10))


async def test_update_me_handle_taken_and_event(kit: Kit) -> None:
    a = await kit.actor(email="first@a.com")
    await kit.actor(email="second@a.com")
    with pytest.raises(HandleTakenError):
        await kit.build(UpdateMe).execute(UpdateMeCommand(actor=a, handle="second"))
    view = await kit.build(UpdateMe).execute(UpdateMeCommand(actor=a, handle="New_Name", bio="hi"))
    assert view.handle == "new_name" and view.bio == "hi"
    assert "users.profile_updated" in kit.outbox.topics()


async def test_change_password_revokes_refresh_tokens(kit: Kit) -> None:
    result = await kit.register()
    actor = Actor(user_id=result.user.id)
    with pytest.raises(WrongPasswordError):
        await kit.build(ChangePassword).execute(ChangePasswordCommand(actor, "nope", "new pass 1"))
    await kit.build(ChangePassword).execute(ChangePasswordCommand(actor, PASSWORD, "new pass 1"))
    assert all(t.revoked_at for t in kit.store.tokens.values())
    assert kit.hasher.check(kit.store.users[actor.user_id].password_hash, "new pass 1")


async def test_deletion_purge_keeps_counts_exact(kit: Kit) -> None:
    leaving = await kit.actor(email="leaving@a.com")
    friend = await kit.actor()
    await kit.build(FollowUser).execute(FollowUserCommand(leaving, friend.user_id))
    await kit.build(FollowUser).execute(FollowUserCommand(friend, leaving.user_id))
    await kit.build(RequestAccountDeletion).execute(RequestAccountDeletionCommand(leaving))
    with pytest.raises(AccountInactiveError):
        await kit.build(VerifyAccessToken).execute(
            VerifyAccessTokenCommand(
                kit.codec.issue(leaving.user_id, "member", kit.clock.now()).token
            )
        )
    kit.clock.advance(days=30)
    assert (
        await kit.build(PurgeDeletedAccounts).execute(PurgeDeletedAccountsCommand())
    ).purged == 1
    gone = kit.store.users[leaving.user_id]
    assert gone.state is AccountState.DELETED and "leaving" not in gone.email
    assert kit.store.users[friend.user_id].follower_count == 0
    assert kit.store.users[friend.user_id].following_count == 0
    with pytest.raises(InvalidCredentialsError):
        await kit.build(LogIn).execute(LogInCommand("leaving@a.com", PASSWORD))
    assert kit.outbox.topics()[-1] == "users.state_changed"
    assert kit.outbox.messages[-1].payload == {"user_id": leaving.user_id, "state": "deleted"}


async def test_partners_ranked_by_language_and_level_fit(kit: Kit) -> None:
    me = await kit.actor(
        native_language="ko",
        target_languages=(TargetLanguageInput("en", "B1"), TargetLanguageInput("ja", "A1")),
    )
    english_close = await kit.actor(
        native_language="en", target_languages=(TargetLanguageInput("ko", "B2"),)
    )
    english_far = await kit.actor(
        native_language="en", target_languages=(TargetLanguageInput("ko", "A1"),)
    )
    japanese = await kit.actor(
        native_language="ja", target_languages=(TargetLanguageInput("ko", "A1"),)
    )
    await kit.actor(native_language="en", target_languages=(TargetLanguageInput("es", "A1"),))
    page = await kit.build(SuggestPartners).execute(SuggestPartnersCommand(me, 10))
    assert [p.id for p in page.items] == [
        english_close.user_id,
        english_far.user_id,
        japanese.user_id,
    ]


async def test_user_summaries_keep_order(kit: Kit) -> None:
    a = await kit.actor()
    b = await kit.actor()
    views = await kit.build(GetUserSummaries).execute(
        GetUserSummariesCommand((b.user_id, "missing", a.user_id))
    )
    assert [v.id for v in views] == [b.user_id, a.user_id]


async def test_post_count_handlers(kit: Kit) -> None:
    from datetime import UTC, datetime

    from hypehere.adapters.memory.users import InMemoryUserCounters
    from hypehere.application.common.outbox import OutboxMessage
    from hypehere.application.users import handlers
    from hypehere.application.users.adjust_post_count import AdjustPostCount

    author = await kit.actor()
    counters = InMemoryUserCounters(kit.store)
    created = {"language": "en", "hashtags": [], "mentioned_user_ids": []}

    async def deliver(topic: str, **payload: object) -> None:
        message = OutboxMessage(
            id="e",
            topic=topic,
            payload={"post_id": "p", "author_id": author.user_id, **payload},
            occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        [row] = [r for r in handlers.SUBSCRIPTIONS if r.topic == topic]
        await row.handler(AdjustPostCount(kit.uow, counters)).handle(message)

    await deliver("feed.post_created", **created)
    await deliver("feed.post_created", **created)
    await deliver("feed.post_deleted")
    assert kit.store.users[author.user_id].post_count == 1
