"""SQL storage of the learning module (private tables: only this package reads them)."""
