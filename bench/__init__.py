"""Benchmark of the notes API against a bare Django view; see bench/README.md."""
