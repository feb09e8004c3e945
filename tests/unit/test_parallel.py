"""Reading YAML files on two cores gives exactly what reading them one by one gives, and
falls back to reading here when the forked reader fails."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from dashboard.data import parallel
from dashboard.data.yamlfile import read_yaml

BUNDLED = Path(__file__).resolve().parents[2] / "data" / "organizations"


def items(folder: Path, tmp_path: Path) -> list[tuple[Path, str]]:
    out = [(p, p.name) for p in sorted(folder.glob("*.yaml"))]
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: x\nname: [unclosed\n", encoding="utf-8")
    dup = tmp_path / "dup.yaml"
    dup.write_text("id: y\nid: z\n", encoding="utf-8")
    return out + [(bad, "broken.yaml"), (dup, "dup.yaml")]


def summary(results):
    return [(yf.data, [(i.file, i.line, i.message) for i in issues]) for yf, issues in results]


def test_two_cores_read_what_one_reads(tmp_path):
    todo = items(BUNDLED, tmp_path)
    serial = [read_yaml(p, s, 2_000_000) for p, s in todo]
    assert parallel.can_fork()
    both = parallel.read_many(todo, 2_000_000, min_bytes=0)
    assert summary(both) == summary(serial)
    assert both[-1][1] and "duplicate key" in both[-1][1][0].message  # issues come back with their lines
    assert both[-1][0].line_of(("id",)) == 2


def test_a_failing_reader_costs_only_time(tmp_path, monkeypatch):
    todo = items(BUNDLED, tmp_path)
    monkeypatch.setattr(parallel, "_worker", lambda conn, *_: conn.close())  # dies without an answer
    assert summary(parallel.read_many(todo, 2_000_000, min_bytes=0)) == \
        summary([read_yaml(p, s, 2_000_000) for p, s in todo])


def test_no_fork_off_the_main_thread_or_for_little_data(tmp_path, monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("forked")

    monkeypatch.setattr(parallel.multiprocessing, "get_context", refuse)
    todo = items(BUNDLED, tmp_path)
    parallel.read_many(todo, 2_000_000)  # the bundled data is far below MIN_BYTES
    out = []
    t = threading.Thread(target=lambda: out.append(parallel.read_many(todo, 2_000_000, min_bytes=0)))
    t.start()
    t.join()
    assert len(out) == 1 and len(out[0]) == len(todo)


@pytest.mark.parametrize("n", [0, 1])
def test_nothing_or_one_file(tmp_path, n):
    todo = items(BUNDLED, tmp_path)[:n]
    assert len(parallel.read_many(todo, 2_000_000, min_bytes=0)) == n


# ---- finding quotes ahead, on two cores ------------------------------------------------------

def _bundled_quotes():
    import yaml

    from dashboard.data.matching import SourceText

    root = BUNDLED.parents[1]
    sources = yaml.safe_load((root / "data" / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    texts = {s["id"]: (root / "seeds" / s["file"]).read_text(encoding="utf-8") for s in sources}
    wanted: dict[str, list[str]] = {}
    for path in sorted(BUNDLED.glob("*.yaml")):
        org = yaml.safe_load(path.read_text(encoding="utf-8"))
        for st in org.get("stances", []):
            for q in st.get("quotes", []) + [q for c in st.get("counter", []) for q in c.get("quotes", [])]:
                wanted.setdefault(q["source"], []).append(q["text"])
    for sid, quotes in list(wanted.items())[:3]:  # and some that are not there: a changed word, a cut word
        quotes += [quotes[0].replace(" ", " not ", 1), quotes[0][1:], "  " + quotes[0] + "\n"]
    return {sid: SourceText(t) for sid, t in texts.items()}, wanted, texts


def test_quotes_found_on_two_cores_are_what_find_finds():
    from dashboard.data.matching import SourceText

    known, wanted, texts = _bundled_quotes()
    total = sum(len(q) for sid, q in wanted.items() if sid in known)
    assert parallel.find_many(known, wanted, min_chars=0) == total  # the child answered its half
    assert all(st._found for sid, st in known.items() if wanted.get(sid))
    for sid, quotes in wanted.items():
        plain = SourceText(texts[sid])
        for q in quotes:
            assert q in known[sid]._found
            assert known[sid].find(q) == plain.find(q), (sid, q[:60])
    assert any(known[sid].find(q) is None for sid, qs in wanted.items() for q in qs)  # misses come back as misses


def test_a_failing_finder_costs_only_time(monkeypatch):
    from dashboard.data.matching import SourceText

    monkeypatch.setattr(parallel, "_find_worker", lambda conn, *_: conn.close())  # dies without an answer
    known, wanted, texts = _bundled_quotes()
    total = sum(len(q) for sid, q in wanted.items() if sid in known)
    assert 0 < parallel.find_many(known, wanted, min_chars=0) < total  # only this process's half
    for sid, quotes in wanted.items():
        for q in quotes:
            assert known[sid].find(q) == SourceText(texts[sid]).find(q)


def test_a_load_with_quotes_found_ahead_is_the_load_without(mini_copy, monkeypatch):
    """The whole load, valid and with a quote that is not in its source, is the same whether
    the quotes are found ahead on two cores or by the checks one by one."""
    from dashboard.data import DataError, load_store

    def outcome():
        try:
            return ("ok", load_store(mini_copy / "data", mini_copy / "seeds"))
        except DataError as exc:
            return ("error", [i.format() for i in exc.issues])

    def both():
        monkeypatch.setattr(parallel, "MIN_BYTES", 0)
        ahead = outcome()
        monkeypatch.setattr(parallel, "MIN_BYTES", 10**12)
        alone = outcome()
        return ahead, alone

    ahead, alone = both()
    assert ahead[0] == "ok" and ahead[1].evidence == alone[1].evidence and ahead[1].stances == alone[1].stances
    path = next((mini_copy / "data" / "organizations").glob("*.yaml"))
    text = path.read_text(encoding="utf-8")
    i = text.index('- text: "') + len('- text: "')
    path.write_text(text[:i] + "Xyzzy " + text[i:], encoding="utf-8")
    ahead, alone = both()
    assert ahead == alone and ahead[0] == "error" and any("not found verbatim" in m for m in ahead[1])
