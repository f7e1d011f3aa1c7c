"""Rate limits (API.md "Conventions") with tiny budgets, on the memory and the Redis store.

Test-only routes are added to the app (marked with the documented `opt` keys); requests go
through httpx's ASGI transport so each can come from a chosen client IP."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Controller, Litestar, get, post
from litestar.testing import AsyncTestClient
from litestar.types import ControllerRouterHandler

from hypehere.adapters.crypto.jwt_codec import JwtAccessTokenCodec
from hypehere.bootstrap import app as app_module
from hypehere.entrypoints.http.rate_limit import RATE_LIMIT_OPT
from tests.conftest import flush_redis
from tests.conftest import test_settings as make_settings

pytestmark = pytest.mark.integration


class _Routes(Controller):
    path = "/_test"

    @get("/ping")
    async def ping(self) -> dict[str, str]:
        return {"pong": "ok"}

    @get("/free", opt={RATE_LIMIT_OPT: "exempt"})
    async def free(self) -> dict[str, str]:
        return {"free": "ok"}

    @post("/login", opt={RATE_LIMIT_OPT: "auth"}, status_code=200)
    async def login(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"email": data.get("email")}

    @post("/posts", opt={RATE_LIMIT_OPT: "post"}, status_code=201)
    async def create(self, data: dict[str, Any]) -> dict[str, Any]:
        return data


SECRET = "test-secret-with-enough-entropy-0123456789abcdef"  # tests/conftest.py's


def token_for(subject: str, *, secret: str = SECRET, issued: datetime | None = None) -> str:
    """A real access token (the app's codec and secret) for `subject`."""
    codec = JwtAccessTokenCodec(secret, ttl_seconds=900)
    return codec.issue(subject, "user", issued or datetime.now(UTC)).token


def unsigned_token_for(subject: str) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part({'sub': subject})}.c2ln"


def bearer(subject: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(subject)}"}


def bearer_token(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


Clients = Callable[..., httpx.AsyncClient]


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def build(
    store: str, tmp_path: Path, sqlite_url: str, request: pytest.FixtureRequest, monkeypatch: Any
) -> Callable[..., Litestar]:
    original: Callable[[], Sequence[ControllerRouterHandler]] = app_module.api_handlers
    monkeypatch.setattr(app_module, "api_handlers", lambda: [*original(), _Routes])
    redis_url = request.getfixturevalue("redis_url") if store == "redis" else None
    if redis_url:
        await flush_redis(redis_url)

    def factory(**limits: Any) -> Litestar:
        values: dict[str, Any] = {
            "rate_limit_enabled": True,
            "rate_limit_user_per_hour": 1000,
            "rate_limit_anon_per_hour": 1000,
            "rate_limit_auth_per_minute": 1000,
            "rate_limit_post_per_minute": 1000,
            # generous: on a loaded test box a Redis check must not fail open
            "rate_limit_redis_timeout_seconds": 10,
            **limits,
        }
        if redis_url:
            values["redis_url"] = redis_url
        return app_module.create_app(make_settings(tmp_path, database_url=sqlite_url, **values))

    return factory


def _clients(app: Litestar) -> Clients:
    def client(ip: str = "10.0.0.1") -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(ip, 40000))
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")

    return client


@asynccontextmanager
async def serving(*apps: Litestar) -> AsyncIterator[list[Clients]]:
    """Runs the apps' lifespans on this test's task and hands out clients from chosen IPs."""
    async with AsyncExitStack() as stack:
        for app in apps:
            await stack.enter_async_context(app.lifespan())
        yield [_clients(app) for app in apps]


