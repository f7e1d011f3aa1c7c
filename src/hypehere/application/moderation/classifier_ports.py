"""The automatic moderation port: classify a text. Adapters: the local rules (embedded
default) and Claude (`adapters/moderation/`)."""

from __future__ import annotations

from typing import Protocol

from hypehere.application.common.errors import StorageUnavailableError
from hypehere.domain.moderation.verdicts import ClassifyContext, Verdict


class ClassifierUnavailableError(StorageUnavailableError):
    """The classifier could not answer (down, overloaded, timing out, answering garbage, or
    its circuit breaker is open). Callers must not treat the text as safe."""

    code = "classifier_unavailable"


class ContentClassifier(Protocol):
    async def classify(self, text: str, language: str, context: ClassifyContext) -> Verdict:
        """A verdict for `text` (written in `language`, an ISO 639-1 code);
        ClassifierUnavailableError when no verdict can be had."""
        ...
