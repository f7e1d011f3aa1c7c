"""The training matrix: impressions as feature rows, labels, feed sessions and times.

Shared by `ml.train` (fit, held-out split) and `ml.evaluate` (metrics on fresh synthetic
data), so neither imports the other. Features come from the service's own spec
(`hypehere.domain.feed.features`), so training and serving cannot drift."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hypehere.domain.feed.features import FEATURE_COUNT, feature_vector
from ml.synthetic import Impression


@dataclass(frozen=True, slots=True)
class TrainingMatrix:
    features: npt.NDArray[np.float32]  # (rows, FEATURE_COUNT)
    labels: npt.NDArray[np.int8]
    groups: npt.NDArray[np.str_]  # feed session id per row
    times: npt.NDArray[np.float64]  # when the session was shown (sortable number)

    def __len__(self) -> int:
        return int(self.labels.size)

    def take(self, mask: npt.NDArray[np.bool_]) -> TrainingMatrix:
        return TrainingMatrix(
            self.features[mask], self.labels[mask], self.groups[mask], self.times[mask]
        )


def matrix_from_rows(
    rows: Iterable[tuple[Sequence[float], int, str, float]],
) -> TrainingMatrix:
    """(feature vector, label, session id, shown at) rows -> matrix; rows logged under
    another feature spec (a different vector length) are skipped."""
    features: list[Sequence[float]] = []
    labels: list[int] = []
    groups: list[str] = []
    times: list[float] = []
    for vector, label, group, at in rows:
        if len(vector) != FEATURE_COUNT:
            continue  # logged under an older feature spec
        features.append(vector)
        labels.append(label)
        groups.append(group)
        times.append(at)
    return TrainingMatrix(
        np.asarray(features, dtype=np.float32).reshape(-1, FEATURE_COUNT),
        np.asarray(labels, dtype=np.int8),
        np.asarray(groups, dtype=np.str_),
        np.asarray(times, dtype=np.float64),
    )


def build_matrix(impressions: Sequence[Impression]) -> TrainingMatrix:
    """Synthetic impressions -> matrix, through the shared reference `feature_vector`."""
    return matrix_from_rows(
        (feature_vector(i.signals), i.label, i.session_id, i.shown_at_hours) for i in impressions
    )
