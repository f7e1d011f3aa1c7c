"""`hypehere seed-demo`'s data: a generated demo community (`community.py`) bulk-loaded
through each module's own loader (`seed.py`). The CLI wiring is in `bootstrap/`."""
