"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from typing import Any

from dishka import FromDishka
from dishka.integrations.litestar import inject
from litestar import Controller, Response, get

from hypehere.entrypoints.http.health.checks import ReadinessProbe


class HealthController(Controller):
    path = "/health"
    tags = ["health"]
    include_in_schema = True

    @get("/live", summary="The process is up")
    async def live(self) -> dict[str, str]:
        return {"status": "ok"}

    @get("/ready", summary="The process can serve: database and Redis (when configured) answer")
    @inject
    async def ready(self, probe: FromDishka[ReadinessProbe]) -> Response[dict[str, Any]]:
        checks = await probe.run()
        healthy = all(item["ok"] for item in checks.values())
        return Response(
            content={"status": "ok" if healthy else "unavailable", "checks": checks},
            status_code=200 if healthy else 503,
        )
