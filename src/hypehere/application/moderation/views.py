"""What the moderation use cases return: the account acted on, in the one account view
shared with the users module (`/admin/users/*` answers with the `/users/me` shape)."""

from __future__ import annotations

from hypehere.application.common.accounts import AccountView

__all__ = ["AccountView"]
