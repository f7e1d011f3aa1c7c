"""The per-process account-status cache: a warm entry serves requests without a status
read, and every change (password, logout, deactivation, a replayed refresh token, a new
interface language) reaches the next request in this process at once and, through the
broker, in another; filling races, outages, dropped frames, the TTL and the bound."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime

import msgspec
import pytest

from hypehere.adapters.memory.broker import InMemoryBroker
from hypehere.application.common.account_caches import AccountStatusListener
from hypehere.application.common.actor import Actor
from hypehere.application.common.session_control import SessionControl
from hypehere.application.common.sessions import AccountStatusChanged
from hypehere.application.common.topics import account_status_topic
from hypehere.application.users.account_status_cache import (
    AccountStatusCache,
    CachedAccountStatusReader,
)
from hypehere.application.users.change_password import ChangePassword, ChangePasswordCommand
from hypehere.application.users.deactivate_account import (
    DeactivateAccount,
    DeactivateAccountCommand,
)
from hypehere.application.users.log_out import LogOut, LogOutCommand
from hypehere.application.users.refresh_session import RefreshSession, RefreshSessionCommand
from hypehere.application.users.update_me import UpdateMe, UpdateMeCommand
from hypehere.application.users.verify_access_token import (
    VerifyAccessToken,
    VerifyAccessTokenCommand,
)
from hypehere.application.users.views import AccountStatus
from hypehere.domain.shared.errors import UnauthorizedError
from hypehere.domain.users.errors import AccountInactiveError, InvalidRefreshTokenError
from tests.unit.users.conftest import PASSWORD, Kit

pytestmark = pytest.mark.unit


class CountingReader:
    """The database side: counts status reads."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.reads = 0

    async def status(self, user_id: str, session_id: str | None = None) -> AccountStatus | None:
        self.reads += 1
        return await self.inner.status(user_id, session_id)  # type: ignore[attr-defined,no-any-return]


class OutageBroker(InMemoryBroker):
    """An in-process broker whose outage callbacks the test fires."""

    def __init__(self, max_buffer: int = 1024) -> None:
        super().__init__(max_buffer)
        self.disconnects: list[Callable[[], None]] = []
        self.reconnects: list[Callable[[], None]] = []

    def on_disconnect(self, callback: Callable[[], None]) -> None:
        self.disconnects.append(callback)

    def on_reconnect(self, callback: Callable[[], None]) -> None:
        self.reconnects.append(callback)


@dataclass
class Process:
    """One server process: its cache, its listener and the status reader requests use."""

    cache: AccountStatusCache
    listener: AccountStatusListener
    reader: CountingReader
    control: SessionControl


async def settle(*conditions: Callable[[], bool]) -> None:
    """Let the listeners' tasks run (in-process delivery is immediate) until the
    conditions hold; fails rather than waiting forever."""
    for _ in range(200):
        if all(condition() for condition in conditions):
            return
        await asyncio.sleep(0)
    raise AssertionError("the listener did not get there")


@pytest.fixture
async def processes(kit: Kit) -> AsyncIterator[list[Process]]:
    """Two processes sharing the kit's database and broker; the kit's use cases run in
    the first (its status reader and session control are the first process's)."""
    made: list[Process] = []
    for _ in range(2):
        cache = AccountStatusCache(100, 60.0)
        listener = AccountStatusListener(cache, kit.broker, probe_seconds=0.01)
        listener.start()
        made.append(
            Process(cache, listener, CountingReader(kit.status), SessionControl(kit.broker, cache))
        )
    await settle(*(lambda p=p: p.cache.enabled for p in made))
    kit.control = made[0].control
    yield made
    for process in made:
        await process.listener.stop()


async def verify(kit: Kit, process: Process, token: str) -> Actor:
    reader = CachedAccountStatusReader(process.cache, process.reader)
    verifier = VerifyAccessToken(kit.codec, reader, kit.clock)
    return (await verifier.execute(VerifyAccessTokenCommand(token))).actor


async def warm(kit: Kit, process: Process, token: str) -> None:
    """Two verifications: the second is served from the cache (no status read)."""
    await verify(kit, process, token)
    reads = process.reader.reads
    await verify(kit, process, token)
    assert process.reader.reads == reads


async def test_a_warm_entry_serves_requests_without_a_status_read(
    kit: Kit, processes: list[Process]
) -> None:
    result = await kit.register()
    first = processes[0]
    for _ in range(3):
        assert (await verify(kit, first, result.tokens.access_token)).user_id == result.user.id
    assert first.reader.reads == 1
    assert first.cache.hits == 2


