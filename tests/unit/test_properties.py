"""Property-based tests (hypothesis) of the quote matcher and the loader.

- Random valid data round-trips: written as YAML and text files, loaded, exported, the rows
  are the quotes written, each pointing at its own words in its source.
- The matcher accepts exactly the quotes that are spans of the source up to the tolerated
  differences: a mutated quote (a letter or a word inserted, deleted, replaced, a case flipped)
  is refused unless the mutation happens to be another real span; tolerated variants (line
  breaks, repeated spaces, curly quotes, dash variants) are accepted at the same place.
- The loader raises nothing but DataError, whatever the files hold: random bytes, YAML-ish
  token soup, random YAML values, random edits of a valid data set.

Runs are derandomized (the same examples every time) and need no example database.
"""
from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dashboard.data import DataError, load_store
from dashboard.data.export import export_rows
from dashboard.data.matching import SourceText
from tests.support.paths import MINI


FAST = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Words without dashes, quote marks or spaces: the only tolerated difference left is whitespace,
# so "is a span of the source" has a simple independent definition (see `normalized`).
LETTERS = "abcdeéßxyzABCXYZ01<>/&;:.,!?()\u05e9\u0645\U0001f6a9"
words = st.text(alphabet=LETTERS, min_size=1, max_size=8)


def normalized(text: str) -> str:
    return " ".join(text.split())


@st.composite
def source_texts(draw, min_words=3, max_words=40, vocabulary=None):
    """Words joined by single spaces or line breaks (some lines padded with spaces)."""
    pool = words if vocabulary is None else vocabulary
    ws = draw(st.lists(pool, min_size=min_words, max_size=max_words))
    out = [ws[0]]
    for w in ws[1:]:
        out.append(draw(st.sampled_from([" ", " ", " ", "\n", "  ", " \n"])))
        out.append(w)
    return "".join(out), ws


@st.composite
def spans(draw, ws):
    """A run of whole words of a text, written with single spaces."""
    i = draw(st.integers(0, len(ws) - 1))
    j = draw(st.integers(i + 1, min(len(ws), i + 8)))
    return " ".join(ws[i:j])


# ---- random valid data round-trips through export --------------------------------------------
names = st.text(alphabet=LETTERS + " ", min_size=1, max_size=20).map(str.strip).filter(bool)


@st.composite
def datasets(draw):
    n_topics = draw(st.integers(1, 2))
    topics = [{"id": f"topic-{t}", "name": draw(names), "question": draw(names),
               "positions": [{"id": f"pos-{p}", "label": draw(names), "definition": draw(names),
                              "terms": [draw(names)]}
                             for p in range(draw(st.integers(1, 2)))]} for t in range(n_topics)]
    traditions = [{"id": "trad-0", "name": draw(names), "description": draw(names)}]
    n_sources = draw(st.integers(1, 2))
    texts, sources = {}, []
    for s in range(n_sources):
        text, ws = draw(source_texts(min_words=4))
        texts[f"src-{s}.txt"] = (text, ws)
        sources.append({"id": f"src-{s}", "title": draw(names), "authors": [draw(names)],
                        "publication": draw(names), "kind": "article", "file": f"src-{s}.txt"})
    n_orgs = draw(st.integers(1, 3))
    orgs, expected = [], []
    for o in range(n_orgs):
        oid = f"org-{o}"
        stances = []
        for t in topics:
            if not draw(st.booleans()):
                continue
            quotes, seen = [], set()
            for _ in range(draw(st.integers(1, 3))):
                s = draw(st.integers(0, n_sources - 1))
                text = draw(spans(texts[f"src-{s}.txt"][1]))
                if len(text) < 3 or (s, text) in seen:
                    continue
                seen.add((s, text))
                attribution = draw(st.sampled_from(["self", "observer"]))
                speaker = draw(names)
                q = {"text": text, "source": f"src-{s}", "speaker": speaker, "attribution": attribution}
                if attribution == "self":
                    q["speaker_org"] = oid
                quotes.append(q)
                expected.append((oid, t["id"], text, f"src-{s}", speaker, attribution))
            if quotes:
                quotes[0]["states"] = True  # every stance is stated; random words carry no term,
                stances.append({"topic": t["id"], "position": t["positions"][0]["id"], "summary": draw(names),
                                "reading": draw(names), "quotes": quotes})  # so it is an editors' reading
        orgs.append({"id": oid, "name": draw(names), "tradition": "trad-0", "stances": stances})
    return {"sources": sources, "traditions": traditions, "topics": topics, "orgs": orgs,
            "texts": {k: v[0] for k, v in texts.items()}, "expected": expected}


