"""The policy files (kg/data) read once into a Config: a user's folder replaces files by name, a bad file is
one line naming the file, the line and the key, and a Config pickles as its texts."""

from __future__ import annotations

import pickle
import re

import pytest

from kg.config import DATA, POLICY_FILES, Config
from kg.model import Document, Section
from kg.pipeline import Pipeline
from tests.conftest import FIXTURES, run_cli

TEXT = "Metformin treats type 2 diabetes."


def test_every_policy_file_is_shipped_and_every_shipped_file_is_known():
    shipped = {p.name for p in DATA.iterdir() if p.is_file()}
    assert shipped == set(POLICY_FILES)


def test_the_default_config_reads_the_shipped_files():
    config = Config.default()
    assert config.languages == ("en", "zh")
    assert config.predicate("treats").biolink == "biolink:treats"
    assert "biolink:studied_to_treat" in config.families["treats"]
    assert config.compositions["complication_of"].label("liver transplantation") == "complication of liver transplantation"
    assert config.compositions["complication_of"].label("肝移植", "zh") == "肝移植后并发症"


def test_a_config_pickles_as_its_texts():
    config = Config.load()
    back = pickle.loads(pickle.dumps(config))
    assert back.sources == config.sources and back.ontologies == config.ontologies
    assert back.fingerprint() == config.fingerprint()


def _policy(tmp_path, name: str, text: str):
    folder = tmp_path / "policy"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_users_file_replaces_the_shipped_one_of_its_name(tmp_path, small_config):
    """Plain treats claims become applied_to_treat when a user's relations.toml says so."""
    shipped = (DATA / "relations.toml").read_text(encoding="utf-8")
    folder = _policy(tmp_path, "relations.toml", shipped.replace('otherwise = "treats"', 'otherwise = "applied_to_treat"'))
    config = Config.load(folder, small_config.ontologies)
    assert config.sources["relations.toml"].path == str(folder / "relations.toml")
    assert config.sources["types.toml"].path == str(DATA / "types.toml")
    kg = Pipeline(config=config, fuzzy=False).run([Document("kgdoc:t", "t", (Section("abstract", TEXT),))])
    assert [c.predicate for c in kg.claims] == ["biolink:applied_to_treat"]


@pytest.mark.parametrize("name, edit, message", [
    ("types.toml", lambda s: s.replace("min_score = 0.5", 'min_score = "high"'),
     r"types\.toml:\d+: min_score: expected a number, found a string"),
    ("types.toml", lambda s: s.replace('["agent", ["MESH:D007136"]]', '["agent", "MESH:D007136"]'),
     r"types\.toml:\d+: mesh\.trees: rule 3: expected \[type, \[MESH:descriptor, \.\.\.\]\]"),
    ("relations.toml", lambda s: s.replace('otherwise = "treats"', 'otherwise = "cures"'),
     r"relations\.toml:\d+: treats\.predicate\.otherwise: 'cures' is not a row of predicates\.tsv"),
    ("relations.en.toml", lambda s: s.replace("max_gap = 60\n", ""), r"relations\.en\.toml: max_gap: missing \(required\)"),
    ("relations.en.toml", lambda s: s.replace("'treat(?:s|ed|ing)?',", "'treat(?:s|ed|ing?',"),
     r"relations\.en\.toml:\d+: treats\.forward: not a valid regular expression"),
    ("spans.toml", lambda s: s.replace('share = "min"', 'share = "median"'),
     r"spans\.toml:\d+: share: 'median' is not one of mean, pooled, min"),
    ("compositions.toml", lambda s: s.replace("[composition.en]\nbefore", "[composition.en]\nbefor", 1),
     r"compositions\.toml:\d+: composition\[0\]\.en: a composition needs a 'before' or an 'after' pattern"),
    ("linking.toml", lambda s: s + "\n[[[broken", r"linking\.toml:\d+: malformed TOML"),
    ("context.en.json", lambda s: s.replace('"direction": "FORWARD"', '"direction": "SIDEWAYS"', 1),
     r"context\.en\.json: context_rules\[0\] \('no'\): not a ConText rule"),
])
def test_a_bad_policy_file_is_one_line_naming_file_line_and_key(tmp_path, capsys, name, edit, message):
    text = edit((DATA / name).read_text(encoding="utf-8"))
    assert text != (DATA / name).read_text(encoding="utf-8")
    folder = _policy(tmp_path, name, text)
    out = tmp_path / "kg.ttl"
    code, _, err = run_cli(capsys, "build", FIXTURES / "abstract.txt", "-o", out, "--config", folder)
    assert code == 1 and not out.exists()
    assert err.count("\n") == 1 and "Traceback" not in err
    assert re.match(r"kg: error: " + re.escape(str(folder)) + "/" + message, err), err


def test_a_missing_policy_folder_and_a_stray_file(tmp_path, capsys, caplog):
    code, _, err = run_cli(capsys, "build", FIXTURES / "abstract.txt", "-o", tmp_path / "o.ttl",
                           "--config", tmp_path / "none")
    assert code == 1 and "no such policy folder" in err
    folder = _policy(tmp_path, "relation.en.toml", "")  # a misspelt name
    with caplog.at_level("WARNING", logger="kg.config"):
        Config.load(folder)
    assert "relation.en.toml: not a kg policy file" in caplog.text


def test_one_key_line_is_found_in_nested_tables():
    source = Config.default().sources["relations.en.toml"]
    line = source.line_of(("treats", "templates", "gap_words"))
    assert source.text.splitlines()[line - 1].startswith("gap_words")
    source = Config.default().sources["compositions.toml"]
    line = source.line_of(("composition[1]", "type"))
    assert source.text.splitlines()[line - 1] == 'type = "phenotype"'
