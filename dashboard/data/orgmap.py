"""A map of the organizations: classical multidimensional scaling of the agreement matrix.

The distance between two organizations is 1 - agreement (analysis.agreement_grid: same position
1, same family 0.5, different 0, averaged over the topics both have a position on). A pair that
shares no topic has no distance of its own: it is given the mean of the known distances, which
places neither closer nor farther than the typical pair. Classical (Torgerson) MDS then finds
the two axes that best keep the distances: B = -1/2 J D^2 J, the top two eigenvectors scaled by
the square root of their eigenvalues. Each axis's sign is fixed so that its largest coordinate is
positive (the same map at every load).

A further point (the reader's answers on /match) is placed on the same axes by Gower's formula
from its distances d to the mapped organizations: y_k = 1/2 (b - d^2) . x_k / lambda_k, where b
is the diagonal of B; `project` here is the reference that assets/orgmap.js follows.

What the axes mean is said in words: for each axis, the positions whose holders lie farthest
towards each end (the correlation, over the organizations with a position on the topic, between
holding the position and the coordinate)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .analysis import MIN_SHARED, agreement_grid, stance_position
from .memo import recent
from .store import Store

if TYPE_CHECKING:
    import numpy as np

DIMENSIONS = 2
ENDS = 2  # positions named at each end of an axis


def classical_mds(d, k: int = DIMENSIONS):
    """Coordinates (n x k), every eigenvalue of B (largest first), and B's diagonal, for the
    symmetric distance matrix `d`."""
    import numpy as np

    n = len(d)
    j = np.eye(n) - np.full((n, n), 1 / n)
    b = -0.5 * j @ (np.asarray(d, dtype=float) ** 2) @ j
    values, vectors = np.linalg.eigh(b)
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    coords = np.zeros((n, k))
    for a in range(min(k, n)):
        if values[a] > 1e-12:
            axis = vectors[:, a] * np.sqrt(values[a])
            if axis[np.argmax(np.abs(axis))] < 0:
                axis = -axis
            coords[:, a] = axis
    coords[np.abs(coords) < 1e-12] = 0.0
    return coords, values, np.diag(b).copy()


def project(coords, values, b_diag, d_new):
    """Gower's placement of a new point with distances `d_new` to the mapped points."""
    import numpy as np

    gap = (np.asarray(b_diag) - np.asarray(d_new, dtype=float) ** 2) / 2
    return [float(gap @ coords[:, a] / values[a]) if values[a] > 1e-12 else 0.0 for a in range(coords.shape[1])]


@dataclass(frozen=True)
class Pole:
    """A position that lies towards one end of an axis."""

    topic: str
    position: str
    r: float  # its correlation with the axis (negative: the low end)
    n: int    # over how many organizations (those with a position on the topic)


@dataclass(frozen=True)
class OrgMap:
    orgs: tuple[str, ...]               # the mapped organizations, in the store's order
    coords: tuple[tuple[float, float], ...]
    rests_on: tuple[int, ...]           # topics each shares with at least one other mapped organization
    thin: tuple[bool, ...]              # rests on fewer than MIN_SHARED topics: too little evidence
    share: float                        # of the variation (the positive eigenvalues' sum) the two axes show
    eigenvalues: tuple[float, float]
    b_diag: tuple[float, ...]
    fill: float                         # the distance given to pairs that share no topic
    poles: tuple[tuple[tuple[Pole, ...], tuple[Pole, ...]], ...]  # per axis: (low end, high end)

    def browser(self) -> dict:
        """What /match ships to place the reader (assets/orgmap.js): plain lists."""
        return {"orgs": list(self.orgs), "x": [list(c) for c in self.coords], "lambda": list(self.eigenvalues),
                "b": list(self.b_diag), "fill": self.fill, "share": self.share, "thin": list(self.thin),
                "rests_on": list(self.rests_on), "min_shared": MIN_SHARED}


