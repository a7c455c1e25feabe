"""Benchmarks at national scale (issue 8): a corpus generator and the timing harness.

``python -m bench.run --quick`` measures every stage against its floor and writes
``docs/benchmarks.md``; ``bench.generate`` writes the synthetic corpus it reads.
"""
