"""The training matrix: impressions as feature rows, labels, feed sessions and times.

Shared by `ml.train` (fit, held-out split) and `ml.evaluate` (metrics on fresh synthetic
data), so neither imports the other. Features come from the service's own spec
(`hypehere.domain.feed.features`), so training and serving cannot drift.

Rows arrive as a stream (a database cursor, a JSON-lines file, the simulator) and are packed
`chunk_rows` at a time into compact numpy arrays (`MatrixBuilder`): float32 features, an int8
label, an int32 session code and a float64 time, 77 bytes a row with 16 features, instead of
a Python list of floats and strings per row (about 1.5 KB). Only one chunk of rows is ever
held as Python objects."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hypehere.domain.feed.features import FEATURE_COUNT, feature_vector
from ml.synthetic import Impression

DEFAULT_CHUNK_ROWS = 50_000


@dataclass(frozen=True, slots=True)
class TrainingMatrix:
    features: npt.NDArray[np.float32]  # (rows, FEATURE_COUNT)
    labels: npt.NDArray[np.int8]
    groups: npt.NDArray[np.int32]  # feed session per row: an index into `sessions`
    times: npt.NDArray[np.float64]  # when the session was shown (sortable number)
    sessions: tuple[str, ...] = ()  # feed session ids, by code

    def __len__(self) -> int:
        return int(self.labels.size)

    def take(self, mask: npt.NDArray[np.bool_]) -> TrainingMatrix:
        return TrainingMatrix(
            self.features[mask],
            self.labels[mask],
            self.groups[mask],
            self.times[mask],
            self.sessions,
        )

    def session_ids(self) -> list[str]:
        """The feed session id of every row."""
        return [self.sessions[code] for code in self.groups.tolist()]


class MatrixBuilder:
    """Packs streamed rows into numpy chunks of `chunk_rows`; `build()` joins them."""

    def __init__(self, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> None:
        if chunk_rows < 1:
            raise ValueError("chunk_rows must be positive")
        self._chunk_rows = chunk_rows
        self._codes: dict[str, int] = {}
        self._pending: tuple[list[Sequence[float]], list[int], list[int], list[float]] = (
            [],
            [],
            [],
            [],
        )
        self._chunks: list[
            tuple[
                npt.NDArray[np.float32],
                npt.NDArray[np.int8],
                npt.NDArray[np.int32],
                npt.NDArray[np.float64],
            ]
        ] = []
        self.skipped = 0

    def add(self, vector: Sequence[float], label: int, session: str, at: float) -> None:
        if len(vector) != FEATURE_COUNT:
            self.skipped += 1  # logged under an older feature spec
            return
        features, labels, groups, times = self._pending
        features.append(vector)
        labels.append(label)
        groups.append(self._codes.setdefault(session, len(self._codes)))
        times.append(at)
        if len(labels) >= self._chunk_rows:
            self._flush()

    def extend(self, rows: Iterable[tuple[Sequence[float], int, str, float]]) -> MatrixBuilder:
        for vector, label, session, at in rows:
            self.add(vector, label, session, at)
        return self

    def _flush(self) -> None:
        features, labels, groups, times = self._pending
        if not labels:
            return
        self._chunks.append(
            (
                np.asarray(features, dtype=np.float32).reshape(-1, FEATURE_COUNT),
                np.asarray(labels, dtype=np.int8),
                np.asarray(groups, dtype=np.int32),
                np.asarray(times, dtype=np.float64),
            )
        )
        self._pending = ([], [], [], [])

    def build(self) -> TrainingMatrix:
        self._flush()
        chunks, self._chunks = self._chunks, []
        sessions = tuple(self._codes)
        if not chunks:
            return TrainingMatrix(
                np.empty((0, FEATURE_COUNT), dtype=np.float32),
                np.empty(0, dtype=np.int8),
                np.empty(0, dtype=np.int32),
                np.empty(0, dtype=np.float64),
                sessions,
            )
        return TrainingMatrix(
            np.concatenate([c[0] for c in chunks]),
            np.concatenate([c[1] for c in chunks]),
            np.concatenate([c[2] for c in chunks]),
            np.concatenate([c[3] for c in chunks]),
            sessions,
        )


def matrix_from_rows(
    rows: Iterable[tuple[Sequence[float], int, str, float]],
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> TrainingMatrix:
    """(feature vector, label, session id, shown at) rows -> matrix; rows logged under
    another feature spec (a different vector length) are skipped."""
    return MatrixBuilder(chunk_rows).extend(rows).build()


def build_matrix(
    impressions: Iterable[Impression], *, chunk_rows: int = DEFAULT_CHUNK_ROWS
) -> TrainingMatrix:
    """Synthetic impressions -> matrix, through the shared reference `feature_vector`."""
    return matrix_from_rows(
        ((feature_vector(i.signals), i.label, i.session_id, i.shown_at_hours) for i in impressions),
        chunk_rows=chunk_rows,
    )
