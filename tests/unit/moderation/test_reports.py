"""The report workflow against the in-memory fakes: filing (visibility, self, duplicates),
the queue, and staff decisions applied through the account and content use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from hypehere.adapters.memory.moderation import (
    InMemoryAuditLog,
    InMemoryContentRemoval,
    InMemoryReportRepository,
    InMemoryReportTargets,
    InMemoryStrikeRepository,
)
from hypehere.adapters.memory.users import InMemoryUserCounters
from hypehere.application.common.actor import Actor, Role
from hypehere.application.moderation.audited_account_action import AuditedAccountAction
from hypehere.application.moderation.ban_user import BanUser
from hypehere.application.moderation.count_resolved_report import CountResolvedReport
from hypehere.application.moderation.dismiss_report import DismissReport, DismissReportCommand
from hypehere.application.moderation.file_report import FileReport, FileReportCommand
from hypehere.application.moderation.get_report_counts import (
    GetReportCounts,
    GetReportCountsCommand,
)
from hypehere.application.moderation.list_reports import ListReports, ListReportsCommand
from hypehere.application.moderation.reopen_report import ReopenReport, ReopenReportCommand
from hypehere.application.moderation.resolve_report import ResolveReport, ResolveReportCommand
from hypehere.application.moderation.review_report import ReviewReport, ReviewReportCommand
from hypehere.application.moderation.suspend_user import SuspendUser
from hypehere.application.moderation.uncount_dismissed_report import UncountDismissedReport
from hypehere.domain.moderation.errors import (
    ActionNotApplicableError,
    ReportExistsError,
    ReportStateError,
    ReportTargetNotFoundError,
    SelfReportError,
)
from hypehere.domain.moderation.model import ReportTargetType
from hypehere.domain.shared.errors import InvalidInputError, StaffOnlyError
from hypehere.domain.shared.pagination import InvalidCursorError
from hypehere.domain.users.model import AccountState
from tests.unit.users.conftest import Kit

pytestmark = pytest.mark.unit

STAFF = Actor(user_id="staff-1", role=Role.MODERATOR)


@dataclass
class Reports:
    kit: Kit
    repo: InMemoryReportRepository
    targets: InMemoryReportTargets
    removal: InMemoryContentRemoval
    counters: InMemoryUserCounters
    audit: InMemoryAuditLog
    strikes: InMemoryStrikeRepository

    def _action(self) -> AuditedAccountAction:
        k = self.kit
        return AuditedAccountAction(
            k.uow, k.users, k.tokens, k.outbox, k.control, k.clock, self.audit, self.strikes
        )

    def file(self) -> FileReport:
        return FileReport(self.kit.uow, self.repo, self.targets, self.kit.outbox, self.kit.clock)

    def resolve(self) -> ResolveReport:
        k = self.kit
        return ResolveReport(
            k.uow,
            self.repo,
            self.removal,
            SuspendUser(self._action()),
            BanUser(self._action()),
            CountResolvedReport(k.uow, k.users, self.counters, k.clock),
            self.audit,
            self.strikes,
            k.outbox,
            k.clock,
        )

    def dismiss(self) -> DismissReport:
        k = self.kit
        return DismissReport(
            k.uow,
            self.repo,
            UncountDismissedReport(k.uow, self.counters),
            self.audit,
            k.outbox,
            k.clock,
        )

    def reopen(self) -> ReopenReport:
        k = self.kit
        return ReopenReport(
            k.uow, self.repo, UncountDismissedReport(k.uow, self.counters), self.audit, k.clock
        )

    async def counts(self, user_id: str) -> tuple[int, int]:
        k = self.kit
        result = await GetReportCounts(k.uow, self.counters, k.clock).execute(
            GetReportCountsCommand(user_id)
        )
        return result.report_count, result.active_report_count

    async def member(self) -> Actor:
        registered = await self.kit.register()
        return Actor(user_id=registered.user.id)

    async def queue(self, status: str = "pending") -> list[str]:
        page = await ListReports(self.kit.uow, self.repo).execute(
            ListReportsCommand(actor=STAFF, status=status)
        )
        return [v.target_id for v in page.items]


@pytest.fixture
def rep(kit: Kit) -> Reports:
    return Reports(
        kit=kit,
        repo=InMemoryReportRepository(),
        targets=InMemoryReportTargets(),
        removal=InMemoryContentRemoval(),
        counters=InMemoryUserCounters(kit.store),
        audit=InMemoryAuditLog(),
        strikes=InMemoryStrikeRepository(),
    )


def report(
    actor: Actor, target_id: str, reason: str = "spam", kind: str = "post"
) -> FileReportCommand:
    return FileReportCommand(actor=actor, target_type=kind, target_id=target_id, reason=reason)


async def test_file_report_checks_target_visibility_self_and_duplicates(rep: Reports) -> None:
    author, reader, outsider = await rep.member(), await rep.member(), await rep.member()
    rep.targets.put(ReportTargetType.POST, "p1", author.user_id, "buy now")
    rep.targets.put(
        ReportTargetType.MESSAGE, "m1", author.user_id, "hi", {author.user_id, reader.user_id}
    )
    view = await rep.file().execute(report(reader, "p1", "spam"))
    assert (view.status, view.reported_user_id, view.reporter_id) == (
        "pending",
        author.user_id,
        reader.user_id,
    )
    with pytest.raises(ReportExistsError):
        await rep.file().execute(report(reader, "p1", "hate"))
    with pytest.raises(SelfReportError):
        await rep.file().execute(report(author, "p1"))
    with pytest.raises(ReportTargetNotFoundError):
        await rep.file().execute(report(reader, "nope"))
    with pytest.raises(ReportTargetNotFoundError):  # not a participant of the conversation
        await rep.file().execute(report(outsider, "m1", kind="message"))
    assert (await rep.file().execute(report(reader, "m1", kind="message"))).target_type == "message"
    with pytest.raises(InvalidInputError):
        await rep.file().execute(report(reader, "p1", reason="boring"))
    with pytest.raises(InvalidInputError):
        await rep.file().execute(report(reader, "p1", kind="room"))
    with pytest.raises(ReportTargetNotFoundError):  # a post's id is no anonymous conversation
        await rep.file().execute(report(reader, "p1", kind="anonymous_conversation"))


async def test_a_decided_report_allows_a_new_one(rep: Reports) -> None:
    author, reader = await rep.member(), await rep.member()
    rep.targets.put(ReportTargetType.POST, "p1", author.user_id)
    first = await rep.file().execute(report(reader, "p1"))
    await rep.dismiss().execute(DismissReportCommand(actor=STAFF, report_id=first.id, note="ok"))
    second = await rep.file().execute(report(reader, "p1"))
    assert second.id != first.id
    with pytest.raises(ReportExistsError):  # reopening would make two open reports
        await rep.reopen().execute(ReopenReportCommand(actor=STAFF, report_id=first.id))


async def test_queue_ring_of_new_accounts_ranks_below_one_accurate_reporter(rep: Reports) -> None:
    target_author = await rep.member()
    accurate = await rep.member()
    # the accurate reporter's record: 6 reports, all upheld
    for i in range(6):
        rep.targets.put(ReportTargetType.POST, f"old{i}", target_author.user_id)
        old = await rep.file().execute(report(accurate, f"old{i}", "harassment"))
        await rep.resolve().execute(
            ResolveReportCommand(actor=STAFF, report_id=old.id, action="warn", note="upheld")
        )
    rep.targets.put(ReportTargetType.POST, "ringed", target_author.user_id)
    rep.targets.put(ReportTargetType.POST, "real", target_author.user_id)
    for _ in range(25):  # a ring of fresh accounts mass-reports one post, first
        await rep.file().execute(report(await rep.member(), "ringed", "harassment"))
    rep.kit.clock.advance(minutes=5)
    await rep.file().execute(report(accurate, "real", "harassment"))
    queue = await rep.queue()
    assert queue.index("real") < queue.index("ringed")


async def test_a_reporters_accuracy_change_reorders_their_other_open_reports(
    rep: Reports,
) -> None:
    author = await rep.member()
    reporter, other = await rep.member(), await rep.member()
    for target in ("a", "b", "first", "second"):
        rep.targets.put(ReportTargetType.POST, target, author.user_id)
    # "first" (reported first by `other`) and "second" (later by `reporter`) tie on evidence
    await rep.file().execute(report(other, "first", "harassment"))
    rep.kit.clock.advance(minutes=1)
    await rep.file().execute(report(reporter, "second", "harassment"))
    assert await rep.queue() == ["first", "second"]
    # the reporter's two other reports are upheld: "second" now carries more weight
    for target in ("a", "b"):
        filed = await rep.file().execute(report(reporter, target, "spam"))
        await rep.resolve().execute(
            ResolveReportCommand(actor=STAFF, report_id=filed.id, action="warn", note="upheld")
        )
    assert await rep.queue() == ["second", "first"]


async def test_queue_pages_without_duplicates_and_rejects_foreign_cursors(rep: Reports) -> None:
    author = await rep.member()
    reporters = [await rep.member() for _ in range(5)]
    for i, who in enumerate(reporters):
        rep.targets.put(ReportTargetType.POST, f"p{i}", author.user_id)
        await rep.file().execute(
            report(who, f"p{i}", ["spam", "hate", "violence", "other", "nsfw"][i])
        )
        rep.kit.clock.advance(seconds=1)
    listing = ListReports(rep.kit.uow, rep.repo)
    seen: list[str] = []
    cursor = None
    while True:
        page = await listing.execute(ListReportsCommand(actor=STAFF, limit=2, cursor=cursor))
        seen += [v.target_id for v in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == ["p2", "p1", "p4", "p0", "p3"]  # violence, hate, nsfw, spam, other
    first = await listing.execute(ListReportsCommand(actor=STAFF, limit=1))
    with pytest.raises(InvalidCursorError):
        await listing.execute(
            ListReportsCommand(actor=STAFF, status="resolved", cursor=first.next_cursor)
        )
    with pytest.raises(InvalidInputError):
        await listing.execute(ListReportsCommand(actor=STAFF, status="open"))
    with pytest.raises(StaffOnlyError):
        await listing.execute(ListReportsCommand(actor=reporters[0]))


async def test_review_resolve_dismiss_reopen_and_report_counts(rep: Reports) -> None:
    author, reader = await rep.member(), await rep.member()
    rep.targets.put(ReportTargetType.POST, "p1", author.user_id)
    filed = await rep.file().execute(report(reader, "p1"))
    reviewing = await ReviewReport(rep.kit.uow, rep.repo, rep.audit, rep.kit.clock).execute(
        ReviewReportCommand(actor=STAFF, report_id=filed.id)
    )
    assert (reviewing.status, reviewing.assignee_id) == ("reviewing", STAFF.user_id)
    assert await rep.queue("reviewing") == ["p1"]
    resolved = await rep.resolve().execute(
        ResolveReportCommand(
            actor=STAFF, report_id=filed.id, action="remove_content", note="spam link"
        )
    )
    assert (resolved.status, resolved.action, resolved.decided_by) == (
        "resolved",
        "remove_content",
        STAFF.user_id,
    )
    assert rep.removal.removed == [(ReportTargetType.POST, "p1")]
    assert await rep.counts(author.user_id) == (1, 1)
    with pytest.raises(ReportStateError):
        await rep.resolve().execute(
            ResolveReportCommand(actor=STAFF, report_id=filed.id, action="none", note="again")
        )
    dismissed = await rep.dismiss().execute(
        DismissReportCommand(actor=STAFF, report_id=filed.id, note="was fine after all")
    )
    assert dismissed.status == "dismissed"
    assert await rep.counts(author.user_id) == (0, 0)
    reopened = await rep.reopen().execute(ReopenReportCommand(actor=STAFF, report_id=filed.id))
    assert (reopened.status, reopened.decided_by, reopened.note) == ("pending", None, None)
    await rep.resolve().execute(
        ResolveReportCommand(actor=STAFF, report_id=filed.id, action="warn", note="warned")
    )
    assert await rep.counts(author.user_id) == (1, 1)
    rep.kit.clock.advance(days=31)
    assert await rep.counts(author.user_id) == (1, 0)
    await rep.reopen().execute(ReopenReportCommand(actor=STAFF, report_id=filed.id))
    assert await rep.counts(author.user_id) == (0, 0)


async def test_resolve_suspends_or_bans_the_reported_user(rep: Reports) -> None:
    a, b, reader = await rep.member(), await rep.member(), await rep.member()
    rep.targets.put(ReportTargetType.USER, a.user_id, a.user_id)
    rep.targets.put(ReportTargetType.COMMENT, "c1", b.user_id)
    ra = await rep.file().execute(report(reader, a.user_id, "harassment", kind="user"))
    rb = await rep.file().execute(report(reader, "c1", "hate", kind="comment"))
    with pytest.raises(InvalidInputError):
        await rep.resolve().execute(
            ResolveReportCommand(actor=STAFF, report_id=ra.id, action="suspend", note="x")
        )
    with pytest.raises(ActionNotApplicableError):
        await rep.resolve().execute(
            ResolveReportCommand(actor=STAFF, report_id=ra.id, action="remove_content", note="x")
        )
    await rep.resolve().execute(
        ResolveReportCommand(
            actor=STAFF, report_id=ra.id, action="suspend", suspend_days=3, note="threats"
        )
    )
    user_a = rep.kit.store.users[a.user_id]
    assert user_a.state is AccountState.SUSPENDED
    assert user_a.suspended_until == rep.kit.clock.now() + timedelta(days=3)
    assert user_a.suspension_reason == "threats"
    await rep.resolve().execute(
        ResolveReportCommand(actor=STAFF, report_id=rb.id, action="ban", note="slurs")
    )
    assert rep.kit.store.users[b.user_id].state is AccountState.BANNED
    assert await rep.counts(a.user_id) == (1, 1)
    assert await rep.counts(b.user_id) == (1, 1)


async def test_staff_only_decisions(rep: Reports) -> None:
    author, reader = await rep.member(), await rep.member()
    rep.targets.put(ReportTargetType.POST, "p1", author.user_id)
    filed = await rep.file().execute(report(reader, "p1"))
    with pytest.raises(StaffOnlyError):
        await rep.resolve().execute(
            ResolveReportCommand(actor=reader, report_id=filed.id, action="none", note="x")
        )
    with pytest.raises(StaffOnlyError):
        await rep.dismiss().execute(
            DismissReportCommand(actor=reader, report_id=filed.id, note="x")
        )
    with pytest.raises(InvalidInputError):
        await rep.dismiss().execute(DismissReportCommand(actor=STAFF, report_id=filed.id, note=" "))


def _trail(rep: Reports) -> list[tuple[str, str, str, str | None]]:
    return [(e.action, e.target_type.value, e.actor_id, e.reason) for e in rep.audit.entries]


async def test_every_staff_decision_is_audited_with_its_reason(rep: Reports) -> None:
    author, reader = await rep.member(), await rep.member()
    rep.targets.put(ReportTargetType.POST, "p1", author.user_id)
    filed = await rep.file().execute(report(reader, "p1", "violence"))
    assert rep.audit.entries == []  # filing is not a staff action
    await ReviewReport(rep.kit.uow, rep.repo, rep.audit, rep.kit.clock).execute(
        ReviewReportCommand(actor=STAFF, report_id=filed.id)
    )
    await rep.resolve().execute(
        ResolveReportCommand(actor=STAFF, report_id=filed.id, action="remove_content", note="gore")
    )
    await rep.dismiss().execute(DismissReportCommand(actor=STAFF, report_id=filed.id, note="no"))
    await rep.reopen().execute(ReopenReportCommand(actor=STAFF, report_id=filed.id))
    await rep.resolve().execute(
        ResolveReportCommand(actor=STAFF, report_id=filed.id, action="ban", note="threats")
    )
    s = STAFF.user_id
    assert _trail(rep) == [
        ("report_review", "report", s, None),
        ("remove_post", "post", s, "gore"),
        ("report_resolve", "report", s, "gore"),
        ("report_dismiss", "report", s, "no"),
        ("report_reopen", "report", s, None),
        ("ban", "user", s, "threats"),
        ("report_resolve", "report", s, "threats"),
    ]
    assert rep.audit.entries[2].detail == "action=remove_content"
    assert rep.audit.entries[5].target_id == author.user_id


async def test_a_failed_action_leaves_no_audit_entry(rep: Reports) -> None:
    author, reader = await rep.member(), await rep.member()
    rep.targets.put(ReportTargetType.USER, author.user_id, author.user_id)
    filed = await rep.file().execute(report(reader, author.user_id, kind="user"))
    with pytest.raises(ActionNotApplicableError):
        await rep.resolve().execute(
            ResolveReportCommand(actor=STAFF, report_id=filed.id, action="remove_content", note="x")
        )
    assert rep.audit.entries == []
