"""The `allowed_externals` import-linter contract (tools/importlinter_contracts.py): a
third-party package is refused unless it is listed, directly or through another module."""

from __future__ import annotations

import tomllib
from pathlib import Path

import grimp
import pytest

from tools.importlinter_contracts import AllowedExternalsContract

pytestmark = pytest.mark.unit


def _graph(*imports: tuple[str, str]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for name in ("app", "app.domain", "app.domain.model", "app.service", "app.service.use"):
        graph.add_module(name)
    for external in ("os", "msgspec", "prometheus_client", "croniter"):
        graph.add_module(external, is_squashed=True)
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported, line_number=3, line_contents="")
    return graph


def _check(graph: grimp.ImportGraph, source: str, allowed: list[str]) -> list[tuple[str, str]]:
    contract = AllowedExternalsContract(
        name="test",
        session_options={},
        contract_options={"source_modules": [source], "allowed_modules": allowed},
    )
    check = contract.check(graph, verbose=False)
    found = [(v["source"], v["external"]) for v in check.metadata["violations"]]
    assert check.kept == (not found)
    return found


def test_the_standard_library_and_listed_packages_are_allowed() -> None:
    graph = _graph(("app.service.use", "os"), ("app.service.use", "msgspec"))
    assert _check(graph, "app.service", ["msgspec"]) == []


def test_an_unlisted_package_breaks_the_contract() -> None:
    graph = _graph(("app.domain.model", "os"), ("app.domain.model", "prometheus_client"))
    assert _check(graph, "app.domain", []) == [("app.domain", "prometheus_client")]


def test_an_indirect_import_through_another_module_counts() -> None:
    graph = _graph(("app.service.use", "app.domain.model"), ("app.domain.model", "croniter"))
    assert _check(graph, "app.service", ["msgspec"]) == [("app.service", "croniter")]
    # what the source package does not reach is not its concern
    assert _check(graph, "app.domain", ["croniter"]) == []


def test_the_project_configures_allow_lists_for_domain_and_application() -> None:
    config = tomllib.loads((Path(__file__).parents[3] / "pyproject.toml").read_text())
    linter = config["tool"]["importlinter"]
    contracts = {tuple(c.get("source_modules", ())): c for c in linter["contracts"]}
    assert contracts[("hypehere.domain",)]["type"] == "allowed_externals"
    assert contracts[("hypehere.domain",)]["allowed_modules"] == []
    assert contracts[("hypehere.application",)]["type"] == "allowed_externals"
    assert contracts[("hypehere.application",)]["allowed_modules"] == ["msgspec", "structlog"]
    assert any(t.startswith("allowed_externals: ") for t in linter["contract_types"])
