"""Derived views of the store: agreement between organizations, who criticizes whom,
lineage, dated evidence, and coverage. Pure functions over the immutable store."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .memo import memo, recent
from .store import Evidence, StanceRecord, Store

if TYPE_CHECKING:  # numpy is imported by the functions using it: a server's start needs none
    import numpy as np

# how much two positions on a topic agree
SAME, FAMILY, DIFFERENT = 1.0, 0.5, 0.0
# Fewer shared topics than this is too little evidence to rank an agreement: such organizations
# come after those that share enough (the agreement ranking), or are listed apart (the match page).
MIN_SHARED = 2


def stance_position(st: StanceRecord, include_others: bool) -> str | None:
    """The position to compare: the stance's own, if it rests on the organization's own words;
    with `include_others`, also positions that rest only on critics' or observers' words."""
    if st.has_own_words or include_others:
        return st.position
    return None


def position_agreement(store: Store, topic: str, a: str, b: str) -> float:
    if a == b:
        return SAME
    pa, pb = store.position(topic, a), store.position(topic, b)
    if pa and pb and pa.family and pa.family == pb.family:
        return FAMILY
    return DIFFERENT


def topic_agreement(store: Store, orgs: list[str], topic: str) -> str:
    """How the stances of `orgs` on `topic` compare, by `position_agreement` of every pair:
    "agree" (one position), "related" (one family), "differ", or "partial" (fewer than two)."""
    positions = sorted({st.position for o in orgs if (st := store.stances.get((o, topic))) is not None})
    if sum((o, topic) in store.stances for o in orgs) < 2:
        return "partial"
    worst = min((position_agreement(store, topic, a, b) for i, a in enumerate(positions) for b in positions[i:]),
                default=SAME)
    return "agree" if worst == SAME else "related" if worst == FAMILY else "differ"


@dataclass(frozen=True)
class Agreement:
    a: str
    b: str
    score: float | None        # mean agreement over shared topics, None if none shared
    shared: tuple[str, ...]    # topics where both have a stance
    same: tuple[str, ...]
    related: tuple[str, ...]
    different: tuple[str, ...]


def agreement(store: Store, a: str, b: str, topics: list[str] | None = None,
              include_others: bool = False) -> Agreement:
    topics = topics or list(store.topics)
    same, related, different, shared = [], [], [], []
    for t in topics:
        sa, sb = store.stances.get((a, t)), store.stances.get((b, t))
        if sa is None or sb is None:
            continue
        pa, pb = stance_position(sa, include_others), stance_position(sb, include_others)
        if pa is None or pb is None:
            continue
        shared.append(t)
        v = position_agreement(store, t, pa, pb)
        (same if v == SAME else related if v == FAMILY else different).append(t)
    score = (len(same) + FAMILY * len(related)) / len(shared) if shared else None
    return Agreement(a, b, score, tuple(shared), tuple(same), tuple(related), tuple(different))


def position_grid(store: Store, include_others: bool, topics: list[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Organizations x topics (these `topics`, or all): position codes and family codes (-1 where
    there is no stance to compare). Computed once per store."""
    import numpy as np

    cache = memo(store).setdefault("position_grid", {})
    if include_others not in cache:
        orgs, topics = list(store.organizations), list(store.topics)
        pos = np.full((len(orgs), len(topics)), -1, dtype=np.int32)
        fam = np.full((len(orgs), len(topics)), -1, dtype=np.int32)
        codes: dict[tuple[str, str], int] = {}
        fams: dict[tuple[str, str], int] = {}
        oi = {o: i for i, o in enumerate(orgs)}
        ti = {t: j for j, t in enumerate(topics)}
        for (o, t), st in store.stances.items():
            p = stance_position(st, include_others)
            if p is None:
                continue
            pos[oi[o], ti[t]] = codes.setdefault((t, p), len(codes))
            position = store.position(t, p)
            fam_key = (t, position.family) if position and position.family else (t, "=" + p)
            fam[oi[o], ti[t]] = fams.setdefault(fam_key, len(fams))
        cache[include_others] = (pos, fam)
    pos, fam = cache[include_others]
    if topics:
        cols = [j for j, t in enumerate(store.topics) if t in set(topics)]
        pos, fam = pos[:, cols], fam[:, cols]
    return pos, fam


def agreement_grid(store: Store, topics: list[str] | None, include_others: bool):
    """Every pair at once: (score matrix with NaN where nothing is shared, shared-topic counts).
    The last few asked for are kept (per store)."""
    key = (tuple(sorted(set(topics))) if topics else (), include_others)
    return recent(store, "agreement_grid", key, lambda: _agreement_grid(store, topics, include_others))


