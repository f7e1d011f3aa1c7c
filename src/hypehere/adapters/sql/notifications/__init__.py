"""SQL adapters of the notifications module: tables (private), repositories, readers."""