def assert_rate_limited(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "rate_limited"
    assert body["status"] == 429
    retry_after = int(response.headers["retry-after"])
    assert 0 < retry_after <= 3600


async def test_anonymous_budget_per_ip(build: Any) -> None:
    app = build(rate_limit_anon_per_hour=3)
    async with serving(app) as (client,), client("10.0.0.1") as one, client("10.0.0.2") as two:
        for _ in range(3):
            assert (await one.get("/api/v1/_test/ping")).status_code == 200
        limited = await one.get("/api/v1/_test/ping")
        assert_rate_limited(limited)
        assert int(limited.headers["retry-after"]) > 60  # an hourly window
        assert (await two.get("/api/v1/_test/ping")).status_code == 200  # another IP

        # health, metrics and exempt routes are never limited
        assert (await one.get("/health/live")).status_code == 200
        assert (await one.get("/health/ready")).status_code == 200
        assert (await one.get("/metrics")).status_code == 200
        assert (await one.get("/api/v1/_test/free")).status_code == 200


async def test_authenticated_budget_per_user(build: Any) -> None:
    async with serving(build(rate_limit_user_per_hour=2, rate_limit_anon_per_hour=2)) as (client,):
        async with client("10.0.0.1") as http:
            for _ in range(2):
                assert (
                    await http.get("/api/v1/_test/ping", headers=bearer("alice"))
                ).status_code == 200
            assert_rate_limited(await http.get("/api/v1/_test/ping", headers=bearer("alice")))
            # same IP, other user / anonymous: separate budgets
            assert (await http.get("/api/v1/_test/ping", headers=bearer("bob"))).status_code == 200
            assert (await http.get("/api/v1/_test/ping")).status_code == 200
        async with client("10.9.9.9") as elsewhere:  # the user's budget follows them across IPs
            assert_rate_limited(await elsewhere.get("/api/v1/_test/ping", headers=bearer("alice")))


async def test_garbage_token_counts_as_anonymous(build: Any) -> None:
    async with serving(build(rate_limit_anon_per_hour=1)) as (client,), client() as http:
        headers = {"Authorization": "Bearer not-a-jwt"}
        assert (await http.get("/api/v1/_test/ping", headers=headers)).status_code == 200
        assert_rate_limited(await http.get("/api/v1/_test/ping"))


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(unsigned_token_for("alice"), id="unsigned"),
        pytest.param(token_for("alice", secret="another-secret-" * 4), id="foreign-secret"),
        pytest.param(
            token_for("alice", issued=datetime.now(UTC) - timedelta(hours=2)), id="expired"
        ),
    ],
)
async def test_a_token_that_does_not_verify_spends_the_ip_budget(build: Any, token: str) -> None:
    """A forged (or expired) token naming a user never gets that user's budget, nor a fresh
    one per made-up subject: it counts against the client IP's anonymous budget."""
    app = build(rate_limit_anon_per_hour=2, rate_limit_user_per_hour=100)
    async with serving(app) as (client,), client("10.0.0.1") as http:
        assert (
            await http.get("/api/v1/_test/ping", headers=bearer_token(token))
        ).status_code == 200
        forged = bearer_token(unsigned_token_for("mallory-2"))
        assert (await http.get("/api/v1/_test/ping", headers=forged)).status_code == 200
        assert_rate_limited(await http.get("/api/v1/_test/ping", headers=bearer_token(token)))
        assert_rate_limited(await http.get("/api/v1/_test/ping"))
        # the real alice still has her whole budget
        assert (await http.get("/api/v1/_test/ping", headers=bearer("alice"))).status_code == 200


async def test_rate_limit_headers_count_down(build: Any) -> None:
    app = build(rate_limit_anon_per_hour=3)
    async with serving(app) as (client,), client("10.0.0.7") as http:
        first = await http.get("/api/v1/_test/ping")
        second = await http.get("/api/v1/_test/ping")
        assert first.headers["ratelimit-limit"] == "3"
        assert first.headers["ratelimit-policy"] == "3; w=3600"
        assert [first.headers["ratelimit-remaining"], second.headers["ratelimit-remaining"]] == [
            "2",
            "1",
        ]
        assert 3500 < int(second.headers["ratelimit-reset"]) <= 3600


async def test_concurrent_requests_never_exceed_the_budget(build: Any) -> None:
    app = build(rate_limit_anon_per_hour=5)
    async with serving(app) as (client,), client("10.0.0.8") as http:
        responses = await asyncio.gather(*(http.get("/api/v1/_test/ping") for _ in range(30)))
    assert sorted(r.status_code for r in responses) == [200] * 5 + [429] * 25


@pytest.mark.parametrize("store", ["redis"])
async def test_concurrent_requests_to_several_processes_never_exceed_the_budget(
    build: Any,
) -> None:
    """Three apps (server processes) sharing Redis, hit at once: the check and the count are
    one atomic step in Redis, so exactly the budget gets through."""
    apps = [build(rate_limit_anon_per_hour=7) for _ in range(3)]
    async with serving(*apps) as clients, AsyncExitStack() as stack:
        https = [await stack.enter_async_context(client("10.0.0.9")) for client in clients]
        responses = await asyncio.gather(
            *(https[index % 3].get("/api/v1/_test/ping") for index in range(45))
        )
    assert sorted(r.status_code for r in responses) == [200] * 7 + [429] * 38


