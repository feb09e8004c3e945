"""Reusable pieces of the views."""