def agreement_row(store: Store, org_index: int, topics: list[str] | None, include_others: bool):
    """One organization against every other: (scores with NaN where nothing is shared, shared-topic counts)."""
    import numpy as np

    pos, fam = position_grid(store, include_others, topics)
    valid = pos >= 0
    both = valid & valid[org_index]
    same = both & (pos == pos[org_index])
    related = both & ~same & (fam == fam[org_index])
    shared = both.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = (same.sum(axis=1) + FAMILY * related.sum(axis=1)) / shared
    score[shared == 0] = np.nan
    return score, shared


def _agreement_grid(store: Store, topics: list[str] | None, include_others: bool):
    import numpy as np

    pos, fam = position_grid(store, include_others, topics)
    valid = pos >= 0
    both = valid[:, None, :] & valid[None, :, :]
    same = both & (pos[:, None, :] == pos[None, :, :])
    related = both & ~same & (fam[:, None, :] == fam[None, :, :])
    shared = both.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = (same.sum(axis=2) + FAMILY * related.sum(axis=2)) / shared
    score[shared == 0] = np.nan
    return score, shared


def ranked_others(store: Store, org: str, topics: list[str] | None = None, include_others: bool = False) -> list[str]:
    """The other organizations sharing a topic with `org`, by agreement with it (most shared
    topics first on ties, then by name), ranked on its row of the agreement grid; those sharing
    fewer than MIN_SHARED topics after all the others (one shared topic at 100% says little)."""
    import numpy as np

    all_orgs = list(store.organizations)
    i = all_orgs.index(org)
    score, shared = agreement_row(store, i, topics, include_others)
    candidates = np.flatnonzero(shared > 0)
    candidates = candidates[candidates != i]
    # one sort in C: enough shared topics first, then by score, then shared topics (both
    # descending), then name; the same order as sorted(key=(shared < MIN_SHARED, -score, -shared,
    # name)) (tests/unit/test_analysis.py holds them together)
    order = candidates[np.lexsort((_name_rank(store)[candidates], -shared[candidates], -score[candidates],
                                   shared[candidates] < MIN_SHARED))]
    return [all_orgs[j] for j in order.tolist()]


def _name_rank(store: Store):
    """Each organization's place (in store order) among all by name, as `org_name` sorts."""
    import numpy as np

    rank = memo(store).get("org_name_rank")
    if rank is None:
        orgs = list(store.organizations)
        rank = np.empty(len(orgs), dtype=np.int64)
        for place, j in enumerate(sorted(range(len(orgs)), key=lambda j: store.org_name(orgs[j]))):
            rank[j] = place
        memo(store)["org_name_rank"] = rank
    return rank


def closest(store: Store, org: str, include_others: bool = False, limit: int | None = None,
            topics: list[str] | None = None) -> list[Agreement]:
    """`ranked_others`, the first `limit` worked out in full."""
    return [agreement(store, org, b, topics, include_others)
            for b in ranked_others(store, org, topics, include_others)[:limit]]


@dataclass(frozen=True)
class Critique:
    critic: str
    target: str
    topics: tuple[tuple[str, int], ...]   # (topic, number of quotes)
    evidence: tuple[Evidence, ...]

    @property
    def count(self) -> int:
        return len(self.evidence)


def critiques(store: Store, topics: list[str] | None = None) -> list[Critique]:
    """Edges from a critic organization to its target, one per pair, from critics' quotes."""
    groups: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    for e in store.evidence:
        if e.attribution != "critic" or not e.speaker_org or e.speaker_org == e.organization:
            continue
        if topics and e.topic not in topics:
            continue
        groups[(e.speaker_org, e.organization)].append(e)
    out = []
    for (critic, target), evs in groups.items():
        counts = Counter(e.topic for e in evs)
        ordered = tuple((t, counts[t]) for t in store.topics if t in counts)
        out.append(Critique(critic, target, ordered, tuple(evs)))
    return sorted(out, key=lambda c: (-c.count, c.critic, c.target))


def parse_date(value: str | None) -> date | None:
    """YYYY, YYYY-MM or YYYY-MM-DD as the first day it can mean."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    while len(parts) < 3:
        parts.append(1)
    try:
        return date(*parts[:3])
    except ValueError:
        return None


def dated_evidence(store: Store) -> list[tuple[date, Evidence]]:
    out = [(parse_date(e.date), e) for e in store.evidence]
    return sorted(((d, e) for d, e in out if d is not None), key=lambda x: x[0])


def undated_evidence(store: Store) -> list[Evidence]:
    return [e for e in store.evidence if parse_date(e.date) is None]


def coverage(store: Store) -> dict[tuple[str, str], Counter]:
    """Quotes per (organization, topic), counted by attribution."""
    out: dict[tuple[str, str], Counter] = {}
    for e in store.evidence:
        out.setdefault((e.organization, e.topic), Counter())[e.attribution] += 1
    return out
