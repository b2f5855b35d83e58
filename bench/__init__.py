"""Benchmark ladder: generated instances, a runner that records speed and quality, plots."""
