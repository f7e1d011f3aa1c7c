"""`/users/*`: my account, profiles, the social graph, partner suggestions."""

from __future__ import annotations

from dishka import FromDishka
from dishka.integrations.litestar import inject
from litestar import Controller, delete, get, patch, post, put
from litestar.params import Parameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from hypehere.application.common.actor import Actor
from hypehere.application.users.block_user import BlockUser, BlockUserCommand
from hypehere.application.users.change_password import ChangePassword, ChangePasswordCommand
from hypehere.application.users.deactivate_account import (
    DeactivateAccount,
    DeactivateAccountCommand,
)
from hypehere.application.users.follow_user import FollowUser, FollowUserCommand
from hypehere.application.users.get_me import GetMe, GetMeCommand
from hypehere.application.users.get_profile import GetProfile, GetProfileCommand
from hypehere.application.users.list_blocks import ListBlocks, ListBlocksCommand
from hypehere.application.users.list_followers import ListFollowers, ListFollowersCommand
from hypehere.application.users.list_following import ListFollowing, ListFollowingCommand
from hypehere.application.users.register_user import TargetLanguageInput
from hypehere.application.users.request_account_deletion import (
    RequestAccountDeletion,
    RequestAccountDeletionCommand,
)
from hypehere.application.users.suggest_partners import SuggestPartners, SuggestPartnersCommand
from hypehere.application.users.unblock_user import UnblockUser, UnblockUserCommand
from hypehere.application.users.unfollow_user import UnfollowUser, UnfollowUserCommand
from hypehere.application.users.update_me import UpdateMe, UpdateMeCommand
from hypehere.application.users.views import ProfileView
from hypehere.domain.shared.pagination import Page
from hypehere.entrypoints.http.users.schemas import (
    ChangePasswordIn,
    MeOut,
    UpdateMeIn,
    UserOut,
    UserPageOut,
)

Limit = Parameter(query="limit", required=False)
Cursor = Parameter(query="cursor", required=False)


def page_out(page: Page[ProfileView]) -> UserPageOut:
    return UserPageOut(items=[UserOut.of(v) for v in page.items], next_cursor=page.next_cursor)


class UsersController(Controller):
    path = "/users"
    tags = ["users"]

    @get("/me")
    @inject
    async def get_me(self, actor: Actor, uc: FromDishka[GetMe]) -> MeOut:
        return MeOut.of(await uc.execute(GetMeCommand(actor)))

    @patch("/me")
    @inject
    async def update_me(self, actor: Actor, data: UpdateMeIn, uc: FromDishka[UpdateMe]) -> MeOut:
        privacy = data.privacy
        view = await uc.execute(
            UpdateMeCommand(
                actor=actor,
                nickname=data.nickname,
                handle=data.handle,
                bio=data.bio,
                avatar_url=data.avatar_url,
                native_language=data.native_language,
                target_languages=tuple(
                    TargetLanguageInput(language=t.language, level=t.level)
                    for t in data.target_languages
                )
                if data.target_languages is not None
                else None,
                interface_language=data.interface_language,
                show_followers_list=privacy.show_followers_list if privacy else None,
                show_following_list=privacy.show_following_list if privacy else None,
                chat_policy=data.chat_policy,
                send_read_receipts=data.send_read_receipts,
                timezone=data.timezone,
                desired_retention=data.desired_retention,
            ),
        )
        return MeOut.of(view)

    @post("/me/password", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def change_password(
        self, actor: Actor, data: ChangePasswordIn, uc: FromDishka[ChangePassword]
    ) -> None:
        await uc.execute(ChangePasswordCommand(actor, data.old_password, data.new_password))

    @post("/me/deactivate", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def deactivate(self, actor: Actor, uc: FromDishka[DeactivateAccount]) -> None:
        await uc.execute(DeactivateAccountCommand(actor))

    @post("/me/delete", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def delete_account(self, actor: Actor, uc: FromDishka[RequestAccountDeletion]) -> None:
        await uc.execute(RequestAccountDeletionCommand(actor))

    @get("/me/blocks")
    @inject
    async def my_blocks(
        self,
        actor: Actor,
        uc: FromDishka[ListBlocks],
        limit: int | None = Limit,
        cursor: str | None = Cursor,
    ) -> UserPageOut:
        return page_out(await uc.execute(ListBlocksCommand(actor, limit, cursor)))

    @get("/partners")
    @inject
    async def partners(
        self,
        actor: Actor,
        uc: FromDishka[SuggestPartners],
        limit: int | None = Limit,
        cursor: str | None = Cursor,
    ) -> UserPageOut:
        return page_out(await uc.execute(SuggestPartnersCommand(actor, limit, cursor)))

    @get("/{user_id:str}")
    @inject
    async def profile(
        self, user_id: str, maybe_actor: Actor | None, uc: FromDishka[GetProfile]
    ) -> UserOut:
        return UserOut.of(await uc.execute(GetProfileCommand(maybe_actor, user_id)))

    @get("/{user_id:str}/followers")
    @inject
    async def followers(
        self,
        user_id: str,
        maybe_actor: Actor | None,
        uc: FromDishka[ListFollowers],
        limit: int | None = Limit,
        cursor: str | None = Cursor,
    ) -> UserPageOut:
        return page_out(await uc.execute(ListFollowersCommand(maybe_actor, user_id, limit, cursor)))

    @get("/{user_id:str}/following")
    @inject
    async def following(
        self,
        user_id: str,
        maybe_actor: Actor | None,
        uc: FromDishka[ListFollowing],
        limit: int | None = Limit,
        cursor: str | None = Cursor,
    ) -> UserPageOut:
        return page_out(await uc.execute(ListFollowingCommand(maybe_actor, user_id, limit, cursor)))

    @put("/{user_id:str}/follow", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def follow(self, user_id: str, actor: Actor, uc: FromDishka[FollowUser]) -> None:
        await uc.execute(FollowUserCommand(actor, user_id))

    @delete("/{user_id:str}/follow", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def unfollow(self, user_id: str, actor: Actor, uc: FromDishka[UnfollowUser]) -> None:
        await uc.execute(UnfollowUserCommand(actor, user_id))

    @put("/{user_id:str}/block", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def block(self, user_id: str, actor: Actor, uc: FromDishka[BlockUser]) -> None:
        await uc.execute(BlockUserCommand(actor, user_id))

    @delete("/{user_id:str}/block", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def unblock(self, user_id: str, actor: Actor, uc: FromDishka[UnblockUser]) -> None:
        await uc.execute(UnblockUserCommand(actor, user_id))
