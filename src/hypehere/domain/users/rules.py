"""Named policies for identities: emails, handles, nicknames, passwords, languages."""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from collections.abc import Iterator, Sequence

from hypehere.domain.shared.errors import InvalidInputError
from hypehere.domain.shared.languages import (
    INTERFACE_LANGUAGES,
    CefrLevel,
    InvalidLanguageError,
    parse_language,
)
from hypehere.domain.shared.text import clean_text
from hypehere.domain.users.errors import (
    InvalidEmailError,
    InvalidRetentionError,
    InvalidTimezoneError,
    WeakPasswordError,
)

EMAIL_MAX_LENGTH = 320
HANDLE_MIN_LENGTH = 3
HANDLE_MAX_LENGTH = 30
NICKNAME_MAX_LENGTH = 30
BIO_MAX_LENGTH = 500
AVATAR_URL_MAX_LENGTH = 2048
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 256
MAX_TARGET_LANGUAGES = 5
GRACE_PERIOD_DAYS = 30
ACTIVE_REPORT_WINDOW_DAYS = 30

HANDLE_PATTERN = re.compile(r"^[a-z0-9_]{3,30}$")
_HANDLE_DISALLOWED = re.compile(r"[^a-z0-9_]+")


def normalize_email(raw: str) -> str:
    """Trimmed, NFC, lower-cased: the one spelling under which an email is unique.

    Only the structure is checked here (one `@`, non-empty parts, no spaces); full syntax
    validation is the `EmailValidator` port's job."""
    email = unicodedata.normalize("NFC", raw).strip().lower()
    local, at, domain = email.rpartition("@")
    if (
        not at
        or not local
        or not domain
        or len(email) > EMAIL_MAX_LENGTH
        or any(ch.isspace() for ch in email)
        or "@" in local
    ):
        raise InvalidEmailError("The email address is not valid", field="email")
    return email


def handle_base(email: str) -> str:
    """A handle-shaped string derived from the email's local part (before `+` tags)."""
    local = email.rpartition("@")[0].split("+", 1)[0]
    ascii_local = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode()
    base = _HANDLE_DISALLOWED.sub("_", ascii_local.lower()).strip("_")
    base = re.sub(r"_+", "_", base)[:HANDLE_MAX_LENGTH].rstrip("_")
    if len(base) < HANDLE_MIN_LENGTH:
        base = (base + "_user" if base else "user")[:HANDLE_MAX_LENGTH]
    return base


def handle_candidates(base: str, count: int) -> Iterator[str]:
    """`base`, then `base2`, `base3`, ... each at most 30 characters (the base is cut),
    `count` distinct handles in all. Cutting can give back an earlier one (a 30-character
    base ending in `2` cut to 29 plus `2` is the base again): such a number is skipped."""
    seen = {base}
    yield base
    n = 1
    while len(seen) < count:
        n += 1
        suffix = str(n)
        candidate = base[: HANDLE_MAX_LENGTH - len(suffix)] + suffix
        if candidate not in seen:
            seen.add(candidate)
            yield candidate


def parse_handle(raw: str) -> str:
    handle = raw.strip().lower()
    if not HANDLE_PATTERN.match(handle):
        raise InvalidInputError("A handle has 3-30 characters of a-z, 0-9 and _", field="handle")
    return handle


def parse_nickname(raw: str) -> str:
    return clean_text(raw, field="nickname", min_len=1, max_len=NICKNAME_MAX_LENGTH)


def parse_bio(raw: str) -> str:
    return clean_text(raw, field="bio", min_len=0, max_len=BIO_MAX_LENGTH)


def parse_avatar_url(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    url = raw.strip()
    if len(url) > AVATAR_URL_MAX_LENGTH or not re.match(
        r"^https?://[^\s/$.?#][^\s]*$", url, re.IGNORECASE
    ):
        raise InvalidInputError("avatar_url must be an http(s) URL", field="avatar_url")
    return url


def check_password(password: str, *, email: str) -> None:
    if len(password) < PASSWORD_MIN_LENGTH:
        raise WeakPasswordError(
            f"The password must have at least {PASSWORD_MIN_LENGTH} characters", field="password"
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise WeakPasswordError(
            f"The password must have at most {PASSWORD_MAX_LENGTH} characters", field="password"
        )
    if password.strip().lower() == email.strip().lower():
        raise WeakPasswordError("The password must not be the email", field="password")


def parse_interface_language(raw: str) -> str:
    code = raw.strip().lower()
    if code not in INTERFACE_LANGUAGES:
        raise InvalidLanguageError(
            "interface_language must be one of ko, en, ja, es", field="interface_language"
        )
    return code


DEFAULT_TIMEZONE = "UTC"
DEFAULT_DESIRED_RETENTION = 0.9
MIN_DESIRED_RETENTION = 0.70
MAX_DESIRED_RETENTION = 0.97


def parse_timezone(raw: str) -> str:
    """An IANA time zone name known to the system's tz database (`Asia/Seoul`, `UTC`)."""
    name = raw.strip()
    try:
        valid = bool(name) and len(name) <= 64 and name in zoneinfo.available_timezones()
    except (ValueError, OSError):
        valid = False
    if not valid:
        raise InvalidTimezoneError(
            "timezone must be an IANA time zone name such as Asia/Seoul", field="timezone"
        )
    return name


def parse_desired_retention(raw: float) -> float:
    """The recall probability reviews are scheduled for: 0.70..0.97."""
    if not MIN_DESIRED_RETENTION <= raw <= MAX_DESIRED_RETENTION:
        raise InvalidRetentionError(
            "desired_retention must be between 0.70 and 0.97", field="desired_retention"
        )
    return round(float(raw), 4)


def parse_level(raw: str, *, field: str) -> CefrLevel:
    try:
        return CefrLevel(raw.strip().upper())
    except ValueError as exc:
        raise InvalidInputError("level must be one of A1..C2", field=field) from exc


def parse_target_languages(
    pairs: Sequence[tuple[str, str]], *, native_language: str
) -> tuple[tuple[str, CefrLevel], ...]:
    """Up to 5 distinct (language, level) pairs, none equal to the native language."""
    if len(pairs) > MAX_TARGET_LANGUAGES:
        raise InvalidInputError(
            f"At most {MAX_TARGET_LANGUAGES} target languages", field="target_languages"
        )
    seen: set[str] = set()
    out: list[tuple[str, CefrLevel]] = []
    for index, (language, level) in enumerate(pairs):
        field = f"target_languages[{index}]"
        code = parse_language(language, field=f"{field}.language")
        if code == native_language:
            raise InvalidInputError(
                "A target language cannot be the native language", field=f"{field}.language"
            )
        if code in seen:
            raise InvalidInputError("Duplicate target language", field=f"{field}.language")
        seen.add(code)
        out.append((code, parse_level(level, field=f"{field}.level")))
    return tuple(out)
