"""The command line: validate, export; errors with file:line and never a traceback."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from dashboard.cli import main
from dashboard.data.export import EXPORT_COLUMNS, export_rows
from tests.support.paths import ROOT



def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_validate_bundled_data_passes():
    r = run("validate")
    assert r.returncode == 0, r.stderr
    assert "The data is valid" in r.stdout
    assert "quotes" in r.stdout and "organizations" in r.stdout


def test_validate_refuses_altered_quote_without_traceback(bundled_copy):
    org = bundled_copy / "data/organizations/iso.yaml"
    lines = org.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.strip().startswith("- text:") and " the " in line)
    lines[n] = lines[n].replace(" the ", " teh ", 1)
    org.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("validate", "--data", str(bundled_copy / "data"), "--seeds", str(bundled_copy / "seeds"))
    assert r.returncode == 1
    assert f"iso.yaml:{n + 1}: quote not found verbatim" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


def test_validate_refuses_yaml_syntax_error_without_traceback(bundled_copy):
    org = bundled_copy / "data/organizations/psl.yaml"
    lines = org.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1] + " ["
    lines.insert(2, "  : bad")
    org.write_text("\n".join(lines), encoding="utf-8")
    r = run("validate", "--data", str(bundled_copy / "data"), "--seeds", str(bundled_copy / "seeds"))
    assert r.returncode == 1
    assert "psl.yaml:" in r.stderr and "YAML syntax error" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


def test_export_csv_has_the_documented_columns(capsys):
    assert main(["export", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0].keys()) == EXPORT_COLUMNS
    assert len(rows) > 100
    assert {r["attribution"] for r in rows} == {"self", "critic", "observer"}


def test_export_json_to_file_matches_csv_rows(tmp_path, capsys):
    out = tmp_path / "evidence.json"
    assert main(["export", "--format", "json", "--out", str(out)]) == 0
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert set(rows[0]) == set(EXPORT_COLUMNS)
    assert main(["export", "--format", "csv"]) == 0
    csv_rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["quote_id"] for r in rows] == [r["quote_id"] for r in csv_rows]


def test_export_sqlite_and_datapackage_write_files(tmp_path, capsys):
    import sqlite3

    assert main(["export", "--format", "sqlite", "--out", str(tmp_path / "atlas.sqlite")]) == 0
    meta = json.loads((tmp_path / "atlas.metadata.json").read_text(encoding="utf-8"))
    assert "quotes" in meta["databases"]["atlas"]["tables"]
    con = sqlite3.connect(tmp_path / "atlas.sqlite")
    version = con.execute("SELECT value FROM dataset WHERE key = 'version'").fetchone()[0]
    assert con.execute("SELECT count(*) FROM quotes").fetchone()[0] > 100
    con.close()
    assert main(["export", "--format", "datapackage", "--out", str(tmp_path / "pkg")]) == 0
    desc = json.loads((tmp_path / "pkg" / "datapackage.json").read_text(encoding="utf-8"))
    assert desc["version"] == version and (tmp_path / "pkg" / "data" / "quotes.csv").is_file()
    assert main(["export", "--format", "datapackage", "--out", str(tmp_path / "pkg.zip")]) == 0
    assert (tmp_path / "pkg.zip").stat().st_size > 1000
    assert version in capsys.readouterr().err


def test_export_quotes_are_verbatim_spans(store):
    from dashboard.data.matching import SourceText

    for row in export_rows(store):
        text = store.source_texts[row["source"]]
        span = text[row["start"]:row["end"]]
        assert SourceText(span).find(row["quote"]) is not None, row["quote_id"]


def test_bad_config_is_reported(tmp_path):
    cfg = tmp_path / "config.yaml"
    cfg.write_text("data_dirr: x\n")
    r = run("validate", "--config", str(cfg))
    assert r.returncode == 2 and "unknown setting" in r.stderr


def test_missing_data_dir_gives_a_hint(tmp_path):
    r = run("validate", "--data", str(tmp_path / "nope"))
    assert r.returncode == 1 and "--data" in r.stderr and "Traceback" not in r.stderr
