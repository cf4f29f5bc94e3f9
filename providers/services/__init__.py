"""Writes about providers after approval: the daily credential check, status changes."""
