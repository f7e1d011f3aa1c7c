"""The fail-open scan: every verdict stored with provenance, flagged ones queued for staff,
a classifier outage re-raised (the outbox retries), staff decisions kept as labels."""

from __future__ import annotations

import pytest

from hypehere.adapters.memory.moderation import (
    InMemoryAuditLog,
    InMemoryContentRemoval,
    InMemoryHeldContent,
    InMemoryReportTargets,
    InMemoryScannedItems,
    InMemoryStrikeRepository,
)
from hypehere.adapters.moderation.rules import RulesClassifier
from hypehere.application.common.actor import Actor, Role
from hypehere.application.moderation.check_held_content import (
    CheckHeldContent,
    CheckHeldContentCommand,
)
from hypehere.application.moderation.classifier_ports import ClassifierUnavailableError
from hypehere.application.moderation.decide_scanned_item import (
    DecideScannedItem,
    DecideScannedItemCommand,
)
from hypehere.application.moderation.list_moderation_queue import (
    ListModerationQueue,
    ListModerationQueueCommand,
)
from hypehere.application.moderation.recheck_held_content import (
    RecheckHeldContent,
    RecheckHeldContentCommand,
)
from hypehere.application.moderation.remove_content import RemoveContent
from hypehere.application.moderation.scan_content import ScanContent, ScanContentCommand
from hypehere.domain.moderation.errors import HeldItemStateError
from hypehere.domain.moderation.model import ReportTargetType
from hypehere.domain.moderation.verdicts import ClassifyContext, Verdict
from hypehere.domain.shared.errors import StaffOnlyError
from tests.unit.users.conftest import Kit

pytestmark = pytest.mark.unit

MOD = Actor(user_id="mod", role=Role.MODERATOR)


class DownClassifier:
    async def classify(self, text: str, language: str, context: ClassifyContext) -> Verdict:
        raise ClassifierUnavailableError("down")


async def test_scan_queue_and_decisions(kit: Kit) -> None:
    targets = InMemoryReportTargets()
    targets.put(ReportTargetType.POST, "p1", "alice", "I love studying Korean")
    targets.put(ReportTargetType.POST, "p2", "bob", "add my kakao id: cheapcoins99 for profit")
    targets.put(ReportTargetType.COMMENT, "c1", "bob", "send me money for the ticket")
    items = InMemoryScannedItems()
    scan = ScanContent(kit.uow, targets, RulesClassifier(), items, kit.clock)
    clear = await scan.execute(ScanContentCommand(content_type="post", content_id="p1"))
    assert clear is not None and clear.status.value == "clear"
    held = await scan.execute(ScanContentCommand(content_type="post", content_id="p2"))
    assert held is not None and held.status.value == "pending"
    kit.clock.advance(seconds=1)
    await scan.execute(ScanContentCommand(content_type="comment", content_id="c1"))
    await scan.execute(ScanContentCommand(content_type="post", content_id="p2"))  # redelivery
    assert await scan.execute(ScanContentCommand(content_type="post", content_id="gone")) is None
    assert len(items.items) == 3

    queue = ListModerationQueue(kit.uow, items)
    pending = await queue.execute(ListModerationQueueCommand(actor=MOD))
    assert [(i.content_id, i.category, i.model) for i in pending.items] == [
        ("p2", "scam", "rules"),
        ("c1", "scam", "rules"),
    ]
    assert pending.items[0].reason and pending.items[0].prompt_version == "rules-2"
    with pytest.raises(StaffOnlyError):
        await queue.execute(ListModerationQueueCommand(actor=Actor("alice")))

    removal = InMemoryContentRemoval()
    audit = InMemoryAuditLog()
    strikes = InMemoryStrikeRepository()
    remove = RemoveContent(kit.uow, removal, targets, audit, strikes, kit.outbox, kit.clock)
    decide = DecideScannedItem(kit.uow, items, remove, InMemoryHeldContent(), audit, kit.clock)
    removed = await decide.execute(
        DecideScannedItemCommand(actor=MOD, item_id=pending.items[0].id, remove=True)
    )
    approved = await decide.execute(
        DecideScannedItemCommand(actor=MOD, item_id=pending.items[1].id, remove=False)
    )
    assert (removed.status, approved.status) == ("removed", "approved")
    assert removal.removed == [(ReportTargetType.POST, "p2")]
    assert [s.user_id for s in strikes.strikes.values()] == ["bob"]
    assert [e.action for e in audit.entries] == ["remove_post", "moderation_approve"]
    with pytest.raises(HeldItemStateError):
        await decide.execute(
            DecideScannedItemCommand(actor=MOD, item_id=pending.items[1].id, remove=True)
        )
    labels = await queue.execute(ListModerationQueueCommand(actor=MOD, status="removed"))
    assert [i.content_id for i in labels.items] == ["p2"]


