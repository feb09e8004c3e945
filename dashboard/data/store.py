"""The immutable store: everything the views need, resolved and indexed once.

Views and callbacks only select from it. Nothing here is mutated after `build_store`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from types import MappingProxyType
from typing import Mapping, NamedTuple

from .inputs import Inputs
from .models import Correction, Organization, Position, Source, Topic, Tradition
from .replies import Reply

# Okabe-Ito and friends: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999",
           "#332288", "#117733", "#882255", "#44AA99")


class Evidence(NamedTuple):
    """One quote, resolved: where it sits in its source and whose stance it supports.

    A named tuple rather than a frozen dataclass: as immutable, compared and hashed the same,
    and at every start from the cache 20,000 of them are unpickled, three times faster without
    an attribute dictionary each (44 -> 15 ms)."""

    quote_id: str
    organization: str
    topic: str
    position: str          # the position this quote supports (the stance's, or a counter view's)
    view: str              # "own" (the stance) or "counter" (a critic's or observer's view)
    view_summary: str
    text: str
    source: str
    speaker: str
    speaker_org: str | None
    attribution: str
    date: str | None
    note: str | None
    start: int
    end: int
    occurrences: int
    states: bool = False   # the quote states the position of the view it supports (`states: true`)
    # the quote ids of the same passage's other rows: one passage counted on several stances of
    # its organization (a `ref:` in the data); the first row is the quote as filed, the rest refs
    shared: tuple[str, ...] = ()


def passage_id(e: Evidence) -> str:
    """One id for every row of a passage counted on several stances (`Evidence.shared`)."""
    return min(e.shared) if e.shared and min(e.shared) < e.quote_id else e.quote_id


@dataclass(frozen=True)
class CounterView:
    position: str
    summary: str
    evidence: tuple[Evidence, ...]
    reading: str | None = None  # the editors' reasoning when no quote states the position

    @property
    def is_reading(self) -> bool:
        return self.reading is not None


@dataclass(frozen=True)
class StanceRecord:
    organization: str
    topic: str
    position: str
    summary: str
    evidence: tuple[Evidence, ...]
    counters: tuple[CounterView, ...]
    reading: str | None = None  # the editors' reasoning when no quote states the position
    critics_term: bool = False  # its position is a label only critics use (Position.critics_term)

    @property
    def is_reading(self) -> bool:
        """The position is the editors' reading of the quotes, not stated in so many words."""
        return self.reading is not None

    @cached_property
    def contested(self) -> bool:
        return any(c.position != self.position for c in self.counters)

    @cached_property
    def all_evidence(self) -> tuple[Evidence, ...]:
        return self.evidence + tuple(e for c in self.counters for e in c.evidence)

    @cached_property
    def attributions(self) -> frozenset[str]:
        return frozenset(e.attribution for e in self.all_evidence)

    @property
    def has_own_words(self) -> bool:
        return "self" in self.attributions

    @cached_property
    def strength(self) -> str:
        return strength_of(self.all_evidence, self.contested, self.critics_term)

    @cached_property
    def described_by(self) -> tuple[str, ...]:
        """The other organizations whose words it rests on (its `critic` quotes' speakers), in order."""
        return tuple(dict.fromkeys(e.speaker_org for e in self.all_evidence if e.attribution == "critic"
                                   and e.speaker_org))


