"""Stated positions, editors' readings, the attribution rule and the corrections log (issue 13).

The checks are tested with REQUIRE_STATED on (errors) and off (warnings), whatever the
constant is in the code, on copies of the mini fixture, which carries `terms`, `states`, a
`reading` and a corrections log."""
from __future__ import annotations

import pytest

from dashboard.data import claims

from dashboard.data.claims import normalize, term_pattern, uses_term
from tests.support.editing import edit, errors, line_of, load


@pytest.fixture
def strict(monkeypatch):
    monkeypatch.setattr(claims, "REQUIRE_STATED", True)


@pytest.fixture
def lenient(monkeypatch):
    monkeypatch.setattr(claims, "REQUIRE_STATED", False)


# ---- the term matcher ------------------------------------------------------------------------

@pytest.mark.parametrize("text, terms, found", [
    ("they defend the workers\u2019 state", ["workers' state"], True),        # curly apostrophe
    ("The Workers' State", ["workers' state"], True),                       # case
    ("the workers' states", ["workers' state"], False),                     # whole words only
    ("the workers'\n   state", ["workers' state"], True),                   # whitespace
    ("self \u2013 emancipation", ["self-emancipation"], True),              # dash variants and spaces
    ("self\u2014emancipation", ["self - emancipation"], True),
    ("selfemancipation", ["self-emancipation"], False),
    ("a \u201cstate capitalist\u201d regime", ['"state capitalist"'], True),  # curly double quotes
    ("state capitalism", ["state capitalist", "state capitalism"], True),   # any of the terms
    ("nothing here", [], False),
])
def test_terms_are_found_as_whole_words_normalized_like_quotes(text, terms, found):
    assert uses_term(text, term_pattern(terms)) is found


def test_normalize():
    assert normalize("  A \u2018b\u2019 \u2014 c\n d ") == "a 'b'-c d"


# ---- the mini fixture is stated throughout --------------------------------------------------

def test_mini_fixture_is_stated_or_read_with_no_warning(strict, mini_copy):
    store = load(mini_copy)
    assert store.warnings == ()
    beta = store.stances[("beta", "states")]
    assert beta.is_reading and "editors read" in beta.reading
    assert not store.stances[("alpha", "states")].is_reading
    assert [e.states for e in beta.evidence] == [True, False]
    assert store.position("elections", "faction").critics_term
    assert store.position("states", "workers-state").terms == ["workers' state"]


# ---- stating quotes ---------------------------------------------------------------------------

def test_a_stance_without_a_stating_quote_is_refused_at_its_quotes(strict, mini_copy):
    alpha = mini_copy / "data/organizations/alpha.yaml"
    edit(alpha, "source: alpha-statement\n        states: true\n        speaker: Alpha League\n"
                "        speaker_org: alpha\n        attribution: self\n  - topic: elections",
         "source: alpha-statement\n        speaker: Alpha League\n"
         "        speaker_org: alpha\n        attribution: self\n  - topic: elections")
    errs = errors(mini_copy)
    line = line_of(alpha, "quotes:")
    assert len(errs) == 1 and f"alpha.yaml:{line}: the stance has no stating quote" in errs[0], errs


def test_a_counter_view_without_a_stating_quote_is_refused(strict, mini_copy):
    alpha = mini_copy / "data/organizations/alpha.yaml"
    edit(alpha, "source: beta-reply\n            states: true\n", "source: beta-reply\n")
    errs = errors(mini_copy)
    line = line_of(alpha, "quotes:", after="counter:")
    assert len(errs) == 1 and f"alpha.yaml:{line}: the counter view has no stating quote" in errs[0], errs