class CountingClassifier(RulesClassifier):
    def __init__(self) -> None:
        self.kinds: list[str] = []

    async def classify(self, text: str, language: str, context: ClassifyContext) -> Verdict:
        self.kinds.append(context.kind.value)
        return await super().classify(text, language, context)


async def test_room_messages_are_scanned_and_judged_content_is_not_classified_again(
    kit: Kit,
) -> None:
    """A room message is classified as a message and queued as a `room_message`; content
    with a verdict (a held item checked, then announced as sent on its release) is not
    sent to the classifier again."""
    targets = InMemoryReportTargets()
    targets.put(ReportTargetType.ROOM_MESSAGE, "r1", "bob", "add my kakao id: cashking77")
    targets.put(ReportTargetType.MESSAGE, "m1", "bob", "hello there")
    items = InMemoryScannedItems()
    classifier = CountingClassifier()
    scan = ScanContent(kit.uow, targets, classifier, items, kit.clock)
    flagged = await scan.execute(ScanContentCommand(content_type="room_message", content_id="r1"))
    assert flagged is not None and (flagged.content_type, flagged.status.value) == (
        "room_message",
        "pending",
    )
    check = CheckHeldContent(kit.uow, targets, classifier, items, InMemoryHeldContent(), kit.clock)
    await check.execute(CheckHeldContentCommand(content_type="message", content_id="m1"))
    assert classifier.kinds == ["message", "message"]
    for content_type, content_id in (("room_message", "r1"), ("message", "m1")):
        again = ScanContentCommand(content_type=content_type, content_id=content_id)
        assert await scan.execute(again) is None
    assert classifier.kinds == ["message", "message"]
    queue = await ListModerationQueue(kit.uow, items).execute(ListModerationQueueCommand(actor=MOD))
    assert [(i.content_type, i.content_id) for i in queue.items] == [("room_message", "r1")]


async def test_an_outage_is_not_recorded_as_safe(kit: Kit) -> None:
    targets = InMemoryReportTargets()
    targets.put(ReportTargetType.POST, "p1", "alice", "hello")
    items = InMemoryScannedItems()
    scan = ScanContent(kit.uow, targets, DownClassifier(), items, kit.clock)
    with pytest.raises(ClassifierUnavailableError):
        await scan.execute(ScanContentCommand(content_type="post", content_id="p1"))
    assert items.items == {}
    retry = ScanContent(kit.uow, targets, RulesClassifier(), items, kit.clock)
    assert await retry.execute(ScanContentCommand(content_type="post", content_id="p1"))
    assert len(items.items) == 1


async def test_held_posts_are_released_only_on_a_safe_verdict(kit: Kit) -> None:
    targets = InMemoryReportTargets()
    targets.put(ReportTargetType.POST, "fine", "newbie", "My first post! I study Korean")
    targets.put(ReportTargetType.POST, "scam", "newbie", "my kakao id is cash_king77, add me")
    held = InMemoryHeldContent({(ReportTargetType.POST, "fine"), (ReportTargetType.POST, "scam")})
    items = InMemoryScannedItems()

    down = CheckHeldContent(kit.uow, targets, DownClassifier(), items, held, kit.clock)
    with pytest.raises(ClassifierUnavailableError):  # the outbox checks it again later
        await down.execute(CheckHeldContentCommand(content_type="post", content_id="fine"))
    assert held.released == [] and items.items == {}

    check = CheckHeldContent(kit.uow, targets, RulesClassifier(), items, held, kit.clock)
    fine = await check.execute(CheckHeldContentCommand(content_type="post", content_id="fine"))
    scam = await check.execute(CheckHeldContentCommand(content_type="post", content_id="scam"))
    assert fine is not None and fine.status.value == "clear"
    assert scam is not None and scam.status.value == "pending"
    assert held.released == [(ReportTargetType.POST, "fine")]
    assert held.held == {(ReportTargetType.POST, "scam")}
    assert (
        await check.execute(CheckHeldContentCommand(content_type="post", content_id="gone")) is None
    )

    audit = InMemoryAuditLog()
    remove = RemoveContent(
        kit.uow,
        InMemoryContentRemoval(),
        targets,
        audit,
        InMemoryStrikeRepository(),
        kit.outbox,
        kit.clock,
    )
    decide = DecideScannedItem(kit.uow, items, remove, held, audit, kit.clock)
    await decide.execute(DecideScannedItemCommand(actor=MOD, item_id=scam.id, remove=False))
    assert held.held == set()  # staff approved it: released


