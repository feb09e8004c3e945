"""The map of the organizations (dashboard/data/orgmap.py): classical MDS of 1 - agreement."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from dashboard.data.analysis import MIN_SHARED, agreement
from dashboard.data.orgmap import classical_mds, org_map, project


def distances(points) -> np.ndarray:
    p = np.asarray(points, dtype=float)
    return np.sqrt(((p[:, None, :] - p[None, :, :]) ** 2).sum(axis=2))


def test_points_on_a_line_get_their_coordinates_back():
    coords, values, _ = classical_mds(distances([[0], [1], [3]]))
    # centred (mean 4/3), and the sign that makes the largest coordinate positive
    assert coords[:, 0] == pytest.approx([-4 / 3, -1 / 3, 5 / 3])
    assert coords[:, 1] == pytest.approx([0, 0, 0])
    assert values[0] == pytest.approx((4 / 3) ** 2 + (1 / 3) ** 2 + (5 / 3) ** 2)  # the sum of squares


def test_a_plane_figure_keeps_every_distance_and_all_its_variation():
    d = distances([[0, 0], [3, 0], [0, 4], [2, 2], [5, 1]])
    coords, values, _ = classical_mds(d)
    assert distances(coords) == pytest.approx(d, abs=1e-9)
    assert values[2:] == pytest.approx(0, abs=1e-9)


def test_identical_rows_coincide_and_mirror_images_map_the_same_way():
    d = distances([[0, 0], [0, 0], [1, 0], [0, 2]])
    coords, _, _ = classical_mds(d)
    assert coords[0] == pytest.approx(coords[1])
    mirrored, _, _ = classical_mds(distances([[0, 0], [0, 0], [-1, 0], [0, -2]]))
    assert mirrored == pytest.approx(coords)  # the sign rule: the same map whichever way it was drawn


def test_gower_places_a_mapped_point_where_it_is():
    pts = [[0, 0], [3, 0], [0, 4], [2, 2]]
    coords, values, b = classical_mds(distances(pts))
    for i in range(len(pts)):
        assert project(coords, values, b, distances(pts)[i]) == pytest.approx(list(coords[i]), abs=1e-9)
    # a new point: its distances to the others kept as the plane keeps them
    new = np.array([1.0, 1.0])
    d_new = np.sqrt(((np.asarray(pts, dtype=float) - new) ** 2).sum(axis=1))
    y = np.array(project(coords, values, b, d_new))
    assert np.sqrt(((coords - y) ** 2).sum(axis=1)) == pytest.approx(d_new, abs=1e-9)


@pytest.mark.parametrize("include_others", [False, True])
def test_the_bundled_map(store, include_others):
    m = org_map(store, None, include_others)
    assert m is not None and len(m.orgs) >= 3
    assert 0 < m.share <= 1
    assert m.thin == tuple(n < MIN_SHARED for n in m.rests_on)
    # every organization sharing a topic with another is on it
    for o in store.organizations:
        shares = any(agreement(store, o, b, include_others=include_others).shared
                     for b in store.organizations if b != o)
        assert (o in m.orgs) == shares
    # the same positions, the same place
    def held(o):
        return {t: st.position for (x, t), st in store.stances.items()
                if x == o and (include_others or st.has_own_words)}
    for a, b in itertools.combinations(range(len(m.orgs)), 2):
        if held(m.orgs[a]) == held(m.orgs[b]):
            assert m.coords[a] == pytest.approx(m.coords[b], abs=1e-6)
    # each axis's ends: the holders of a low-end position lie lower than the others on its topic
    for axis, (low, high) in enumerate(m.poles):
        assert low and high
        for pole, sign in [(q, -1) for q in low] + [(q, 1) for q in high]:
            on = [i for i, o in enumerate(m.orgs) if pole.topic in held(o)]
            holds = [m.coords[i][axis] for i in on if held(m.orgs[i])[pole.topic] == pole.position]
            others = [m.coords[i][axis] for i in on if held(m.orgs[i])[pole.topic] != pole.position]
            assert sign * (np.mean(holds) - np.mean(others)) > 0


def test_too_few_organizations_make_no_map(mini_store):
    assert len(mini_store.organizations) < 3
    assert org_map(mini_store, None, True) is None


def test_the_map_is_kept_per_store_and_the_same_at_every_load(store):
    from dashboard.data import load_store
    from tests.support.paths import ROOT

    again = load_store(ROOT / "data", ROOT / "seeds")
    assert org_map(store, None, True) is org_map(store, None, True)
    assert org_map(again, None, True) == org_map(store, None, True)