def write(root: Path, ds: dict) -> None:
    (root / "data/organizations").mkdir(parents=True)
    (root / "seeds").mkdir()

    def dump(path: Path, value) -> None:
        path.write_text(yaml.safe_dump(value, allow_unicode=True, sort_keys=False), encoding="utf-8")

    dump(root / "data/sources.yaml", {"sources": ds["sources"]})
    dump(root / "data/traditions.yaml", {"traditions": ds["traditions"]})
    dump(root / "data/topics.yaml", {"topics": ds["topics"]})
    for org in ds["orgs"]:
        dump(root / f"data/organizations/{org['id']}.yaml", org)
    for name, text in ds["texts"].items():
        (root / "seeds" / name).write_text(text, encoding="utf-8")


@FAST
@given(datasets())
def test_random_valid_data_round_trips_through_export(ds):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write(root, ds)
        store = load_store(root / "data", root / "seeds")
    rows = export_rows(store)
    got = sorted((r["organization"], r["topic"], r["quote"], r["source"], r["speaker"], r["attribution"])
                 for r in rows)
    assert got == sorted(ds["expected"])
    for r in rows:
        text = ds["texts"][r["source_file"]]
        assert normalized(text[r["start"]:r["end"]]) == r["quote"]  # the offsets point at the words


# ---- mutated quotes are refused, tolerated variants accepted -----------------------------------
@st.composite
def mutations(draw, quote: str, vocabulary: list[str]):
    kind = draw(st.sampled_from(["insert-letter", "delete-letter", "replace-letter", "flip-case",
                                 "insert-word", "delete-word", "replace-word"]))
    qwords = quote.split(" ")
    if kind.endswith("letter") or kind == "flip-case":
        i = draw(st.integers(0, len(quote) - 1))
        letter = draw(st.sampled_from(LETTERS))
        if kind == "insert-letter":
            return quote[:i] + letter + quote[i:]
        if kind == "delete-letter":
            return quote[:i] + quote[i + 1:]
        if kind == "replace-letter":
            assume(letter != quote[i])
            return quote[:i] + letter + quote[i + 1:]
        assume(quote[i].swapcase() != quote[i])
        return quote[:i] + quote[i].swapcase() + quote[i + 1:]
    i = draw(st.integers(0, len(qwords) - 1))
    word = draw(st.sampled_from(vocabulary))
    if kind == "insert-word":
        qwords.insert(i, word)
    elif kind == "delete-word":
        assume(len(qwords) > 1)
        del qwords[i]
    else:
        assume(word != qwords[i])
        qwords[i] = word
    return " ".join(qwords)


@FAST
@given(st.data())
def test_mutated_quotes_are_refused_unless_they_are_real_spans(data):
    # a small vocabulary, so that a mutation sometimes does land on another real span
    vocabulary = data.draw(st.lists(words, min_size=2, max_size=6, unique=True))
    text, ws = data.draw(source_texts(min_words=5, vocabulary=st.sampled_from(vocabulary)))
    source = SourceText(text)
    quote = data.draw(spans(ws))
    assert source.find(quote) is not None
    mutated = data.draw(mutations(quote, vocabulary))
    assume(normalized(mutated))
    is_span = normalized(mutated) in normalized(text)
    match = source.find(mutated)
    assert (match is not None) == is_span, (quote, mutated)
    if match is not None:
        assert normalized(text[match.start:match.end]) == normalized(mutated)


CURLY = {"'": ["\u2019", "\u2018"], '"': ["\u201c", "\u201d"]}
DASHES = ["-", "--", "\u2013", "\u2014", " \u2014 ", " - "]


@FAST
@given(st.data())
def test_tolerated_variants_match_the_same_place(data):
    # words may now carry quote marks, joined by dashes; the quote is written with other
    # variants of them and other whitespace, and must be found where the original is
    ws = data.draw(st.lists(words.map(lambda w: data.draw(st.sampled_from(["", "'", '"'])) + w), min_size=4,
                            max_size=20))
    seps = [data.draw(st.sampled_from([" ", "\n", " -- ", "\u2014"])) for _ in ws[1:]]
    text = ws[0] + "".join(s + w for s, w in zip(seps, ws[1:]))
    source = SourceText(text)
    i = data.draw(st.integers(0, len(ws) - 2))
    j = data.draw(st.integers(i + 2, len(ws)))
    original = ws[i] + "".join(s + w for s, w in zip(seps[i:j - 1], ws[i + 1:j]))
    want = source.find(original)
    assert want is not None

    def variant_sep(sep: str) -> str:
        if sep.strip():  # a dash, with or without spaces
            return data.draw(st.sampled_from(DASHES))
        return data.draw(st.sampled_from([" ", "  ", "\n", " \n "]))

    def variant_word(w: str) -> str:
        return "".join(data.draw(st.sampled_from([c] + CURLY.get(c, []))) for c in w)

    variant = variant_word(ws[i]) + "".join(variant_sep(s) + variant_word(w) for s, w in zip(seps[i:j - 1],
                                                                                             ws[i + 1:j]))
    got = source.find(variant)
    assert got is not None, (original, variant)
    assert (got.start, got.end, got.count) == (want.start, want.end, want.count)


