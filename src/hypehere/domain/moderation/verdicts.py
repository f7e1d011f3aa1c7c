"""What an automatic classifier says about a text, with its provenance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from hypehere.domain.moderation.errors import HeldItemStateError


class Category(StrEnum):
    NONE = "none"  # nothing wrong
    SPAM = "spam"
    SCAM = "scam"  # contact harvesting, money requests
    HATE = "hate"
    HARASSMENT = "harassment"
    VIOLENCE = "violence"
    NSFW = "nsfw"


class ContentKind(StrEnum):
    POST = "post"
    COMMENT = "comment"
    MESSAGE = "message"
    ROOM_TITLE = "room_title"


@dataclass(frozen=True, slots=True)
class ClassifyContext:
    kind: ContentKind
    author_is_new: bool = False


@dataclass(frozen=True, slots=True)
class Verdict:
    category: Category
    confidence: float  # 0..1
    reason: str
    model: str  # "rules" or the LLM model id
    prompt_version: str

    @property
    def flagged(self) -> bool:
        return self.category is not Category.NONE


REVIEW_CONFIDENCE = 0.5  # a flagged verdict at least this sure goes to the staff queue


class ReviewStatus(StrEnum):
    CLEAR = "clear"  # the verdict found nothing to review
    PENDING = "pending"  # waiting for staff
    APPROVED = "approved"  # staff kept it (a label: the classifier was wrong)
    REMOVED = "removed"  # staff removed it (a label: the classifier was right)


def needs_review(verdict: Verdict) -> bool:
    return verdict.flagged and verdict.confidence >= REVIEW_CONFIDENCE


@dataclass(slots=True)
class ScannedItem:
    """One scanned post or comment with its verdict and provenance, and the staff label."""

    id: str
    content_type: str
    content_id: str
    author_id: str
    excerpt: str
    verdict: Verdict
    status: ReviewStatus
    created_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None

    @classmethod
    def judged(
        cls,
        item_id: str,
        content_type: str,
        content_id: str,
        author_id: str,
        excerpt: str,
        verdict: Verdict,
        now: datetime,
    ) -> ScannedItem:
        """A freshly classified item: waiting for staff when the verdict `needs_review`."""
        status = ReviewStatus.PENDING if needs_review(verdict) else ReviewStatus.CLEAR
        return cls(item_id, content_type, content_id, author_id, excerpt, verdict, status, now)

    @property
    def flagged(self) -> bool:
        return self.status is ReviewStatus.PENDING

    def decide(self, staff_id: str, remove: bool, now: datetime) -> None:
        if self.status is not ReviewStatus.PENDING:
            raise HeldItemStateError("The item is not waiting for review")
        self.status = ReviewStatus.REMOVED if remove else ReviewStatus.APPROVED
        self.decided_by = staff_id
        self.decided_at = now
