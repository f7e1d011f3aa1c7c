"""The one parser of the moderation commands' closed words (a report's reason, a queue's
status, a role, ...): the enum member, or 400 `validation_error` on `field` naming them all."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from hypehere.domain.shared.errors import InvalidInputError

E = TypeVar("E", bound=StrEnum)


def parse_choice(kind: type[E], value: str, field: str) -> E:
    try:
        return kind(value)
    except ValueError as exc:
        allowed = ", ".join(member.value for member in kind)
        raise InvalidInputError(f"{field} must be one of {allowed}", field=field) from exc
