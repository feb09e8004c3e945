"""The curator's tools: add-source (text, HTML, PDF) and find. Everything runs on tmp copies of
the mini data; validate --watch and the live reload: tests/unit/test_watch.py."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml

from dashboard.cli import main
from dashboard.curation import CurationError, add_source, quote_text, quoted, search, searchable_sources, yaml_scalar
from dashboard.data import DataError, load_store
from dashboard.data.matching import SourceText
from dashboard.curation.extract import clean_text, extract, normalize_date
from tests.support.paths import ROOT


# ---- fixtures the tests make --------------------------------------------------------------------
def _pdf_string(s: str) -> str:
    return "(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def make_pdf(pages: list[list[str]], info: dict[str, str] | None = None) -> bytes:
    """A small, valid PDF written by hand: one Helvetica text line per item, a correct xref
    table, and an Info dictionary (Title, Author, CreationDate...)."""
    objs: list[str] = []
    n_pages = len(pages)
    page_ids = [4 + 2 * i for i in range(n_pages)]
    objs.append("<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in page_ids)}] /Count {n_pages} >>")
    objs.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i, lines in enumerate(pages):
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 740 Td"] + [f"{_pdf_string(line)} Tj T*" for line in lines] + ["ET"]
        stream = "\n".join(ops)
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                    f"/Resources << /Font << /F1 3 0 R >> >> /Contents {page_ids[i] + 1} 0 R >>")
        objs.append(f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream")
    info_id = None
    if info:
        objs.append("<< " + " ".join(f"/{k} {_pdf_string(v)}" for k, v in info.items()) + " >>")
        info_id = len(objs)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    trailer = f"<< /Size {len(objs) + 1} /Root 1 0 R" + (f" /Info {info_id} 0 R" if info_id else "") + " >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


PDF_PAGES = [
    ["The Gamma Circle and the state",
     "We hold that the state is a machine of class rule, and that work-",
     "ers must break it rather than capture it."],
    ["On elections (a note)", "The Gamma Circle will not vote for the Democrats."],
]
PDF_INFO = {"Title": "Gamma on the state", "Author": "Gamma Circle; Jo Bloggs", "CreationDate": "D:20210305120000Z"}

HTML_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>Delta on elections | Delta Weekly</title>
<meta name="author" content="Sam Writer">
<meta property="article:published_time" content="2022-06-02T09:00:00Z">
<meta property="og:site_name" content="Delta Weekly">
<link rel="canonical" href="https://delta.example/elections">
<style>.x { color: red }</style>
<script>var hidden = "<p>not text</p>";</script>
</head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>Delta on elections</h1>
<p>We <em>never</em> vote for the Democrats, and we&nbsp;say so
   plainly. The so&shy;cialist <a href="#">movement</a> must stand alone.</p>
<blockquote>&ldquo;A party of our own,&rdquo; as Kim put it.</blockquote>
</article>
<!-- a comment that is no text -->
<section id="comments"><div class="comment"><b>Juan</b> says:<br>I was told they back the Democrats.</div></section>
</body></html>
"""


@pytest.fixture
def mini(mini_copy: Path) -> Path:
    return mini_copy


def paths(mini: Path) -> tuple[Path, Path]:
    return mini / "data", mini / "seeds"


def entry_of(data: Path, source_id: str) -> dict:
    raw = yaml.safe_load((data / "sources.yaml").read_text(encoding="utf-8"))
    return next(s for s in raw["sources"] if s["id"] == source_id)


