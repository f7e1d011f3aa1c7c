"""The audit log: account actions append in their transaction; staff list and filter it."""

from __future__ import annotations

import pytest

from hypehere.adapters.memory.moderation import (
    InMemoryAuditLog,
    InMemoryContentRemoval,
    InMemoryReportTargets,
    InMemoryStrikeRepository,
)
from hypehere.application.common.actor import Actor, Role
from hypehere.application.moderation.audited_account_action import AuditedAccountAction
from hypehere.application.moderation.ban_user import BanUser, BanUserCommand
from hypehere.application.moderation.list_audit_log import ListAuditLog, ListAuditLogCommand
from hypehere.application.moderation.remove_content import RemoveContent, RemoveContentCommand
from hypehere.application.moderation.set_user_role import SetUserRole, SetUserRoleCommand
from hypehere.application.moderation.suspend_user import SuspendUser, SuspendUserCommand
from hypehere.application.moderation.unsuspend_user import UnsuspendUser, UnsuspendUserCommand
from hypehere.domain.moderation.model import ReportTargetType
from hypehere.domain.shared.errors import StaffOnlyError
from hypehere.domain.shared.pagination import InvalidCursorError
from hypehere.domain.users.errors import UserNotFoundError
from tests.unit.users.conftest import Kit

pytestmark = pytest.mark.unit

MOD = Actor(user_id="mod-1", role=Role.MODERATOR)
ADMIN = Actor(user_id="admin-1", role=Role.ADMIN)


def action(kit: Kit, audit: InMemoryAuditLog) -> AuditedAccountAction:
    return AuditedAccountAction(
        kit.uow,
        kit.users,
        kit.tokens,
        kit.outbox,
        kit.control,
        kit.clock,
        audit,
        InMemoryStrikeRepository(),
    )


async def test_account_actions_are_audited(kit: Kit) -> None:
    audit = InMemoryAuditLog()
    victim = (await kit.register()).user.id
    await SuspendUser(action(kit, audit)).execute(
        SuspendUserCommand(actor=MOD, user_id=victim, days=1, reason="spam")
    )
    await UnsuspendUser(action(kit, audit)).execute(UnsuspendUserCommand(actor=MOD, user_id=victim))
    await BanUser(action(kit, audit)).execute(
        BanUserCommand(actor=ADMIN, user_id=victim, reason="fraud")
    )
    await SetUserRole(action(kit, audit)).execute(
        SetUserRoleCommand(actor=ADMIN, user_id=victim, role="moderator")
    )
    assert [(e.action, e.actor_id, e.target_id, e.reason) for e in audit.entries] == [
        ("suspend", MOD.user_id, victim, "spam"),
        ("unsuspend", MOD.user_id, victim, None),
        ("ban", ADMIN.user_id, victim, "fraud"),
        ("set_role", ADMIN.user_id, victim, None),
    ]
    assert audit.entries[0].detail is not None and audit.entries[0].detail.startswith("until=")
    assert audit.entries[3].detail == "role=moderator"
    with pytest.raises(UserNotFoundError):
        await BanUser(action(kit, audit)).execute(BanUserCommand(actor=ADMIN, user_id="nobody"))
    with pytest.raises(StaffOnlyError):
        await BanUser(action(kit, audit)).execute(
            BanUserCommand(actor=Actor(user_id="m"), user_id=victim)
        )
    assert len(audit.entries) == 4


async def test_content_removal_is_audited_once(kit: Kit) -> None:
    audit = InMemoryAuditLog()
    removal = InMemoryContentRemoval()
    remove = RemoveContent(
        kit.uow,
        removal,
        InMemoryReportTargets(),
        audit,
        InMemoryStrikeRepository(),
        kit.outbox,
        kit.clock,
    )
    cmd = RemoveContentCommand(
        actor=MOD, target_type=ReportTargetType.COMMENT, target_id="c1", reason=None
    )
    assert (await remove.execute(cmd)).changed is True
    assert (await remove.execute(cmd)).changed is False
    assert [(e.action, e.target_type.value, e.target_id) for e in audit.entries] == [
        ("remove_comment", "comment", "c1")
    ]
    with pytest.raises(StaffOnlyError):
        await remove.execute(
            RemoveContentCommand(
                actor=Actor(user_id="x"), target_type=ReportTargetType.POST, target_id="p"
            )
        )


async def test_list_filters_pages_and_is_staff_only(kit: Kit) -> None:
    audit = InMemoryAuditLog()
    a = (await kit.register()).user.id
    b = (await kit.register()).user.id
    for actor, target in ((MOD, a), (ADMIN, b), (MOD, b)):
        await SuspendUser(action(kit, audit)).execute(
            SuspendUserCommand(actor=actor, user_id=target, days=1, reason="r")
        )
        await UnsuspendUser(action(kit, audit)).execute(
            UnsuspendUserCommand(actor=actor, user_id=target)
        )
        kit.clock.advance(seconds=1)
    listing = ListAuditLog(kit.uow, audit)
    everything = await listing.execute(ListAuditLogCommand(actor=MOD))
    assert len(everything.items) == 6
    newest_first = [e.created_at for e in everything.items]
    assert newest_first == sorted(newest_first, reverse=True)
    mine = await listing.execute(ListAuditLogCommand(actor=MOD, actor_id=MOD.user_id))
    assert {e.actor_id for e in mine.items} == {MOD.user_id} and len(mine.items) == 4
    on_b = await listing.execute(ListAuditLogCommand(actor=MOD, target_id=b, actor_id="admin-1"))
    assert [(e.action, e.target_id) for e in on_b.items] == [("unsuspend", b), ("suspend", b)]
    seen = []
    cursor = None
    while True:
        page = await listing.execute(ListAuditLogCommand(actor=MOD, limit=4, cursor=cursor))
        seen += [e.id for e in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [e.id for e in everything.items]
    with pytest.raises(InvalidCursorError):
        await listing.execute(ListAuditLogCommand(actor=MOD, cursor="WzEsMiwzXQ"))
    with pytest.raises(StaffOnlyError):
        await listing.execute(ListAuditLogCommand(actor=Actor(user_id=a)))
