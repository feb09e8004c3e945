"""Typed models of the curated data (pydantic 2). Every model forbids unknown keys,
so a typo in a field name is an error, and is frozen once built."""
from __future__ import annotations

import re
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag, field_validator

KEBAB = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
DATE = r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$"

Id = Annotated[str, StringConstraints(pattern=KEBAB, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Attribution = Literal["self", "critic", "observer"]
ATTRIBUTIONS: tuple[str, ...] = ("self", "critic", "observer")
FactKind = Literal["founded", "dissolved", "split-from", "expelled-from", "member-of", "publishes", "related", "other"]
OrgKind = Literal["organization", "party", "current", "international", "publication"]


def _date(value: object) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    if not re.match(DATE, value):
        raise ValueError("a date is written YYYY, YYYY-MM or YYYY-MM-DD")
    return value


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


class Source(Model):
    id: Id
    title: Text
    authors: list[Text] = Field(min_length=1)
    publication: Text
    date: str | None = None
    date_note: str | None = None
    kind: Text
    organization: Id | None = None
    file: Text
    url: str | None = None
    notes: str | None = None
    set_aside: list[Text] = Field(default_factory=list)

    _check_date = field_validator("date", mode="before")(classmethod(lambda cls, v: _date(v)))


class Tradition(Model):
    id: Id
    name: Text
    description: Text
    parent: Id | None = None


class Position(Model):
    id: Id
    label: Text
    definition: Text
    family: Id | None = None
    color: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] | None = None
    # the words by which the sources express the position (docs/data-format.md); required once
    # the data is complete (claims.REQUIRE_STATED), so optional in the model
    terms: list[Text] = Field(default_factory=list)
    critics_term: bool = False  # a label that exists only as critics' characterization


class Topic(Model):
    id: Id
    name: Text
    question: Text
    description: str | None = None
    positions: list[Position] = Field(min_length=1)


class Quote(Model):
    text: Annotated[str, StringConstraints(min_length=3)]
    source: Id
    speaker: Text
    speaker_org: Id | None = None
    attribution: Attribution
    date: str | None = None
    note: str | None = None
    id: Id | None = None
    states: bool = False  # the quote states the stance's (or counter view's) position

    _check_date = field_validator("date", mode="before")(classmethod(lambda cls, v: _date(v)))


class QuoteRef(Model):
    """A passage filed under another stance or counter view of the same organization, counted
    here too: its words, source, speaker and attribution are the original's (`ref` is its id)."""

    ref: Id
    states: bool = False  # the passage states THIS stance's (or counter view's) position
    note: str | None = None  # this stance's note; the original's is not inherited


def _quote_kind(value: object) -> str:
    return "ref" if isinstance(value, QuoteRef) or (isinstance(value, dict) and "ref" in value) else "quote"


# an item of a `quotes:` list: a quote, or a reference to one (`ref:`)
QuoteItem = Annotated[Union[Annotated[Quote, Tag("quote")], Annotated[QuoteRef, Tag("ref")]],
                      Discriminator(_quote_kind)]


class View(Model):
    """How critics or observers describe a stance, when they disagree with it."""

    position: Id
    summary: Text
    reading: Text | None = None  # the editors' reasoning, when the quotes imply the position but do not state it
    quotes: list[QuoteItem] = Field(min_length=1)


class Stance(Model):
    topic: Id
    position: Id
    summary: Text
    reading: Text | None = None  # the editors' reasoning, when the quotes imply the position but do not state it
    quotes: list[QuoteItem] = Field(min_length=1)
    counter: list[View] = Field(default_factory=list)


class Fact(Model):
    kind: FactKind
    text: Text
    source: Id
    quote: Annotated[str, StringConstraints(min_length=3)]
    value: str | None = None
    organization: Id | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, v: object) -> str | None:
        return None if v is None else str(v)


class Organization(Model):
    id: Id
    name: Text
    short_name: Text | None = None
    country: Text | None = None
    kind: OrgKind = "organization"
    tradition: Id
    tradition_note: str | None = None
    description: str | None = None
    aliases: list[Text] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    stances: list[Stance] = Field(default_factory=list)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


CorrectionField = Literal["position", "summary", "attribution", "reading", "stance", "quote", "tradition"]
FULL_DATE = r"^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$"


class Correction(Model):
    """One dated entry of the public corrections log (data/corrections.yaml): a change to a
    stance's position, summary, attribution... what it was, what it is, and why."""

    date: Annotated[str, StringConstraints(pattern=FULL_DATE)]
    organization: Id
    topic: Id | None = None  # omitted only for field: tradition
    field: CorrectionField
    was: Text
    now: Text
    reason: Text

    @field_validator("date", "was", "now", mode="before")
    @classmethod
    def _text(cls, v: object) -> object:
        return v if v is None or isinstance(v, str) else str(v)
