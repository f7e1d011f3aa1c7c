"""Email syntax via email-validator (no deliverability/DNS check)."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from hypehere.domain.users.errors import InvalidEmailError
from hypehere.domain.users.rules import normalize_email


class LibraryEmailValidator:
    def normalize(self, raw: str) -> str:
        email = normalize_email(raw)
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError as exc:
            raise InvalidEmailError("The email address is not valid", field="email") from exc
        return email
