"""The quote matcher: each tolerated difference, and each refused one."""
import pytest

from dashboard.data.matching import SourceText

SOURCE = (
    "The commitment of this \u201cNew Left\u201d was hardened by revolutionary struggles in 1968--the\n"
    "high point. These convulsions have grown out of the soil of the 2009 crisis, which has pro-\n"
    "duced years of hardship. Anti-Stalinist socialism assumed huge responsibilities; the anti-\n"
    "Stalinist Left survived \u2013 barely.   Workers' power    was the goal.\n"
)
S = SourceText(SOURCE)


@pytest.mark.parametrize("quote", [
    'The commitment of this "New Left" was hardened',                  # straight for curly quotes
    "revolutionary struggles in 1968\u2014the high point",             # em dash for --
    "revolutionary struggles in 1968 - the high point",                # spaced hyphen for --
    "which has produced years of hardship",                            # hyphenation undone
    "which has pro-duced years of hardship",                           # hyphenation kept
    "which has pro-\nduced years",                                      # line break kept
    "the anti-Stalinist Left survived - barely.",                       # real hyphen at a line end, en dash
    "Workers\u2019 power was the goal.",                                # curly apostrophe, collapsed spaces
    "  soil of the 2009\ncrisis  ",                                      # surrounding whitespace, line break
])
def test_tolerated_differences_match(quote):
    m = S.find(quote)
    assert m is not None, quote
    assert m.count == 1


@pytest.mark.parametrize("quote", [
    "The commitment of this New Left was hardened",      # quotes dropped
    "which has produced many years of hardship",         # word added
    "which has produced of hardship",                    # word dropped
    "which has created years of hardship",               # word changed
    "WHICH has produced years of hardship",              # case changed
    "which has produced years of hardship!",             # punctuation changed
    "revolutionary struggles in 1968the high point",     # dash removed
    "Anti Stalinist socialism",                          # real hyphen replaced by a space
    "AntiStalinist socialism",                           # real hyphen dropped
    "",
])
def test_changed_words_are_refused(quote):
    assert S.find(quote) is None


def test_offsets_point_at_the_quote_in_the_original_text():
    m = S.find("which has produced years of hardship")
    assert SOURCE[m.start:m.end] == "which has pro-\nduced years of hardship"


def test_repeated_quote_is_counted():
    s = SourceText("We win. They lose. We win.")
    m = s.find("We win.")
    assert (m.start, m.count) == (0, 2)


def test_closest_passage_and_difference_are_reported():
    miss = S.closest("which has created years of hardship")
    assert "which has pro-" in miss.closest
    assert "created" in miss.differences


def test_short_and_long_key_builders_agree():
    import random

    from dashboard.data.matching import _keyed_long, _keyed_short

    rng = random.Random(7)
    pieces = ["word", "pro-\nduced", " ", "  ", "\n", "--", " \u2014 ", "\u201cq\u201d", "it\u2019s", "-", "a-\n b",
              "x -\ny", "\t", "\u00e9t\u00e9", "1968--the", "end.\n\n", "\u00e9-\n", "\u0394-\n", "x-  \n",
              "y-\t\n", "-\r\n", "a-\n-b", "\u2014\n", "z-\n\u2014", "7-\n", "\U0001d400-\n", "q-", "-\n"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        a, b = _keyed_short(text), _keyed_long(text)
        assert a.key == b.key and a.seps == b.seps and list(a.offsets) == list(b.offsets), repr(text)


@pytest.mark.parametrize("source, quote, found", [
    ("the campists say so", "campist", False),           # ends inside a word
    ("the campists say so", "campists", True),
    ("the anticampists say so", "campists", False),      # starts inside a word
    ("it was pro-\nduced by workers", "duced by workers", False),  # starts inside a hyphenated word
    ("it was pro-\nduced by workers", "produced by", True),
    ("an anti-war movement", "war movement", True),      # a dash separates words
    ("he said: \"No!\" and left", "No!\" and", True),      # punctuation at the edges is fine
    ("1917 and 19171", "1917", True),                      # the first is whole
    ("x 19171 y", "1917", False),
])
def test_a_quote_is_whole_words_of_its_source(source, quote, found):
    assert (SourceText(source).find(quote) is not None) is found


def test_set_aside_lines_may_sit_inside_a_hyphenated_word():
    text = "The labor-\n\nParis Commune CAPTION\n ing people"
    st = SourceText(text)
    assert st.find("Paris Commune CAPTION") is None
    assert st.find("Paris Commune CAPTION", whole_words=False) is not None
