"""Benchmarks: `make bench BENCH=<name>` runs `bench/<name>.py` (see bench/README.md)."""
