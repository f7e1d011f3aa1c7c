"""structlog configured once: console in a terminal, JSON in production; stdlib loggers
(uvicorn, sqlalchemy, saq) go through the same processors.

Credentials never reach the output: every line, structlog's and the stdlib loggers' alike,
has the values of `token=` query parameters (WebSocket handshakes carry the access token
there, and uvicorn logs `WebSocket /ws/chat?token=...`; the access log logs query strings)
and of `Bearer` credentials replaced by `[redacted]`."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

from hypehere.bootstrap.settings import LogFormat

_configured: tuple[LogFormat, str] | None = None

REDACTED = "[redacted]"
# `token=` (also `access_token=`, `refresh_token=`, percent-encoded `token%3D`) up to the
# next separator, and `Bearer <credentials>`.
_SECRET_PATTERNS = (
    re.compile(r"(token(?:=|%3D))[^&\s\"'<>]+", re.IGNORECASE),
    re.compile(r"(bearer\s+)[A-Za-z0-9\-._~+/]+=*", re.IGNORECASE),
)


def redact(text: str) -> str:
    """`text` with token values replaced by `[redacted]`."""
    if "oken" not in text and "OKEN" not in text and "earer" not in text and "EARER" not in text:
        return text  # the common case: no scan at all
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(rf"\g<1>{REDACTED}", text)
    return text


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_redact_value(item) for item in value)
    if isinstance(value, dict):
        return {key: _redact_value(item) for key, item in value.items()}
    return value


def redact_event(
    logger: Any, method_name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: redact every string value of the event."""
    for key, value in event_dict.items():
        if not key.startswith("_"):
            event_dict[key] = _redact_value(value)
    return event_dict


class RedactTokensFilter(logging.Filter):
    """On the root handler: a stdlib record (uvicorn's, SQLAlchemy's, saq's) is formatted
    once, redacted, and passed on without its arguments. structlog's own records carry an
    event dict instead, which `redact_event` has cleaned already."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            message = record.getMessage()
            cleaned = redact(message)
            if cleaned != message:
                record.msg, record.args = cleaned, None
        return True


def configure_logging(log_format: LogFormat, level: str = "INFO") -> None:
    global _configured
    if _configured == (log_format, level):
        return
    _configured = (log_format, level)
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
    ]
    renderer: structlog.types.Processor
    if log_format is LogFormat.JSON:
        renderer = structlog.processors.JSONRenderer()
        shared.append(structlog.processors.format_exc_info)
    else:
        renderer = structlog.dev.ConsoleRenderer()

    structlog.configure(
        # Level first: a disabled call (a per-message debug/info line) costs no processing.
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        # last before rendering: also covers an exception already formatted into the event
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            redact_event,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    handler.addFilter(RedactTokensFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "saq"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
        logger.setLevel(logging.NOTSET)  # the root's level decides (uvicorn may have set one)
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
