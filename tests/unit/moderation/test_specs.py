"""Specification notes: staff only, validated, latest update first."""

from __future__ import annotations

import pytest

from hypehere.adapters.memory.moderation import InMemorySpecRepository
from hypehere.application.common.actor import Actor, Role
from hypehere.application.moderation.create_spec import CreateSpec, CreateSpecCommand
from hypehere.application.moderation.list_specs import ListSpecs, ListSpecsCommand
from hypehere.application.moderation.update_spec import UpdateSpec, UpdateSpecCommand
from hypehere.domain.moderation.errors import SpecNotFoundError
from hypehere.domain.shared.errors import InvalidInputError, StaffOnlyError
from tests.unit.users.conftest import Kit

pytestmark = pytest.mark.unit

MOD = Actor(user_id="mod", role=Role.MODERATOR)


async def test_create_update_list(kit: Kit) -> None:
    repo = InMemorySpecRepository()
    create = CreateSpec(kit.uow, repo, kit.clock)
    update = UpdateSpec(kit.uow, repo, kit.clock)
    listing = ListSpecs(kit.uow, repo)
    a = await create.execute(
        CreateSpecCommand(actor=MOD, title="Queue order", body="...", category="Reports")
    )
    assert (a.status, a.category) == ("draft", "reports")
    kit.clock.advance(seconds=1)
    b = await create.execute(
        CreateSpecCommand(
            actor=MOD, title="Appeals", body="...", category="appeals", status="review"
        )
    )
    kit.clock.advance(seconds=1)
    changed = await update.execute(UpdateSpecCommand(actor=MOD, spec_id=a.id, status="approved"))
    assert changed.status == "approved" and changed.title == "Queue order"
    everything = await listing.execute(ListSpecsCommand(actor=MOD))
    assert [s.id for s in everything.items] == [a.id, b.id]
    only = await listing.execute(ListSpecsCommand(actor=MOD, status="review"))
    assert [s.id for s in only.items] == [b.id]
    first = await listing.execute(ListSpecsCommand(actor=MOD, limit=1))
    rest = await listing.execute(ListSpecsCommand(actor=MOD, limit=1, cursor=first.next_cursor))
    assert [s.id for s in rest.items] == [b.id]
    with pytest.raises(InvalidInputError):
        await update.execute(UpdateSpecCommand(actor=MOD, spec_id=a.id, status="done"))
    with pytest.raises(InvalidInputError):
        await create.execute(CreateSpecCommand(actor=MOD, title=" ", body="x", category="c"))
    with pytest.raises(SpecNotFoundError):
        await update.execute(UpdateSpecCommand(actor=MOD, spec_id="nope", title="x"))
    with pytest.raises(StaffOnlyError):
        await listing.execute(ListSpecsCommand(actor=Actor("member")))
