"""Drug names from the drug-named-entity-recognition package (kg.ontology.drugs): mapped onto MeSH by label,
else DrugBank; biological substances, stop words and adjectives left out; the policy file decides."""

from __future__ import annotations

import importlib.metadata
import logging
import shutil

import pytest

from kg.config import Config
from kg.errors import KgError
from kg.model import Synonym, Term
from kg.ontology import drugs, load_lexicon, read_lexicon
from tests.conftest import FIXTURES, ROOT

pytest.importorskip("drug_named_entity_recognition", reason="the drug-name package is not installed")

MESH = ROOT / "ontologies" / "lexicons" / "mesh.tsv.gz"


@pytest.fixture(scope="module")
def terms():
    return {t.curie: t for t in drugs.drug_terms(read_lexicon(MESH), Config.default())}


def test_a_drug_named_by_a_mesh_label_takes_the_descriptor_with_its_synonyms(terms):
    meperidine = terms["MESH:D008614"]  # Meperidine: "pethidine" is its other name
    assert meperidine.label == "Meperidine"
    assert Synonym("pethidine", "EXACT") in meperidine.synonyms
    assert meperidine.xrefs == ("DRUGBANK:DB00454",)
    assert terms["MESH:D000420"].label == "Albuterol" and Synonym("salbutamol", "EXACT") in terms["MESH:D000420"].synonyms


def test_a_drug_without_a_mesh_label_takes_its_drugbank_identifier(terms):
    assert terms["DRUGBANK:DB01048"].label == "Abacavir"
    assert not any(c.startswith("MESH:") for c in terms["DRUGBANK:DB01048"].xrefs)


def test_biological_substances_stop_words_adjectives_and_short_names_stay_out(terms):
    names = {s.text for t in terms.values() for s in t.synonyms} | {t.label.lower() for t in terms.values()}
    assert "janus kinase 2" not in names  # an enzyme (MeSH D08/D12)
    assert "von willebrand factor" not in names  # a biological product by its name
    assert "cholinergic" not in names  # an adjective of a class of action
    assert "shrimp" not in names and "skim milk" not in names  # DrugBank's allergenic extracts and foods
    assert "tafasitamab" in names and "sepofarsen" in names  # biologics with no structure, named as drugs
    assert "about" not in names and "apap" not in names  # the package's stop words; shorter than min_length
    assert all(t.source == drugs.SOURCE for t in terms.values())


def test_the_shipped_lexicon_recognises_and_grounds_them(pipeline):
    lex = pipeline.lexicon
    assert lex.index[("pethidine",)] == (("MESH:D008614", "EXACT"),)
    assert lex.types["MESH:D008614"] == "drug" and lex.types["DRUGBANK:DB01048"] == "drug"
    assert "DRUGBANK:DB00454" in lex.equivalents("MESH:D008614")
    assert lex.drug_names == f"{drugs.DISTRIBUTION} {importlib.metadata.version(drugs.DISTRIBUTION)}"
    reading = pipeline.read([_doc("Pethidine and abacavir were given to the patients.")])
    found = {(m.text, m.concept.curie) for m in reading.annotated[0].mentions}
    assert {("Pethidine", "MESH:D008614"), ("abacavir", "DRUGBANK:DB01048")} <= found


def _doc(text: str):
    from kg.model import Document, Section

    return Document(id="kgdoc:drugs", source="test", sections=(Section(name="abstract", kind="abstract", lang="en", text=text),))


def _folder_with(tmp_path, policy_text: str | None) -> Config:
    folder = tmp_path / "ontologies"
    shutil.copytree(FIXTURES / "ontologies", folder)
    if policy_text is not None:
        (folder / "lexicons" / drugs.POLICY).write_text(policy_text, encoding="utf-8")
    return Config.default().with_ontologies(folder)


def test_the_policy_file_decides_whether_they_are_read(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    without = _folder_with(tmp_path / "a", None)  # the fixture folder has no drug_names.toml
    assert drugs.fingerprint(without) is None and drugs.drug_terms([], without) == []
    assert load_lexicon(config=without).drug_names is None
    shipped = (ROOT / "ontologies" / "lexicons" / drugs.POLICY).read_text(encoding="utf-8")
    off = _folder_with(tmp_path / "b", shipped.replace("enabled = true", "enabled = false"))
    assert drugs.fingerprint(off) is None
    on = _folder_with(tmp_path / "c", shipped.replace("min_length = 5", "min_length = 12"))
    lex = load_lexicon(config=on)
    assert lex.index.get(("pethidine",)) is None  # nine letters: shorter than this policy's minimum
    assert lex.index[("desferrioxamine",)] == (("DRUGBANK:DB00746", "EXACT"),)  # no MeSH labels in this folder
    assert drugs.fingerprint(on) != drugs.fingerprint(_folder_with(tmp_path / "d", shipped))


def test_a_missing_package_is_said_once_and_leaves_the_lexicon_without_them(tmp_path, monkeypatch, caplog):
    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(drugs.importlib.metadata, "version", missing)
    monkeypatch.setattr(drugs, "_warned", [])
    config = _folder_with(tmp_path, (ROOT / "ontologies" / "lexicons" / drugs.POLICY).read_text(encoding="utf-8"))
    with caplog.at_level(logging.WARNING, logger="kg.ontology.drugs"):
        assert drugs.fingerprint(config) is None
        assert drugs.drug_terms([Term("MESH:D008614", "Meperidine")], config) == []
    assert [r.getMessage() for r in caplog.records].count(
        f"{drugs.DISTRIBUTION} is not installed: the lexicon has no drug names beyond MeSH labels "
        f"(pip install {drugs.DISTRIBUTION})") == 1


def test_a_malformed_policy_file_is_an_error_with_its_line(tmp_path):
    config = _folder_with(tmp_path, "enabled = true\nmin_length = = 5\n")
    with pytest.raises(KgError) as err:
        drugs.fingerprint(config)
    assert err.value.path.endswith(drugs.POLICY) and err.value.line == 2
    bad_type = _folder_with(tmp_path / "t", "keep_trees = 5\nbiological_trees = []\n")
    with pytest.raises(KgError, match="keep_trees"):
        drugs.drug_terms([], bad_type)
