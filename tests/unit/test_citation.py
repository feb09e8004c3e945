"""CITATION.cff is valid Citation File Format 1.2.0 (the schema `cffconvert --validate` uses)."""
from __future__ import annotations

import json

import jsonschema
import yaml
from tests.support.paths import ROOT

SCHEMA = json.loads((ROOT / "tests" / "fixtures" / "cff" / "schema-1.2.0.json").read_text(encoding="utf-8"))


def _errors(doc: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def test_citation_cff_is_valid():
    doc = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert _errors(doc) == []
    assert doc["cff-version"] == "1.2.0"
    assert any(r["type"] == "data" for r in doc["references"])  # the software and its dataset


def test_citation_version_is_the_package_version():
    import tomllib

    doc = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert doc["version"] == project["version"]


def test_an_invalid_citation_is_refused():
    doc = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    del doc["authors"]
    doc["type"] = "novel"
    assert len(_errors(doc)) >= 2
