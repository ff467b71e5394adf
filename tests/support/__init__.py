"""Helpers shared by the test tiers (synthetic event histories)."""
