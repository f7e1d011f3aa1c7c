"""The pairing policy: who may be paired with whom, and who goes first.

Pure code over a snapshot of the queue. The matcher (an adapter that runs it atomically
across processes) hands `plan_round` every waiting entry and the exclusions it read, and
commits the pairs it returns; nothing here reads storage or the clock.

**Never paired** (`Exclusions.allows`, `fit`): a user with themself, two users who block
each other (either way), two users paired within the last `REPEAT_WINDOW_HOURS`, a barred
user (suspended, banned, deactivated, deleted), two entries of different modes (text with
video), and two users of whom neither learns the other's native language.

**Fit.** `COMPLEMENTARY` when each learns the other's native language (a real exchange);
`ONE_SIDED` when only one does (the other helps without learning). Complementary always
ranks above one-sided.

**Turn order: scarce speakers choose first.** For each language, scarcity is the number of
waiting learners of it divided by the number of waiting native speakers of it. Entries take
their turn by the scarcity of their native language, highest first, then by how long they
have waited. So when English is oversubscribed (five learners per native speaker), each
English speaker picks before the learners do, instead of going to whoever happens to be
first in line.

**Choice.** At its turn, an entry pairs with the free, allowed partner of the highest key:

1. fit: complementary before one-sided (a scarce speaker goes to a learner who
   *reciprocates*, teaching the speaker their own native language);
2. the partner's effective wait in buckets of `WAIT_BUCKET_SECONDS`: seconds waited times
   the partner's responsiveness (`Standing.priority`, 0.25 .. 1.5);
3. the smaller level gap (complementary pairs: the difference between the two learners'
   CEFR levels in each other's language), so learners at a similar level meet;
4. the exact effective wait, then the user id (a total order: the plan is deterministic).

A round ends when every entry has had its turn; no two entries left unpaired can be paired
(every entry's turn looked at everyone still free), so nobody waits while a fitting partner
waits.

**Responsiveness, worked example** (`Standing.priority`). Three English learners wait for
the one English speaker, who learns Korean:

- Mina (Korean native, learns English; 10 chats, answered 9, left 1 early) has waited 100 s:
  reply rate (9+1)/(10+2) = 0.83, early-leave rate 1/12 = 0.08, priority
  0.5 + 0.83 - 0.08 = 1.25, effective wait 125 s (bucket 4).
- Jun (Korean native, learns English; new) has waited 150 s: priority 0.5 + 0.5 = 1.0,
  effective wait 150 s (bucket 5).
- Yuki (Japanese native, learns English; new) has waited 400 s: one-sided for a speaker who
  does not learn Japanese.

The English speaker takes Jun: Jun and Mina both reciprocate and rank above Yuki despite her
wait; Jun's bucket (5) beats Mina's (4). Had Mina waited 130 s (effective 162.5 s, bucket 5),
the level gap would decide between them, then the exact effective wait (Mina). Yuki pairs
with the next speaker who fits her, or waits. A user with two upheld reports loses 0.5 of
priority: their wait counts half as fast as a newcomer's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from hypehere.domain.matching.model import QueueEntry

WAIT_BUCKET_SECONDS = 30


class Fit(IntEnum):
    ONE_SIDED = 1
    COMPLEMENTARY = 2


def pair_key(first: str, second: str) -> frozenset[str]:
    return frozenset((first, second))


@dataclass(frozen=True, slots=True)
class Exclusions:
    """What storage knows about the waiting users: pairs that block each other (either
    way), pairs that met within the repeat window, and users who may not be paired."""

    blocked: frozenset[frozenset[str]] = frozenset()
    recent: frozenset[frozenset[str]] = frozenset()
    barred: frozenset[str] = frozenset()

    def allows(self, first: str, second: str) -> bool:
        if first == second or first in self.barred or second in self.barred:
            return False
        key = pair_key(first, second)
        return key not in self.blocked and key not in self.recent


def fit(first: QueueEntry, second: QueueEntry) -> Fit | None:
    """How well two entries fit as language partners; None when they cannot be paired on
    languages and mode alone (exclusions are checked separately)."""
    if first.user_id == second.user_id or first.mode is not second.mode:
        return None
    first_learns = first.learns(second.native_language) is not None
    second_learns = second.learns(first.native_language) is not None
    if first_learns and second_learns:
        return Fit.COMPLEMENTARY
    if first_learns or second_learns:
        return Fit.ONE_SIDED
    return None


def level_gap(first: QueueEntry, second: QueueEntry) -> int:
    """The CEFR rank difference between the two learners, 0 .. 5; 0 for a one-sided fit
    (only one of them learns, so there is nothing to compare)."""
    first_level = first.learns(second.native_language)
    second_level = second.learns(first.native_language)
    if first_level is None or second_level is None:
        return 0
    return abs(first_level.level.rank - second_level.level.rank)


def scarcity(entries: Iterable[QueueEntry]) -> dict[str, float]:
    """Waiting learners per waiting native speaker, per language. A language nobody waiting
    speaks natively has its learner count as scarcity (the most scarce)."""
    learners: dict[str, int] = {}
    speakers: dict[str, int] = {}
    for entry in entries:
        speakers[entry.native_language] = speakers.get(entry.native_language, 0) + 1
        for target in {t.language for t in entry.targets}:
            learners[target] = learners.get(target, 0) + 1
    languages = learners.keys() | speakers.keys()
    return {lang: learners.get(lang, 0) / max(speakers.get(lang, 0), 1) for lang in languages}


CandidateKey = tuple[int, int, int, float, str]


def candidate_key(chooser: QueueEntry, partner: QueueEntry, now: datetime) -> CandidateKey:
    """How much `chooser` prefers `partner` (higher first); see the module docstring. The
    caller has checked that the two fit."""
    partner_fit = fit(chooser, partner)
    effective = partner.effective_wait(now)
    return (
        int(partner_fit or 0),
        int(effective // WAIT_BUCKET_SECONDS),
        -level_gap(chooser, partner),
        effective,
        partner.user_id,
    )


@dataclass(frozen=True, slots=True)
class Pair:
    """Two entries to put in one anonymous conversation. `chooser` took its turn and
    picked `partner`."""

    chooser: QueueEntry
    partner: QueueEntry
    fit: Fit

    @property
    def user_ids(self) -> tuple[str, str]:
        return (self.chooser.user_id, self.partner.user_id)


def turn_order(entries: Sequence[QueueEntry], now: datetime) -> list[QueueEntry]:
    """Scarcest native language first, then the longest effective wait, then user id."""
    ratios = scarcity(entries)
    return sorted(
        entries,
        key=lambda e: (-ratios.get(e.native_language, 0.0), -e.effective_wait(now), e.user_id),
    )


def plan_round(entries: Iterable[QueueEntry], exclusions: Exclusions, now: datetime) -> list[Pair]:
    """The pairs to make now, in the order they were chosen. Each user appears in at most
    one pair (a user queued twice counts once, by the earlier entry); barred users and
    disallowed pairs never appear."""
    waiting = _unique_by_user(e for e in entries if e.user_id not in exclusions.barred)
    by_native: dict[str, list[QueueEntry]] = {}
    by_target: dict[str, list[QueueEntry]] = {}
    for entry in waiting:
        by_native.setdefault(entry.native_language, []).append(entry)
        for target in {t.language for t in entry.targets}:
            by_target.setdefault(target, []).append(entry)

    taken: set[str] = set()
    pairs: list[Pair] = []
    for chooser in turn_order(waiting, now):
        if chooser.user_id in taken:
            continue
        best: tuple[CandidateKey, QueueEntry, Fit] | None = None
        for partner in _candidates(chooser, by_native, by_target):
            if partner.user_id in taken:
                continue
            partner_fit = fit(chooser, partner)
            if partner_fit is None or not exclusions.allows(chooser.user_id, partner.user_id):
                continue
            key = candidate_key(chooser, partner, now)
            if best is None or key > best[0]:
                best = (key, partner, partner_fit)
        if best is not None:
            _, partner, partner_fit = best
            taken.update((chooser.user_id, partner.user_id))
            pairs.append(Pair(chooser=chooser, partner=partner, fit=partner_fit))
    return pairs


def _candidates(
    entry: QueueEntry,
    by_native: dict[str, list[QueueEntry]],
    by_target: dict[str, list[QueueEntry]],
) -> Iterable[QueueEntry]:
    """Everyone who speaks a language `entry` learns, or learns `entry`'s native language
    (a superset of the entries that fit; each at most once)."""
    seen: set[str] = {entry.user_id}
    pools = [by_native.get(t.language, []) for t in entry.targets]
    pools.append(by_target.get(entry.native_language, []))
    for pool in pools:
        for candidate in pool:
            if candidate.user_id not in seen:
                seen.add(candidate.user_id)
                yield candidate


def _unique_by_user(entries: Iterable[QueueEntry]) -> list[QueueEntry]:
    earliest: dict[str, QueueEntry] = {}
    for entry in entries:
        kept = earliest.get(entry.user_id)
        if kept is None or entry.joined_at < kept.joined_at:
            earliest[entry.user_id] = entry
    return list(earliest.values())
