"""One passage counted on several stances of its organization (`ref:` in a quotes list):
tests/fixtures/shared is the mini data set with Alpha's stance on democracy resting on a
passage filed under its stance on the socialist states."""
from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.data import load_store
from dashboard.data.checks import quote_id_for
from dashboard.data.loader import _parse_organization, _parse_organization_parts
from dashboard.data.models import Quote
from dashboard.data.yamlfile import read_yaml
from tests.support.paths import SHARED, copy_tree
from tests.support.editing import edit, errors, line_of

ORIGINAL = "q-cab0cdde3b"  # Alpha's "Those states were class societies because ... from below."


@pytest.fixture
def shared_copy(tmp_path: Path) -> Path:
    return copy_tree(SHARED, tmp_path / "shared")


def test_a_reference_is_a_row_of_its_own_stance_with_the_originals_words(shared_store):
    original = shared_store.quote(ORIGINAL)
    copy_id = quote_id_for("alpha", "democracy", Quote(text=original.text, source=original.source,
                                                       speaker=original.speaker, attribution="self"))
    copy = shared_store.quote(copy_id)
    assert copy is not None and copy_id != ORIGINAL
    assert (copy.organization, copy.topic, copy.position, copy.view) == ("alpha", "democracy", "from-below", "own")
    for f in ("text", "source", "speaker", "speaker_org", "attribution", "date", "start", "end", "occurrences"):
        assert getattr(copy, f) == getattr(original, f), f
    # the stance's own states and note, not the original's
    assert copy.states and not original.states
    assert copy.note == "Said of the socialist states." and original.note is None
    assert copy.shared == (ORIGINAL,) and original.shared == (copy_id,)
    assert shared_store.stances[("alpha", "democracy")].evidence == (copy,)
    assert shared_store.stances[("alpha", "democracy")].strength == "has-said"
    assert shared_store.counts()["shared passages"] == 1
    # the other quotes share nothing
    assert all(not e.shared for e in shared_store.evidence if e.quote_id not in (ORIGINAL, copy_id))


def test_the_one_call_validation_and_the_part_by_part_one_agree_on_references():
    yf, errs = read_yaml(SHARED / "data/organizations/alpha.yaml", "alpha.yaml")
    assert not errs
    issues: list = []
    assert _parse_organization(yf, issues, set()) == _parse_organization_parts(yf, yf.data, issues)
    assert not issues


def test_a_reference_into_a_counter_view_inherits_its_attribution(shared_copy):
    org = shared_copy / "data/organizations/alpha.yaml"
    critic = quote_id_for("alpha", "elections", Quote(
        text="The Alpha League is a faction of the Democrats in all but name.", source="beta-reply",
        speaker="Beta Party", speaker_org="beta", attribution="critic"))
    edit(org, "        note: Said of the socialist states.\n",
         f"        note: Said of the socialist states.\n      - ref: {critic}\n")
    store = load_store(shared_copy / "data", shared_copy / "seeds")
    row = next(e for e in store.stances[("alpha", "democracy")].evidence if e.source == "beta-reply")
    assert (row.attribution, row.speaker_org, row.view, row.states) == ("critic", "beta", "own", False)
    assert row.shared == (critic,) and store.quote(critic).shared == (row.quote_id,)
    assert store.quote(critic).view == "counter"


def test_an_explicit_id_can_be_named(shared_copy):
    org = shared_copy / "data/organizations/alpha.yaml"
    edit(org, '      - text: "Those states were class societies',
         '      - id: alpha-states-below\n        text: "Those states were class societies')
    edit(org, "ref: q-cab0cdde3b", "ref: alpha-states-below")
    store = load_store(shared_copy / "data", shared_copy / "seeds")
    assert store.quote("alpha-states-below").shared == (store.stances[("alpha", "democracy")].evidence[0].quote_id,)


def test_bad_references_are_each_reported_at_their_line(shared_copy):
    org = shared_copy / "data/organizations/alpha.yaml"
    copy_id = quote_id_for("alpha", "democracy", Quote(
        text="Those states were class societies because the working class never ruled them from below.",
        source="alpha-statement", speaker="Alpha League", attribution="self"))
    # the stance on the states names: a quote of its own stance, an unknown quote, a reference;
    # the counter view on elections names one of Alpha's own words (a counter view is never self)
    edit(org, '''        attribution: self
  - topic: democracy''', f'''        attribution: self
      - ref: q-cab0cdde3b
      - ref: q-0000000000
      - ref: {copy_id}
  - topic: democracy''')
    edit(org, "            attribution: critic\n", f"            attribution: critic\n          - ref: {ORIGINAL}\n")
    errs = errors(shared_copy)
    expect = {
        line_of(org, "ref: q-cab0cdde3b", nth=1): "is a quote of this same stance",
        line_of(org, "ref: q-0000000000"): "no quote 'q-0000000000' in this organization's file",
        line_of(org, f"ref: {copy_id}"): f"'{copy_id}' is itself a reference",
        line_of(org, f"ref: {ORIGINAL}", nth=3): "a counter view holds critics' or observers' words, not 'self'",
    }
    for line, message in expect.items():
        assert any(f"alpha.yaml:{line}:" in e and message in e for e in errs), (line, message, errs)
    assert len(errs) == len(expect), errs


def test_a_reference_with_a_quotes_fields_is_refused(shared_copy):
    org = shared_copy / "data/organizations/alpha.yaml"
    edit(org, "        states: true\n        note: Said of", "        states: true\n        source: beta-reply\n        note: Said of")
    errs = errors(shared_copy)
    assert len(errs) == 1 and "unknown field 'source' in quote reference" in errs[0]
    assert f"alpha.yaml:{line_of(org, 'source: beta-reply')}:" in errs[0]
