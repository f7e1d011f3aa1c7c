"""YAML data files (the shipped curriculum)."""
