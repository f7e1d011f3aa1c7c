"""Export the app's OpenAPI document: `python tools/export_openapi.py` (`make openapi`) writes
`openapi.json` at the repository root, keys sorted, so a change to the API shows as a diff.

The committed file must equal what the app serves at /api/v1/schema/openapi.json (a test
checks it and says to run `make openapi` when it differs)."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "openapi.json"


def document() -> dict[str, Any]:
    """The document of an app on a throwaway SQLite file (settings do not change it)."""
    from hypehere.bootstrap.app import create_app
    from hypehere.bootstrap.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            var_dir=Path(tmp),
            database_url=f"sqlite+aiosqlite:///{tmp}/openapi.sqlite3",
            log_level="WARNING",
            gc_freeze=False,
        )
        schema: dict[str, Any] = create_app(settings).openapi_schema.to_schema()
    return schema


def rendered(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    OUTPUT.write_text(rendered(document()), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
