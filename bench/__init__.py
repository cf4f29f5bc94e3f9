"""Benchmarks: each script prints its figures (see README, "Benchmarks").

The databases they seed are throw-away: they encrypt the identifiers they seed with this public
key unless ``FIELD_ENCRYPTION_KEY`` is set (never point a benchmark at real data).
"""

BENCH_FIELD_ENCRYPTION_KEY = "YmVuY2htYXJrLW9ubHktcHVibGljLWtleS0wMDAwMDA="
