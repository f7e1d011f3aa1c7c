"""Change my profile and settings (only the fields given)."""

from __future__ import annotations

from typing import TypeVar

import msgspec

from hypehere.application.common.accounts import AccountView
from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.session_control import SessionControl
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.users.own_account import OwnAccountUseCase, my_account
from hypehere.application.users.register_user import TargetLanguageInput
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.errors import InvalidInputError
from hypehere.domain.shared.languages import parse_language
from hypehere.domain.users import rules
from hypehere.domain.users.errors import HandleTakenError
from hypehere.domain.users.events import UserProfileUpdated
from hypehere.domain.users.model import ChatPolicy, ListVisibility, Privacy, TargetLanguage
from hypehere.domain.users.ports import UserRepository

E = TypeVar("E", ListVisibility, ChatPolicy)


class UpdateMeCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    nickname: str | None = None
    handle: str | None = None
    bio: str | None = None
    avatar_url: str | msgspec.UnsetType | None = msgspec.UNSET
    native_language: str | None = None
    target_languages: tuple[TargetLanguageInput, ...] | None = None
    interface_language: str | None = None
    show_followers_list: str | None = None
    show_following_list: str | None = None
    chat_policy: str | None = None
    send_read_receipts: bool | None = None
    timezone: str | None = None
    desired_retention: float | None = None


def _choice(enum: type[E], raw: str, field: str) -> E:
    try:
        return enum(raw.strip().lower())
    except ValueError as exc:
        allowed = ", ".join(item.value for item in enum)
        raise InvalidInputError(f"{field} must be one of {allowed}", field=field) from exc


class UpdateMe(OwnAccountUseCase):
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        outbox: OutboxWriter,
        control: SessionControl,
        clock: Clock,
    ) -> None:
        super().__init__(uow, users, outbox, clock)
        self._control = control

    async def execute(self, cmd: UpdateMeCommand) -> AccountView:
        async with self._uow:
            user = await my_account(self._users, cmd.actor.user_id)
            card = (user.handle, user.nickname, user.avatar_url)
            if cmd.nickname is not None:
                user.nickname = rules.parse_nickname(cmd.nickname)
            if cmd.bio is not None:
                user.bio = rules.parse_bio(cmd.bio)
            if not isinstance(cmd.avatar_url, msgspec.UnsetType):
                user.avatar_url = rules.parse_avatar_url(cmd.avatar_url)
            if cmd.native_language is not None:
                user.native_language = parse_language(cmd.native_language, field="native_language")
            if cmd.target_languages is not None or cmd.native_language is not None:
                pairs = (
                    [(t.language, t.level) for t in cmd.target_languages]
                    if cmd.target_languages is not None
                    else [(t.language, t.level.value) for t in user.target_languages]
                )
                user.target_languages = tuple(
                    TargetLanguage(language, level)
                    for language, level in rules.parse_target_languages(
                        pairs, native_language=user.native_language
                    )
                )
            if cmd.interface_language is not None:
                language = rules.parse_interface_language(cmd.interface_language)
                if language != user.interface_language:
                    # part of the cached account status every request reads
                    self._control.status_changed_after_commit(self._uow, user.id)
                user.interface_language = language
            if cmd.show_followers_list is not None or cmd.show_following_list is not None:
                user.privacy = Privacy(
                    show_followers_list=_choice(
                        ListVisibility,
                        cmd.show_followers_list,
                        "privacy.show_followers_list",
                    )
                    if cmd.show_followers_list is not None
                    else user.privacy.show_followers_list,
                    show_following_list=_choice(
                        ListVisibility,
                        cmd.show_following_list,
                        "privacy.show_following_list",
                    )
                    if cmd.show_following_list is not None
                    else user.privacy.show_following_list,
                )
            if cmd.chat_policy is not None:
                user.chat_policy = _choice(ChatPolicy, cmd.chat_policy, "chat_policy")
            if cmd.send_read_receipts is not None:
                user.send_read_receipts = cmd.send_read_receipts
            if cmd.timezone is not None:
                user.timezone = rules.parse_timezone(cmd.timezone)
            if cmd.desired_retention is not None:
                user.desired_retention = rules.parse_desired_retention(cmd.desired_retention)
            if cmd.handle is not None:
                handle = rules.parse_handle(cmd.handle)
                if handle != user.handle:
                    if await self._users.handles_taken([handle]):
                        raise HandleTakenError("The handle is taken")
                    user.handle = handle
            if (user.handle, user.nickname, user.avatar_url) != card:
                # the public card the processes' author-card caches keep
                self._control.status_changed_after_commit(self._uow, user.id)
            now = self._clock.now()
            user.updated_at = now
            await self._users.save(user)
            await self._outbox.add(UserProfileUpdated(occurred_at=now, user_id=user.id))
        return AccountView.of(user)
