"""The OpenAPI document is usable: a typed Python client generated from the committed
`openapi.json` (openapi-python-client, into a temporary directory) drives one user story on
both deployments: register, log in, post, comment, follow, and the following feed."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tools.export_openapi import OUTPUT

pytestmark = pytest.mark.integration

PACKAGE = "hypehere_client"
BASE_URL = "http://testserver.local"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("client")
    config = root / "config.yaml"
    config.write_text(f"post_hooks: []\npackage_name_override: {PACKAGE}\n", encoding="utf-8")
    generator = Path(sys.executable).parent / "openapi-python-client"
    command = [str(generator), "generate", "--path", str(OUTPUT)]
    command += ["--output-path", str(root / PACKAGE), "--meta", "none", "--config", str(config)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    # Any warning means an operation or schema the generator could not turn into code.
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _mod(name: str) -> Any:
    return importlib.import_module(f"{PACKAGE}.{name}")


async def test_a_user_story_through_the_generated_client(
    generated: ModuleType, client: Any
) -> None:
    # The test client's own transport: the app runs where its lifespan ran (its event loop).
    transport = {"transport": client._transport}
    anonymous = generated.Client(base_url=BASE_URL, httpx_args=transport)
    models = _mod("models")

    async def register(email: str) -> Any:
        response = await _mod("api.auth.auth_register").asyncio_detailed(
            client=anonymous,
            body=models.RegisterIn(
                email=email,
                password="correct horse battery",
                nickname="Client",
                native_language=models.RegisterInNativeLanguage("ko"),
                target_languages=[
                    models.TargetLanguageIn(
                        language=models.TargetLanguageInLanguage("en"),
                        level=models.TargetLanguageInLevel("B1"),
                    )
                ],
            ),
        )
        assert response.status_code == 201, response.content
        assert isinstance(response.parsed, models.SessionOut)
        return response.parsed

    author = await register("author@example.com")
    reader = await register("reader@example.com")
    login = await _mod("api.auth.auth_login").asyncio_detailed(
        client=anonymous,
        body=models.LoginIn(email="author@example.com", password="correct horse battery"),
    )
    assert login.status_code == 200, login.content
    assert isinstance(login.parsed, models.SessionOut)

    def signed_in(token: str) -> Any:
        return generated.AuthenticatedClient(base_url=BASE_URL, token=token, httpx_args=transport)

    as_author = signed_in(login.parsed.access_token)
    as_reader = signed_in(reader.access_token)

    post = await _mod("api.posts.posts_create").asyncio(
        client=as_author, body=models.PostIn(content="Hello from the generated client #openapi")
    )
    assert isinstance(post, models.PostOut), post
    comment = await _mod("api.posts.posts_create_comment").asyncio(
        post.id, client=as_reader, body=models.CommentIn(content="Nice one")
    )
    assert isinstance(comment, models.CommentOut), comment
    followed = await _mod("api.users.users_follow").asyncio_detailed(
        author.user.id, client=as_reader
    )
    assert followed.status_code == 204, followed.content

    feed = await _mod("api.feed.feed_following").asyncio(client=as_reader, limit=10)
    assert isinstance(feed, models.PostPageOut), feed
    assert [item.id for item in feed.items] == [post.id]
    assert feed.items[0].comment_count == 1

    # An error arrives typed too: the documented problem+json.
    missing = await _mod("api.posts.posts_get").asyncio(
        "0190f5c2-8a4e-7b21-9c3d-5e6f7a8b9c0d", client=as_reader
    )
    assert isinstance(missing, models.Problem) and missing.code == "not_found"
