"""When a query matches a document: the one definition every index adapter follows.

Text is compared after NFKC normalization and case folding. A query is split into terms
(at most `MAX_TERMS`); a document matches when every term matches:
- the term occurs in the text (as a substring, so scripts written without spaces, such as
  Japanese, match inside longer runs), or
- the term is long enough to allow typos (`typo_budget`: 1 typo from 5 characters, 2 from 9,
  like Meilisearch's defaults) and some word of the text is within that many edits
  (Levenshtein), or starts with such a prefix when it is the query's last term.
Ranking: fewer typos first, then newer documents, then id.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

from hypehere.domain.search.errors import SearchQueryInvalidError

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
ONE_TYPO_MIN_LENGTH = 5
TWO_TYPOS_MIN_LENGTH = 9

_WORD = re.compile(r"\w+", re.UNICODE)


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def query_terms(query: str) -> list[str]:
    """Validated, normalized, de-duplicated terms of a query (order kept)."""
    stripped = query.strip()
    if not stripped:
        raise SearchQueryInvalidError("The search query is empty", field="q")
    if len(stripped) > MAX_QUERY_LENGTH:
        raise SearchQueryInvalidError(
            f"The search query has more than {MAX_QUERY_LENGTH} characters", field="q"
        )
    terms: list[str] = []
    for word in _WORD.findall(normalize(stripped)):
        if word not in terms:
            terms.append(word)
    if not terms:
        raise SearchQueryInvalidError("The search query has no words", field="q")
    return terms[:MAX_TERMS]


def words(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


def typo_budget(term: str) -> int:
    if len(term) >= TWO_TYPOS_MIN_LENGTH:
        return 2
    if len(term) >= ONE_TYPO_MIN_LENGTH:
        return 1
    return 0


def bounded_levenshtein(a: str, b: str, limit: int) -> int | None:
    """Edit distance of a and b when it is at most `limit`, else None."""
    if abs(len(a) - len(b)) > limit:
        return None
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        row_min = i
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            row_min = min(row_min, current[j])
        if row_min > limit:
            return None
        previous = current
    distance = previous[-1]
    return distance if distance <= limit else None


Closest = Callable[[str, Sequence[str], int], int | None]
"""(term, candidate words, budget) -> the smallest edit distance of `term` to a candidate
when it is at most `budget`, else None. Adapters may pass a faster implementation of
`closest` (the same Levenshtein distance in C)."""


def closest(term: str, candidates: Sequence[str], budget: int) -> int | None:
    best: int | None = None
    for candidate in candidates:
        distance = bounded_levenshtein(term, candidate, budget)
        if distance is not None and (best is None or distance < best):
            best = distance
            if best == 0:
                break
    return best


def typo_candidates(term: str, text_words: Iterable[str], *, is_last: bool) -> list[str]:
    """The words a term may be a typo of: every word, and for the query's last term (typed
    as a prefix) also every longer word cut to the term's length."""
    candidates = list(text_words)
    if is_last:
        size = len(term)
        candidates.extend(word[:size] for word in list(candidates) if len(word) > size)
    return candidates


def term_typos(
    term: str,
    text: str,
    text_words: Iterable[str],
    *,
    is_last: bool,
    closest: Closest = closest,
) -> int | None:
    """Typos needed for `term` to match a normalized text (None: no match)."""
    if term in text:
        return 0
    budget = typo_budget(term)
    if budget == 0:
        return None
    return closest(term, typo_candidates(term, text_words, is_last=is_last), budget)


def match_typos(terms: Sequence[str], text: str, *, closest: Closest = closest) -> int | None:
    """Total typos for a document to match every term, or None when it does not match."""
    normalized = normalize(text)
    text_words = set(words(normalized))
    total = 0
    for index, term in enumerate(terms):
        typos = term_typos(
            term, normalized, text_words, is_last=index == len(terms) - 1, closest=closest
        )
        if typos is None:
            return None
        total += typos
    return total


def trigrams(term: str) -> list[str]:
    return [term[i : i + 3] for i in range(len(term) - 2)]


def needs_edit_patterns(term: str) -> bool:
    """Whether trigram lookups can miss a typo of this term.

    One edit touches at most 3 trigrams, so a term with more than 3 trigrams keeps one
    intact when it has one typo (and more than 6 when it has two): only a 5-character term
    (3 trigrams, 1 typo allowed) can lose all of them."""
    return typo_budget(term) == 1 and len(trigrams(term)) <= 3


def edit_patterns(term: str, *, wildcard: str, escape: Callable[[str], str]) -> list[str]:
    """One-edit variants of `term` as patterns for a LIKE-style matcher.

    `wildcard` stands for any one character, `escape` quotes one literal character."""
    chars = [escape(char) for char in term]
    patterns: list[str] = []
    for i in range(len(chars)):
        patterns.append("".join([*chars[:i], wildcard, *chars[i + 1 :]]))  # substitution
        patterns.append("".join([*chars[:i], *chars[i + 1 :]]))  # the text lacks one
        patterns.append("".join([*chars[:i], wildcard, *chars[i:]]))  # the text has one more
    return list(dict.fromkeys(patterns))
