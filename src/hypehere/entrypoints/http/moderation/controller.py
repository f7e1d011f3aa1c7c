"""`POST /reports` (members, rate limited with the posting budget), `/admin/reports*`
(staff): the report queue and its decisions, and `/admin/audit-log` (staff)."""

from __future__ import annotations

from dishka import FromDishka
from dishka.integrations.litestar import inject
from litestar import Controller, get, post
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from hypehere.application.common.actor import Actor
from hypehere.application.moderation.decide_scanned_item import (
    DecideScannedItem,
    DecideScannedItemCommand,
)
from hypehere.application.moderation.dismiss_report import DismissReport, DismissReportCommand
from hypehere.application.moderation.file_report import FileReport, FileReportCommand
from hypehere.application.moderation.list_audit_log import (
    AuditPageView,
    ListAuditLog,
    ListAuditLogCommand,
)
from hypehere.application.moderation.list_moderation_queue import (
    ListModerationQueue,
    ListModerationQueueCommand,
    ScannedItemView,
    ScannedPageView,
)
from hypehere.application.moderation.list_reports import ListReports, ListReportsCommand
from hypehere.application.moderation.reopen_report import ReopenReport, ReopenReportCommand
from hypehere.application.moderation.report_views import ReportPageView, ReportView
from hypehere.application.moderation.resolve_report import ResolveReport, ResolveReportCommand
from hypehere.application.moderation.review_report import ReviewReport, ReviewReportCommand
from hypehere.entrypoints.common.mapping import shown_as
from hypehere.entrypoints.http.moderation.schemas import DismissIn, ReportIn, ReportOut, ResolveIn


class ReportsController(Controller):
    path = "/reports"
    tags = ["moderation"]

    @post("/", status_code=HTTP_201_CREATED, opt={"rate_limit": "post"})
    @inject
    async def file_report(
        self, actor: Actor, data: ReportIn, uc: FromDishka[FileReport]
    ) -> ReportOut:
        """Report a post, comment, user, chat message or anonymous partner (`reason`: spam,
        hate, harassment, violence, nsfw, other). 404 when the target does not exist or is
        hidden from you (a message: unless you take part in its conversation), 422
        `cannot_report_self` for yourself or your own content, 409 `report_exists` while
        your earlier report on the same target is still open. Counts against the posting
        rate limit. `target_type: anonymous_conversation` with the anonymous
        conversation's id reports the anonymous partner (participants only, else 404; the
        partner is never shown to you): the conversation's encrypted transcript, kept 72
        hours from its start, is attached for staff as it stands when you file (empty once
        it has lapsed)."""
        cmd = FileReportCommand(
            actor=actor,
            target_type=data.target_type,
            target_id=data.target_id,
            reason=data.reason,
            details=data.details,
        )
        return shown_as(await uc.execute(cmd), ReportOut)


