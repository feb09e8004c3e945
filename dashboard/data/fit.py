"""Where do I fit? A person's answers against the organizations' stances (the `/match` page).

The plain reference of the score that the page computes in the browser
(dashboard/assets/match.js; tests/browser/test_match.py holds the two together on many random
answer sets). The person's answers never reach the server: this module is what the browser
computation must equal, and what the tests and the curators use.

The score is the agreement page's scale (analysis.position_agreement: same position 1, same
family 0.5, different 0), weighted by the person's weights (1, or 2 for "this matters more to
me"), over the topics that both the person and the organization have a position on:

    score = sum(weight * agreement) / sum(weight)

An organization's position on a topic is `analysis.stance_position`: its own stance when the
stance rests on its own words, and with `include_others` also a stance that rests only on
other organizations' or observers' words. A stance that is the editors' reading counts like any other
(the explanation marks it). An organization sharing fewer than MIN_SHARED of the answered
topics is listed apart ("too little evidence to compare"), not ranked.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .analysis import FAMILY, MIN_SHARED, SAME, position_agreement, stance_position
from .memo import memo
from .models import Position
from .store import Evidence, StanceRecord, Store

AGREEMENT_WORDS = {SAME: "same", FAMILY: "related", 0.0: "different"}
NOT_IN_SOURCES = "not in the sources"
OTHERS_ONLY = "other organizations' or observers' words only"
# the evidence modes of the match and agreement pages (?mode=), and what the match page says of each
EVIDENCE_MODES = {"own": "Own words only", "all": "With other organizations' and observers' descriptions"}
MODE_NOTES = {"own": "Counting own words only.",
              "all": "Counting other organizations' and observers' descriptions too."}


def answer_options(store: Store, topic: str) -> list[Position]:
    """The answers offered on `topic`: the positions of its vocabulary, in the vocabulary's
    order, that at least one organization takes in its own words. A label that exists only as
    critics' characterization (`critics_term`) is never an answer a person would give."""
    held = memo(store).get("positions_in_own_words")
    if held is None:  # every topic's at once, once per store
        held = memo(store)["positions_in_own_words"] = frozenset(
            (t, st.position) for (o, t), st in store.stances.items() if st.has_own_words)
    return [p for p in store.topics[topic].positions if (topic, p.id) in held and not p.critics_term]


def valid_answers(store: Store, answers: Mapping[str, str], weights: Mapping[str, int] | None = None
                  ) -> tuple[dict[str, str], dict[str, int]]:
    """The answers that name a topic and one of its offered positions (anything else counts as
    "no opinion"), and their weights (1 unless 2)."""
    weights = weights or {}
    kept: dict[str, str] = {}
    for t in store.topics:
        a = answers.get(t)
        if a and a in {p.id for p in answer_options(store, t)}:
            kept[t] = a
    return kept, {t: (2 if weights.get(t) == 2 else 1) for t in kept}


@dataclass(frozen=True)
class Row:
    """One answered topic for one organization."""

    topic: str
    answer: str
    weight: int
    position: str | None       # the organization's position compared, None when none counts
    agreement: float | None    # SAME, FAMILY or 0.0; None when not compared
    stance: StanceRecord | None  # the stance, also when it is not compared (others' words only, own mode)

    @property
    def word(self) -> str:
        """same / related / different, or why the topic is not compared."""
        if self.agreement is not None:
            return AGREEMENT_WORDS[self.agreement]
        return NOT_IN_SOURCES if self.stance is None else OTHERS_ONLY


@dataclass(frozen=True)
class Result:
    organization: str
    score: float | None        # None when nothing is shared
    shared: int                # answered topics compared
    rows: tuple[Row, ...]      # every answered topic, in topic order

    @property
    def ranked(self) -> bool:
        return self.shared >= MIN_SHARED


def result_for(store: Store, org: str, answers: Mapping[str, str], weights: Mapping[str, int],
               include_others: bool) -> Result:
    rows, total, got, shared = [], 0, 0.0, 0
    for t, a in answers.items():
        st = store.stances.get((org, t))
        pos = stance_position(st, include_others) if st is not None else None
        agree = position_agreement(store, t, a, pos) if pos is not None else None
        w = weights.get(t, 1)
        if agree is not None:
            shared += 1
            total += w
            got += w * agree
        rows.append(Row(t, a, w, pos, agree, st))
    return Result(org, got / total if total else None, shared, tuple(rows))


def match(store: Store, answers: Mapping[str, str], weights: Mapping[str, int] | None = None,
          include_others: bool = False) -> tuple[list[Result], list[Result]]:
    """(ranked, apart): every organization with a stance on at least one answered topic. Ranked:
    those sharing at least MIN_SHARED answered topics, by score, then topics shared, then name.
    Apart: the others (fewer shared topics, or only others' words in own-words mode), by topics
    shared, then name. Answers that are no offered position count as "no opinion"."""
    answers, weights = valid_answers(store, answers, weights)
    if not answers:
        return [], []
    results = [result_for(store, o, answers, weights, include_others) for o in store.organizations
               if any((o, t) in store.stances for t in answers)]
    ranked = sorted((r for r in results if r.ranked),
                    key=lambda r: (-(r.score or 0.0), -r.shared, store.org_name(r.organization)))
    apart = sorted((r for r in results if not r.ranked),
                   key=lambda r: (-r.shared, store.org_name(r.organization)))
    return ranked, apart


def strongest_quote(st: StanceRecord) -> Evidence | None:
    """The quote that best shows the stance: its own words first, a quote that states the
    position before one that implies it, then the order the curators gave."""
    order = {"self": 0, "critic": 1, "observer": 2}
    if not st.evidence:
        return None
    return min(enumerate(st.evidence), key=lambda ie: (order.get(ie[1].attribution, 3), not ie[1].states, ie[0]))[1]