@pytest.mark.parametrize("where", [0, 1], ids=["same process", "other process"])
async def test_a_password_change_refuses_the_next_request(
    kit: Kit, processes: list[Process], where: int
) -> None:
    result = await kit.register()
    process = processes[where]
    await warm(kit, process, result.tokens.access_token)
    kit.clock.advance(seconds=1)
    await kit.build(ChangePassword).execute(
        ChangePasswordCommand(Actor(user_id=result.user.id), PASSWORD, "another long passphrase")
    )
    await kit.uow.settle()
    await settle(lambda: result.user.id not in process.cache)
    with pytest.raises(UnauthorizedError):
        await verify(kit, process, result.tokens.access_token)


async def test_the_same_process_refuses_at_once_even_before_the_publish(
    kit: Kit, processes: list[Process]
) -> None:
    """The after-commit publish runs in the background: until it has, the changed user's
    entry is held (read from the database), so the very next request is refused."""
    result = await kit.register()
    first = processes[0]
    await warm(kit, first, result.tokens.access_token)
    await kit.build(DeactivateAccount).execute(
        DeactivateAccountCommand(Actor(user_id=result.user.id))
    )
    with pytest.raises(AccountInactiveError):
        await verify(kit, first, result.tokens.access_token)
    await kit.uow.settle()


@pytest.mark.parametrize("where", [0, 1], ids=["same process", "other process"])
async def test_a_logout_refuses_that_sessions_next_request_only(
    kit: Kit, processes: list[Process], where: int
) -> None:
    phone = await kit.register()
    from hypehere.application.users.log_in import LogIn, LogInCommand

    laptop = await kit.build(LogIn).execute(LogInCommand(phone.user.email, PASSWORD))
    process = processes[where]
    await warm(kit, process, phone.tokens.access_token)
    await warm(kit, process, laptop.tokens.access_token)
    await kit.build(LogOut).execute(LogOutCommand(phone.tokens.refresh_token))
    await kit.uow.settle()
    await settle(lambda: phone.user.id not in process.cache)
    with pytest.raises(UnauthorizedError):
        await verify(kit, process, phone.tokens.access_token)
    assert (await verify(kit, process, laptop.tokens.access_token)).user_id == phone.user.id


async def test_a_replayed_refresh_token_ends_its_session_everywhere(
    kit: Kit, processes: list[Process]
) -> None:
    result = await kit.register()
    other = processes[1]
    await warm(kit, other, result.tokens.access_token)
    kit.clock.advance(minutes=1)
    await kit.build(RefreshSession).execute(RefreshSessionCommand(result.tokens.refresh_token))
    with pytest.raises(InvalidRefreshTokenError):  # the spent token again: a thief
        await kit.build(RefreshSession).execute(RefreshSessionCommand(result.tokens.refresh_token))
    await kit.uow.settle()
    await settle(lambda: result.user.id not in other.cache)
    with pytest.raises(UnauthorizedError):
        await verify(kit, other, result.tokens.access_token)


async def test_a_new_interface_language_is_seen_by_every_process(
    kit: Kit, processes: list[Process]
) -> None:
    result = await kit.register()
    reader = CachedAccountStatusReader(processes[1].cache, processes[1].reader)
    await reader.status(result.user.id, None)
    await kit.build(UpdateMe).execute(
        UpdateMeCommand(actor=Actor(user_id=result.user.id), interface_language="ja")
    )
    await kit.uow.settle()
    await settle(lambda: result.user.id not in processes[1].cache)
    status = await reader.status(result.user.id, None)
    assert status is not None and status.interface_language == "ja"


def _status(user_id: str = "u-1", **changes: object) -> AccountStatus:
    values: dict[str, object] = {
        "user_id": user_id,
        "role": "user",
        "state": "active",
        "suspended_until": None,
        "interface_language": "en",
    }
    values.update(changes)
    return AccountStatus(**values)  # type: ignore[arg-type]


def _cache(max_entries: int = 10, clock: list[float] | None = None) -> AccountStatusCache:
    now = clock if clock is not None else [0.0]
    cache = AccountStatusCache(max_entries, 60.0, monotonic=lambda: now[0])
    cache.enable()
    return cache


def test_a_read_overtaken_by_an_invalidation_is_not_stored() -> None:
    cache = _cache()
    ticket = cache.ticket()
    cache.invalidate("u-1")  # the change was published while the read was on its way
    assert not cache.put(ticket, "u-1", "s", _status())
    assert cache.get("u-1", "s") is None


