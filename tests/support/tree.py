"""Walking the JSON of a layout or of a callback's answer (lite and real components give the same)."""
from __future__ import annotations


def nodes(tree):
    """Every dict in `tree`, each before what it holds, in the order of the page."""
    if isinstance(tree, dict):
        yield tree
        tree = list(tree.values())
    if isinstance(tree, list):
        for item in tree:
            yield from nodes(item)


def components(tree):
    """Every component in `tree`."""
    return (n for n in nodes(tree) if {"type", "namespace", "props"} <= n.keys())
