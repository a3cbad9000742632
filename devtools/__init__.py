"""Synthetic scale data and benchmarks: the top layer, for development and tests only."""
