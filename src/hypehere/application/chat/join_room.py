"""Join a room: password, bans and kicks, then a seat (atomic, so concurrent joins never
overfill the room). Joining a room I am already in is a no-op.

The password check is slow on purpose (argon2id, 64 MiB by default), so it runs between two
transactions, never inside one (inside it would hold SQLite's write lock or a pooled
connection for the whole hash): read the room, close the transaction, count the attempt
against the per-room, per-user budget and verify, then open the write transaction and
check everything again (the room, membership, restrictions, and that the password hash is
still the one verified)."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.chat.access import OnRoom
from hypehere.application.chat.frames import JoinedFrame
from hypehere.application.chat.ports import RoomPasswordHasher, RoomReader, RoomRepository
from hypehere.application.chat.views import RoomView
from hypehere.application.common.rate_limit import RateLimiter
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.topics import room_topic
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import (
    RoomFullError,
    RoomNotFoundError,
    RoomPasswordAttemptsError,
    WrongPasswordError,
)
from hypehere.domain.chat.model import Room, RoomMember, RoomRole
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)


class JoinRoomCommand(OnRoom, frozen=True):
    password: str | None = None


class RoomPasswordAttempts(msgspec.Struct, frozen=True):
    """Password attempts one user may make on one room per window (None: unlimited)."""

    limit: int | None = 5
    window_seconds: float = 900.0


class JoinRoom:
    def __init__(
        self,
        uow: UnitOfWork,
        rooms: RoomRepository,
        reader: RoomReader,
        hasher: RoomPasswordHasher,
        publisher: RealtimePublisher,
        clock: Clock,
        limiter: RateLimiter,
        attempts: RoomPasswordAttempts,
    ) -> None:
        self._uow = uow
        self._rooms = rooms
        self._reader = reader
        self._hasher = hasher
        self._publisher = publisher
        self._clock = clock
        self._limiter = limiter
        self._attempts = attempts

    async def execute(self, cmd: JoinRoomCommand) -> RoomView:
        me = cmd.actor.user_id
        joined_count: int | None = None
        async with self._uow:
            room = await self._admissible_room(cmd.room_id, me)
            if room is not None and room.password_hash is None:
                joined_count = await self._seat(room, me)  # no password: one transaction
                room = None
        if room is not None:  # a password to check, between the transactions
            verified_hash = await self._check_password(room, me, cmd.password)
            async with self._uow:
                joined_count = await self._take_seat(cmd.room_id, me, verified_hash)
        if joined_count is not None:
            logger.info("room_joined", room_id=cmd.room_id, participant_count=joined_count)
        async with self._uow:
            view = await self._reader.view(cmd.room_id, me)
        assert view is not None
        return view

    async def _admissible_room(self, room_id: str, me: str) -> Room | None:
        """The room when I may try to join it; None when I am already a member."""
        room = await self._rooms.get(room_id)
        if room is None or not room.visible_to(me):  # held: its creator only
            raise RoomNotFoundError("The room was not found.")
        if await self._rooms.member(room.id, me) is not None:
            return None
        restriction = await self._rooms.restriction(room.id, me)
        if restriction is not None and restriction.active(self._clock.now()):
            restriction.refuse()
        return room

    async def _check_password(self, room: Room, me: str, password: str | None) -> str:
        """The verified password hash, after counting the attempt; refused otherwise."""
        password_hash = room.password_hash
        assert password_hash is not None
        if self._attempts.limit is not None:
            decision = await self._limiter.hit(
                f"room-password:{room.id}:{me}",
                self._attempts.limit,
                self._attempts.window_seconds,
            )
            if not decision.allowed:
                logger.info("room_password_attempts_exceeded", room_id=room.id)
                raise RoomPasswordAttemptsError(
                    "Too many password attempts for this room. Try again later.",
                    retry_after=decision.retry_after,
                )
        if password is None or not await self._hasher.verify(password_hash, password):
            raise WrongPasswordError("The room password is wrong.")
        return password_hash

    async def _take_seat(self, room_id: str, me: str, verified_hash: str) -> int | None:
        """In the write transaction: everything checked again, then a seat. None when I
        became a member in the meantime (a concurrent join of mine)."""
        room = await self._admissible_room(room_id, me)
        if room is None:
            return None
        if room.password_hash is not None and room.password_hash != verified_hash:
            # the password changed after the check: the one given was checked against the old
            raise WrongPasswordError("The room password is wrong.")
        return await self._seat(room, me)

    async def _seat(self, room: Room, me: str) -> int:
        joined_count = await self._rooms.take_seat(room)
        if joined_count is None:
            raise RoomFullError("The room is full.")
        await self._rooms.add_member(RoomMember(room.id, me, RoomRole.MEMBER, self._clock.now()))
        joined = JoinedFrame(user_id=me, participant_count=joined_count)
        self._uow.after_commit(lambda: self._publisher.publish(room_topic(room.id), joined))
        return joined_count