class AdminReportsController(Controller):
    path = "/admin/reports"
    tags = ["admin"]

    @get("/")
    @inject
    async def list_reports(
        self,
        actor: Actor,
        uc: FromDishka[ListReports],
        status: str = "pending",
        limit: int | None = None,
        cursor: str | None = None,
    ) -> ReportPageView:
        """Reports in one status. pending and reviewing come in queue order: severity of
        the reason times the evidence behind the target (distinct reporters weighted by
        each reporter's share of upheld reports), oldest first on ties; resolved and
        dismissed come latest decision first."""
        return await uc.execute(
            ListReportsCommand(actor=actor, status=status, limit=limit, cursor=cursor)
        )

    @post("/{report_id:str}/review", status_code=HTTP_200_OK)
    @inject
    async def review(
        self, report_id: str, actor: Actor, uc: FromDishka[ReviewReport]
    ) -> ReportView:
        """Take an open report: it becomes `reviewing`, assigned to you."""
        return await uc.execute(ReviewReportCommand(actor=actor, report_id=report_id))

    @post("/{report_id:str}/resolve", status_code=HTTP_200_OK)
    @inject
    async def resolve(
        self, report_id: str, actor: Actor, data: ResolveIn, uc: FromDishka[ResolveReport]
    ) -> ReportView:
        """Resolve an open report: `action` none | warn | remove_content (posts and
        comments) | suspend (with `suspend_days`) | ban, applied to the reported content or
        user in the same transaction; the reported user's report_count goes up by one."""
        cmd = ResolveReportCommand(
            actor=actor,
            report_id=report_id,
            action=data.action,
            note=data.note,
            suspend_days=data.suspend_days,
        )
        return await uc.execute(cmd)

    @post("/{report_id:str}/dismiss", status_code=HTTP_200_OK)
    @inject
    async def dismiss(
        self, report_id: str, actor: Actor, data: DismissIn, uc: FromDishka[DismissReport]
    ) -> ReportView:
        """Dismiss an open report, or an earlier resolved one (its count against the
        reported user is undone)."""
        cmd = DismissReportCommand(actor=actor, report_id=report_id, note=data.note)
        return await uc.execute(cmd)

    @post("/{report_id:str}/reopen", status_code=HTTP_200_OK)
    @inject
    async def reopen(
        self, report_id: str, actor: Actor, uc: FromDishka[ReopenReport]
    ) -> ReportView:
        """Reopen a decided report (back to pending). Reopening a resolved report undoes
        its count; the action taken stays until lifted through its own endpoint."""
        return await uc.execute(ReopenReportCommand(actor=actor, report_id=report_id))


class AdminAuditLogController(Controller):
    path = "/admin/audit-log"
    tags = ["admin"]

    @get("/")
    @inject
    async def list_audit_log(
        self,
        actor: Actor,
        uc: FromDishka[ListAuditLog],
        actor_id: str | None = None,
        target_id: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> AuditPageView:
        """Every staff action, newest first: report decisions (report_review,
        report_resolve, report_dismiss, report_reopen), removals (remove_post,
        remove_comment), account actions (suspend, unsuspend, ban, unban, set_role). Filter
        by the staff member (`actor_id`) and/or the target (`target_id`: a user, post,
        comment or report id). Entries are never changed or deleted."""
        return await uc.execute(
            ListAuditLogCommand(
                actor=actor, actor_id=actor_id, target_id=target_id, limit=limit, cursor=cursor
            )
        )


class AdminModerationController(Controller):
    path = "/admin/moderation"
    tags = ["admin"]

    @get("/queue")
    @inject
    async def queue(
        self,
        actor: Actor,
        uc: FromDishka[ListModerationQueue],
        status: str = "pending",
        limit: int | None = None,
        cursor: str | None = None,
    ) -> ScannedPageView:
        """Posts and comments flagged by automatic moderation (pending), oldest first, each
        with the verdict: `category`, `confidence`, `reason`, `model`, `prompt_version`.
        `status=clear|approved|removed` lists the other verdicts and the staff labels. The
        content stays visible while it waits (the scan runs after publication)."""
        return await uc.execute(
            ListModerationQueueCommand(actor=actor, status=status, limit=limit, cursor=cursor)
        )

    @post("/{item_id:str}/approve", status_code=HTTP_200_OK)
    @inject
    async def approve(
        self, item_id: str, actor: Actor, uc: FromDishka[DecideScannedItem]
    ) -> ScannedItemView:
        """Keep the content (the verdict is labelled wrong)."""
        return await uc.execute(
            DecideScannedItemCommand(actor=actor, item_id=item_id, remove=False)
        )

    @post("/{item_id:str}/remove", status_code=HTTP_200_OK)
    @inject
    async def remove(
        self, item_id: str, actor: Actor, uc: FromDishka[DecideScannedItem]
    ) -> ScannedItemView:
        """Remove the content (placeholder for everyone, a strike for the author; the
        verdict is labelled right)."""
        return await uc.execute(DecideScannedItemCommand(actor=actor, item_id=item_id, remove=True))
