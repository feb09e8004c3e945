"""The text search's fast path (all haystacks joined, one scan) against the plain scan."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.components.matrix import MatrixState, filtered_evidence
from dashboard.data.search import needle, scan, search

WORDS = ["tiananmen", "the", "e", "ISO", "zzz-nothing", "\u201c", " ", "state capitalist", "\0", "\x01x"]


@pytest.mark.parametrize("q", WORDS)
def test_search_finds_what_a_plain_scan_finds(store, q):
    n = needle(q)
    expected = [e for e in store.evidence if n in store.haystack(e)]
    assert search(store, n) == scan(store, n) == expected


def test_search_finds_quotes_and_not_across_fields(store):
    assert search(store, needle("Tiananmen"))  # the bundled data quotes it
    assert search(store, needle("zzz-nothing")) == []
    ev = store.evidence[0]
    # the end of the quote and the start of its view's summary are separate fields
    across = needle(ev.text[-3:] + ev.view_summary[:3])
    assert ev not in search(store, across)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="aeiost \u201c'-", min_size=1, max_size=4))
def test_search_agrees_with_the_scan_on_any_short_text(mini_store, q):
    n = needle(q)
    assert search(mini_store, n) == scan(mini_store, n)


@pytest.mark.parametrize("q", ["tiananmen", "the", "ISO"])
def test_matrix_search_filter_is_the_search(store, q):
    assert filtered_evidence(store, MatrixState(q=q)) == scan(store, needle(q))


@pytest.mark.parametrize("q", ["tiananmen", "the", "e", "iso", "state capitalist", "\u201c", "-", "a\tb"])
def test_both_fast_paths_find_what_the_scan_finds(store, q):
    """The word list (one-word needles) and the joined scan (any needle) each agree with the scan."""
    from dashboard.data import search as s
    n = needle(q)
    joined, starts = s._index(store)
    positions, pos = [], joined.find(n)
    while pos != -1:
        positions.append(pos)
        pos = joined.find(n, pos + 1)
    by_join = s._which(starts, positions)
    assert [store.evidence[i] for i in by_join] == scan(store, n)
    if s.one_word(n):
        assert s._search_words(store, n) == scan(store, n)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="aeiost \u201c'-\n\u00a0", min_size=1, max_size=5))
def test_word_search_agrees_with_the_scan_on_any_short_text(mini_store, q):
    from dashboard.data import search as s
    n = needle(q)
    assert search(mini_store, n) == scan(mini_store, n)
    if s.one_word(n):
        assert s._search_words(mini_store, n) == scan(mini_store, n)
