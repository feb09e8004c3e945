"""Open data: the SQLite database and the data package hold the store's records, keys hold, full-text
search finds a known phrase, the package validates under frictionless, the dataset version names
the data, every selector re-anchors its quote, citations name what they cite."""
from __future__ import annotations

import json
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.data import load_store
from dashboard.data.export import (EXPORT_COLUMNS, datapackage_descriptor, datasette_metadata, export_text,
                                   write_datapackage, write_sqlite)
from dashboard.data.opendata import (SCHEMA, TABLES, anchor, citation, corrections_of, dataset_version, selectors,
                                     tables)
from tests.support.paths import ROOT

FRICTIONLESS = Path(sys.executable).with_name("frictionless")


@pytest.fixture(scope="module")
def db(store, tmp_path_factory):
    path = write_sqlite(store, tmp_path_factory.mktemp("sqlite") / "atlas.sqlite")
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    yield con
    con.close()


@pytest.fixture(scope="module")
def package(store, tmp_path_factory):
    return write_datapackage(store, tmp_path_factory.mktemp("pkg") / "atlas")


def _expected_counts(store) -> dict[str, int]:
    return {
        "traditions": len(store.traditions), "topics": len(store.topics),
        "positions": sum(len(t.positions) for t in store.topics.values()),
        "organizations": len(store.organizations),
        "facts": sum(len(o.facts) for o in store.organizations.values()),
        "sources": len(store.sources), "source_texts": len(store.sources),
        "stances": len(store.stances), "views": sum(1 + len(s.counters) for s in store.stances.values()),
        "quotes": len(store.evidence), "corrections": len(corrections_of(store)),
    }


def _sample(items, k=25, seed=15):
    items = list(items)
    return random.Random(seed).sample(items, min(k, len(items)))


# ---- SQLite --------------------------------------------------------------------------------
def test_sqlite_holds_every_record(db, store):
    for name, n in _expected_counts(store).items():
        assert db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == n, name
    assert _expected_counts(store)["quotes"] == 455


def test_sqlite_quotes_match_the_store_field_by_field(db, store):
    for ev in _sample(store.evidence):
        row = db.execute("SELECT * FROM quotes WHERE id = ?", (ev.quote_id,)).fetchone()
        assert (row["organization"], row["topic"], row["position"], row["attribution"], row["speaker"],
                row["speaker_org"], row["text"], row["date"], row["note"], row["source"], row["start_offset"],
                row["end_offset"], row["occurrences"]) == (
            ev.organization, ev.topic, ev.position, ev.attribution, ev.speaker, ev.speaker_org, ev.text, ev.date,
            ev.note, ev.source, ev.start, ev.end, ev.occurrences)
        text = store.source_texts[ev.source]
        assert row["exact"] == text[ev.start:ev.end]
        view = db.execute("SELECT * FROM views WHERE organization = ? AND topic = ? AND ordinal = ?",
                          (ev.organization, ev.topic, row["view"])).fetchone()
        assert (view["kind"], view["position"], view["summary"]) == (ev.view, ev.position, ev.view_summary)


