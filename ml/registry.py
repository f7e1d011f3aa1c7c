"""The model directory: versioned models, their cards, the promotion gate and the pointer.

Layout of the model directory (`HYPEHERE_RANKER_MODEL_DIR`, default `var/models`):
- `ranker-<UTC timestamp>.txt`: a LightGBM text model; `ranker-<UTC timestamp>.json`: its
  card, with `status` `promoted` or `rejected`, the gate's figures and the reasons.
- `current.json`: `{"model": "ranker-<UTC timestamp>.txt", "promoted_at": ..., ...}`, the
  one model servers load (`LightGBMRanker` reads only this pointer; with none, the model
  bundled in the package). It is written to a temp file, fsynced and renamed over the old
  one, so every server process reads the old pointer or the new one, never half of one.
  A new model file is complete on disk before the pointer names it.

The gate (`decide`): a new model is promoted only if, on the held-out window (the newest
sessions, never seen in training or early stopping), it beats both the model serving now and
the heuristic, by AUC and by NDCG@10, each by more than `min_gain`. Otherwise it stays in
the directory as a rejected candidate.

`python -m ml.registry status --model-dir DIR` prints the pointer and the cards;
`python -m ml.registry promote NAME --model-dir DIR` points servers at NAME by hand (a
rollback), bypassing the gate (the card records who did it: `"promoted_by": "manual"`).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ml.evaluate import Comparison, Metrics

MODEL_PREFIX = "ranker-"
MODEL_SUFFIX = ".txt"
POINTER_NAME = "current.json"


def write_atomic(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".partial")
    os.chmod(tmp, 0o644)  # mkstemp makes 0600; the server may run as another user
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def is_model_name(name: str) -> bool:
    """A bare file name of a versioned model (no directory part, so a pointer cannot point
    outside the model directory)."""
    return (
        name.startswith(MODEL_PREFIX)
        and name.endswith(MODEL_SUFFIX)
        and Path(name).name == name
        and name not in (".", "..")
    )


def read_pointer(model_dir: Path) -> Path | None:
    """The promoted model's path, or None (no pointer, or an unreadable one)."""
    try:
        data = json.loads((model_dir / POINTER_NAME).read_text(encoding="utf-8"))
        name = data["model"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(name, str) or not is_model_name(name):
        return None
    return model_dir / name


def write_pointer(model: Path, **extra: Any) -> None:
    """Point servers at `model` (a file in the model directory)."""
    if not is_model_name(model.name):
        raise ValueError(f"not a versioned model file: {model.name}")
    if not model.is_file():
        raise FileNotFoundError(model)
    body = {"model": model.name, "promoted_at": datetime.now(UTC).isoformat(), **extra}
    write_atomic(model.parent / POINTER_NAME, json.dumps(body, indent=2) + "\n")


@dataclass(frozen=True, slots=True)
class Decision:
    promoted: bool
    reasons: tuple[str, ...] = field(default=())

    @property
    def status(self) -> str:
        return "promoted" if self.promoted else "rejected"

    def to_dict(self) -> dict[str, Any]:
        return {"promoted": self.promoted, "reasons": list(self.reasons)}


def _beats(
    name: str, candidate: Metrics, other: Metrics, min_gain: float, reasons: list[str]
) -> None:
    for metric in ("auc", "ndcg_at_10"):
        mine, theirs = getattr(candidate, metric), getattr(other, metric)
        if math.isnan(mine):
            reasons.append(f"{metric} is undefined on the held-out window (no engagements)")
        elif not math.isnan(theirs) and not mine > theirs + min_gain:
            reasons.append(
                f"{metric} {mine:.4f} does not beat the {name}'s {theirs:.4f}"
                + (f" by more than {min_gain}" if min_gain else "")
            )


def decide(comparison: Comparison, *, min_gain: float = 0.0) -> Decision:
    """Promote only a model that beats the serving model and the heuristic on the held-out
    window by both AUC and NDCG@10 (each by more than `min_gain`)."""
    reasons: list[str] = []
    if comparison.serving is not None:
        label = f"serving model ({comparison.serving_version})"
        _beats(label, comparison.lightgbm, comparison.serving, min_gain, reasons)
    _beats("heuristic", comparison.lightgbm, comparison.heuristic, min_gain, reasons)
    # the same undefined-metric reason may come from both comparisons: say it once
    unique = tuple(dict.fromkeys(reasons))
    return Decision(promoted=not unique, reasons=unique)


def prune(model_dir: Path, keep: int) -> None:
    """Keep the newest `keep` models (promoted or rejected) and always the pointed one."""
    if keep <= 0:
        return
    current = read_pointer(model_dir)
    models = sorted(model_dir.glob(f"{MODEL_PREFIX}*{MODEL_SUFFIX}"), reverse=True)
    for old in models[keep:]:
        if current is not None and old.name == current.name:
            continue
        old.unlink(missing_ok=True)
        old.with_suffix(".json").unlink(missing_ok=True)


def _card(model: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(model.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ml.registry", description=__doc__)
    parser.add_argument("action", choices=["status", "promote"])
    parser.add_argument("name", nargs="?", help="model file name (promote)")
    parser.add_argument("--model-dir", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.action == "promote":
        if not args.name or not is_model_name(args.name):
            parser.error("promote needs a model file name like ranker-<timestamp>.txt")
        model = args.model_dir / args.name
        card = _card(model)
        write_pointer(model, promoted_by="manual")
        if card:
            card.update(status="promoted", promoted_by="manual")
            write_atomic(model.with_suffix(".json"), json.dumps(card, indent=2) + "\n")
        print(json.dumps({"current": model.name}))
        return 0
    current = read_pointer(args.model_dir)
    rows = [
        {
            "model": m.name,
            "status": _card(m).get("status"),
            "reasons": _card(m).get("gate", {}).get("reasons", []),
        }
        for m in sorted(args.model_dir.glob(f"{MODEL_PREFIX}*{MODEL_SUFFIX}"), reverse=True)
    ]
    current_name = current.name if current else None
    print(json.dumps({"current": current_name, "models": rows}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
