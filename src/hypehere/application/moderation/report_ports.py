"""Ports of the report workflow: report storage, where reported things live (other
modules, through `adapters/modules/`), and removing reported content."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.domain.moderation.model import (
    Report,
    ReportStatus,
    ReportTargetType,
    TranscriptLine,
)
from hypehere.domain.shared.pagination import Page, PageRequest


class ReporterRecord(msgspec.Struct, frozen=True):
    """A reporter's decided reports: how many, and how many were upheld (resolved)."""

    upheld: int = 0
    decided: int = 0


class ReportRepository(Protocol):
    async def add(self, report: Report) -> None:
        """Store a new report; a second OPEN report by the same reporter on the same target
        raises StorageConflictError."""
        ...

    async def get(self, report_id: str) -> Report | None: ...

    async def save(self, report: Report) -> None: ...

    async def open_exists(
        self, reporter_id: str, target_type: ReportTargetType, target_id: str
    ) -> bool: ...

    async def open_for_target(
        self, target_type: ReportTargetType, target_id: str
    ) -> Sequence[Report]:
        """The target's open reports (pending or reviewing), oldest first."""
        ...

    async def reporter_records(self, reporter_ids: Sequence[str]) -> dict[str, ReporterRecord]:
        """Each reporter's decided reports (reporters without any are left out)."""
        ...

    async def open_targets_of(self, reporter_id: str) -> Sequence[tuple[ReportTargetType, str]]:
        """The distinct targets of the reporter's open reports, sorted by (type, id)."""
        ...

    async def list_by_status(self, status: ReportStatus, page: PageRequest) -> Page[Report]:
        """Open statuses: the queue order (priority high first, then oldest first, then
        id); decided statuses: the latest decision first. Cursors hold the sort key."""
        ...


class ReportedTarget(msgspec.Struct, frozen=True):
    """A reported thing as its owner module knows it: who owns it and a short excerpt."""

    owner_id: str
    excerpt: str
    text: str = ""  # the whole text (for the classifier)
    transcript: tuple[TranscriptLine, ...] | None = None  # anonymous conversations only


class ReportTargets(Protocol):
    async def locate(
        self, viewer: Actor, target_type: ReportTargetType, target_id: str
    ) -> ReportedTarget | None:
        """The target if it exists and `viewer` may see it (a message: only a participant
        of its conversation; an anonymous conversation: only a participant, and its owner
        is the partner, with the transcript as it stands), else None."""
        ...


class ContentRemoval(Protocol):
    async def remove(self, actor: Actor, target_type: ReportTargetType, target_id: str) -> bool:
        """Remove a post, comment, direct or room message by moderation (a placeholder
        stays; a held message is rejected: never delivered); False when it was already
        removed. Raises ActionNotApplicableError for other target types."""
        ...
