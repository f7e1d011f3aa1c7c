"""SQL adapters of the users module: tables (private), repositories, readers, and the
read-only `queries` other modules may compose."""
