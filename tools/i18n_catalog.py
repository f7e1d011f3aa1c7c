"""Maintain the gettext catalogs: `python tools/i18n_catalog.py` compiles every .po to .mo.

Translators edit `src/hypehere/locale/<lang>/LC_MESSAGES/<module>.po`; the compiled .mo
files are committed so the package works without a build step (a test checks they are
up to date)."""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parents[1] / "src" / "hypehere" / "locale"


# Babel stamps "now" into a catalog whose .po lacks date headers, which would make every
# compile differ; the .mo's dates are never read, so pin them to keep builds reproducible.
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)


def compiled(po_path: Path) -> bytes:
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    catalog.creation_date = FIXED_DATE
    catalog.revision_date = FIXED_DATE
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def main() -> int:
    for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        po_path.with_suffix(".mo").write_bytes(compiled(po_path))
        print(f"compiled {po_path.relative_to(LOCALE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
