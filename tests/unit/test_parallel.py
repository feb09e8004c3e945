"""Finding the quotes on two cores gives exactly what finding them one by one gives, and
falls back to finding them here when the forked finder fails; no fork off the main thread,
in a daemon, or for little text."""
from __future__ import annotations

import threading
from pathlib import Path

from dashboard.data import parallel

BUNDLED = Path(__file__).resolve().parents[2] / "data" / "organizations"


def test_no_fork_off_the_main_thread_or_for_little_text(monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("forked")

    known, wanted, _ = _bundled_quotes()
    monkeypatch.setattr(parallel.multiprocessing, "get_context", refuse)
    assert parallel.find_many(known, wanted) == 0  # the bundled sources are far below MIN_BYTES
    out = []
    t = threading.Thread(target=lambda: out.append(parallel.find_many(known, wanted, min_chars=0)))
    t.start()
    t.join()
    assert out == [0]


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
