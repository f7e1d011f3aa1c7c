"""The user account aggregate, its languages, privacy and states; refresh tokens."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from hypehere.domain.shared.events import DomainEvent
from hypehere.domain.shared.languages import CefrLevel
from hypehere.domain.users.errors import (
    AccountBannedError,
    AccountInactiveError,
    AccountSuspendedError,
    CannotActOnSelfError,
    InsufficientRoleError,
    InvalidStateTransitionError,
)
from hypehere.domain.users.events import UserStateChanged
from hypehere.domain.users.rules import GRACE_PERIOD_DAYS


class AccountState(StrEnum):
    ACTIVE = "active"
    DEACTIVATED = "deactivated"
    DELETION_REQUESTED = "deletion_requested"
    SUSPENDED = "suspended"
    BANNED = "banned"
    DELETED = "deleted"


class UserRole(StrEnum):
    MEMBER = "user"  # API.md's name of the default role
    MODERATOR = "moderator"
    ADMIN = "admin"
    ANALYST = "analyst"

    @classmethod
    def _missing_(cls, value: object) -> UserRole | None:
        # `member` was this role's name before API.md's `user` (tokens and rows of then)
        return cls.MEMBER if value == "member" else None


# Staff act only on accounts of a strictly lower rank (never on themselves), and grant at
# most their own rank. An analyst (reads analytics) ranks with moderators: only an admin
# manages staff accounts.
ROLE_RANK: dict[UserRole, int] = {
    UserRole.MEMBER: 0,
    UserRole.ANALYST: 1,
    UserRole.MODERATOR: 1,
    UserRole.ADMIN: 2,
}


def ensure_may_manage(
    staff_id: str, staff_role: UserRole, target: User, granted: UserRole | None = None
) -> None:
    """Raise unless `staff_id` (with `staff_role`) may act on `target` (and grant it the
    role `granted`): never on themselves, only on a strictly lower rank, never granting a
    rank above their own."""
    if target.id == staff_id:
        raise CannotActOnSelfError("Staff cannot act on their own account")
    rank = ROLE_RANK[staff_role]
    if ROLE_RANK[target.role] >= rank:
        raise InsufficientRoleError("Staff act only on accounts of a lower role")
    if granted is not None and ROLE_RANK[granted] > rank:
        raise InsufficientRoleError("Staff cannot grant a role above their own")


class ListVisibility(StrEnum):
    EVERYONE = "everyone"
    FOLLOWERS = "followers"
    NOBODY = "nobody"


class ChatPolicy(StrEnum):
    EVERYONE = "everyone"
    FOLLOWING = "following"
    NOBODY_NEW = "nobody_new"


@dataclass(frozen=True, slots=True)
class TargetLanguage:
    language: str
    level: CefrLevel


@dataclass(frozen=True, slots=True)
class Privacy:
    show_followers_list: ListVisibility = ListVisibility.EVERYONE
    show_following_list: ListVisibility = ListVisibility.EVERYONE


def can_see_list(visibility: ListVisibility, *, is_owner: bool, viewer_follows_owner: bool) -> bool:
    """The owner always sees their own lists; others per the owner's setting."""
    if is_owner:
        return True
    if visibility is ListVisibility.EVERYONE:
        return True
    if visibility is ListVisibility.FOLLOWERS:
        return viewer_follows_owner
    return False


