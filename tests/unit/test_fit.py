"""The match's score (dashboard/data/fit.py), hand-computed on a fixture made for it
(tests/fixtures/fit: three topics, five organizations), and its answers on the bundled data.

The fixture: on "first", yes and maybe are one family, no another; Org One says yes there and no
on "second"; Org Two maybe and yes; Org Three only no on "first"; Org Four yes on "second" in its
own words, and no on "first" and "a faction" on "third" only in Org Five's words; Org Five yes on
"third"."""
from __future__ import annotations

from dashboard.data.fit import MIN_SHARED, answer_options, match, result_for, strongest_quote, valid_answers


def scores(results):
    return [(r.organization, r.score, r.shared) for r in results]


def test_answers_offered_are_positions_held_in_own_words_never_critics_terms(fit_store, store):
    assert [p.id for p in answer_options(fit_store, "first")] == ["yes", "maybe", "no"]
    assert [p.id for p in answer_options(fit_store, "third")] == ["yes"]  # "a faction": critics' term only
    for t in store.topics:
        for p in answer_options(store, t):
            assert not p.critics_term
            assert any(st.position == p.id and st.has_own_words for (o, tt), st in store.stances.items()
                       if tt == t), (t, p.id)


def test_weights_and_families_hand_computed(fit_store):
    ranked, apart = match(fit_store, {"first": "yes", "second": "yes"}, {"second": 2})
    # Two: related (0.5 x 1) + same (1 x 2) over 3; One: same (1 x 1) + different (0 x 2) over 3
    assert scores(ranked) == [("two", 2.5 / 3, 2), ("one", 1 / 3, 2)]
    # Three shares one topic; Four's "first" rests on a critic's words only, so it shares one too
    assert scores(apart) == [("four", 1.0, 1), ("three", 0.0, 1)]
    assert MIN_SHARED == 2
    unweighted, _ = match(fit_store, {"first": "yes", "second": "yes"})
    assert scores(unweighted) == [("two", 0.75, 2), ("one", 0.5, 2)]


def test_a_skipped_or_unknown_answer_counts_for_nothing(fit_store):
    base = match(fit_store, {"first": "yes", "second": "yes"}, {"second": 2})
    assert match(fit_store, {"first": "yes", "second": "yes", "third": ""}, {"second": 2, "third": 2}) == base
    ranked, apart = match(fit_store, {"first": "bogus", "second": "yes", "nowhere": "yes"})
    assert ranked == []
    # only "second" is answered: Three holds nothing on it and is not listed; Five neither
    assert scores(apart) == [("four", 1.0, 1), ("one", 0.0, 1), ("two", 1.0, 1)]
    assert valid_answers(fit_store, {"first": "faction", "third": "faction"}) == ({}, {})
    assert match(fit_store, {}) == ([], [])


def test_the_evidence_mode_counts_critics_words_when_asked(fit_store):
    ranked, apart = match(fit_store, {"first": "yes", "second": "yes"}, {"second": 2}, include_others=True)
    # Four: different (0 x 1) on "first" in Five's words, same (1 x 2) on "second"
    assert scores(ranked) == [("two", 2.5 / 3, 2), ("four", 2 / 3, 2), ("one", 1 / 3, 2)]
    assert scores(apart) == [("three", 0.0, 1)]
    # "third": Five's own yes is the same; Four's "a faction" counts only with critics' words
    own = result_for(fit_store, "four", {"third": "yes"}, {}, include_others=False)
    assert own.score is None and own.shared == 0 and own.rows[0].word == "other organizations' or observers' words only"
    others = result_for(fit_store, "four", {"third": "yes"}, {}, include_others=True)
    assert (others.score, others.rows[0].position, others.rows[0].word) == (0.0, "faction", "different")


def test_every_organization_with_evidence_is_listed_and_rows_say_why(fit_store):
    ranked, apart = match(fit_store, {"first": "maybe", "second": "no", "third": "yes"})
    listed = {r.organization for r in ranked + apart}
    assert listed == set(fit_store.organizations)
    one = next(r for r in ranked if r.organization == "one")
    assert [(row.topic, row.word) for row in one.rows] == [("first", "related"), ("second", "same"),
                                                            ("third", "not in the sources")]
    assert one.score == 1.5 / 2


def test_the_bundled_data_ranks_the_iso_first_for_iso_answers(store):
    iso = {"ussr": "stalinist-counterrevolution", "syria": "supports-uprising-against-assad",
           "russia": "russia-also-imperialist", "elections": "independent-of-capitalist-parties",
           "internationalism": "internationalism-as-solidarity", "china": "no-loyalty-market-reforms"}
    ranked, apart = match(store, iso)
    assert ranked[0].organization == "iso" and ranked[0].score == 1.0 and ranked[0].shared == 4
    everyone, _ = match(store, iso, include_others=True)
    assert [r.organization for r in everyone] != [r.organization for r in ranked]
    # no organization with a stance on an answered topic is left out
    with_evidence = {o for (o, t) in store.stances if t in iso}
    assert {r.organization for r in ranked + apart} == with_evidence


def test_the_strongest_quote_is_own_words_that_state_the_position_first(store):
    for st in store.stances.values():
        ev = strongest_quote(st)
        assert ev is not None
        if any(e.attribution == "self" for e in st.evidence):
            assert ev.attribution == "self"
            if any(e.attribution == "self" and e.states for e in st.evidence):
                assert ev.states
