"""Shared by the staff decisions on a report: load it (404), log the decision."""

from __future__ import annotations

from hypehere.application.moderation.report_ports import ReportRepository
from hypehere.domain.moderation.errors import ReportNotFoundError
from hypehere.domain.moderation.model import Report
from hypehere.domain.shared.errors import InvalidInputError

MAX_NOTE = 2000


async def load_report(reports: ReportRepository, report_id: str) -> Report:
    report = await reports.get(report_id)
    if report is None:
        raise ReportNotFoundError("The report was not found")
    return report


def clean_note(note: str) -> str:
    text = note.strip()
    if not text:
        raise InvalidInputError("note must not be empty", field="note")
    if len(text) > MAX_NOTE:
        raise InvalidInputError(f"note must have at most {MAX_NOTE} characters", field="note")
    return text