@dataclass(slots=True, kw_only=True)
class User:
    id: str
    email: str
    handle: str
    nickname: str
    password_hash: str
    native_language: str
    interface_language: str
    created_at: datetime
    updated_at: datetime
    target_languages: tuple[TargetLanguage, ...] = ()
    bio: str = ""
    avatar_url: str | None = None
    role: UserRole = UserRole.MEMBER
    state: AccountState = AccountState.ACTIVE
    state_changed_at: datetime | None = None
    suspended_until: datetime | None = None
    suspension_reason: str | None = None
    privacy: Privacy = field(default_factory=Privacy)
    chat_policy: ChatPolicy = ChatPolicy.EVERYONE
    send_read_receipts: bool = True
    timezone: str = "UTC"
    desired_retention: float = 0.9
    follower_count: int = 0
    following_count: int = 0
    post_count: int = 0
    corrections_accepted: int = 0
    report_count: int = 0
    last_active_at: datetime | None = None
    # Access tokens issued before this instant are refused (password change, ban,
    # suspension, deactivation, deletion): every access token of the account dies at once.
    tokens_valid_after: datetime | None = None
    events: list[DomainEvent] = field(default_factory=list, compare=False, repr=False)

    # --- states -------------------------------------------------------------------------

    def _set_state(self, state: AccountState, now: datetime) -> None:
        if state is self.state:
            return
        self.state = state
        self.state_changed_at = now
        self.updated_at = now
        self.events.append(UserStateChanged(occurred_at=now, user_id=self.id, state=state.value))

    def lift_expired_suspension(self, now: datetime) -> bool:
        """A suspension whose time has passed ends by itself; True when it just ended."""
        if (
            self.state is AccountState.SUSPENDED
            and self.suspended_until is not None
            and self.suspended_until <= now
        ):
            self.suspended_until = None
            self.suspension_reason = None
            self._set_state(AccountState.ACTIVE, now)
            return True
        return False

    def ensure_may_log_in(self, now: datetime) -> None:
        """Banned and (still) suspended accounts cannot log in."""
        self.lift_expired_suspension(now)
        if self.state is AccountState.BANNED:
            raise AccountBannedError("The account is banned")
        if self.state is AccountState.SUSPENDED and self.suspended_until is not None:
            raise AccountSuspendedError(self.suspended_until)
        if self.state is AccountState.DELETED:
            raise AccountInactiveError("The account no longer exists")

    def log_in(self, now: datetime) -> None:
        """Logging in cancels a pending deactivation or deletion (within the grace period,
        which the purge job enforces)."""
        self.ensure_may_log_in(now)
        if self.state in (AccountState.DEACTIVATED, AccountState.DELETION_REQUESTED):
            self._set_state(AccountState.ACTIVE, now)
        self.last_active_at = now

    def ensure_may_act(self, now: datetime) -> None:
        """Checked on every authenticated request (with a token already issued)."""
        self.ensure_may_log_in(now)
        if self.state is not AccountState.ACTIVE:
            raise AccountInactiveError("The account is not active")

    def deactivate(self, now: datetime) -> None:
        self._require_active("deactivate")
        self._set_state(AccountState.DEACTIVATED, now)

    def request_deletion(self, now: datetime) -> None:
        if self.state not in (AccountState.ACTIVE, AccountState.DEACTIVATED):
            raise InvalidStateTransitionError("The account cannot be deleted now")
        self._set_state(AccountState.DELETION_REQUESTED, now)

    def purge_due(self, now: datetime) -> bool:
        return (
            self.state is AccountState.DELETION_REQUESTED
            and self.state_changed_at is not None
            and self.state_changed_at + timedelta(days=GRACE_PERIOD_DAYS) <= now
        )

    def suspend(self, until: datetime, reason: str | None, now: datetime) -> None:
        if self.state is AccountState.BANNED:
            raise InvalidStateTransitionError("A banned account cannot be suspended")
        if self.state is AccountState.DELETED:
            raise InvalidStateTransitionError("The account no longer exists")
        if until <= now:
            raise InvalidStateTransitionError("A suspension must end in the future")
        self.suspended_until = until
        self.suspension_reason = reason
        self.updated_at = now
        self._set_state(AccountState.SUSPENDED, now)

    def unsuspend(self, now: datetime) -> None:
        if self.state is not AccountState.SUSPENDED:
            raise InvalidStateTransitionError("The account is not suspended")
        self.suspended_until = None
        self.suspension_reason = None
        self._set_state(AccountState.ACTIVE, now)

    def ban(self, reason: str | None, now: datetime) -> None:
        if self.state is AccountState.DELETED:
            raise InvalidStateTransitionError("The account no longer exists")
        self.suspended_until = None
        self.suspension_reason = reason
        self._set_state(AccountState.BANNED, now)

    def unban(self, now: datetime) -> None:
        if self.state is not AccountState.BANNED:
            raise InvalidStateTransitionError("The account is not banned")
        self.suspension_reason = None
        self._set_state(AccountState.ACTIVE, now)

    def set_role(self, role: UserRole, now: datetime) -> None:
        self.role = role
        self.updated_at = now

    def purge(self, now: datetime) -> None:
        """Remove personal data for good; the row stays (as a tombstone) so references from
        other modules stay valid, and `users.state_changed` {state: deleted} tells them to
        remove the content."""
        tail = self.id.replace("-", "")[-20:]
        self.email = f"deleted-{self.id}@deleted.invalid"
        self.handle = f"deleted_{tail}"
        self.nickname = "deleted"
        self.bio = ""
        self.avatar_url = None
        self.password_hash = "!"
        self.target_languages = ()
        self.suspended_until = None
        self.suspension_reason = None
        self._set_state(AccountState.DELETED, now)

    def revoke_tokens(self, now: datetime) -> None:
        """Every access token issued until `now` stops working (the per-request status
        lookup compares the token's issue time with this)."""
        self.tokens_valid_after = now

    def _require_active(self, action: str) -> None:
        if self.state is not AccountState.ACTIVE:
            raise InvalidStateTransitionError(f"Only an active account can {action}")

    @property
    def is_visible(self) -> bool:
        """Visible to other users: active or suspended (not hidden, banned or deleted)."""
        return self.state in (AccountState.ACTIVE, AccountState.SUSPENDED)

    @property
    def is_staff(self) -> bool:
        return self.role in (UserRole.MODERATOR, UserRole.ADMIN)


VISIBLE_STATES: tuple[AccountState, ...] = (AccountState.ACTIVE, AccountState.SUSPENDED)


@dataclass(slots=True, kw_only=True)
class RefreshToken:
    """An opaque refresh token, stored as a hash; a family is one login's chain."""

    id: str
    user_id: str
    family_id: str
    token_hash: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None
    # When the family (the session: one login and its rotations) began; not given = this
    # token's own creation (a family's first token).
    session_started_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.session_started_at is None:
            self.session_started_at = self.created_at

    def is_expired(self, now: datetime) -> bool:
        return self.expires_at <= now

    @property
    def started_at(self) -> datetime:
        return self.session_started_at or self.created_at  # set by __post_init__

    def session_outlived(self, max_age: timedelta, now: datetime) -> bool:
        """The session has reached its absolute lifetime: no rotation extends it."""
        return self.started_at + max_age <= now

    @property
    def is_spent(self) -> bool:
        return self.used_at is not None or self.revoked_at is not None
