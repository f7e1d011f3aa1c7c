"""Strikes and appeals against the in-memory fakes: every enforcement gives a strike, one
appeal per strike within 20 days, decided by another staff member; overturning lifts the
enforcement and the report count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

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
from hypehere.application.moderation.appeal_strike import AppealStrike, AppealStrikeCommand
from hypehere.application.moderation.audited_account_action import AuditedAccountAction
from hypehere.application.moderation.ban_user import BanUser, BanUserCommand
from hypehere.application.moderation.count_resolved_report import CountResolvedReport
from hypehere.application.moderation.decide_appeal import DecideAppeal, DecideAppealCommand
from hypehere.application.moderation.file_report import FileReport, FileReportCommand
from hypehere.application.moderation.get_report_counts import (
    GetReportCounts,
    GetReportCountsCommand,
)
from hypehere.application.moderation.list_appeals import ListAppeals, ListAppealsCommand
from hypehere.application.moderation.list_my_strikes import ListMyStrikes, ListMyStrikesCommand
from hypehere.application.moderation.remove_content import RemoveContent, RemoveContentCommand
from hypehere.application.moderation.resolve_report import ResolveReport, ResolveReportCommand
from hypehere.application.moderation.strikes_with_credentials import (
    AppealWithCredentials,
    AppealWithCredentialsCommand,
    ListStrikesWithCredentials,
    ListStrikesWithCredentialsCommand,
)
from hypehere.application.moderation.suspend_user import SuspendUser, SuspendUserCommand
from hypehere.application.moderation.unban_user import UnbanUser
from hypehere.application.moderation.uncount_dismissed_report import UncountDismissedReport
from hypehere.application.moderation.unsuspend_user import UnsuspendUser
from hypehere.domain.moderation.errors import (
    AppealExistsError,
    AppealStateError,
    AppealWindowClosedError,
    SameModeratorError,
    StrikeNotFoundError,
)
from hypehere.domain.moderation.model import ReportTargetType
from hypehere.domain.shared.errors import InvalidInputError, StaffOnlyError
from hypehere.domain.users.errors import InvalidCredentialsError
from hypehere.domain.users.model import AccountState
from tests.unit.users.conftest import Kit

pytestmark = pytest.mark.unit

MOD_A = Actor(user_id="mod-a", role=Role.MODERATOR)
MOD_B = Actor(user_id="mod-b", role=Role.MODERATOR)


@dataclass
class FakeCredentials:
    accounts: dict[tuple[str, str], str]

    async def verify(self, email: str, password: str) -> str:
        found = self.accounts.get((email, password))
        if found is None:
            raise InvalidCredentialsError("The email or password is wrong")
        return found


@dataclass
class FakeRestoration:
    restored: list[tuple[str, str]]

    async def restore(self, actor: Actor, content_type: str, content_id: str) -> bool:
        self.restored.append((content_type, content_id))
        return True


@dataclass
class World:
    kit: Kit
    strikes: InMemoryStrikeRepository
    audit: InMemoryAuditLog
    reports: InMemoryReportRepository
    targets: InMemoryReportTargets
    counters: InMemoryUserCounters
    restoration: FakeRestoration

    def action(self) -> AuditedAccountAction:
        k = self.kit
        return AuditedAccountAction(
            k.uow, k.users, k.tokens, k.outbox, k.control, k.clock, self.audit, self.strikes
        )

    def resolve(self) -> ResolveReport:
        k = self.kit
        return ResolveReport(
            k.uow,
            self.reports,
            InMemoryContentRemoval(),
            SuspendUser(self.action()),
            BanUser(self.action()),
            CountResolvedReport(k.uow, k.users, self.counters, k.clock),
            self.audit,
            self.strikes,
            k.outbox,
            k.clock,
        )

    def decide(self) -> DecideAppeal:
        k = self.kit
        return DecideAppeal(
            k.uow,
            self.strikes,
            k.users,
            self.restoration,
            UnsuspendUser(self.action()),
            UnbanUser(self.action()),
            UncountDismissedReport(k.uow, self.counters),
            self.audit,
            k.outbox,
            k.clock,
        )

    def appeal(self) -> AppealStrike:
        return AppealStrike(self.kit.uow, self.strikes, self.kit.clock)

    def mine(self) -> ListMyStrikes:
        return ListMyStrikes(self.kit.uow, self.strikes)

    async def member(self) -> Actor:
        return Actor(user_id=(await self.kit.register()).user.id)

    async def counts(self, user_id: str) -> tuple[int, int]:
        k = self.kit
        r = await GetReportCounts(k.uow, self.counters, k.clock).execute(
            GetReportCountsCommand(user_id)
        )
        return r.report_count, r.active_report_count

    async def resolved_report(self, reporter: Actor, author: Actor, **resolve: Any) -> None:
        self.targets.put(ReportTargetType.POST, "p1", author.user_id, "the bad words")
        filed = await FileReport(
            self.kit.uow, self.reports, self.targets, self.kit.outbox, self.kit.clock
        ).execute(
            FileReportCommand(actor=reporter, target_type="post", target_id="p1", reason="hate")
        )
        await self.resolve().execute(
            ResolveReportCommand(actor=MOD_A, report_id=filed.id, note="n", **resolve)
        )


@pytest.fixture
def w(kit: Kit) -> World:
    return World(
        kit=kit,
        strikes=InMemoryStrikeRepository(),
        audit=InMemoryAuditLog(),
        reports=InMemoryReportRepository(),
        targets=InMemoryReportTargets(),
        counters=InMemoryUserCounters(kit.store),
        restoration=FakeRestoration([]),
    )


async def test_every_enforcement_gives_a_strike(w: World) -> None:
    author, reader = await w.member(), await w.member()
    await w.resolved_report(reader, author, action="warn")
    await w.resolved_report(reader, author, action="remove_content")
    await SuspendUser(w.action()).execute(
        SuspendUserCommand(actor=MOD_A, user_id=author.user_id, days=1, reason="r")
    )
    await w.resolved_report(reader, author, action="ban")
    await w.resolved_report(reader, author, action="none")  # no enforcement, no strike
    page = await w.mine().execute(ListMyStrikesCommand(actor=author))
    assert [(s.action, s.reason, s.excerpt) for s in page.items] == [
        ("ban", "hate", "the bad words"),
        ("suspension", "other", None),
        ("content_removed", "hate", "the bad words"),
        ("warning", "hate", "the bad words"),
    ]
    assert page.items[2].content_id == "p1"
    assert all(s.report_id for s in page.items if s.reason == "hate")
    assert (await w.mine().execute(ListMyStrikesCommand(actor=reader))).items == []
    first = await w.mine().execute(ListMyStrikesCommand(actor=author, limit=3))
    rest = await w.mine().execute(
        ListMyStrikesCommand(actor=author, limit=3, cursor=first.next_cursor)
    )
    assert [s.id for s in first.items + rest.items] == [s.id for s in page.items]
    topics = w.kit.outbox.topics()
    assert topics.count("moderation.strike_issued") == 4
    assert topics.count("moderation.report_decided") == 4


async def test_direct_content_removal_strikes_the_author(w: World) -> None:
    author = await w.member()
    w.targets.put(ReportTargetType.COMMENT, "c1", author.user_id, "rude")
    remove = RemoveContent(
        w.kit.uow,
        InMemoryContentRemoval(),
        w.targets,
        w.audit,
        w.strikes,
        w.kit.outbox,
        w.kit.clock,
    )
    await remove.execute(
        RemoveContentCommand(actor=MOD_A, target_type=ReportTargetType.COMMENT, target_id="c1")
    )
    (strike,) = (await w.mine().execute(ListMyStrikesCommand(actor=author))).items
    assert (strike.action, strike.excerpt, strike.content_type) == (
        "content_removed",
        "rude",
        "comment",
    )


async def test_one_appeal_within_the_window_by_the_owner(w: World) -> None:
    author, other = await w.member(), await w.member()
    await w.resolved_report(other, author, action="warn")
    (strike,) = (await w.mine().execute(ListMyStrikesCommand(actor=author))).items
    with pytest.raises(StrikeNotFoundError):
        await w.appeal().execute(AppealStrikeCommand(actor=other, strike_id=strike.id, text="x"))
    with pytest.raises(InvalidInputError):
        await w.appeal().execute(AppealStrikeCommand(actor=author, strike_id=strike.id, text=" "))
    w.kit.clock.advance(days=20)  # the last moment still counts
    view = await w.appeal().execute(
        AppealStrikeCommand(actor=author, strike_id=strike.id, text="I was quoting")
    )
    assert view.appeal is not None and view.appeal.status == "pending"
    with pytest.raises(AppealExistsError):
        await w.appeal().execute(AppealStrikeCommand(actor=author, strike_id=strike.id, text="y"))
    await w.resolved_report(other, author, action="warn")
    newest = (await w.mine().execute(ListMyStrikesCommand(actor=author))).items[0]
    w.kit.clock.advance(days=20, seconds=1)
    with pytest.raises(AppealWindowClosedError):
        await w.appeal().execute(AppealStrikeCommand(actor=author, strike_id=newest.id, text="z"))


async def test_appeal_is_decided_by_another_staff_member_once(w: World) -> None:
    author, reader = await w.member(), await w.member()
    await w.resolved_report(reader, author, action="warn")
    (strike,) = (await w.mine().execute(ListMyStrikesCommand(actor=author))).items
    appealed = await w.appeal().execute(
        AppealStrikeCommand(actor=author, strike_id=strike.id, text="please")
    )
    assert appealed.appeal is not None
    appeal_id = appealed.appeal.id
    listing = ListAppeals(w.kit.uow, w.strikes)
    pending = await listing.execute(ListAppealsCommand(actor=MOD_B))
    assert [s.appeal.id for s in pending.items if s.appeal] == [appeal_id]
    with pytest.raises(StaffOnlyError):
        await listing.execute(ListAppealsCommand(actor=author))
    with pytest.raises(SameModeratorError):
        await w.decide().execute(
            DecideAppealCommand(actor=MOD_A, appeal_id=appeal_id, overturn=True, note="mine")
        )
    upheld = await w.decide().execute(
        DecideAppealCommand(actor=MOD_B, appeal_id=appeal_id, overturn=False, note="stands")
    )
    assert upheld.appeal is not None and upheld.appeal.status == "upheld"
    assert upheld.appeal_decided_by == MOD_B.user_id
    with pytest.raises(AppealStateError):
        await w.decide().execute(
            DecideAppealCommand(actor=MOD_B, appeal_id=appeal_id, overturn=True, note="again")
        )
    assert (await listing.execute(ListAppealsCommand(actor=MOD_B))).items == []
    done = await listing.execute(ListAppealsCommand(actor=MOD_B, status="upheld"))
    assert len(done.items) == 1
    assert await w.counts(author.user_id) == (1, 1)  # upheld: the report still counts
    assert w.audit.entries[-1].action == "appeal_uphold"
    assert w.kit.outbox.topics().count("moderation.appeal_decided") == 1


async def test_overturn_lifts_suspension_ban_and_restores_content(w: World) -> None:
    author, reader = await w.member(), await w.member()
    await w.resolved_report(reader, author, action="suspend", suspend_days=5)
    await w.resolved_report(reader, author, action="remove_content")
    assert w.kit.store.users[author.user_id].state is AccountState.SUSPENDED
    assert await w.counts(author.user_id) == (2, 2)
    strikes = (await w.mine().execute(ListMyStrikesCommand(actor=author))).items
    for strike in strikes:
        appealed = await w.appeal().execute(
            AppealStrikeCommand(actor=author, strike_id=strike.id, text="unfair")
        )
        assert appealed.appeal is not None
        await w.decide().execute(
            DecideAppealCommand(
                actor=MOD_B, appeal_id=appealed.appeal.id, overturn=True, note="fair point"
            )
        )
    assert w.kit.store.users[author.user_id].state is AccountState.ACTIVE
    assert w.restoration.restored == [("post", "p1")]
    assert await w.counts(author.user_id) == (0, 0)
    actions = [e.action for e in w.audit.entries]
    assert actions.count("appeal_overturn") == 2 and "unsuspend" in actions

    victim = await w.member()
    await BanUser(w.action()).execute(BanUserCommand(actor=MOD_A, user_id=victim.user_id))
    (ban,) = (await w.mine().execute(ListMyStrikesCommand(actor=victim))).items
    appealed = await w.appeal().execute(
        AppealStrikeCommand(actor=victim, strike_id=ban.id, text="hacked")
    )
    assert appealed.appeal is not None
    await w.decide().execute(
        DecideAppealCommand(actor=MOD_B, appeal_id=appealed.appeal.id, overturn=True, note="ok")
    )
    assert w.kit.store.users[victim.user_id].state is AccountState.ACTIVE


async def test_a_locked_out_user_reads_and_appeals_with_credentials(w: World) -> None:
    author, reader = await w.member(), await w.member()
    await w.resolved_report(reader, author, action="ban")
    creds = FakeCredentials({("a@example.com", "pw"): author.user_id})
    listing = ListStrikesWithCredentials(creds, w.mine())
    page = await listing.execute(
        ListStrikesWithCredentialsCommand(email="a@example.com", password="pw")
    )
    (strike,) = page.items
    with pytest.raises(InvalidCredentialsError):
        await listing.execute(
            ListStrikesWithCredentialsCommand(email="a@example.com", password="x")
        )
    appeal = AppealWithCredentials(creds, w.appeal())
    view = await appeal.execute(
        AppealWithCredentialsCommand(
            email="a@example.com", password="pw", strike_id=strike.id, text="let me back"
        )
    )
    assert view.appeal is not None and view.appeal.text == "let me back"
    assert view.appeal_deadline == view.created_at + timedelta(days=20)
