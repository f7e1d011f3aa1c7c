"""`/corrections`: native speakers correct posts, comments and messages; authors accept."""

from __future__ import annotations

from dishka import FromDishka
from dishka.integrations.litestar import inject
from litestar import Controller, get, post

from hypehere.application.common.actor import Actor
from hypehere.application.learning.accept_correction import (
    AcceptCorrection,
    AcceptCorrectionCommand,
    AcceptCorrectionResult,
)
from hypehere.application.learning.corrections_view import CorrectionPage, CorrectionView
from hypehere.application.learning.create_correction import (
    CreateCorrection,
    CreateCorrectionCommand,
)
from hypehere.application.learning.list_corrections import (
    ListCorrections,
    ListCorrectionsCommand,
    ListReceivedCorrections,
    ListReceivedCorrectionsCommand,
)
from hypehere.entrypoints.http.learning.correction_schemas import CorrectionIn


class CorrectionsController(Controller):
    path = "/corrections"
    tags = ["learning"]

    @post("/")
    @inject
    async def create(
        self, actor: Actor, data: CorrectionIn, uc: FromDishka[CreateCorrection]
    ) -> CorrectionView:
        return await uc.execute(
            CreateCorrectionCommand(
                actor=actor,
                target_type=data.target_type,
                target_id=data.target_id,
                corrected_text=data.corrected_text,
                category=data.category,
                note=data.note,
            )
        )

    @get("/")
    @inject
    async def list_for_target(
        self,
        actor: Actor,
        target_type: str,
        target_id: str,
        uc: FromDishka[ListCorrections],
        limit: int | None = None,
        cursor: str | None = None,
    ) -> CorrectionPage:
        return await uc.execute(
            ListCorrectionsCommand(
                actor=actor,
                target_type=target_type,
                target_id=target_id,
                limit=limit,
                cursor=cursor,
            )
        )

    @get("/received")
    @inject
    async def received(
        self,
        actor: Actor,
        uc: FromDishka[ListReceivedCorrections],
        limit: int | None = None,
        cursor: str | None = None,
    ) -> CorrectionPage:
        return await uc.execute(
            ListReceivedCorrectionsCommand(actor=actor, limit=limit, cursor=cursor)
        )

    @post("/{correction_id:str}/accept", status_code=200)
    @inject
    async def accept(
        self, actor: Actor, correction_id: str, uc: FromDishka[AcceptCorrection]
    ) -> AcceptCorrectionResult:
        return await uc.execute(AcceptCorrectionCommand(actor=actor, correction_id=correction_id))
