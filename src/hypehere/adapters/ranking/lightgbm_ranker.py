"""LightGBM ranker: one `predict` call per candidate batch, the promoted model picked up live.

Model files are LightGBM text models. Which one serves, in order:
1. the promoted model: `model_dir` (settings `ranker_model_dir`, default `var_dir/models`)
   holds `current.json`, `{"model": "ranker-<UTC timestamp>.txt", ...}`, which
   `hypehere train-ranker` moves (written to a temp file and renamed, so a reader sees the
   old pointer or the new one) only when a new model passed the promotion gate. Other
   `ranker-*.txt` files in the directory (rejected candidates, older models) are never
   loaded, however new;
2. the model bundled with the package (`hypehere/ml_models/`), so the feed is ranked out of
   the box (and when no model has been promoted yet);
3. none loads -> the fallback ranker (the heuristic) scores.

Hot swap: at most once every `reload_interval_seconds`, the next `score` call reads the
pointer (one small file) and `stat`s the model it names; if that is not the loaded model, it
loads it and swaps it in. No restart, no background thread, no file watcher (which would need
one inotify watch per worker process and breaks on network filesystems); every uvicorn
worker converges within one interval. A pointed file that is missing, fails to load, or
whose feature names differ from `FEATURE_NAMES`, is logged, remembered (by path, mtime and
size) and skipped; the model already loaded keeps serving.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import structlog
from prometheus_client import Gauge

from hypehere.adapters.ranking.features import extract_features
from hypehere.adapters.ranking.heuristic import HeuristicRanker
from hypehere.domain.feed.features import FEATURE_NAMES, CandidateSignals

log = structlog.get_logger(__name__)

MODEL_PREFIX = "ranker-"
MODEL_SUFFIX = ".txt"
POINTER_NAME = "current.json"


class Booster(Protocol):
    """The part of `lightgbm.Booster` the ranker uses."""

    def predict(self, data: Any, **kwargs: Any) -> Any: ...

    def feature_name(self) -> list[str]: ...


class FallbackRanker(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...

    def score(self, candidates: Sequence[CandidateSignals]) -> list[float]: ...


def load_booster(path: Path) -> Booster:
    import lightgbm as lgb

    booster: Booster = lgb.Booster(model_file=str(path))
    return booster


def bundled_model_path() -> Path:
    """The model shipped inside the package."""
    return Path(__file__).resolve().parents[2] / "ml_models" / "ranker-bundled.txt"


def model_version(path: Path) -> str:
    return path.stem


def promoted_model(model_dir: Path) -> Path | None:
    """The model `current.json` names, or None (no pointer, an unreadable one, or a name
    that is not a bare `ranker-*.txt` file name: a pointer cannot leave the directory)."""
    try:
        name = json.loads((model_dir / POINTER_NAME).read_text(encoding="utf-8"))["model"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if (
        not isinstance(name, str)
        or Path(name).name != name
        or not name.startswith(MODEL_PREFIX)
        or not name.endswith(MODEL_SUFFIX)
    ):
        return None
    return model_dir / name


@dataclass(frozen=True, slots=True)
class _FileKey:
    path: str
    mtime_ns: int
    size: int


class ModelLoadError(Exception):
    pass


# 1 for the version a process serves, 0 for the one it replaced; under `serve --workers N`
# the maximum over the live processes, so a version shows 1 while any worker still serves it.
RANKER_MODEL = Gauge(
    "hypehere_ranker_model",
    "The ranker model version being served",
    ["version"],
    multiprocess_mode="livemax",
)


class LightGBMRanker:
    def __init__(
        self,
        *,
        model_dir: Path | None,
        bundled_model: Path | None = None,
        reload_interval_seconds: float = 60.0,
        fallback: FallbackRanker | None = None,
        loader: Callable[[Path], Booster] = load_booster,
        monotonic: Callable[[], float] = time.monotonic,
        num_threads: int = 1,
    ) -> None:
        self._model_dir = model_dir
        self._bundled = bundled_model
        self._interval = reload_interval_seconds
        self._fallback: FallbackRanker = fallback or HeuristicRanker()
        self._loader = loader
        self._monotonic = monotonic
        self._num_threads = num_threads
        self._booster: Booster | None = None
        self._version = ""
        self._current: _FileKey | None = None
        self._rejected: set[_FileKey] = set()
        self._next_check = float("-inf")
        self._lock = threading.Lock()
        self._reported_missing = False
        self.refresh(force=True)

    @property
    def name(self) -> str:
        return "lightgbm" if self._booster is not None else self._fallback.name

    @property
    def version(self) -> str:
        return self._version if self._booster is not None else self._fallback.version

    @property
    def model_path(self) -> Path | None:
        return Path(self._current.path) if self._current is not None else None

    def score(self, candidates: Sequence[CandidateSignals]) -> list[float]:
        if not candidates:
            return []
        self.refresh()
        booster = self._booster
        if booster is None:
            return self._fallback.score(candidates)
        features = extract_features(candidates)
        try:
            predictions = booster.predict(features, num_threads=self._num_threads)
        except Exception as exc:  # a broken model must not take the feed down
            log.error("ranker_predict_failed", version=self._version, error=repr(exc))
            return self._fallback.score(candidates)
        scores: list[float] = predictions.tolist()
        return scores

    def refresh(self, *, force: bool = False) -> bool:
        """Swap in the newest loadable model if one is newer; True when the model changed.

        Cheap unless the interval has passed (or `force`): then one directory scan."""
        now = self._monotonic()
        if not force and now < self._next_check:
            return False
        if not self._lock.acquire(blocking=False):
            return False  # another thread is refreshing
        try:
            self._next_check = now + self._interval
            return self._refresh_locked()
        finally:
            self._lock.release()

    def _candidates(self) -> list[Path]:
        paths: list[Path] = []
        if self._model_dir is not None:
            pointed = promoted_model(self._model_dir)
            if pointed is not None:
                paths.append(pointed)
        if self._bundled is not None:
            paths.append(self._bundled)
        return paths

    def _refresh_locked(self) -> bool:
        for path in self._candidates():
            try:
                stat = path.stat()
            except FileNotFoundError:
                if self._booster is not None:
                    return False  # keep serving the loaded model
                continue
            key = _FileKey(str(path), stat.st_mtime_ns, stat.st_size)
            if key == self._current:
                return False  # the loaded model is still the one to serve
            if key in self._rejected:
                if self._booster is not None:
                    return False
                continue
            try:
                booster = self._load(path)
            except Exception as exc:
                self._rejected.add(key)
                log.warning("ranker_model_rejected", path=str(path), error=repr(exc))
                if self._booster is not None:
                    return False
                continue
            previous = self._version or None
            self._booster, self._current = booster, key
            self._version = model_version(path)
            if previous:
                RANKER_MODEL.labels(version=previous).set(0)
            RANKER_MODEL.labels(version=self._version).set(1)
            log.info(
                "ranker_model_loaded", path=str(path), version=self._version, previous=previous
            )
            return True
        if self._booster is None and not self._reported_missing:
            self._reported_missing = True
            log.warning("ranker_model_missing", fallback=self._fallback.name)
        return False

    def _load(self, path: Path) -> Booster:
        booster = self._loader(path)
        names = list(booster.feature_name())
        if names != list(FEATURE_NAMES):
            raise ModelLoadError(f"feature names {names} differ from the spec {FEATURE_NAMES}")
        return booster
