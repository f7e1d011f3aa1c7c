"""Typed settings from HYPEHERE_* environment variables and an optional `.env` file.

Nothing reads settings at import time: `load_settings()` is called by the CLI and by
`create_app`. Invalid values fail at start with the variable's name.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ENV_PREFIX = "HYPEHERE_"
PRODUCTION = "production"
MIN_JWT_SECRET_BYTES = 32


class LogFormat(StrEnum):
    CONSOLE = "console"
    JSON = "json"


class SettingsError(Exception):
    """Raised with a message that names the offending HYPEHERE_* variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_file=".env", extra="ignore", validate_default=True
    )

    environment: str = Field(default="development", description="development | production | test")
    var_dir: Path = Field(
        default=Path("var"), description="Where the SQLite file, JWT secret and models live"
    )
    # repr=False: a URL may carry a password; `repr(settings)` never shows it.
    database_url: str = Field(
        default="", description="SQLAlchemy async URL; default SQLite under var_dir", repr=False
    )
    database_pool_size: int = Field(
        default=20,
        ge=1,
        le=200,
        description="PostgreSQL: connections per process, opened on demand and kept; a burst "
        "beyond them waits for one",
    )
    database_max_overflow: int = Field(
        default=0,
        ge=0,
        le=200,
        description="PostgreSQL: extra connections a burst may open beyond the pool, each "
        "closed again when given back (every burst then pays for new connections)",
    )
    database_read_pool_size: int = Field(
        default=5,
        ge=1,
        le=200,
        description="PostgreSQL: connections per process of the pool the timeline pages read "
        "through (AUTOCOMMIT, generic plans), opened on demand and kept; pages beyond them "
        "wait their turn, first come first served",
    )
    database_ping_after_idle_seconds: float = Field(
        default=10.0,
        ge=0,
        description="PostgreSQL: ping a pooled connection on checkout only when it sat idle "
        "this long (0 = always); a connection the server closed is replaced without a ping",
    )
    database_statement_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        description="PostgreSQL: server-side statement_timeout of the web server's connections "
        "(a statement running longer is cancelled: 503 service_unavailable); the client gives "
        "up 5 s later on a link that does not answer at all",
    )
    database_worker_statement_timeout_seconds: float = Field(
        default=300.0,
        gt=0,
        description="PostgreSQL: statement_timeout of `hypehere worker` (outbox dispatcher and "
        "scheduled jobs)",
    )
    database_jobs_statement_timeout_seconds: float = Field(
        default=3600.0,
        gt=0,
        description="PostgreSQL: statement_timeout of a one-off `hypehere jobs run` and of the "
        "other CLI commands",
    )
    database_keepalive_idle_seconds: int = Field(
        default=30,
        ge=1,
        description="PostgreSQL: TCP keepalive probes start after this much silence on a "
        "connection (both ends), then every 10 s; 3 unanswered probes drop it",
    )
    process_role: str = Field(
        default="web",
        pattern="^(web|worker|jobs)$",
        description="Which statement timeout this process uses; set by the command that "
        "starts it (the server: web, `hypehere worker`: worker, other CLI commands: jobs)",
    )
    redis_url: str | None = Field(
        default=None, description="Unset = embedded broker/cache/queue", repr=False
    )
    meilisearch_url: str | None = None
    meilisearch_api_key: SecretStr | None = None
    meilisearch_timeout_seconds: float = Field(default=5.0, gt=0)
    anthropic_api_key: SecretStr | None = None
    anthropic_model: str = "claude-haiku-4-5"
    anthropic_timeout_seconds: float = Field(default=20.0, gt=0)
    analytics_database_url: str | None = Field(
        default=None,
        repr=False,
        description="PostgreSQL only: a read-only role the analytics API reads through "
        "(SELECT on the analytics aggregate tables); unset = the main database URL",
    )
    moderation_hold_first_posts: int = Field(
        default=3,
        ge=0,
        description="Fail-closed moderation: a new account's first N posts are held (seen by "
        "their author only) until the classifier's verdict; 0 turns the tier off",
    )
    moderation_hold_first_comments: int = Field(
        default=3,
        ge=0,
        description="Fail-closed moderation: a new account's first N comments (counted apart "
        "from posts) are held until the classifier's verdict; 0 turns this off",
    )
    moderation_hold_first_messages: int = Field(
        default=3,
        ge=0,
        description="Fail-closed moderation: a new account's first N direct messages, and "
        "apart its first N open-room messages, are held (not delivered) until the classifier's "
        "verdict; 0 turns this off",
    )
    moderation_hold_room_titles: bool = Field(
        default=True,
        description="Fail-closed moderation: every new open room is held (seen and joinable by "
        "its creator only) until its title is checked; false turns this off",
    )
    moderation_anonymous_check_timeout_seconds: float = Field(
        default=3.0,
        gt=0,
        description="Fail-closed moderation: each participant's first message of an anonymous "
        "chat is classified before it is relayed; without a verdict within this many seconds "
        "it is not relayed (the sender gets message_rejected)",
    )
    moderation_new_account_days: int = Field(
        default=7, ge=0, description="An account younger than this many days is new"
    )
    jwt_secret: SecretStr | None = Field(
        default=None,
        description="Generated under var_dir when unset; required (at least 32 bytes) when "
        "HYPEHERE_ENVIRONMENT=production",
    )
    access_token_ttl_seconds: int = Field(default=900, ge=30)
    refresh_token_ttl_days: int = Field(default=30, ge=1)
    session_max_age_days: int = Field(
        default=90,
        ge=1,
        description="Absolute lifetime of a session (a login's refresh-token family): "
        "rotating never extends it; past it, refresh answers 401",
    )
    password_hash_profile: str = Field(
        default="standard",
        pattern="^(standard|fast)$",
        description="argon2id cost: standard = the password_hash_* values below; fast = "
        "time 1, 64 KiB, 1 lane (test suites only: never in production)",
    )
    password_hash_time_cost: int = Field(default=3, ge=1, description="argon2id iterations")
    password_hash_memory_kib: int = Field(
        default=65536, ge=64, description="argon2id memory in KiB (65536 = 64 MiB)"
    )
    password_hash_parallelism: int = Field(default=4, ge=1, description="argon2id lanes")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    log_format: LogFormat | None = Field(default=None, description="console | json; auto by TTY")
    log_level: str = "INFO"
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    rate_limit_enabled: bool = True
    visitor_tracking_enabled: bool = Field(
        default=True, description="Count daily unique visitors (analytics)"
    )
    rate_limit_user_per_hour: int = Field(default=1000, ge=1)
    rate_limit_anon_per_hour: int = Field(default=100, ge=1)
    rate_limit_auth_per_minute: int = Field(default=10, ge=1)
    rate_limit_post_per_minute: int = Field(default=10, ge=1)
    rate_limit_room_password_attempts: int = Field(
        default=5,
        ge=1,
        description="Password attempts one user may make on one room per window",
    )
    rate_limit_room_password_window_seconds: float = Field(
        default=900.0, gt=0, description="The window of HYPEHERE_RATE_LIMIT_ROOM_PASSWORD_ATTEMPTS"
    )
    rate_limit_redis_timeout_seconds: float = Field(
        default=0.25,
        gt=0,
        description="How long a rate-limit check waits for Redis before letting the request "
        "through uncounted (fail open, logged as rate_limit_store_unavailable)",
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1,::1",
        description="Comma-separated proxy IPs/networks (or *) whose X-Forwarded-For and "
        "X-Forwarded-Proto uvicorn trusts for the client address",
    )
    embedded_worker: bool | None = Field(
        default=None,
        description="Run scheduler + outbox dispatcher in the server; default: when Redis is unset",
    )
    worker_concurrency: int = Field(
        default=10, ge=1, le=200, description="Jobs one `hypehere worker` runs at once"
    )
    worker_metrics_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="Serve `hypehere worker` Prometheus metrics (jobs, outbox) on this port",
    )
    outbox_poll_interval_seconds: float = Field(
        default=0.1,
        gt=0,
        description="Outbox dispatcher poll interval (in-process commits wake it sooner); "
        "shorter spreads the worker's load into smaller batches",
    )
    outbox_batch_size: int = Field(default=100, ge=1, le=10_000, description="Events per claim")
    outbox_max_attempts: int = Field(
        default=10, ge=1, description="Deliveries of one event before it is dead-lettered"
    )
    outbox_retry_base_seconds: float = Field(
        default=2.0, gt=0, description="First retry delay after a failed delivery (doubles)"
    )
    outbox_lease_seconds: float = Field(
        default=60.0, gt=0, description="How long a claimed event is hidden from other dispatchers"
    )
    language_detector: str = Field(
        default="lingua",
        pattern="^(lingua|simple)$",
        description="lingua (models loaded once per process, on first use) | simple (script-based)",
    )
    ranker_model_dir: Path | None = Field(
        default=None, description="Where trained ranker models are written; default var_dir/models"
    )
    ranker_reload_interval_seconds: float = Field(
        default=60.0,
        ge=0,
        description="How often (at most) the server re-reads the promoted-model pointer "
        "(ranker_model_dir/current.json)",
    )
    ranker_promotion_min_gain: float = Field(
        default=0.0,
        ge=0,
        description="train-ranker gate: a new model is promoted only if its held-out AUC and "
        "NDCG@10 each beat the serving model's and the heuristic's by more than this",
    )
    ranker_training_max_rows: int = Field(
        default=5_000_000,
        ge=1000,
        description="train-ranker: the newest impressions read from the log (streamed; about "
        "80 bytes each in memory)",
    )
    retention_outbox_days: int = Field(
        default=7,
        ge=1,
        description="retention-cleanup: days delivered outbox events and handled-event marks "
        "are kept (pending and dead-lettered events are never pruned)",
    )
    retention_impressions_days: int = Field(
        default=180,
        ge=1,
        description="retention-cleanup: days feed impressions are kept (ranker training data)",
    )
    retention_read_notifications_days: int = Field(
        default=90,
        ge=1,
        description="retention-cleanup: days read notifications are kept after their last "
        "update (unread ones are kept)",
    )
    retention_refresh_tokens_days: int = Field(
        default=7,
        ge=1,
        description="retention-cleanup: days refresh tokens are kept after they expired or "
        "were revoked",
    )
    retention_activity_events_days: int = Field(
        default=90,
        ge=31,
        description="retention-cleanup: days analytics activity-log events are kept (at "
        "least 31: the rollup reads 30 days back for monthly actives and day-30 retention)",
    )
    account_status_cache_size: int = Field(
        default=50_000,
        ge=0,
        description="Accounts whose status (state, role, token cut-off, live sessions) a "
        "server process keeps in memory, so an authenticated request skips the status read; "
        "invalidated through the broker; 0 reads the database on every request",
    )
    account_status_cache_ttl_seconds: float = Field(
        default=60.0,
        gt=0,
        description="Longest a cached account status is used without re-reading it (a "
        "safety net: changes invalidate it through the broker at once)",
    )
    author_card_cache_size: int = Field(
        default=50_000,
        ge=0,
        description="Authors whose card (handle, nickname, avatar) a server process keeps in "
        "memory, so a /feed page (and a redis home-timeline page) does not read its authors' "
        "rows; invalidated through the broker; 0 reads them with every page",
    )
    author_card_cache_ttl_seconds: float = Field(
        default=300.0,
        gt=0,
        description="Longest a cached author card is used without re-reading it (a safety "
        "net: profile edits and hidden accounts invalidate it through the broker at once)",
    )
    loop_stall_ms: float = Field(
        default=100.0,
        ge=0,
        description="Log `event_loop_stall` when a server process's event loop wakes up at "
        "least this many milliseconds late (every socket and request of that process "
        "waited that long); 0 turns the watchdog off",
    )
    gc_freeze: bool = Field(
        default=True,
        description="Once a server process has started, freeze its startup heap out of the "
        "garbage collector and collect less often (full collections were the feed's p99)",
    )
    feed_pool_ttl_seconds: float = Field(
        default=30.0,
        ge=0,
        description="How long a process reuses the shared ranked-feed candidate pools (posts by "
        "native speakers / learners of a language, trending) before re-reading them in the "
        "background; 0 = read them on every first page",
    )
    home_timeline: str = Field(
        default="sql",
        pattern="^(sql|redis)$",
        description="How GET /feed/following is read: sql (one statement per page) | redis "
        "(fan-out on write into per-user Redis timelines; needs HYPEHERE_REDIS_URL)",
    )
    home_timeline_horizon: int = Field(
        default=800, ge=10, le=10_000, description="Most posts one home timeline keeps"
    )
    home_timeline_celebrity_followers: int = Field(
        default=10_000,
        ge=0,
        description="Authors with more followers are not fanned out; their posts are merged "
        "into home timelines at read time",
    )
    home_timeline_idle_seconds: int = Field(
        default=7 * 86_400,
        ge=60,
        description="A home timeline not read for this long is evicted (rebuilt on next read)",
    )
    ws_send_queue_size: int = Field(default=256, ge=1)
    ws_heartbeat_seconds: float = Field(default=20.0, gt=0)
    ws_ping_interval_seconds: float = Field(default=20.0, gt=0)
    ws_ping_timeout_seconds: float = Field(default=20.0, gt=0)
    ws_reverify_seconds: float = Field(default=30.0, gt=0)
    ws_messages_per_second: float = Field(default=1.0, gt=0)
    ws_messages_burst: int = Field(default=10, ge=1)
    ws_typing_per_second: float = Field(default=1.0, gt=0)
    ws_typing_burst: int = Field(default=5, ge=1)
    ws_read_per_second: float = Field(default=1.0, gt=0)
    ws_read_burst: int = Field(default=5, ge=1)
    ws_other_frames_per_second: float = Field(default=2.0, gt=0)
    ws_other_frames_burst: int = Field(default=20, ge=1)
    ws_rate_limit_strikes: int = Field(default=10, ge=1)
    ws_max_sockets_per_user: int = Field(default=20, ge=1)
    ws_max_sockets_per_ip: int = Field(default=200, ge=1)
    matching_max_wait_minutes: float = Field(default=10.0, gt=0)
    anonymous_abandoned_minutes: float = Field(default=30.0, gt=0)
    anonymous_transcript_hours: float = Field(default=72.0, gt=0)
    matching_socket_grace_seconds: float = Field(default=30.0, gt=0)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        if value and not (value.startswith(("postgresql+asyncpg://", "sqlite+aiosqlite://"))):
            raise ValueError("must start with postgresql+asyncpg:// or sqlite+aiosqlite://")
        return value

    @field_validator(
        "redis_url",
        "meilisearch_url",
        "anthropic_api_key",
        "analytics_database_url",
        "meilisearch_api_key",
        "jwt_secret",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("jwt_secret")
    @classmethod
    def _production_needs_a_secret(
        cls, value: SecretStr | None, info: ValidationInfo
    ) -> SecretStr | None:
        """Production servers share one explicit secret: a generated one differs per machine
        (tokens of one fail on the other) and lives in a file next to the data."""
        if info.data.get("environment") != PRODUCTION:
            return value
        if value is None:
            raise ValueError("must be set when HYPEHERE_ENVIRONMENT=production")
        if len(value.get_secret_value().encode()) < MIN_JWT_SECRET_BYTES:
            raise ValueError(
                f"must be at least {MIN_JWT_SECRET_BYTES} bytes when "
                "HYPEHERE_ENVIRONMENT=production"
            )
        return value

    @field_validator("analytics_database_url")
    @classmethod
    def _check_analytics_database_url(cls, value: str | None) -> str | None:
        if value and not value.startswith("postgresql+asyncpg://"):
            raise ValueError("must start with postgresql+asyncpg:// (a PostgreSQL read-only role)")
        return value

    @field_validator("home_timeline")
    @classmethod
    def _home_timeline_needs_redis(cls, value: str, info: ValidationInfo) -> str:
        if value == "redis" and not info.data.get("redis_url"):
            raise ValueError("redis needs HYPEHERE_REDIS_URL")
        return value

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.var_dir / 'hypehere.sqlite3').as_posix()}"

    @property
    def statement_timeout_seconds(self) -> float:
        """The PostgreSQL statement timeout of this process's role of work."""
        return {
            "web": self.database_statement_timeout_seconds,
            "worker": self.database_worker_statement_timeout_seconds,
            "jobs": self.database_jobs_statement_timeout_seconds,
        }[self.process_role]

    @property
    def effective_ranker_model_dir(self) -> Path:
        return self.ranker_model_dir or self.var_dir / "models"

    @property
    def runs_embedded_worker(self) -> bool:
        if self.embedded_worker is not None:
            return self.embedded_worker
        return self.redis_url is None

    @property
    def effective_log_format(self) -> LogFormat:
        if self.log_format is not None:
            return self.log_format
        return LogFormat.CONSOLE if os.isatty(2) else LogFormat.JSON

    def resolved_jwt_secret(self) -> str:
        """The configured secret, or one generated once and kept in var_dir/jwt_secret.

        The generated file appears whole or not at all: the secret is written to a private
        temporary file (0600) that is then hard-linked to its final name, which fails when
        the name exists. So a process starting at the same moment as another either sees no
        file (and races to publish its own) or the complete winner's secret, never an empty
        or partial one; the loser drops its own and uses the winner's."""
        if self.jwt_secret is not None:
            return self.jwt_secret.get_secret_value()
        path = self.var_dir / "jwt_secret"
        if path.exists():
            return _read_secret(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_urlsafe(48)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".jwt_secret.")  # mode 0600
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secret)
                handle.flush()
                os.fsync(handle.fileno())
            os.link(temp, path)
        except FileExistsError:  # another process won the race; use its secret
            return _read_secret(path)
        finally:
            os.unlink(temp)
        return secret


def _read_secret(path: Path) -> str:
    secret = path.read_text().strip()
    if not secret:
        raise SettingsError(f"{path} is empty: delete it or set {ENV_PREFIX}JWT_SECRET")
    return secret


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = ENV_PREFIX + "_".join(str(part) for part in error["loc"]).upper()
            problems.append(f"{name}: {error['msg']}")
        raise SettingsError("Invalid settings: " + "; ".join(problems)) from exc