@dataclass(frozen=True)
class Store:
    sources: Mapping[str, Source]
    source_texts: Mapping[str, str]
    traditions: Mapping[str, Tradition]
    topics: Mapping[str, Topic]
    organizations: Mapping[str, Organization]
    stances: Mapping[tuple[str, str], StanceRecord]
    evidence: tuple[Evidence, ...]
    warnings: tuple[str, ...] = ()
    _index: Mapping[str, object] = field(default_factory=dict, repr=False)
    corrections: tuple[Correction, ...] = ()  # the public corrections log, oldest first
    inputs: Inputs = field(default_factory=Inputs, repr=False, compare=False)  # what it was loaded from
    replies: tuple[Reply, ...] = ()  # organizations' replies to their stances (data/replies.py), oldest first

    def replies_to(self, org_id: str, topic_id: str) -> tuple[Reply, ...]:
        """The organization's replies to its stance on the topic, oldest first."""
        return tuple(r for r in self.replies if r.organization == org_id and r.topic == topic_id)

    # ---- corrections ---------------------------------------------------------
    def corrections_of(self, org_id: str) -> tuple[Correction, ...]:
        """Every correction to the organization's record (stances and tradition), oldest first."""
        return self._index.get("corrections_by_org", {}).get(org_id, ())  # type: ignore[union-attr]

    def corrections_for(self, org_id: str, topic_id: str) -> tuple[Correction, ...]:
        """The corrections to one stance, oldest first."""
        return self._index.get("corrections_by_stance", {}).get((org_id, topic_id), ())  # type: ignore[union-attr]

    def revised_on(self, org_id: str, topic_id: str) -> str | None:
        """The date of the stance's latest correction, if it was ever corrected."""
        cs = self.corrections_for(org_id, topic_id)
        return cs[-1].date if cs else None

    # ---- lookups -------------------------------------------------------------
    def position(self, topic: str, position: str) -> Position | None:
        return self._index["positions"].get((topic, position))  # type: ignore[union-attr]

    def color(self, topic: str, position: str) -> str:
        return self._index["colors"].get((topic, position), "#999999")  # type: ignore[union-attr]

    def quote(self, quote_id: str) -> Evidence | None:
        return self._index["quotes"].get(quote_id)  # type: ignore[union-attr]

    def stances_of(self, org_id: str) -> list[StanceRecord]:
        return [self.stances[(org_id, t)] for t in self.topics if (org_id, t) in self.stances]

    def stances_on(self, topic_id: str) -> list[StanceRecord]:
        return [self.stances[(o, topic_id)] for o in self.organizations if (o, topic_id) in self.stances]

    def haystack(self, ev: Evidence) -> str:
        """What a text search looks in for a quote, case-folded once: the quote, the summary of
        the view it supports, its speaker and the stance's summary, each field separated by a
        NUL (so that no search matches across two fields)."""
        return self._haystack_of[ev.quote_id]

    @cached_property
    def haystacks(self) -> tuple[str, ...]:
        """`haystack` of every quote, in the order of `evidence`: made at the first search (about
        a third of building the store at scale, which a server's start need not wait for)."""
        stances = self.stances
        return tuple("\0".join((e.text, e.view_summary, e.speaker, stances[(e.organization, e.topic)].summary))
                     .casefold() for e in self.evidence)

    @cached_property
    def _haystack_of(self) -> Mapping[str, str]:
        return MappingProxyType({e.quote_id: h for e, h in zip(self.evidence, self.haystacks)})

    def evidence_in_source(self, source_id: str) -> list[Evidence]:
        return list(self._index["by_source"].get(source_id, ()))  # type: ignore[union-attr]

    def tradition_path(self, tradition_id: str) -> list[Tradition]:
        out, seen = [], set()
        t = self.traditions.get(tradition_id)
        while t is not None and t.id not in seen:
            out.append(t)
            seen.add(t.id)
            t = self.traditions.get(t.parent) if t.parent else None
        return list(reversed(out))

    def hostile(self, ev: Evidence) -> bool:
        """Whether another organization's (or an observer's) words are hostile: in a counter view
        (a disagreement with the organization's own words), or giving a label only critics use."""
        pos = self.position(ev.topic, ev.position)
        return ev.attribution != "self" and (ev.view == "counter" or bool(pos and pos.critics_term))

    def strength_words(self, st: StanceRecord) -> str:
        """How firmly the stance is worded (STRENGTHS), naming the organizations it rests on."""
        orgs = [named(self.organizations[o]) if o in self.organizations else o for o in st.described_by]
        return strength_words(st.strength, listed(orgs) if orgs else SOME_ORGANIZATION)

    def org_name(self, org_id: str | None) -> str:
        org = self.organizations.get(org_id or "")
        return org.name if org else (org_id or "")

    def counts(self) -> dict[str, int]:
        return {
            "organizations": len(self.organizations),
            "topics": len(self.topics),
            "traditions": len(self.traditions),
            "stances": len(self.stances),
            "quotes": len(self.evidence),
            "sources": len(self.sources),
            # passages counted on more than one stance (`ref:`): each is one of `quotes` on each
            "shared passages": sum(1 for e in self.evidence if e.shared and passage_id(e) == e.quote_id),
        }


