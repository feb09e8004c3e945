"""The validator refuses a word of the editors' prose broken where a YAML line was folded
("pro-\n  Putin" reads "pro- Putin"), and leaves the sources' words alone (issue 26 part 2)."""
from __future__ import annotations

import pytest

from dashboard.data import load_store
from dashboard.data.checks import folded_words
from tests.support.editing import edit, errors, line_of


@pytest.mark.parametrize("text, found", [
    ("the pro- Putin left", [("pro- Putin", "pro-Putin")]),
    ("anti- democratic and eco-\n  socialist", [("anti- democratic", "anti-democratic"),
                                               ("eco-\n  socialist", "eco-socialist")]),
    ("the SWP- UK", [("SWP- UK", "SWP-UK")]),
    ("a plague-on-both- your-houses view", [("plague-on-both- your-houses", "plague-on-both-your-houses")]),
    ("the working- class", [("working- class", "working-class")]),
    ("pro- and anti-war, left- or right-wing", []),  # a hyphen left hanging is English
    ("a dash - here, another -- there, a 20- year span", []),
    ("pro-Putin, working-class", []),
])
def test_folded_words_are_found_and_joined(text, found):
    assert folded_words(text) == found


def test_each_kind_of_editors_prose_is_checked_at_its_line(mini_copy):
    org = mini_copy / "data/organizations/alpha.yaml"
    edit(org, "summary: The Alpha League calls the socialist states class societies.",
         "summary: The Alpha League calls the socialist states class societies, not working-\n      class states.")
    edit(org, "    text: Published its statement in March 2020.", "    text: Published its anti-\n      state statement.")
    edit(org, "        summary: Beta calls the Alpha League a faction of the Democrats.",
         "        summary: Beta calls the Alpha League a pro- Democrat faction.")
    edit(org, "tradition: third-camp\n", "tradition: third-camp\ntradition_note: The eco- socialists say so.\n")
    topics = mini_copy / "data/topics.yaml"
    edit(topics, "definition: No support for the Democrats.", "definition: No support for the pro- capitalist Democrats.")
    errs = errors(mini_copy)
    for path, line, written, joined in ((org, "not working-", "working- class", "working-class"),
                                        (org, "Published its anti-", "anti- state", "anti-state"),
                                        (org, "tradition_note:", "eco- socialists", "eco-socialists"),
                                        (org, "a pro- Democrat", "pro- Democrat", "pro-Democrat"),
                                        (topics, "pro- capitalist", "pro- capitalist", "pro-capitalist")):
        where = f"{path.name}:{line_of(path, line)}: "
        assert any(where in e and f'"{written}"' in e and f'join it: "{joined}"' in e for e in errs), (written, errs)
    assert len(errs) == 5, errs


def test_the_quotes_words_are_never_checked_and_may_be_repeated(mini_copy):
    seed = mini_copy / "seeds/alpha.txt"
    edit(seed, "We do not support the Democrats.", "We do not support the pro- Democrat parties.")
    org = mini_copy / "data/organizations/alpha.yaml"
    edit(org, 'text: "We do not support the Democrats."', 'text: "We do not support the pro- Democrat parties."')
    edit(org, "summary: The Alpha League does not support the Democrats.",
         "summary: The Alpha League does not support the \"pro- Democrat parties\".")
    assert load_store(mini_copy / "data", mini_copy / "seeds")
