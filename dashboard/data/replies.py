"""Replies (data/replies.yaml): an organization's dated answer to one of its stances here, in its
own words, and the editors' answer to it. Also the stable names of the corrections log's entries
(the feed's ids; the `correction:` of a reply the editors answered with a correction).

A reply's words are quotes of a source like any other (sources.yaml, its text in seeds/): a text
the organization published, or a statement it sent to the editors, kept as a source text with
its provenance in the source's record. The validator proves each quote verbatim, and checks that
the reply names an existing stance and that a `corrected` answer names a real correction of it.
The format is in docs/data-format.md."""
from __future__ import annotations

import hashlib
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .models import FULL_DATE, Correction, Id, Model, Text


def correction_key(c: Correction) -> str:
    """A digest of what the entry records (date, organization, topic, field, was, now): the same
    at every load, however the log is reordered or added to; a new `reason` keeps it."""
    fields = (c.date, c.organization, c.topic or "", c.field, " ".join(c.was.split()), " ".join(c.now.split()))
    return "c-" + hashlib.sha1("\x1f".join(fields).encode()).hexdigest()[:10]


class ReplyQuote(Model):
    text: Annotated[str, StringConstraints(min_length=3)]
    speaker: Text


class Reply(Model):
    date: Annotated[str, StringConstraints(pattern=FULL_DATE)]
    organization: Id
    topic: Id
    source: Id                      # where the reply's words are: a source in sources.yaml
    quotes: list[ReplyQuote] = Field(min_length=1)
    answer: Literal["corrected", "kept"]   # the editors' answer
    correction: str | None = None   # with `corrected`: the key of the correction (correction_key)
    reason: Text | None = None      # with `kept`: why the stance stands

    @property
    def key(self) -> str:
        """A stable name (the feed's id): the organization, topic, date and the reply's first words."""
        fields = (self.date, self.organization, self.topic, self.source, " ".join(self.quotes[0].text.split()))
        return "r-" + hashlib.sha1("\x1f".join(fields).encode()).hexdigest()[:10]


def check_replies(known, report) -> None:
    """Each reply names a stance that exists and a known source, its quotes are verbatim in that
    source, a `corrected` answer names a correction of that stance, and a `kept` one says why.
    (Run after checks.CHECKS: it needs the stances and source texts they work out.)"""
    from .checks import prove

    stances = {(s.organization, s.topic) for s in known.stances}
    corrections = {correction_key(c): c for c, _, _ in known.corrections}
    for r, yf, p in known.replies:
        where = (r.organization, r.topic)
        org_ok = r.organization in known.organizations
        known.ref(report, org_ok, yf, p + ("organization",), "organization", r.organization, "organizations")
        if org_ok and where not in stances and r.organization not in known.broken.get("organizations", ()):
            report.error(yf, p + ("topic",), f"a reply to no stance: {r.organization} has no stance on '{r.topic}'",
                         "a reply answers one of the organization's stances")
        src_ok = r.source in known.sources
        known.ref(report, src_ok, yf, p + ("source",), "source", r.source, "sources")
        if src_ok:
            for i, q in enumerate(r.quotes):
                prove(q.text, r.source, yf, p + ("quotes", i), "text", known, report)
        if r.answer == "corrected":
            c = corrections.get(r.correction or "")
            if r.correction is None:
                report.error(yf, p + ("answer",), "a reply answered 'corrected' names its correction",
                             "add correction: <key> (the key the corrections page and add-reply show)")
            elif c is None:
                report.error(yf, p + ("correction",), f"no correction '{r.correction}' in corrections.yaml",
                             "the key of an entry of the log (python -m dashboard add-reply lists them)")
            elif (c.organization, c.topic) != where:
                report.error(yf, p + ("correction",), f"correction '{r.correction}' is of {c.organization} on "
                                                      f"{c.topic or 'its tradition'}, not of this stance")
        elif not r.reason:
            report.error(yf, p + ("answer",), "a reply the editors answered 'kept' says why: add reason: ...")
