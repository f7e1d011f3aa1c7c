"""deploy/: Docker is not available here, so the compose file, the nginx configuration and
the image health check are validated by reading them: services, health checks, volumes, the
environment against the settings, and the proxy routes."""

from __future__ import annotations

import importlib.util
import ipaddress
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from hypehere.bootstrap.settings import ENV_PREFIX, Settings

pytestmark = pytest.mark.unit

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
APPS = ("app1", "app2")
LONG_RUNNING = ("postgres", "redis", "meilisearch", *APPS, "worker", "nginx")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def nginx() -> str:
    return (DEPLOY / "nginx.conf").read_text()


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    assert isinstance(env, dict), "environment is a mapping (merged from x-hypehere-env)"
    return {key: str(value) for key, value in env.items()}


def test_every_part_of_the_system_is_a_service(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {*LONG_RUNNING, "migrate"}


def test_long_running_services_have_health_checks_and_restart(compose: dict[str, Any]) -> None:
    for name in LONG_RUNNING:
        service = compose["services"][name]
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
        assert service.get("restart") == "unless-stopped", name
    assert compose["services"]["migrate"]["restart"] == "no"


def test_apps_and_worker_start_after_migrations_and_their_dependencies(
    compose: dict[str, Any],
) -> None:
    for name in (*APPS, "worker"):
        depends = compose["services"][name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["meilisearch"]["condition"] == "service_healthy"
    assert compose["services"]["migrate"]["depends_on"]["postgres"]["condition"] == (
        "service_healthy"
    )
    for app in APPS:
        assert compose["services"]["nginx"]["depends_on"][app]["condition"] == "service_healthy"


def test_every_environment_variable_is_a_documented_setting(compose: dict[str, Any]) -> None:
    known = {ENV_PREFIX + name.upper() for name in Settings.model_fields}
    readme = (DEPLOY.parent / "README.md").read_text()
    for name, service in compose["services"].items():
        for key in environment(service):
            if key.startswith(ENV_PREFIX):
                assert key in known, f"{name}: {key} is not a setting"
                assert f"| `{key}` |" in readme, f"{key} is not in the README table"


def test_production_services_run_in_production_with_shared_infrastructure(
    compose: dict[str, Any],
) -> None:
    for name in ("migrate", *APPS, "worker"):
        env = environment(compose["services"][name])
        assert env["HYPEHERE_ENVIRONMENT"] == "production"
        assert env["HYPEHERE_DATABASE_URL"].startswith("postgresql+asyncpg://")
        assert "@postgres:5432/" in env["HYPEHERE_DATABASE_URL"]
        assert env["HYPEHERE_REDIS_URL"].startswith("redis://redis:6379")
        assert env["HYPEHERE_MEILISEARCH_URL"] == "http://meilisearch:7700"
        assert "HYPEHERE_JWT_SECRET" in env, "production refuses to start without a secret"
        assert "hypehere-var:/app/var" in compose["services"][name]["volumes"]
    worker = environment(compose["services"]["worker"])
    assert worker["HYPEHERE_HOST"] == "0.0.0.0"
    assert worker["HYPEHERE_WORKER_METRICS_PORT"].isdigit()


def test_only_the_proxy_may_forward_client_addresses(compose: dict[str, Any]) -> None:
    proxy = compose["services"]["nginx"]["networks"]["backend"]["ipv4_address"]
    subnet = compose["networks"]["backend"]["ipam"]["config"][0]["subnet"]
    assert ipaddress.ip_address(proxy) in ipaddress.ip_network(subnet)
    for name in APPS:
        assert environment(compose["services"][name])["HYPEHERE_FORWARDED_ALLOW_IPS"] == proxy


def test_named_volumes_are_declared(compose: dict[str, Any]) -> None:
    declared = set(compose["volumes"])
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if not source.startswith((".", "/")):
                assert source in declared, f"{name} mounts undeclared volume {source}"


def test_nginx_balances_every_app_and_upgrades_websockets(
    compose: dict[str, Any], nginx: str
) -> None:
    upstream = re.search(r"upstream hypehere \{(.*?)\}", nginx, re.S)
    assert upstream is not None
    servers = set(re.findall(r"server (\S+?):8000", upstream.group(1)))
    assert servers == set(APPS) == {s for s in compose["services"] if s.startswith("app")}
    ws = re.search(r"location /ws/ \{(.*?)\}", nginx, re.S)
    assert ws is not None
    assert "proxy_set_header Upgrade $http_upgrade;" in ws.group(1)
    assert "proxy_set_header Connection $connection_upgrade;" in ws.group(1)
    assert "proxy_http_version 1.1;" in ws.group(1)
    assert re.search(r"location /api/ \{\s*proxy_pass http://hypehere;", nginx)
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx
    assert re.search(r"location = /metrics \{\s*return 404;", nginx)
    assert "token=[redacted]" in nginx


def load_healthcheck() -> ModuleType:
    spec = importlib.util.spec_from_file_location("healthcheck", DEPLOY / "healthcheck.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("command", "env", "answering", "status", "asked"),
    [
        (["hypehere", "serve", "--port", "8123"], {}, True, 0, "http://127.0.0.1:8123/health/live"),
        (
            ["hypehere", "serve"],
            {"HYPEHERE_PORT": "9000"},
            False,
            1,
            "http://127.0.0.1:9000/health/live",
        ),
        (["hypehere", "worker"], {}, False, 0, None),
        (
            ["hypehere", "worker"],
            {"HYPEHERE_WORKER_METRICS_PORT": "9100"},
            False,
            1,
            "http://127.0.0.1:9100/metrics",
        ),
        (["hypehere", "migrate"], {}, False, 0, None),
    ],
)
def test_the_image_health_check_fits_each_role(
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    env: dict[str, str],
    answering: bool,
    status: int,
    asked: str | None,
) -> None:
    healthcheck = load_healthcheck()
    monkeypatch.delenv("HYPEHERE_PORT", raising=False)
    monkeypatch.delenv("HYPEHERE_WORKER_METRICS_PORT", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    urls: list[str] = []

    def answers(url: str) -> bool:
        urls.append(url)
        return answering

    monkeypatch.setattr(healthcheck, "_command_line", lambda: command)
    monkeypatch.setattr(healthcheck, "_answers", answers)
    assert healthcheck.main() == status
    assert urls == ([asked] if asked else [])


def test_dockerfile_uses_the_role_aware_health_check_and_a_var_volume() -> None:
    dockerfile = (DEPLOY.parent / "Dockerfile").read_text()
    assert "COPY deploy/healthcheck.py ./healthcheck.py" in dockerfile
    assert 'CMD ["python", "/app/healthcheck.py"]' in dockerfile
    assert 'VOLUME ["/app/var"]' in dockerfile
