"""Tendency Atlas."""
