"""Language detection adapters."""