def test_stating_quotes_without_a_term_are_refused_with_the_terms_looked_for(strict, mini_copy):
    topics = mini_copy / "data/topics.yaml"
    edit(topics, 'terms: ["class society", "class societies"]', 'terms: ["class state", "bureaucratic class"]')
    errs = errors(mini_copy)
    alpha = mini_copy / "data/organizations/alpha.yaml"
    line = line_of(alpha, "position: class-society")
    assert len(errs) == 1, errs
    assert f"alpha.yaml:{line}: no stating quote of the stance uses a term of its position 'class-society'" in errs[0]
    assert '(looked for: "class state", "bureaucratic class")' in errs[0]
    assert "reading:" in errs[0]  # the hint suggests an editors' reading, or a term


def test_a_reading_takes_the_place_of_a_term(strict, mini_copy):
    topics = mini_copy / "data/topics.yaml"
    edit(topics, 'terms: ["class society", "class societies"]', 'terms: ["class state"]')
    alpha = mini_copy / "data/organizations/alpha.yaml"
    edit(alpha, "summary: The Alpha League calls the socialist states class societies.",
         "summary: The Alpha League calls the socialist states class societies.\n"
         "    reading: The editors read a society run by a bureaucracy as a class state.")
    store = load(mini_copy)
    assert store.stances[("alpha", "states")].reading.startswith("The editors read")


def test_only_stating_quotes_count_for_the_term(strict, mini_copy):
    # beta's critic quote says "workers' states" (plural): not the term, and not stating anyway
    beta = mini_copy / "data/organizations/beta.yaml"
    edit(beta, "    reading: >-\n      Beta's own words defend the socialist states without calling them workers' "
               "states; the\n      editors read defending them against imperialism as holding them socialist "
               "conquests.\n", "")
    errs = errors(mini_copy)
    assert len(errs) == 1 and "uses a term of its position 'workers-state'" in errs[0], errs


def test_a_position_without_terms_is_refused_at_topics_yaml(strict, mini_copy):
    topics = mini_copy / "data/topics.yaml"
    edit(topics, '        terms: ["workers\' state"]\n', "")
    errs = errors(mini_copy)
    line = line_of(topics, "id: workers-state")
    assert any(f"topics.yaml:{line}: position 'workers-state' of topic 'states' lists no terms" in e
               for e in errs), errs


def test_without_require_stated_the_same_findings_are_warnings(lenient, mini_copy):
    topics = mini_copy / "data/topics.yaml"
    edit(topics, 'terms: ["class society", "class societies"]', 'terms: ["class state"]')
    edit(topics, '        terms: ["workers\' state"]\n', "")
    store = load(mini_copy)
    assert any("no stating quote of the stance uses a term" in w and '"class state"' in w for w in store.warnings)
    assert any("position 'workers-state' of topic 'states' lists no terms" in w for w in store.warnings)
    assert all(w.startswith("data/") or ".yaml:" in w for w in store.warnings)


# ---- attribution: one rule -------------------------------------------------------------------

def test_a_critic_names_the_organization_it_speaks_for(strict, mini_copy):
    alpha = mini_copy / "data/organizations/alpha.yaml"
    edit(alpha, "            speaker_org: beta\n", "")
    errs = errors(mini_copy)
    line = line_of(alpha, "attribution: critic")
    assert len(errs) == 1 and f"alpha.yaml:{line}: a critic's quote names the organization" in errs[0], errs


def test_another_organizations_words_are_critic_not_observer(strict, mini_copy):
    alpha = mini_copy / "data/organizations/alpha.yaml"
    edit(alpha, "attribution: critic", "attribution: observer")
    errs = errors(mini_copy)
    line = line_of(alpha, "attribution: observer")
    assert any(f"alpha.yaml:{line}: the speaker speaks for 'beta', so the quote is `critic`, not `observer`" in e
               for e in errs), errs


def test_an_observer_speaks_for_no_organization(strict, mini_copy):
    alpha = mini_copy / "data/organizations/alpha.yaml"
    edit(alpha, "            speaker_org: beta\n            attribution: critic",
         "            attribution: observer")
    assert load(mini_copy).stances[("alpha", "elections")].counters[0].evidence[0].attribution == "observer"


# ---- the corrections log ---------------------------------------------------------------------