# ---- add-source -----------------------------------------------------------------------------------
def test_add_source_pdf_proposes_metadata_and_validates(mini, tmp_path, capsys):
    data, seeds = paths(mini)
    pdf = tmp_path / "gamma.pdf"
    pdf.write_bytes(make_pdf(PDF_PAGES, PDF_INFO))
    before = (data / "sources.yaml").read_text(encoding="utf-8")
    rc = main(["add-source", str(pdf), "--id", "gamma-state", "--publication", "Gamma Circle pamphlets",
               "--kind", "pamphlet", "--data", str(data), "--seeds", str(seeds)])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "as a PDF, 2 pages" in out
    assert re.search(r"title\s+Gamma on the state\s+\(PDF metadata: Title", out)
    assert re.search(r"authors\s+Gamma Circle, Jo Bloggs\s+\(PDF metadata: Author", out)
    assert re.search(r"date\s+2021-03-05\s+\(PDF metadata: CreationDate", out)
    # the seed: every word of both pages, in order, line-end hyphenation as in the PDF
    seed = (seeds / "gamma-state.txt").read_text(encoding="utf-8")
    assert "We hold that the state is a machine of class rule, and that work-\ners must break it" in seed
    assert seed.index("capture it.") < seed.index("On elections (a note)")
    # appended as text: the file's comments and earlier entries are untouched
    after = (data / "sources.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)
    entry = entry_of(data, "gamma-state")
    assert entry["title"] == "Gamma on the state"
    assert entry["authors"] == ["Gamma Circle", "Jo Bloggs"]
    assert entry["kind"] == "pamphlet" and entry["file"] == "gamma-state.txt"
    assert "date_note" in entry  # says where the date came from
    store = load_store(data, seeds)
    assert store.sources["gamma-state"].date == "2021-03-05"
    # a quote from the new source validates, hyphenation undone
    assert SourceText(store.source_texts["gamma-state"]).find("that workers must break it") is not None


def test_add_source_html_takes_the_page_text_and_its_metadata(mini, tmp_path, capsys):
    data, seeds = paths(mini)
    page = tmp_path / "delta.html"
    page.write_text(HTML_PAGE, encoding="utf-8")
    assert add_source(page, "delta-elections", data, seeds, organization="beta", out=io.StringIO()) is not None
    seed = (seeds / "delta-elections.txt").read_text(encoding="utf-8")
    assert "We never vote for the Democrats, and we say so plainly. The socialist movement must stand alone." in seed
    assert "\u201cA party of our own,\u201d as Kim put it." in seed
    assert "Juan says:\nI was told they back the Democrats." in seed   # comments are evidence too
    for gone in ("not text", "color: red", "Home", "a comment that is no text"):
        assert gone not in seed
    entry = entry_of(data, "delta-elections")
    assert entry["title"] == "Delta on elections"           # the site name taken off the <title>
    assert entry["authors"] == ["Sam Writer"]
    assert entry["publication"] == "Delta Weekly"
    assert str(entry["date"]) == "2022-06-02"
    assert entry["url"] == "https://delta.example/elections"
    assert entry["organization"] == "beta" and entry["kind"] == "article"
    load_store(data, seeds)


def test_add_source_text_options_win_over_proposals(mini, tmp_path):
    data, seeds = paths(mini)
    txt = tmp_path / "note.txt"
    txt.write_text("A first line that is a title\r\n\r\n\r\n\r\nSome words: \u201cquoted\u201d, with a so\u00adft hyphen.\r\n",
                   encoding="utf-8")
    out = io.StringIO()
    add_source(txt, "epsilon-note", data, seeds, title="Epsilon: a note", authors=["Ann One", "Bo Two"],
               publication="Epsilon, the paper", date="2023-05", kind="blog post with comments", out=out)
    seed = (seeds / "epsilon-note.txt").read_text(encoding="utf-8")
    assert seed == "A first line that is a title\n\nSome words: \u201cquoted\u201d, with a soft hyphen.\n"
    entry = entry_of(data, "epsilon-note")
    assert entry["title"] == "Epsilon: a note" and entry["authors"] == ["Ann One", "Bo Two"]
    assert entry["publication"] == "Epsilon, the paper" and str(entry["date"]) == "2023-05"
    assert "date_note" not in entry
    assert "Proposed" not in out.getvalue()  # every field was given
    load_store(data, seeds)


def test_add_source_refuses_existing_ids_and_seeds_and_writes_nothing(mini, tmp_path):
    data, seeds = paths(mini)
    txt = tmp_path / "a.txt"
    txt.write_text("Some text\n", encoding="utf-8")
    sources_before = (data / "sources.yaml").read_bytes()
    seeds_before = sorted(p.name for p in seeds.iterdir())
    kw = dict(authors=["X"], publication="Y", out=io.StringIO())
    with pytest.raises(CurationError, match="already exists"):
        add_source(txt, "alpha-statement", data, seeds, **kw)             # an existing source id
    (seeds / "zeta.txt").write_text("kept\n", encoding="utf-8")
    with pytest.raises(CurationError, match="never overwritten"):
        add_source(txt, "zeta", data, seeds, **kw)                        # an existing seed
    assert (seeds / "zeta.txt").read_text() == "kept\n"
    (seeds / "zeta.txt").unlink()
    with pytest.raises(CurationError, match="kebab-case"):
        add_source(txt, "Not_An_Id", data, seeds, **kw)
    with pytest.raises(CurationError, match="--publication NAME"):
        add_source(txt, "eta", data, seeds, authors=["X"], out=io.StringIO())   # required, not in the file
    with pytest.raises(CurationError, match="unknown organization 'nope'"):
        add_source(txt, "theta", data, seeds, organization="nope", **kw)  # would not validate: rolled back
    with pytest.raises(CurationError, match="date"):
        add_source(txt, "iota", data, seeds, date="2020-13-40", **kw)
    assert (data / "sources.yaml").read_bytes() == sources_before
    assert sorted(p.name for p in seeds.iterdir()) == seeds_before


def test_add_source_dry_run_writes_nothing(mini, tmp_path, capsys):
    data, seeds = paths(mini)
    page = tmp_path / "delta.html"
    page.write_text(HTML_PAGE, encoding="utf-8")
    before = (data / "sources.yaml").read_bytes()
    assert main(["add-source", str(page), "--id", "delta", "--dry-run", "--data", str(data), "--seeds", str(seeds)]) == 0
    out = capsys.readouterr().out
    assert "- id: delta" in out and "dry run: nothing was written" in out
    assert (data / "sources.yaml").read_bytes() == before and not (seeds / "delta.txt").exists()


def test_add_source_cli_error_is_one_line_without_traceback(mini, tmp_path, capsys):
    data, seeds = paths(mini)
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(make_pdf([[]], {"Title": "A scan"}))
    rc = main(["add-source", str(pdf), "--id", "scan", "--author", "X", "--publication", "Y",
               "--data", str(data), "--seeds", str(seeds)])
    err = capsys.readouterr().err
    assert rc == 2 and "no text found" in err and "OCR" in err and "Traceback" not in err


def test_appended_entry_keeps_the_file_style(tmp_path):
    data, seeds = tmp_path / "data", tmp_path / "seeds"
    (data / "organizations").mkdir(parents=True)
    seeds.mkdir()
    for name, key in (("traditions.yaml", "traditions"), ("topics.yaml", "topics")):
        (data / name).write_text(f"{key}: []\n", encoding="utf-8")
    (seeds / "a.txt").write_text("Text A.\n", encoding="utf-8")
    (seeds / "b.txt").write_text("Text B.\n", encoding="utf-8")
    (data / "sources.yaml").write_text(
        "# comment kept\nsources:\n    - id: a\n      title: A\n      authors: [X]\n      publication: P\n"
        "      kind: article\n      file: a.txt\n\n    - id: b\n      title: B\n      authors: [X]\n"
        "      publication: P\n      kind: article\n      file: b.txt\n", encoding="utf-8")
    note = tmp_path / "c.txt"
    note.write_text("Text C: 12 #1\n", encoding="utf-8")
    result = add_source(note, "c", data, seeds, authors=["Smith, J.", "O'Neil"], publication="P: the paper",
                        out=io.StringIO())
    text = (data / "sources.yaml").read_text(encoding="utf-8")
    assert text.startswith("# comment kept\n")
    assert "file: b.txt\n\n    - id: c\n      title: \"Text C: 12 #1\"\n" in text
    assert text.splitlines()[result.line - 1] == "    - id: c"
    entry = entry_of(data, "c")
    assert entry["authors"] == ["Smith, J.", "O'Neil"] and entry["publication"] == "P: the paper"


@pytest.mark.parametrize("value", ["plain words", "2017", "yes", "a: b", "x #y", "[list]", "O'Neil", 'say "no"',
                                   "- dash", "&anchor", "*star", "@at", "trailing:", "Smith, J."])
def test_yaml_scalar_reads_back_the_same(value):
    assert yaml.safe_load(f"k: {yaml_scalar(value)}") == {"k": value}
    assert yaml.safe_load(f"k: [{yaml_scalar(value, flow=True)}]") == {"k": [value]}


@pytest.mark.parametrize("text", ['plain', 'say "no"', "it's", 'both "a" and it\'s', "back\\slash"])
def test_quoted_quote_text_reads_back_the_same(text):
    assert yaml.safe_load(f"text: {quoted(text)}") == {"text": text}


def test_extract_helpers():
    assert normalize_date("2017-04-03T10:00:00+02:00") == "2017-04-03"
    assert normalize_date("D:202103") == "2021-03"
    assert normalize_date("April 3, 2017") == "2017-04-03"
    assert normalize_date("2017-13") is None and normalize_date("someday") is None
    assert clean_text("a\u00a0b\u200bc\r\n\n\n\nd  \n") == "a bc\n\nd\n"


def test_pdf_title_that_is_a_file_name_is_not_proposed(tmp_path):
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(make_pdf([["Real first line"]], {"Title": "Microsoft Word - draft3.docx"}))
    ex = extract(pdf)
    assert ex.found["title"] == ("Real first line", "the first line of the text")
    assert any("file name" in n for n in ex.notes)


# ---- find --------------------------------------------------------------------------------------------
def test_find_all_agrees_with_find():
    s = SourceText("We win. They lose. We\nwin. we win.")
    hits = s.find_all("We win.")
    assert [(m.start, m.end) for m in hits] == [(0, 7), (19, 26)]
    first = s.find("We win.")
    assert (first.start, first.end, first.count) == (hits[0].start, hits[0].end, 2)
    assert len(s.find_all("we WIN.", ignore_case=True)) == 3
    assert s.find("we WIN.") is None  # the validator never ignores case
    assert s.find_all("") == []


def test_find_prints_context_and_a_snippet_that_validates_when_pasted(mini, capsys):
    data, seeds = paths(mini)
    rc = main(["find", "defends the \u201cworkers\u2019 states\u201d as socialist conquests",
               "--data", str(data), "--seeds", str(seeds)])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "1 match for" in out
    assert "alpha-statement (alpha.txt), line 9, characters" in out
    assert "\u00bbdefends the \u201cworkers\u2019 states\u201d as social- ist conquests\u00ab" in out  # in context
    snippet = out[out.index("      - text:"):].rstrip()
    assert snippet.splitlines()[0] == \
        '      - text: "defends the \u201cworkers\u2019 states\u201d as socialist conquests"'
    assert "source: alpha-statement" in snippet and re.search(r"# alpha\.txt: characters \d+-\d+, line 9", snippet)
    # paste it into an organization's stance, fill in the attribution, and the data validates
    filled = snippet.replace("attribution:", "attribution: critic", 1)
    org = data / "organizations" / "beta.yaml"
    lines = org.read_text(encoding="utf-8").splitlines()
    lines[lines.index("    quotes:") + 1:lines.index("    quotes:") + 1] = filled.splitlines()
    org.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = load_store(data, seeds)
    pasted = [e for e in store.evidence if e.organization == "beta" and e.text.startswith("defends the")]
    assert [(e.attribution, e.source) for e in pasted] == [("critic", "alpha-statement")]


def test_find_span_with_ellipsis_and_hyphenation_undone(mini):
    data, seeds = paths(mini)
    sources, _ = searchable_sources(data, seeds)
    hits = search(sources, "The Beta Party ... whatever their rulers do.")
    assert len(hits) == 1
    s, m = hits[0]
    text = quote_text(s.text, m.start, m.end)
    assert text == "The Beta Party, by contrast, defends the \u201cworkers\u2019 states\u201d as socialist conquests, " \
                   "whatever their rulers do."
    assert s.text.find(text).start == m.start


def test_quote_text_keeps_a_real_hyphen_at_a_line_end():
    src = SourceText("the self-emancipation of workers; and the self-\nemancipation of all.")
    start = src.text.index("self-\n")
    assert quote_text(src, start, start + len("self-\nemancipation")) == "self-emancipation"
    src = SourceText("it has pro-\nduced years of hardship")
    assert quote_text(src, 7, 17) == "produced"


def test_find_matches_whole_words_and_reports_the_closest_passage(mini, capsys):
    data, seeds = paths(mini)
    assert main(["find", "Democrat", "--data", str(data), "--seeds", str(seeds)]) == 1   # only "Democrats"
    assert main(["find", "We do not support teh Democrats.", "--source", "alpha-statement",
                 "--data", str(data), "--seeds", str(seeds)]) == 1
    out = capsys.readouterr().out
    assert "No verbatim match" in out
    assert 'quote has "teh" where the source has "the"' in out
    assert main(["find", "we do not support", "-i", "--data", str(data), "--seeds", str(seeds)]) == 0
    assert "text: \"We do not support\"" in capsys.readouterr().out
    assert main(["find", "words", "--source", "nope", "--data", str(data), "--seeds", str(seeds)]) == 2
    assert "unknown source 'nope'" in capsys.readouterr().err


def test_find_works_while_other_files_are_invalid(mini, capsys):
    data, seeds = paths(mini)
    (data / "organizations" / "beta.yaml").write_text("id: beta\nname: [broken\n", encoding="utf-8")
    assert main(["find", "We do not support the Democrats.", "--data", str(data), "--seeds", str(seeds)]) == 0


def test_invalid_data_never_yields_a_partial_store(mini):
    data, seeds = paths(mini)
    (data / "organizations" / "alpha.yaml").write_text("id: alpha\nname: A\ntradition: nope\n", encoding="utf-8")
    with pytest.raises(DataError):
        load_store(data, seeds)


def test_the_guides_example_pdf_adds_cleanly(mini):
    """docs/curating.md walks through docs/examples/example-statement.pdf: it must keep working."""
    data, seeds = paths(mini)
    pdf = ROOT / "docs" / "examples" / "example-statement.pdf"
    out = io.StringIO()
    add_source(pdf, "example-where-we-stand", data, seeds, publication="Example Socialist Circle (leaflet)",
               kind="leaflet", out=out)
    assert "Where we stand: elections and internationalism" in out.getvalue()
    sources, _ = searchable_sources(data, seeds)
    hits = search([s for s in sources if s.id == "example-where-we-stand"], "We will not call ... in public.")
    assert len(hits) == 1
    s, m = hits[0]
    assert quote_text(s.text, m.start, m.end).startswith("We will not call for a vote for any capitalist party,")
    assert search(sources, "organizations must be international")