def test_sqlite_other_records_match_the_store(db, store):
    for st in _sample(store.stances.values()):
        row = db.execute("SELECT * FROM stances WHERE organization = ? AND topic = ?",
                         (st.organization, st.topic)).fetchone()
        assert (row["position"], row["summary"], bool(row["contested"]), row["strength"], row["quotes"]) == (
            st.position, st.summary, st.contested, st.strength, len(st.all_evidence))
    for org in _sample(store.organizations.values()):
        row = db.execute("SELECT * FROM organizations WHERE id = ?", (org.id,)).fetchone()
        assert (row["name"], row["short_name"], row["country"], row["kind"], row["tradition"],
                json.loads(row["aliases"])) == (org.name, org.short_name, org.country, org.kind, org.tradition,
                                                list(org.aliases))
        facts = db.execute("SELECT * FROM facts WHERE organization = ? ORDER BY ordinal", (org.id,)).fetchall()
        assert [(f["kind"], f["text"], f["source"], f["quote"]) for f in facts] == [
            (f.kind, f.text, f.source, f.quote) for f in org.facts]
    for src in store.sources.values():
        row = db.execute("SELECT s.*, t.text FROM sources s JOIN source_texts t ON t.source = s.id WHERE s.id = ?",
                         (src.id,)).fetchone()
        assert (row["title"], json.loads(row["authors"]), row["publication"], row["date"], row["file"],
                row["text"]) == (src.title, list(src.authors), src.publication, src.date, src.file,
                                 store.source_texts[src.id])
    for t in store.topics.values():
        rows = db.execute("SELECT * FROM positions WHERE topic = ? ORDER BY ordinal", (t.id,)).fetchall()
        assert [(r["id"], r["label"], r["definition"]) for r in rows] == [(p.id, p.label, p.definition)
                                                                          for p in t.positions]