def reader_point(store: Store, m: OrgMap, answers: dict[str, str], weights: dict[str, int] | None = None,
                 include_others: bool = False) -> tuple[float, float, int] | None:
    """Where a reader's answers place them on the map (x, y, and the answered topics it rests on:
    those where a mapped organization has a position), or None with no answer. Their distance to
    an organization is 1 - the match page's score (fit.result_for), `fill` where they share no
    topic: the reference of assets/orgmap.js."""
    import numpy as np

    from .fit import result_for, valid_answers

    answers, weights = valid_answers(store, answers, weights)
    if not answers:
        return None
    d = []
    for o in m.orgs:
        r = result_for(store, o, answers, weights, include_others)
        d.append(m.fill if r.score is None else 1 - r.score)
    x, y = project(np.array(m.coords), m.eigenvalues, m.b_diag, d)
    held = {t for o in m.orgs for t in _positions(store, o, list(answers), include_others)}
    return x, y, len(held)


def org_map(store: Store, topics: list[str] | None = None, include_others: bool = False) -> OrgMap | None:
    """The map over `topics` (all by default), or None when fewer than three organizations share
    a topic with another. Kept per store for the last few asked for."""
    key = (tuple(sorted(set(topics))) if topics else (), include_others)
    return recent(store, "org_map", key, lambda: _org_map(store, topics, include_others))


def _org_map(store: Store, topics: list[str] | None, include_others: bool) -> OrgMap | None:
    import numpy as np

    score, shared = agreement_grid(store, topics, include_others)
    all_orgs = list(store.organizations)
    off = shared.copy()
    np.fill_diagonal(off, 0)
    idx = [i for i in range(len(all_orgs)) if off[i].any()]
    if len(idx) < 3:
        return None
    sub = np.ix_(idx, idx)
    dist = 1 - score[sub]
    known = ~np.isnan(dist) & ~np.eye(len(idx), dtype=bool)
    fill = float(dist[known].mean())
    dist = np.where(np.isnan(dist), fill, dist)
    np.fill_diagonal(dist, 0.0)
    coords, values, b_diag = classical_mds(dist)
    positive = values[values > 1e-12].sum()
    share = float(values[:DIMENSIONS].clip(min=0).sum() / positive) if positive else 0.0
    orgs = [all_orgs[i] for i in idx]
    rests_on = tuple(_rests_on(store, orgs, topics, include_others))
    return OrgMap(
        orgs=tuple(orgs), coords=tuple((round(float(x), 6), round(float(y), 6)) for x, y in coords),
        rests_on=rests_on, thin=tuple(n < MIN_SHARED for n in rests_on), share=round(share, 6),
        eigenvalues=(float(values[0]), float(values[1])), b_diag=tuple(float(v) for v in b_diag),
        fill=fill, poles=tuple(_poles(store, orgs, coords[:, a], topics, include_others)
                               for a in range(DIMENSIONS)))


def _positions(store: Store, org: str, topics: list[str] | None, include_others: bool) -> dict[str, str]:
    out = {}
    for t in topics or store.topics:
        st = store.stances.get((org, t))
        p = stance_position(st, include_others) if st is not None else None
        if p is not None:
            out[t] = p
    return out


def _rests_on(store: Store, orgs: list[str], topics, include_others: bool) -> list[int]:
    held = [set(_positions(store, o, topics, include_others)) for o in orgs]
    return [len(mine & set().union(*(h for j, h in enumerate(held) if j != i))) for i, mine in enumerate(held)]


def _poles(store: Store, orgs: list[str], axis, topics, include_others: bool):
    """The ENDS positions most correlated with each end of `axis`."""
    import numpy as np

    held = [_positions(store, o, topics, include_others) for o in orgs]
    poles = []
    for t in topics or store.topics:
        on = [i for i, h in enumerate(held) if t in h]
        for p in sorted({held[i][t] for i in on}):
            has = np.array([held[i][t] == p for i in on], dtype=float)
            xs = axis[on]
            if has.min() == has.max() or xs.std() < 1e-9:
                continue  # everyone with a position on the topic holds it (or none differs): says nothing
            poles.append(Pole(t, p, round(float(np.corrcoef(has, xs)[0, 1]), 6), len(on)))
    # the strongest first, and of equal strength the one resting on more organizations
    low = sorted((q for q in poles if q.r < 0), key=lambda q: (q.r, -q.n, q.topic, q.position))[:ENDS]
    high = sorted((q for q in poles if q.r > 0), key=lambda q: (-q.r, -q.n, q.topic, q.position))[:ENDS]
    return tuple(low), tuple(high)
