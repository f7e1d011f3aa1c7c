"""Custom import-linter contract: an allow-list of third-party packages.

import-linter's built-in `forbidden` contract takes a deny-list, which silently goes stale:
a package added to the project later (prometheus_client, croniter, uvloop ...) is allowed
everywhere until someone remembers to list it. `allowed_externals` turns it around: the
source packages may import the standard library and the listed packages, and nothing else
from outside the project. Registered in pyproject.toml (`contract_types`); `lint-imports`
puts the working directory on `sys.path`, so it finds this module from the repo root.

    [[tool.importlinter.contracts]]
    name = "Application imports only msgspec and structlog from outside"
    type = "allowed_externals"
    source_modules = ["hypehere.application"]
    allowed_modules = ["msgspec", "structlog"]

Needs `include_external_packages = true` (external packages appear in the graph as
squashed top-level modules). Indirect imports count too, as in `forbidden`: a source
module reaching a package through another project module breaks the contract.
"""

from __future__ import annotations

import itertools
import sys
from typing import Any

import grimp
from importlinter import Contract, ContractCheck, fields, output


class AllowedExternalsContract(Contract):
    """`source_modules` (packages) import, from outside the project, only the standard
    library and `allowed_modules` (top-level distribution import names)."""

    type_name = "allowed_externals"

    source_modules = fields.ListField(subfield=fields.ModuleField())
    allowed_modules = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        allowed = set(self.allowed_modules or ()) | set(sys.stdlib_module_names)
        externals = {
            module
            for module in graph.modules
            if graph.is_module_squashed(module) and "." not in module
        }
        violations: list[dict[str, Any]] = []
        for source in self.source_modules:
            reached = graph.find_upstream_modules(source.name, as_package=True)
            for external in sorted((reached & externals) - allowed):
                chains = graph.find_shortest_chains(
                    importer=source.name, imported=external, as_packages=True
                )
                violations.append(
                    {
                        "source": source.name,
                        "external": external,
                        "chains": [_describe(graph, chain) for chain in sorted(chains)],
                    }
                )
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for violation in check.metadata["violations"]:
            output.print_error(
                f"{violation['source']} is not allowed to import {violation['external']} "
                "(not in allowed_modules):"
            )
            output.new_line()
            for chain in violation["chains"]:
                output.print_error(f"-   {chain}", bold=False)
            output.new_line()


def _describe(graph: grimp.ImportGraph, chain: tuple[str, ...]) -> str:
    links = []
    for importer, imported in itertools.pairwise(chain):
        details = graph.get_import_details(importer=importer, imported=imported)
        lines = ", ".join(f"l.{d['line_number']}" for d in details)
        links.append(f"{importer} -> {imported}" + (f" ({lines})" if lines else ""))
    return "; ".join(links)
