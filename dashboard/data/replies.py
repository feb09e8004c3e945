"""Stable names for the corrections log's entries (the feed's ids; a reply's `correction:`)."""
from __future__ import annotations

import hashlib

from .models import Correction


def correction_key(c: Correction) -> str:
    """A digest of what the entry records (date, organization, topic, field, was, now): the same
    at every load, however the log is reordered or added to; a new `reason` keeps it."""
    fields = (c.date, c.organization, c.topic or "", c.field, " ".join(c.was.split()), " ".join(c.now.split()))
    return "c-" + hashlib.sha1("\x1f".join(fields).encode()).hexdigest()[:10]