async def test_auth_routes_limited_per_ip_and_per_email(build: Any) -> None:
    async with serving(build(rate_limit_auth_per_minute=2)) as (client,):
        url = "/api/v1/_test/login"
        async with client("10.0.0.1") as ip1, client("10.0.0.2") as ip2, client("10.0.0.3") as ip3:
            first = await ip1.post(url, json={"email": "Victim@Example.com", "password": "x"})
            assert first.status_code == 200
            assert first.json() == {
                "email": "Victim@Example.com"
            }  # the handler still gets the body
            assert (await ip2.post(url, json={"email": "victim@example.com"})).status_code == 200
            limited = await ip3.post(url, json={"email": "VICTIM@example.com"})
            assert_rate_limited(limited)  # third try on the address, from a fresh IP
            assert int(limited.headers["retry-after"]) <= 60  # a per-minute window
            assert (await ip3.post(url, json={"email": "other@example.com"})).status_code == 200
            assert_rate_limited(
                await ip3.post(url, json={"email": "third@example.com"})
            )  # IP budget
            # non-auth routes are untouched by the auth budget
            assert (await ip3.get("/api/v1/_test/ping")).status_code == 200


async def test_auth_route_with_malformed_body_still_counts_per_ip(build: Any) -> None:
    async with serving(build(rate_limit_auth_per_minute=1)) as (client,), client() as http:
        bad = await http.post(
            "/api/v1/_test/login",
            content=b"{nope",
            headers={"content-type": "application/json"},
        )
        assert bad.status_code == 400
        assert_rate_limited(await http.post("/api/v1/_test/login", json={"email": "a@b.co"}))


async def test_post_routes_limited_per_user(build: Any) -> None:
    async with serving(build(rate_limit_post_per_minute=1)) as (client,), client() as http:
        url = "/api/v1/_test/posts"
        assert (await http.post(url, json={"n": 1}, headers=bearer("alice"))).status_code == 201
        assert_rate_limited(await http.post(url, json={"n": 2}, headers=bearer("alice")))
        assert (await http.post(url, json={"n": 3}, headers=bearer("bob"))).status_code == 201
        assert (await http.get("/api/v1/_test/ping", headers=bearer("alice"))).status_code == 200


async def test_disabled_turns_everything_off(build: Any) -> None:
    async with (
        serving(
            build(
                rate_limit_enabled=False,
                rate_limit_anon_per_hour=1,
                rate_limit_user_per_hour=1,
                rate_limit_auth_per_minute=1,
                rate_limit_post_per_minute=1,
            )
        ) as (client,),
        client() as http,
    ):
        for _ in range(3):
            assert (await http.get("/api/v1/_test/ping")).status_code == 200
            assert (
                await http.post("/api/v1/_test/login", json={"email": "a@b.co"})
            ).status_code == 200
            assert (
                await http.post("/api/v1/_test/posts", json={}, headers=bearer("u"))
            ).status_code == 201


@pytest.mark.parametrize("store", ["redis"])
async def test_two_apps_sharing_redis_share_the_limit(build: Any) -> None:
    apps = build(rate_limit_anon_per_hour=3), build(rate_limit_anon_per_hour=3)
    async with serving(*apps) as (first, second), first() as a, second() as b:
        assert (await a.get("/api/v1/_test/ping")).status_code == 200
        assert (await b.get("/api/v1/_test/ping")).status_code == 200
        assert (await a.get("/api/v1/_test/ping")).status_code == 200
        assert_rate_limited(await b.get("/api/v1/_test/ping"))
        assert_rate_limited(await a.get("/api/v1/_test/ping"))


@pytest.mark.parametrize("store", ["memory"])
async def test_memory_budgets_are_per_process(build: Any) -> None:
    apps = build(rate_limit_anon_per_hour=1), build(rate_limit_anon_per_hour=1)
    async with serving(*apps) as (first, second), first() as a, second() as b:
        assert (await a.get("/api/v1/_test/ping")).status_code == 200
        assert (await b.get("/api/v1/_test/ping")).status_code == 200


async def test_redis_down_fails_open(tmp_path: Path, sqlite_url: str, monkeypatch: Any) -> None:
    original = app_module.api_handlers
    monkeypatch.setattr(app_module, "api_handlers", lambda: [*original(), _Routes])
    settings = make_settings(
        tmp_path,
        database_url=sqlite_url,
        redis_url="redis://127.0.0.1:1/0",
        rate_limit_enabled=True,
        rate_limit_anon_per_hour=1,
    )
    async with AsyncTestClient(app=app_module.create_app(settings)) as client:
        for _ in range(2):
            assert (await client.get("/api/v1/_test/ping")).status_code == 200
