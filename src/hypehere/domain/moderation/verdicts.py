"""What an automatic classifier says about a text, with its provenance."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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
