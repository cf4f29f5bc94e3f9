"""Identifier checks and exclusion screening (reference/screening.md)."""