# ---- the loader raises nothing but DataError ------------------------------------------------------
TOKENS = ["traditions:", "sources:", "topics:", "id:", "name:", "- ", "  ", "\n", "\t", ": ", "{", "}", "[", "]",
          ",", "'", '"', "#", "|", ">", "? ", "&a ", "*a ", "!!str ", "!!python/name:os.system ", "!x ", "<<: ",
          "---", "...", "%YAML 1.1\n", "iso", "2020-02-30", "null", "~", "1e999", "0x1F", "yes", "é", "\x00",
          "\ufeff", "\u2028", "\\", "\\x", "file: ../x", "@", "`", "%", "=", "-1"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True),
                    st.text(max_size=30), st.sampled_from(["iso", "self", "critic", "x.txt", "../../etc/passwd",
                                                           "2020-13", "beta-reply", "states"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=10), inner, max_size=4)),
                      max_leaves=20)
FILES = ["data/sources.yaml", "data/traditions.yaml", "data/topics.yaml", "data/organizations/alpha.yaml",
         "data/organizations/beta.yaml"]
MINI_DOCS = {rel: yaml.safe_load((MINI / rel).read_text(encoding="utf-8")) for rel in FILES}


def load_mini_with(contents: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel in FILES + ["seeds/alpha.txt", "seeds/beta.txt"]:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(contents.get(rel, (MINI / rel).read_bytes()))
        try:
            load_store(root / "data", root / "seeds")
        except DataError as exc:
            assert exc.issues and all(i.file and i.message for i in exc.issues)
            str(exc)  # the report itself formats


@FAST
@given(st.sampled_from(FILES), st.one_of(st.binary(max_size=300),
                                         st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)
                                         .map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_loader_raises_only_data_errors_on_random_file_contents(rel, content):
    load_mini_with({rel: content})


def _paths(doc, prefix=()):
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, prefix + (i,))


@FAST
@given(st.data())
def test_loader_raises_only_data_errors_on_random_edits_of_valid_data(data):
    contents = {}
    for _ in range(data.draw(st.integers(1, 3))):
        rel = data.draw(st.sampled_from(FILES))
        doc = copy.deepcopy(MINI_DOCS[rel])
        path = data.draw(st.sampled_from(list(_paths(doc))))
        new = data.draw(values)
        if not path:
            doc = new
        else:
            parent = doc
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = new
        contents[rel] = yaml.safe_dump(doc, allow_unicode=True).encode("utf-8")
    load_mini_with(contents)


# ---- the YAML reader and the quote key ---------------------------------------------------------

scalars = st.one_of(st.text(max_size=12), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
nested = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, min_size=1, max_size=3),
                                                       st.dictionaries(st.text(min_size=1, max_size=5), inner,
                                                                       min_size=1, max_size=3)),
                      max_leaves=60)


@FAST
@given(nested)
def test_the_reader_reads_what_pyyaml_reads(value):
    """read_yaml (PyYAML's C loader, every key's line recorded) gives PyYAML's values."""
    from dashboard.data.yamlfile import read_yaml
    text = yaml.safe_dump(value, allow_unicode=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.yaml"
        path.write_text(text, encoding="utf-8")
        yf, issues = read_yaml(path, "x.yaml")
    if not issues:
        assert yf.data == yaml.safe_load(text)


PIECES = st.sampled_from(["word", "pro", "duced", "A", "é", " ", "  ", "\n", " \n", "-", "- ", "-\n", " - ", "--",
                          "\u2014", " \u2013 ", "\u201cq\u201d", "'", "\t", "\u00a0", "x-\n  y", "1917", "."])


@FAST
@given(st.lists(PIECES, min_size=1, max_size=30))
def test_the_quote_key_agrees_with_the_full_key(pieces):
    """Quotes are keyed by a shortcut that skips offsets; it must agree with the full key."""
    from dashboard.data.matching import _key_and_seps, _keyed_long, _keyed_short
    text = "".join(pieces)
    full = _keyed_short(text)
    assert _key_and_seps(text) == (full.key, full.seps)
    longer = _keyed_long(text)
    assert (longer.key, longer.seps) == (full.key, full.seps)
