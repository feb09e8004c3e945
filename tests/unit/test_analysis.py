"""Agreement scores, critiques, dates and coverage."""
from __future__ import annotations

from datetime import date

import pytest

from dashboard.data.analysis import (MIN_SHARED, agreement, closest, coverage, critiques, parse_date,
                                     position_agreement)


def test_position_agreement_same_family_different(mini_store):
    assert position_agreement(mini_store, "states", "class-society", "class-society") == 1.0
    assert position_agreement(mini_store, "states", "class-society", "workers-state") == 0.0


def test_agreement_counts_shared_topics_only(mini_store):
    ag = agreement(mini_store, "alpha", "beta")
    assert ag.shared == ("states",)          # beta has no stance on elections
    assert ag.different == ("states",) and ag.score == 0.0


def test_agreement_own_words_only_excludes_critics_characterizations(store):
    # the ISO's Syria stance rests only on the WSWS's words: it counts only when asked for
    own = agreement(store, "iso", "wsws")
    everything = agreement(store, "iso", "wsws", include_others=True)
    assert "syria" not in own.shared and "syria" in everything.shared


def test_family_counts_half(store):
    ag = agreement(store, "iso", "toronto-new-socialists")
    expected = (len(ag.same) + 0.5 * len(ag.related)) / len(ag.shared)
    assert ag.score == expected and len(ag.shared) >= 3


def test_closest_to_iso_is_ranked(store):
    ranked = closest(store, "iso")
    # those sharing enough topics come first, by score: the Bolsheviks (the ISO's heritage:
    # socialism from below and oppression) are closest; an organization sharing a single
    # topic (which can score 1.0) comes after all of them
    enough = [a for a in ranked if len(a.shared) >= MIN_SHARED]
    few = [a for a in ranked if len(a.shared) < MIN_SHARED]
    assert ranked == enough + few and few and any(a.score == 1.0 for a in few)
    assert enough[0].b == "bolsheviks"
    for part in (enough, few):
        scores = [a.score for a in part]
        assert scores == sorted(scores, reverse=True)


def test_critiques_from_critic_to_target(mini_store, store):
    edges = critiques(mini_store)
    assert {(c.critic, c.target) for c in edges} == {("beta", "alpha"), ("alpha", "beta")}
    wsws = next(c for c in critiques(store) if (c.critic, c.target) == ("wsws", "iso"))
    topics = dict(wsws.topics)
    assert topics["syria"] >= 1 and topics["russia"] >= 1
    assert all(e.attribution == "critic" for e in wsws.evidence)


def test_parse_date_precision():
    assert parse_date("2017") == date(2017, 1, 1)
    assert parse_date("2017-02") == date(2017, 2, 1)
    assert parse_date("2017-04-03") == date(2017, 4, 3)
    assert parse_date(None) is None


def test_coverage_splits_by_attribution(mini_store):
    cov = coverage(mini_store)
    assert cov[("alpha", "elections")] == {"self": 1, "critic": 1}
    assert ("beta", "elections") not in cov


def test_vectorized_grid_matches_pairwise_agreement(store):
    import math

    from dashboard.data.analysis import agreement_grid

    orgs = list(store.organizations)
    for include in (False, True):
        score, shared = agreement_grid(store, None, include)
        for i, a in enumerate(orgs):
            for j, b in enumerate(orgs):
                if i == j:
                    continue
                ag = agreement(store, a, b, include_others=include)
                assert shared[i, j] == len(ag.shared)
                if ag.shared:
                    assert math.isclose(score[i, j], ag.score)


def _ranked_plain(store, org, topics, include_others):
    """The reference: every other organization sharing a topic, by a plain sort."""
    from dashboard.data.analysis import agreement_row

    all_orgs = list(store.organizations)
    i = all_orgs.index(org)
    score, shared = agreement_row(store, i, topics, include_others)
    order = sorted((j for j in range(len(all_orgs)) if j != i and shared[j]),
                   key=lambda j: (int(shared[j]) < MIN_SHARED, -float(score[j]), -int(shared[j]),
                                  store.org_name(all_orgs[j])))
    return [all_orgs[j] for j in order]


@pytest.mark.parametrize("topics", [None, ["ussr", "china"], ["party"]])
@pytest.mark.parametrize("include_others", [False, True])
def test_ranked_others_sorts_as_the_plain_sort(store, topics, include_others):
    from dashboard.data.analysis import ranked_others

    for org in store.organizations:
        assert ranked_others(store, org, topics, include_others) == \
            _ranked_plain(store, org, topics, include_others), org