def build_store(
    sources: list[Source],
    source_texts: dict[str, str],
    traditions: list[Tradition],
    topics: list[Topic],
    organizations: list[Organization],
    stances: list[StanceRecord],
    warnings: list[str],
    corrections: list[Correction] | tuple[Correction, ...] = (),
    inputs: Inputs | None = None,
    replies: list[Reply] | tuple[Reply, ...] = (),
) -> Store:
    trad_order = {t.id: i for i, t in enumerate(traditions)}
    orgs_sorted = sorted(organizations, key=lambda o: (trad_order.get(o.tradition, 999), o.name.lower()))
    positions: dict[tuple[str, str], Position] = {}
    colors: dict[tuple[str, str], str] = {}
    for t in topics:
        for i, p in enumerate(t.positions):
            positions[(t.id, p.id)] = p
            colors[(t.id, p.id)] = p.color or PALETTE[i % len(PALETTE)]
    stance_map = {(s.organization, s.topic): s for s in stances}
    org_order = {o.id: i for i, o in enumerate(orgs_sorted)}
    topic_order = {t.id: i for i, t in enumerate(topics)}
    # by organization, topic, then own words before the counter views': one stance per
    # organization and topic, and a stance lists its own evidence first, so sorting the stances
    # gives the order sorting every quote by that key gives (`evidence_order`, tested equal)
    evidence = tuple(e for s in sorted(stances, key=lambda s: (org_order[s.organization], topic_order[s.topic]))
                     for e in s.all_evidence)
    by_source: dict[str, list[Evidence]] = {}
    for e in evidence:
        by_source.setdefault(e.source, []).append(e)
    by_start = attrgetter("start")
    for lst in by_source.values():
        lst.sort(key=by_start)
    src_map = {s.id: s for s in sources}
    org_map = {o.id: o for o in orgs_sorted}
    topic_map = {t.id: t for t in topics}
    index = {
        "positions": MappingProxyType(positions),
        "colors": MappingProxyType(colors),
        "quotes": MappingProxyType({e.quote_id: e for e in evidence}),
        "by_source": MappingProxyType({k: tuple(v) for k, v in by_source.items()}),
        **_correction_index(log := sorted_corrections(corrections)),
    }
    return Store(
        sources=MappingProxyType(src_map),
        source_texts=MappingProxyType(dict(source_texts)),
        traditions=MappingProxyType({t.id: t for t in traditions}),
        topics=MappingProxyType(topic_map),
        organizations=MappingProxyType(org_map),
        stances=MappingProxyType(stance_map),
        evidence=evidence,
        warnings=tuple(warnings),
        _index=MappingProxyType(index),
        corrections=log,
        inputs=inputs or Inputs(),
        replies=tuple(sorted(replies, key=lambda r: r.date)),
    )


def evidence_order(stances, org_order: dict[str, int], topic_order: dict[str, int]) -> tuple[Evidence, ...]:
    """Every quote sorted by organization, topic and own words first: the plain version of the
    order `build_store` makes by sorting the stances."""
    return tuple(sorted((e for s in stances for e in s.all_evidence),
                        key=lambda e: (org_order[e.organization], topic_order[e.topic], e.view != "own")))


def sorted_corrections(corrections) -> tuple[Correction, ...]:
    """The log by date, oldest first; entries of one date keep their order in the file."""
    return tuple(sorted(corrections, key=lambda c: c.date))


