"""Authentication throughput: `POST /auth/register`, `POST /auth/login` and an authenticated
`GET /users/me` (JWT check + one primary-key lookup of the account's state), against a real
`hypehere serve` on 127.0.0.1 with N concurrent keep-alive httpx clients.

    .venv/bin/python -m bench auth
    HYPEHERE_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/bench_auth \\
        .venv/bin/python -m bench auth --concurrency 8 --seconds 10 --workers 2

Passwords are hashed with the production argon2id parameters (time 3, 64 MiB, 4 lanes)
unless `--hash-profile fast`; register and login are dominated by that hash by design.
Uses a fresh SQLite database unless HYPEHERE_DATABASE_URL is set (the Postgres database is
emptied first). Rate limiting is off so the load is not throttled.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import uuid

import httpx

from bench.common import Result, drive, machine, serve

PASSWORD = "bench password 123"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench auth", description=__doc__)
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration per scenario")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--users", type=int, default=50, help="accounts used by login and /me")
    parser.add_argument(
        "--hash-profile", choices=["standard", "fast"], default="standard", help="argon2 cost"
    )
    return parser.parse_args(argv)


def _registration(email: str) -> dict[str, object]:
    return {
        "email": email,
        "password": PASSWORD,
        "nickname": "Bench",
        "native_language": "ko",
        "target_languages": [{"language": "en", "level": "B1"}],
    }


async def run(base: str, concurrency: int, seconds: float, users: int) -> list[Result]:
    run_id = uuid.uuid4().hex[:8]
    counter = itertools.count()

    async def register(client: httpx.AsyncClient) -> httpx.Response:
        email = f"bench-{run_id}-{next(counter)}@example.com"
        return await client.post("/api/v1/auth/register", json=_registration(email))

    # The accounts login and /me use, created up front (not measured).
    emails = [f"pool-{run_id}-{i}@example.com" for i in range(users)]
    tokens: list[str] = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for chunk in range(0, users, 8):
            responses = await asyncio.gather(
                *(
                    client.post("/api/v1/auth/register", json=_registration(email))
                    for email in emails[chunk : chunk + 8]
                )
            )
            for response in responses:
                response.raise_for_status()
                tokens.append(response.json()["access_token"])

    logins = itertools.cycle(emails)
    bearer = itertools.cycle(tokens)

    async def login(client: httpx.AsyncClient) -> httpx.Response:
        return await client.post(
            "/api/v1/auth/login", json={"email": next(logins), "password": PASSWORD}
        )

    async def me(client: httpx.AsyncClient) -> httpx.Response:
        return await client.get(
            "/api/v1/users/me", headers={"Authorization": f"Bearer {next(bearer)}"}
        )

    await drive("warm-up", base, me, 200, concurrency, min(2.0, seconds))
    return [
        await drive("POST /auth/register", base, register, 201, concurrency, seconds),
        await drive("POST /auth/login", base, login, 200, concurrency, seconds),
        await drive("GET /users/me (bearer)", base, me, 200, concurrency, seconds),
    ]


async def _empty_postgres(url: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            exists = await conn.scalar(text("SELECT to_regclass('public.users') IS NOT NULL"))
            if exists:
                await conn.execute(text("TRUNCATE users, refresh_tokens CASCADE"))
    finally:
        await engine.dispose()


def main(argv: list[str]) -> int:
    args = parse(argv)
    url = os.environ.get("HYPEHERE_DATABASE_URL", "")
    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    if database == "PostgreSQL":
        asyncio.run(_empty_postgres(url))
    redis = "Redis" if os.environ.get("HYPEHERE_REDIS_URL") else "no Redis"
    load_before = os.getloadavg()[0]
    env = {"HYPEHERE_PASSWORD_HASH_PROFILE": args.hash_profile}
    with serve(env, workers=args.workers) as base:
        results = asyncio.run(run(base, args.concurrency, args.seconds, args.users))
    load = f"load {load_before:.1f} -> {os.getloadavg()[0]:.1f}"
    hashing = "argon2id t=3 m=64MiB p=4" if args.hash_profile == "standard" else "argon2 fast"
    print(f"machine: {machine()}, {load}")
    print(f"setup: {database}, {redis}, {args.workers} uvicorn worker(s), {hashing}")
    for result in results:
        print(result.line())
    print("RESULTS.md rows:")
    for result in results:
        print(
            f"| auth | {result.name} | {database}, {redis}, {args.workers} worker(s), "
            f"{hashing}, {load} | {args.users} accounts + registrations "
            f"| {result.concurrency} | {result.seconds:.0f} s | {result.percentile(0.5):.2f} "
            f"| {result.percentile(0.99):.2f} | {result.throughput:.0f} | {result.unexpected} |"
        )
    return 1 if any(r.unexpected for r in results) else 0
