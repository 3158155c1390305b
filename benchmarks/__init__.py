"""Performance benchmarks: `uv run python benchmarks/run.py` (not part of the test suite)."""