def test_sqlite_keys_hold_and_are_declared(db):
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    fks = {(r["table"], r["from"]) for r in db.execute("SELECT * FROM pragma_foreign_key_list('quotes')")}
    assert ("sources", "source") in fks and ("organizations", "speaker_org") in fks and ("stances", "topic") in fks
    pk = [r["name"] for r in db.execute("PRAGMA table_info(stances)") if r["pk"]]
    assert pk == ["organization", "topic"]
    indexes = {r["name"] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "idx_quotes_attribution" in indexes and "idx_organizations_tradition" in indexes


def test_a_broken_reference_shows_in_foreign_key_check(db, store, tmp_path):
    """The check above could fail: a quote pointing at no source is reported."""
    path = write_sqlite(store, tmp_path / "broken.sqlite")
    con = sqlite3.connect(path)
    con.execute("UPDATE quotes SET source = 'no-such-source' WHERE rowid = 1")
    con.commit()
    assert con.execute("PRAGMA foreign_key_check").fetchall() != []
    con.close()


def test_full_text_search_finds_a_known_phrase(db):
    ids = [r[0] for r in db.execute(
        "SELECT q.id FROM quotes_fts JOIN quotes q ON q.rowid = quotes_fts.rowid "
        "WHERE quotes_fts MATCH ?", ('"seized the powers of a minority ruling class"',))]
    assert ids == ["q-bc0d4c1b12"]
    stances = db.execute("SELECT s.organization, s.topic FROM stances_fts JOIN stances s ON s.rowid = stances_fts.rowid "
                         "WHERE stances_fts MATCH 'bureaucracy'").fetchall()
    assert ("iso", "ussr") in [tuple(r) for r in stances]


def test_the_readme_query_who_says_what_about_the_iso_on_syria(db):
    rows = db.execute("SELECT q.attribution, q.speaker, q.text, s.title, s.url FROM quotes q "
                      "JOIN sources s ON s.id = q.source WHERE q.organization = 'iso' AND q.topic = 'syria'").fetchall()
    assert rows and {r["attribution"] for r in rows} <= {"self", "critic", "observer"}
    assert all(r["title"] for r in rows)


def test_sqlite_carries_the_dataset_version(db, store):
    got = dict(db.execute("SELECT key, value FROM dataset").fetchall())
    assert got["version"] == dataset_version(store).version
    assert got["sha256"] == dataset_version(store).sha256


def test_datasette_metadata_describes_every_table_and_column(store, db):
    meta = datasette_metadata(store, "atlas")
    described = meta["databases"]["atlas"]["tables"]
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%_fts%'"):
        assert name in described, name
        cols = [r[1] for r in db.execute(f'PRAGMA table_info("{name}")')]
        assert set(cols) == set(described[name]["columns"]), name
        assert all(described[name]["columns"].values())
    assert described["quotes"]["fts_table"] == "quotes_fts"
    assert dataset_version(store).version in meta["title"]


# ---- data package --------------------------------------------------------------------------
def test_datapackage_validates_under_frictionless(package):
    r = subprocess.run([str(FRICTIONLESS), "validate", "--json", str(package / "datapackage.json")],
                       capture_output=True, text=True, timeout=300)
    report = json.loads(r.stdout)
    assert report["valid"], json.dumps(report["tasks"], indent=1)[:3000]
    assert r.returncode == 0
    assert len(report["tasks"]) == len(SCHEMA)


def test_an_invalid_datapackage_is_refused(package, tmp_path):
    """The validation above could fail: a quote whose source is missing breaks a foreign key."""
    broken = tmp_path / "broken"
    shutil.copytree(package, broken)
    quotes = broken / "data" / "quotes.csv"
    lines = quotes.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    assert header[-1] == "occurrences"
    lines[1] = lines[1].rsplit(",", 1)[0] + ",not-a-number"
    quotes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = subprocess.run([str(FRICTIONLESS), "validate", "--json", str(broken / "datapackage.json")],
                       capture_output=True, text=True, timeout=300)
    assert not json.loads(r.stdout)["valid"]


def test_datapackage_holds_the_same_records(package, store):
    from frictionless import Package

    pkg = Package(str(package / "datapackage.json"))
    counts = _expected_counts(store)
    rows = {}
    for res in pkg.resources:
        rows[res.name] = res.read_rows()
        assert len(rows[res.name]) == counts[res.name], res.name
    by_id = {r["id"]: r for r in rows["quotes"]}
    for ev in _sample(store.evidence):
        r = by_id[ev.quote_id]
        assert (r["organization"], r["topic"], r["attribution"], r["speaker"], r["text"], r["source"],
                r["start_offset"], r["end_offset"], r["date"]) == (
            ev.organization, ev.topic, ev.attribution, ev.speaker, ev.text, ev.source, ev.start, ev.end, ev.date)
    stances = {(r["organization"], r["topic"]): r for r in rows["stances"]}
    for st in _sample(store.stances.values()):
        r = stances[(st.organization, st.topic)]
        assert (r["position"], r["summary"], r["contested"]) == (st.position, st.summary, st.contested)
    texts = {r["source"]: r["text"] for r in rows["source_texts"]}
    assert texts == dict(store.source_texts)


def test_datapackage_descriptor_names_licence_sources_version_and_keys(store):
    desc = datapackage_descriptor(store)
    assert desc["version"] == dataset_version(store).version
    assert desc["licenses"] and desc["sources"]
    quotes = next(r for r in desc["resources"] if r["name"] == "quotes")
    assert quotes["schema"]["primaryKey"] == ["id"]
    assert {"fields": ["source"], "reference": {"resource": "sources", "fields": ["id"]}} in \
        quotes["schema"]["foreignKeys"]


def test_a_zipped_package_has_the_same_files(store, package, tmp_path):
    import zipfile

    path = write_datapackage(store, tmp_path / "pkg.zip")
    with zipfile.ZipFile(path) as zf:
        assert zf.read("data/quotes.csv") == (package / "data" / "quotes.csv").read_bytes()
        assert json.loads(zf.read("datapackage.json")) == json.loads((package / "datapackage.json").read_text())


# ---- quote rows ----------------------------------------------------------------------------
def test_csv_and_json_rows_carry_the_dataset_version(store):
    import csv
    import io

    version = dataset_version(store).version
    rows = list(csv.DictReader(io.StringIO(export_text(store, "csv"))))
    assert tuple(rows[0]) == EXPORT_COLUMNS and {r["dataset_version"] for r in rows} == {version}
    assert {r["dataset_version"] for r in json.loads(export_text(store, "json"))} == {version}


def test_csv_and_json_rows_carry_the_selectors_of_the_database(store, db):
    """Issue 26: the rows hold the quotes table's TextQuoteSelector and TextPositionSelector, and
    they find the quote again in its source, also when the offsets have shifted."""
    import csv
    import io

    by_id = {r["id"]: r for r in db.execute("SELECT * FROM quotes")}
    for rows in (list(csv.DictReader(io.StringIO(export_text(store, "csv")))),
                 json.loads(export_text(store, "json"))):
        assert len(rows) == len(by_id)
        for r in rows:
            q = by_id[r["quote_id"]]
            assert (int(r["start"]), int(r["end"]), r["exact"], r["prefix"], r["suffix"]) == (
                q["start_offset"], q["end_offset"], q["exact"], q["prefix"], q["suffix"])
            sels = [{"type": "TextQuoteSelector", "exact": r["exact"], "prefix": r["prefix"], "suffix": r["suffix"]},
                    {"type": "TextPositionSelector", "start": int(r["start"]), "end": int(r["end"])}]
            text = store.source_texts[r["source"]]
            assert anchor("shifted\n" + text, sels) == (q["start_offset"] + 8, q["end_offset"] + 8), r["quote_id"]


# ---- the dataset version ----------------------------------------------------------------
def test_dataset_version_names_the_data(mini_copy):
    a = load_store(mini_copy / "data", mini_copy / "seeds")
    b = load_store(mini_copy / "data", mini_copy / "seeds")
    assert dataset_version(a) == dataset_version(b)
    assert dataset_version(a).version.endswith(dataset_version(a).sha256[:12])
    topics = mini_copy / "data" / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8") + "\n# a comment changes no record\n", encoding="utf-8")
    assert dataset_version(load_store(mini_copy / "data", mini_copy / "seeds")).sha256 == dataset_version(a).sha256
    seed = next((mini_copy / "seeds").iterdir())
    seed.write_text(seed.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert dataset_version(load_store(mini_copy / "data", mini_copy / "seeds")).sha256 != dataset_version(a).sha256


def test_dataset_date_is_the_last_data_change(store):
    ver = dataset_version(store)
    dates = [str(c.date) for c in corrections_of(store)] + \
        [s.date for s in store.sources.values() if s.date]
    assert ver.date == max(dates)
    assert ver.version.startswith(ver.date + ".")


def test_a_store_without_corrections_has_an_empty_corrections_table(mini_copy, tmp_path):
    (mini_copy / "data" / "corrections.yaml").unlink(missing_ok=True)
    store = load_store(mini_copy / "data", mini_copy / "seeds")
    assert tables(store)["corrections"] == []
    con = sqlite3.connect(write_sqlite(store, tmp_path / "none.sqlite"))
    assert con.execute("SELECT count(*) FROM corrections").fetchone()[0] == 0
    con.close()


def test_corrections_become_rows():
    from types import SimpleNamespace

    log = (SimpleNamespace(date="2026-12-02", organization="iso", topic="ussr", field="position", was="a", now="b",
                           reason="because"),)
    assert [c.organization for c in corrections_of(SimpleNamespace(corrections=log))] == ["iso"]
    assert corrections_of(SimpleNamespace()) == ()


# ---- selectors ------------------------------------------------------------------------------
@pytest.mark.parametrize("store_name", ["store", "mini_store"])
def test_every_selector_re_anchors_its_quote(store_name, request):
    store = request.getfixturevalue(store_name)
    for ev in store.evidence:
        text = store.source_texts[ev.source]
        sels = selectors(store, ev)
        quote_sel = next(s for s in sels if s["type"] == "TextQuoteSelector")
        pos_sel = next(s for s in sels if s["type"] == "TextPositionSelector")
        assert text[pos_sel["start"]:pos_sel["end"]] == quote_sel["exact"]
        assert anchor(text, sels) == (ev.start, ev.end), ev.quote_id
        # offsets shift (a line added above): the quote selector still finds it, at its new place
        shifted = "An added first line.\n" + text
        assert anchor(shifted, sels) == (ev.start + 21, ev.end + 21), ev.quote_id
        # a quote that occurs more than once is told apart by its prefix and suffix
        assert anchor(text, [quote_sel]) == (ev.start, ev.end), ev.quote_id


def test_anchor_uses_prefix_and_suffix_to_choose_among_repeats():
    text = "one said: the same words. two said: the same words. three."
    sels = [{"type": "TextQuoteSelector", "exact": "the same words", "prefix": "two said: ", "suffix": ". three"}]
    assert anchor(text, sels) == (36, 50)
    assert anchor("nothing here", sels) is None


def test_selectors_are_in_the_tables(store):
    by_id = {q["id"]: q for q in tables(store)["quotes"]}
    for ev in store.evidence:
        q = by_id[ev.quote_id]
        quote_sel, pos_sel = selectors(store, ev)
        assert (q["exact"], q["prefix"], q["suffix"]) == (quote_sel["exact"], quote_sel["prefix"], quote_sel["suffix"])
        assert (q["start_offset"], q["end_offset"]) == (pos_sel["start"], pos_sel["end"])


# ---- citations -----------------------------------------------------------------------------
def test_citation_names_source_speaker_date_versions_and_access_date(store):
    ev = store.quote("q-bc0d4c1b12")
    c = citation(store, ev, "https://atlas.example", accessed="2026-12-02")
    src = store.sources[ev.source]
    assert c["permalink"] == f"https://atlas.example/sources/{ev.source}?quote={ev.quote_id}"
    for part in (ev.speaker, src.title, ev.date, dataset_version(store).version, "2026-12-02",
                 c["permalink"], "Tendency Atlas"):
        assert part in c["text"], part
    bib = c["bibtex"]
    assert bib.startswith("@misc{atlas:q-bc0d4c1b12,") and bib.rstrip().endswith("}")
    assert "year = {2017}" in bib and "urldate = {2026-12-02}" in bib
    assert bib.count("{") == bib.count("}")


def test_bibtex_escapes_special_characters(store):
    from dashboard.data.opendata import _bib

    assert _bib("50% & {x} #1 $_") == r"50\% \& \{x\} \#1 \$\_"
    for ev in store.evidence:
        bib = citation(store, ev, "http://h", accessed="2026-01-01")["bibtex"]
        assert bib.replace("\\{", "").count("{") == bib.replace("\\}", "").count("}"), ev.quote_id


def test_schema_columns_are_the_table_rows_keys(store):
    for name, rows in tables(store).items():
        for row in rows[:3]:
            assert tuple(row) == TABLES[name].names, name


def test_the_evidence_format_fields_and_corrections_are_exported(mini_store, tmp_path):
    """Issue 13's fields (terms, critics_term, states, reading) and the corrections log reach the database."""
    con = sqlite3.connect(write_sqlite(mini_store, tmp_path / "mini.sqlite"))
    con.row_factory = sqlite3.Row
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    rows = con.execute("SELECT * FROM corrections ORDER BY id").fetchall()
    assert [(r["date"], r["organization"], r["topic"], r["field"], r["was"], r["now"], r["reason"]) for r in rows] == [
        (str(c.date), c.organization, c.topic, c.field, c.was, c.now, c.reason) for c in mini_store.corrections]
    assert rows, "the mini fixture has a corrections log"
    for t in mini_store.topics.values():
        for p in t.positions:
            r = con.execute("SELECT terms, critics_term FROM positions WHERE topic = ? AND id = ?", (t.id, p.id)).fetchone()
            assert (json.loads(r["terms"]), bool(r["critics_term"])) == (list(p.terms), p.critics_term)
    for ev in mini_store.evidence:
        assert bool(con.execute("SELECT states FROM quotes WHERE id = ?", (ev.quote_id,)).fetchone()[0]) == ev.states
    for st in mini_store.stances.values():
        r = con.execute("SELECT reading FROM stances WHERE organization = ? AND topic = ?",
                        (st.organization, st.topic)).fetchone()
        assert r["reading"] == st.reading
    assert any(st.reading for st in mini_store.stances.values()) and any(e.states for e in mini_store.evidence)
    con.close()
    assert dataset_version(mini_store).date == max([str(c.date) for c in mini_store.corrections] +
                                                   [s.date for s in mini_store.sources.values() if s.date])
