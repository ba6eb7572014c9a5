"""Benchmarks of ptsa; see bench/README.md."""
