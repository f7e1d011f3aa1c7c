"""A per-process cache of author cards (id, handle, nickname, avatar), so a feed page
(`/feed`, and `/feed/following` read from Redis home timelines) does not read its twenty
authors' rows from the database every time.

Only the cards of accounts others may see are kept (active or suspended): a page shows a
post only when its author's card is here or was just read and found visible. What makes a
card wrong is a change of the handle, nickname or avatar (`UpdateMe`) or a move to a hidden
state (deactivation, a deletion request, a ban): each goes through `SessionControl`, which
holds the card inside the transaction and invalidates it everywhere through the
account-status topic after the commit (`account_caches.py`). Renamed or hidden, an author is
shown as they now are by the next page this process renders, and by the other processes as
soon as the frame arrives; the TTL (`HYPEHERE_AUTHOR_CARD_CACHE_TTL_SECONDS`) bounds what a
lost frame could leave."""

from __future__ import annotations

from hypehere.application.common.invalidated_cache import InvalidatedCache
from hypehere.application.common.views import UserCard


class AuthorCardCache(InvalidatedCache[UserCard]):
    """Visible authors' cards by user id (see the module docstring)."""