def test_corrections_are_loaded_sorted_and_indexed(mini_copy):
    log = mini_copy / "data/corrections.yaml"
    log.write_text(log.read_text(encoding="utf-8") + """\
  - date: 2026-10-01
    organization: beta
    field: tradition
    was: third-camp
    now: defencist
    reason: Beta calls itself a defender of the socialist states.
""", encoding="utf-8")
    store = load(mini_copy)
    assert [c.date for c in store.corrections] == ["2026-10-01", "2026-11-20", "2026-11-21"]
    assert [c.field for c in store.corrections_of("beta")] == ["tradition", "position"]
    assert [c.now for c in store.corrections_for("beta", "states")] == ["workers-state"]
    assert store.revised_on("beta", "states") == "2026-11-20"
    assert store.revised_on("alpha", "states") is None and store.corrections_for("alpha", "states") == ()


def test_the_corrections_file_is_optional(mini_copy):
    (mini_copy / "data/corrections.yaml").unlink()
    store = load(mini_copy)
    assert store.corrections == () and store.corrections_of("beta") == ()


def test_corrections_reference_known_organizations_and_topics(mini_copy):
    log = mini_copy / "data/corrections.yaml"
    edit(log, "organization: beta", "organization: gamma")
    edit(log, "topic: elections", "topic: nowhere")
    errs = errors(mini_copy)
    assert any(f"corrections.yaml:{line_of(log, 'organization: gamma')}: unknown organization 'gamma'" in e
               for e in errs), errs
    assert any(f"corrections.yaml:{line_of(log, 'topic: nowhere')}: unknown topic 'nowhere'" in e
               for e in errs), errs


def test_a_stance_correction_names_its_topic(mini_copy):
    log = mini_copy / "data/corrections.yaml"
    edit(log, "    topic: elections\n", "")
    errs = errors(mini_copy)
    assert len(errs) == 1 and "a correction to a stance's summary names its topic" in errs[0], errs


def test_the_latest_position_correction_matches_the_stance(mini_copy):
    log = mini_copy / "data/corrections.yaml"
    edit(log, "now: workers-state", "now: class-society")
    errs = errors(mini_copy)
    line = line_of(log, "now: class-society")
    assert len(errs) == 1, errs
    assert f"corrections.yaml:{line}: the latest position correction of beta on 'states'" in errs[0]
    assert "now 'class-society', but the stance's position is 'workers-state'" in errs[0]


def test_an_older_position_correction_may_name_an_earlier_position(mini_copy):
    log = mini_copy / "data/corrections.yaml"
    log.write_text(log.read_text(encoding="utf-8") + """\
  - date: 2026-01-05
    organization: beta
    topic: states
    field: position
    was: workers-state
    now: class-society
    reason: An earlier reading, since corrected.
""", encoding="utf-8")
    assert len(load(mini_copy).corrections_for("beta", "states")) == 2


def test_a_counter_views_position_counts_and_a_removed_stance_is_not_checked(mini_copy):
    log = mini_copy / "data/corrections.yaml"
    log.write_text(log.read_text(encoding="utf-8") + """\
  - date: 2026-11-22
    organization: alpha
    topic: elections
    field: position
    was: independent
    now: faction
    reason: The counter view's position.
  - date: 2026-11-22
    organization: beta
    topic: elections
    field: position
    was: independent
    now: removed
    reason: No stance on elections remains.
""", encoding="utf-8")
    assert len(load(mini_copy).corrections) == 4


def test_a_correction_is_validated_like_the_rest(mini_copy):
    log = mini_copy / "data/corrections.yaml"
    edit(log, "date: 2026-11-20", "date: 2026-11")
    edit(log, "field: summary", "field: colour")
    errs = errors(mini_copy)
    assert any(f"corrections.yaml:{line_of(log, 'date: 2026-11')}: correction: 'date'" in e for e in errs), errs
    assert any(f"corrections.yaml:{line_of(log, 'field: colour')}: correction: 'field'" in e for e in errs), errs
