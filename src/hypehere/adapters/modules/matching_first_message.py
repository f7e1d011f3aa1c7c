"""The matching module's `FirstMessageCheck` port, implemented by the moderation module's
classifier: a verdict within `timeout` seconds, or UNAVAILABLE (the classifier is down,
its circuit is open, or it is too slow): an anonymous chat's first message is relayed only
on a verdict that needs no review."""

from __future__ import annotations

import asyncio

import structlog

from hypehere.application.matching.ports import FirstMessageVerdict
from hypehere.application.moderation.classifier_ports import (
    ClassifierUnavailableError,
    ContentClassifier,
)
from hypehere.domain.moderation.verdicts import ClassifyContext, ContentKind, needs_review

logger = structlog.get_logger(__name__)

UNKNOWN_LANGUAGE = "und"


class ClassifierFirstMessageCheck:
    def __init__(self, classifier: ContentClassifier, timeout: float) -> None:
        self._classifier = classifier
        self._timeout = timeout

    async def check(self, text: str) -> FirstMessageVerdict:
        context = ClassifyContext(ContentKind.MESSAGE, author_is_new=True)
        try:
            verdict = await asyncio.wait_for(
                self._classifier.classify(text, UNKNOWN_LANGUAGE, context), self._timeout
            )
        except (ClassifierUnavailableError, TimeoutError) as exc:
            logger.warning("anonymous_first_message_unchecked", error=type(exc).__name__)
            return FirstMessageVerdict.UNAVAILABLE
        logger.info(
            "anonymous_first_message_checked",
            category=verdict.category.value,
            confidence=verdict.confidence,
            model=verdict.model,
            prompt_version=verdict.prompt_version,
        )
        if needs_review(verdict):
            return FirstMessageVerdict.FLAGGED
        return FirstMessageVerdict.SAFE
