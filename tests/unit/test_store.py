"""The store and the evidence-strength rules."""
from __future__ import annotations

import pytest

from dashboard.data.export import export_rows
from dashboard.data.store import Evidence, strength_of

TOPICS = ("ussr", "china", "syria", "russia", "elections", "internationalism")


def ev(attribution: str) -> Evidence:
    return Evidence("q", "o", "t", "p", "own", "s", "text", "src", "who", None, attribution, None, None, 0, 4, 1)


@pytest.mark.parametrize("attrs,contested,critics_term,expected", [
    (["self", "self"], False, False, "holds"),
    (["self", "critic"], False, False, "has-said"),
    (["self"], False, False, "has-said"),
    (["critic"], False, False, "described"),  # another organization's words: its description
    (["critic", "critic"], False, False, "described"),
    (["critic", "observer"], False, False, "described-observers"),
    (["critic"], False, True, "critics"),  # hostile: a label only critics use
    (["critic", "observer"], False, True, "critics-observers"),
    (["observer"], False, False, "one-observer"),
    (["observer", "observer"], False, False, "observers"),
    (["observer", "observer"], False, True, "observers"),
    (["self", "critic"], True, False, "contested"),
])
def test_strength_rules(attrs, contested, critics_term, expected):
    assert strength_of([ev(a) for a in attrs], contested, critics_term) == expected


def test_another_organizations_words_are_its_description_and_critics_only_when_hostile(mini_store):
    from dashboard.components.ui import strength_text, whose_words

    beta = mini_store.stances[("beta", "states")]  # Alpha's words among Beta's own quotes: a description
    alpha = mini_store.stances[("alpha", "elections")]  # Beta's words in a counter view: critics
    described = next(e for e in beta.evidence if e.attribution == "critic")
    hostile = alpha.counters[0].evidence[0]
    assert not mini_store.hostile(described) and mini_store.hostile(hostile)
    assert "the AL\u2019s description" in str(whose_words(mini_store, described))
    assert "critic: Beta Party" in str(whose_words(mini_store, hostile))
    assert beta.strength == "has-said" and "has said" in strength_text(mini_store, beta)


def test_store_is_read_only(mini_store):
    with pytest.raises(TypeError):
        mini_store.organizations["x"] = None  # type: ignore[index]
    with pytest.raises(Exception):
        mini_store.evidence[0].text = "changed"  # type: ignore[misc]


def test_export_rows_are_copies_one_per_quote(mini_store):
    rows = export_rows(mini_store)
    assert [r["quote_id"] for r in rows] == [e.quote_id for e in mini_store.evidence]
    rows[0]["quote"] = "changed"
    assert export_rows(mini_store)[0]["quote"] != "changed"


def test_bundled_data_covers_every_topic_for_four_organizations(store):
    for topic in TOPICS:
        orgs = {o for (o, t) in store.stances if t == topic}
        assert len(orgs) >= 4, (topic, orgs)


def test_bundled_data_has_every_attribution_and_contested_stances(store):
    assert {e.attribution for e in store.evidence} == {"self", "critic", "observer"}
    assert any(s.contested for s in store.stances.values())


def test_critic_claims_are_never_the_organizations_own_words(store):
    for e in store.evidence:
        if e.view == "counter":
            assert e.attribution != "self"
        if e.speaker_org and e.speaker_org != e.organization:
            assert e.attribution != "self", e.quote_id


def test_wsws_critique_is_critic_on_iso_and_self_on_wsws(store):
    src = "wsws-iso-anti-russia-campaign"
    on_iso = [e for e in store.evidence if e.source == src and e.organization == "iso"]
    on_wsws = [e for e in store.evidence if e.source == src and e.organization == "wsws"]
    assert any(e.attribution == "critic" for e in on_iso)
    assert any(e.attribution == "self" for e in on_iso)  # the ISO's own words quoted by its critic
    assert on_wsws and all(e.attribution == "self" for e in on_wsws)


def test_blog_quotes_are_observers(store):
    blog = [e for e in store.evidence if e.source == "blog-iso-vs-psl-china"]
    assert blog and all(e.attribution == "observer" for e in blog)


def test_cache_is_used_invalidated_and_rebuilt(mini_copy, tmp_path):
    from dashboard.data.cache import load_cached

    cache = tmp_path / "cache"
    args = (mini_copy / "data", mini_copy / "seeds", 2_000_000, cache)
    first = load_cached(*args)
    files = list(cache.glob("store-*.pickle"))
    assert len(files) == 1
    again = load_cached(*args)
    assert again.counts() == first.counts()
    # a change to any file invalidates it
    org = mini_copy / "data/organizations/beta.yaml"
    org.write_text(org.read_text().replace("The Beta Party defends", "Beta defends"))
    changed = load_cached(*args)
    assert changed.stances[("beta", "states")].summary.startswith("Beta defends")
    # a corrupt cache is ignored and rebuilt
    for f in cache.glob("store-*.pickle"):
        f.write_bytes(b"not a pickle")
    assert load_cached(*args).counts() == first.counts()


def test_cache_never_holds_invalid_data(mini_copy, tmp_path):
    import pytest

    from dashboard.data import DataError
    from dashboard.data.cache import load_cached

    org = mini_copy / "data/organizations/alpha.yaml"
    org.write_text(org.read_text().replace("run by a bureaucracy.", "run by bureaucrats."))
    with pytest.raises(DataError):
        load_cached(mini_copy / "data", mini_copy / "seeds", 2_000_000, tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("store-*.pickle")) if (tmp_path / "cache").exists() else True


def test_the_quotes_are_in_the_order_sorting_them_gives(store):
    """build_store orders the quotes by sorting the stances; sorting every quote by
    organization, topic and own words first (store.evidence_order) gives the same."""
    from dashboard.data.store import evidence_order

    org_order = {o: i for i, o in enumerate(store.organizations)}
    topic_order = {t: i for i, t in enumerate(store.topics)}
    shuffled = list(store.stances.values())[::-1]
    assert store.evidence == evidence_order(shuffled, org_order, topic_order)
    for source, quotes in store._index["by_source"].items():
        assert list(quotes) == sorted((e for e in store.evidence if e.source == source), key=lambda e: e.start)


def test_a_quote_is_immutable_and_equal_by_its_fields():
    """Evidence is a named tuple (fast to unpickle at every start): still read-only, equal and
    hashed by its fields, its `states` defaulting to False."""
    import pickle

    e = ev("self")
    with pytest.raises(AttributeError):
        e.text = "changed"  # type: ignore[misc]
    same = ev("self")
    assert e == same and hash(e) == hash(same) and e != ev("critic")
    assert e.states is False and e._replace(states=True).states is True
    assert pickle.loads(pickle.dumps(e)) == e
