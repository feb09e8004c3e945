"""A passage counted on two stances (`ref:`, issue 26 part 1) shows on each, in every view and
export: tests/fixtures/shared, where Alpha's stance on democracy refers to a passage filed
under its stance on the socialist states."""
from __future__ import annotations

import json
import re
import sqlite3

import pytest

from dashboard.app import create_app
from dashboard.config import load_config
from dashboard.data.export import export_rows, export_text, write_sqlite
from dashboard.data.store import passage_id

from benchmarks.dash_client import DashClient
from tests.support.paths import SHARED

PASSAGE = "Those states were class societies because the working class never ruled them from below."


@pytest.fixture(scope="module")
def client(shared_store):
    return DashClient(create_app(load_config(data_dir=SHARED / "data", seeds_dir=SHARED / "seeds"), store=shared_store))


@pytest.fixture(scope="module")
def rows(shared_store):
    return {e.topic: e for e in shared_store.evidence if e.text == PASSAGE}


def page(client, path: str) -> str:
    resp = client.page(path)
    assert resp.status_code == 200, resp.status_code
    return json.dumps(resp.get_json(), ensure_ascii=False)


def test_the_passage_is_a_row_on_each_stance(rows):
    assert set(rows) == {"states", "democracy"}
    assert rows["states"].shared == (rows["democracy"].quote_id,)
    assert rows["democracy"].shared == (rows["states"].quote_id,)


@pytest.mark.parametrize("path", ["/topics/democracy", "/topics/states", "/organizations/alpha",
                                  "/?stance=alpha.democracy", "/?stance=alpha.states",
                                  "/compare?org=alpha&org=beta&topic=democracy", "/compare?org=alpha&org=beta&topic=states"])
def test_every_view_of_either_stance_shows_the_passage(client, path):
    assert PASSAGE in page(client, path)


def test_each_stance_names_the_other_the_passage_counts_on(client):
    out = page(client, "/topics/democracy")
    assert "The same passage is evidence on: " in out and "/organizations/alpha#topic-states" in out
    out = page(client, "/topics/states")
    assert "The same passage is evidence on: " in out and "/organizations/alpha#topic-democracy" in out


def test_match_agreement_and_coverage_count_the_stance_resting_on_the_passage(client):
    assert "from-below" in page(client, "/match")
    assert "Democracy" in page(client, "/coverage")
    assert "Democracy" in page(client, "/agreement?org=alpha")


def test_the_reader_highlights_the_passage_once_and_lists_both_stances(client, shared_store, rows):
    out = page(client, f"/sources/alpha-statement?quote={rows['democracy'].quote_id}")
    mark = f"mark-{passage_id(rows['democracy'])}"
    assert passage_id(rows["states"]) == passage_id(rows["democracy"])
    assert out.count(f'"id": "{mark}"') == 1
    assert f'"data": "{mark}"' in out  # the reader scrolls to it
    titles = [t for t in re.findall(r'"title": "([^"]*)"', out) if "on Democracy" in t]
    assert titles and all("on The socialist states" in t for t in titles)
    assert "The same passage is evidence on: The socialist states, Class society." in out
    quotes = {e.quote_id for e in shared_store.evidence_in_source("alpha-statement")}
    assert f"{len(quotes) - 1} quotes from this source" in out  # one passage, two rows


def test_every_export_has_the_passage_on_each_stance(shared_store, rows, tmp_path):
    ids = {t: e.quote_id for t, e in rows.items()}
    got = {r["topic"]: r for r in export_rows(shared_store) if r["quote"] == PASSAGE}
    assert {t: r["quote_id"] for t, r in got.items()} == ids
    assert got["democracy"]["shared"] == ids["states"] and got["states"]["shared"] == ids["democracy"]
    assert sum(r["quote"] == PASSAGE for r in json.loads(export_text(shared_store, "json"))) == 2
    assert export_text(shared_store, "csv").count(PASSAGE) == 2
    db = sqlite3.connect(write_sqlite(shared_store, tmp_path / "x.db"))
    found = dict(db.execute("SELECT topic, shared FROM quotes WHERE text = ?", (PASSAGE,)).fetchall())
    assert found == {"democracy": ids["states"], "states": ids["democracy"]}


def test_the_api_answers_the_passage_on_each_stance(client, rows):
    flask = client.app.server.test_client()
    other = {"states": "democracy", "democracy": "states"}
    for topic in ("states", "democracy"):
        resp = flask.get(f"/api/quotes?organization=alpha&topic={topic}")
        assert resp.status_code == 200
        got = {q["id"]: q for q in resp.get_json()["quotes"]}
        assert got[rows[topic].quote_id]["shared"] == [rows[other[topic]].quote_id]