def _correction_index(log: tuple[Correction, ...]) -> dict:
    by_org: dict[str, list[Correction]] = {}
    by_stance: dict[tuple[str, str], list[Correction]] = {}
    for c in log:
        by_org.setdefault(c.organization, []).append(c)
        if c.topic:
            by_stance.setdefault((c.organization, c.topic), []).append(c)
    return {
        "corrections_by_org": MappingProxyType({k: tuple(v) for k, v in by_org.items()}),
        "corrections_by_stance": MappingProxyType({k: tuple(v) for k, v in by_stance.items()}),
    }


# ---- evidence strength: how firmly the wording may state a stance ----------------
# Another organization's words (attribution `critic`) are shown as its description, naming it
# ("is described by the ISO as"); they are "critics'" only where they are hostile: in a counter
# view (a disagreement with the organization's own words) or giving a position that is a
# label only critics use (`critics_term`). `{others}` is the organizations, named (`named`).
STRENGTHS = (
    ("contested", "is contested", "The organization's own words and critics' or observers' description of it disagree; "
     "both are shown."),
    ("holds", "holds", "Two or more quotes in the organization's own words."),
    ("has-said", "has said", "One quote in the organization's own words."),
    ("described", "is described by {others} as", "Only other organizations' words, named (an allied current's "
     "account of its predecessor, say); the organization's own view is not in the sources."),
    ("described-observers", "is described by {others} and observers as", "Only other organizations' and observers' "
     "words, none of the organization's own."),
    ("critics", "is described by critics ({others}) as", "Only critics' words: other organizations' words giving a "
     "label that only critics use; the organization's own view is not in the sources."),
    ("critics-observers", "is described by critics ({others}) and observers as", "Only critics' and observers' "
     "words giving a label that only critics use, none of the organization's own."),
    ("observers", "according to observers", "Only third parties' words (bloggers, commenters, journalists), more than one remark."),
    ("one-observer", "according to one observer", "A single remark by a third party: the weakest evidence."),
    ("reading", "in the editors' reading", "Added to any wording above when no quote states the position in so many "
     "words: the editors read it from what the quotes imply, and their reasoning is shown beside it. Marked "
     "\u201c\u2248 editors' reading\u201d."),
)
STRENGTH_WORDS = {key: words for key, words, _ in STRENGTHS}
SOME_ORGANIZATION = "<organization>"  # `{others}` where no stance is in view (the About page, the README)


def strength_words(key: str, others: str = SOME_ORGANIZATION) -> str:
    """The wording of a strength, with the organizations whose words it rests on named."""
    return STRENGTH_WORDS[key].replace("{others}", others)


def named(org: Organization) -> str:
    """An organization as a sentence names it: "the ISO", "the Bolsheviks", "Podemos"."""
    name = org.display_name
    plural = " " in name and name.endswith("s") or name.endswith(("ists", "iks", "ites"))
    return f"the {name}" if name.isupper() or plural else name


def listed(names: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


READING_HELP = ("The quotes imply this position but do not state it in so many words: "
                "it is the editors' reading, and their reasoning is one click away.")


def strength_of(evidence: tuple[Evidence, ...] | list[Evidence], contested: bool = False,
                critics_term: bool = False) -> str:
    """The strength key for a set of quotes (see STRENGTHS); `critics_term`: the position they
    give is a label only critics use, so that other organizations' words for it are hostile."""
    if contested:
        return "contested"
    attrs = [e.attribution for e in evidence]
    n_self = attrs.count("self")
    if n_self >= 2:
        return "holds"
    if n_self == 1:
        return "has-said"
    n_critic, n_obs = attrs.count("critic"), attrs.count("observer")
    if n_critic and n_obs:
        return "critics-observers" if critics_term else "described-observers"
    if n_critic:
        return "critics" if critics_term else "described"
    if n_obs >= 2:
        return "observers"
    return "one-observer"