def test_a_held_user_is_neither_served_nor_filled_until_invalidated() -> None:
    cache = _cache()
    assert cache.put(cache.ticket(), "u-1", "s", _status())
    cache.hold("u-1")
    assert cache.get("u-1", "s") is None
    assert not cache.put(cache.ticket(), "u-1", "s", _status())
    cache.invalidate("u-1")
    assert cache.put(cache.ticket(), "u-1", "s", _status())
    assert cache.get("u-1", "s") == _status()


def test_a_hold_that_is_never_released_ends_after_the_ttl() -> None:
    now = [0.0]
    cache = _cache(clock=now)
    cache.hold("u-1")  # the transaction rolled back: no invalidation follows
    assert not cache.put(cache.ticket(), "u-1", "s", _status())
    now[0] = 61.0
    assert cache.put(cache.ticket(), "u-1", "s", _status())


@pytest.mark.parametrize(
    "status",
    [
        _status(state="suspended", suspended_until=datetime(2000, 1, 1)),
        _status(state="banned"),
        _status(state="deactivated"),
        _status(session_revoked=True),
    ],
)
def test_only_statuses_that_let_a_request_in_are_kept(status: AccountStatus) -> None:
    cache = _cache()
    assert not cache.put(cache.ticket(), "u-1", "s", status)
    assert cache.get("u-1", "s") is None


def test_a_session_not_yet_seen_is_read_even_when_its_user_is_cached() -> None:
    cache = _cache()
    cache.put(cache.ticket(), "u-1", "phone", _status())
    assert cache.get("u-1", "laptop") is None  # its revocation is unknown here


def test_entries_expire_after_the_ttl() -> None:
    now = [0.0]
    cache = _cache(clock=now)
    cache.put(cache.ticket(), "u-1", "s", _status())
    now[0] = 59.0
    assert cache.get("u-1", "s") is not None
    now[0] = 60.0
    assert cache.get("u-1", "s") is None


def test_the_least_recently_used_entry_goes_first() -> None:
    cache = _cache(max_entries=2)
    for user in ("a", "b"):
        cache.put(cache.ticket(), user, None, _status(user))
    assert cache.get("a", None) is not None  # a is now the most recent
    cache.put(cache.ticket(), "c", None, _status("c"))
    assert len(cache) == 2
    assert cache.get("b", None) is None
    assert cache.get("a", None) is not None


def test_a_disabled_cache_reads_every_time() -> None:
    cache = AccountStatusCache(10, 60.0)  # never enabled: no live subscription yet
    assert not cache.put(cache.ticket(), "u-1", "s", _status())
    assert cache.get("u-1", "s") is None


async def test_an_outage_empties_the_cache_until_a_probe_proves_the_link_again() -> None:
    broker = OutageBroker()
    cache = AccountStatusCache(10, 60.0)
    listener = AccountStatusListener(cache, broker, probe_seconds=0.01)
    listener.start()
    try:
        await settle(lambda: cache.enabled)
        cache.put(cache.ticket(), "u-1", "s", _status())
        for callback in broker.disconnects:
            callback()
        assert not cache.enabled
        assert len(cache) == 0
        # back: what was published meanwhile is lost, so nothing is trusted until the
        # cache's own probe has come back through the broker
        for callback in broker.reconnects:
            callback()
        assert not cache.enabled
        await settle(lambda: cache.enabled)
        assert len(cache) == 0
    finally:
        await listener.stop()


async def test_frames_the_subscription_dropped_empty_the_cache() -> None:
    broker = InMemoryBroker(max_buffer=1)
    cache = AccountStatusCache(10, 60.0)
    listener = AccountStatusListener(cache, broker, probe_seconds=0.01)
    listener.start()
    try:
        await settle(lambda: cache.enabled)
        cache.put(cache.ticket(), "u-1", "s", _status())
        clears = cache.clears
        frame = msgspec.json.encode(AccountStatusChanged(user_id="someone-else"))
        for _ in range(3):  # published faster than the listener reads: two are dropped
            await broker.publish(account_status_topic(), frame)
        await settle(lambda: cache.clears > clears)
        assert cache.get("u-1", "s") is None
    finally:
        await listener.stop()


async def test_a_stopped_listener_leaves_the_cache_off() -> None:
    broker = InMemoryBroker()
    cache = AccountStatusCache(10, 60.0)
    listener = AccountStatusListener(cache, broker, probe_seconds=0.01)
    listener.start()
    await settle(lambda: cache.enabled)
    await listener.stop()
    assert not cache.enabled