async def test_moderation_scan_rechecks_held_content_left_without_a_verdict(kit: Kit) -> None:
    targets = InMemoryReportTargets()
    for post_id in ("lost", "pending", "cleared"):
        text = "add my kakao id: cheapcoins99" if post_id == "pending" else "hello friends"
        targets.put(ReportTargetType.POST, post_id, "newbie", text)
    held = InMemoryHeldContent({(ReportTargetType.POST, p) for p in ("lost", "pending", "cleared")})
    items = InMemoryScannedItems()
    check = CheckHeldContent(kit.uow, targets, RulesClassifier(), items, held, kit.clock)
    await check.execute(CheckHeldContentCommand(content_type="post", content_id="pending"))
    # "cleared" got a safe verdict but its release was lost; "lost" was never checked
    cleared = await ScanContent(kit.uow, targets, RulesClassifier(), items, kit.clock).execute(
        ScanContentCommand(content_type="post", content_id="cleared")
    )
    assert cleared is not None and cleared.status.value == "clear"

    down = CheckHeldContent(kit.uow, targets, DownClassifier(), items, held, kit.clock)
    outage = await RecheckHeldContent(kit.uow, held, items, down, kit.clock).execute(
        RecheckHeldContentCommand()
    )
    assert outage.unavailable is True
    assert (ReportTargetType.POST, "lost") in held.held  # still held, nothing marked safe

    result = await RecheckHeldContent(kit.uow, held, items, check, kit.clock).execute(
        RecheckHeldContentCommand()
    )
    assert (result.checked, result.unavailable) == (1, False)
    assert held.held == {(ReportTargetType.POST, "pending")}  # waits for staff
    assert sorted(p for _, p in held.released) == ["cleared", "lost"]


async def test_flagged_chat_messages_are_removed_by_staff_decisions(kit: Kit) -> None:
    """`remove` on a flagged direct or room message removes it through the owner module
    (audited as `remove_message` / `remove_room_message`, a strike for its sender, the
    decision kept as a label), as for posts."""
    targets = InMemoryReportTargets()
    targets.put(ReportTargetType.MESSAGE, "m1", "bob", "add my kakao id: cashking77")
    targets.put(ReportTargetType.ROOM_MESSAGE, "r1", "carol", "send me money via my kakao id")
    items = InMemoryScannedItems()
    scan = ScanContent(kit.uow, targets, RulesClassifier(), items, kit.clock)
    for kind, content_id in (("message", "m1"), ("room_message", "r1")):
        await scan.execute(ScanContentCommand(content_type=kind, content_id=content_id))
        kit.clock.advance(seconds=1)
    queue = ListModerationQueue(kit.uow, items)
    pending = (await queue.execute(ListModerationQueueCommand(actor=MOD))).items
    assert [(i.content_type, i.content_id) for i in pending] == [
        ("message", "m1"),
        ("room_message", "r1"),
    ]
    removal, audit, strikes = (
        InMemoryContentRemoval(),
        InMemoryAuditLog(),
        InMemoryStrikeRepository(),
    )
    remove = RemoveContent(kit.uow, removal, targets, audit, strikes, kit.outbox, kit.clock)
    decide = DecideScannedItem(kit.uow, items, remove, InMemoryHeldContent(), audit, kit.clock)
    for item in pending:
        decided = await decide.execute(
            DecideScannedItemCommand(actor=MOD, item_id=item.id, remove=True)
        )
        assert decided.status == "removed"
    assert removal.removed == [
        (ReportTargetType.MESSAGE, "m1"),
        (ReportTargetType.ROOM_MESSAGE, "r1"),
    ]
    assert [(e.action, e.target_type.value, e.target_id) for e in audit.entries] == [
        ("remove_message", "message", "m1"),
        ("remove_room_message", "room_message", "r1"),
    ]
    assert sorted((s.user_id, s.content_type) for s in strikes.strikes.values()) == [
        ("bob", "message"),
        ("carol", "room_message"),
    ]
    labels = await queue.execute(ListModerationQueueCommand(actor=MOD, status="removed"))
    assert [i.content_id for i in labels.items] == ["m1", "r1"]
    issued = [m for m in kit.outbox.messages if m.topic == "moderation.strike_issued"]
    assert [m.payload["content_type"] for m in issued] == ["message", "room_message"]
