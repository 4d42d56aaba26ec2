"""The identifiers train annotations give mention strings (``ontologies/corpus_ids.tsv``) and how the
identifier written for a mention uses them (``kg.ground.Identifiers``)."""

from __future__ import annotations

import sys

import pytest

from kg.config import Config
from kg.corpora import read_pubtator_gold
from kg.ground import Identifiers
from kg.model import Concept, Grounding, Mention
from kg.ontology import Normalizer
from tests.conftest import FIXTURES, ROOT


@pytest.fixture
def bcl():
    sys.path.insert(0, str(ROOT / "scripts"))
    import build_corpus_lexicon

    return build_corpus_lexicon


def identifiers(pipeline, folder):
    """The identifiers of the session pipeline's lexicon, with the train identifiers of ``folder``."""
    return Identifiers(pipeline.lexicon, Config.default().with_ontologies(folder))


@pytest.fixture
def trained(tmp_path, bcl):
    """The table learned from the gold fixture plus a few documents written here, as the shipped one."""
    lines = []
    for i, (text, curie) in enumerate([("depression", "D003866"), ("depression", "D003866"),
                                      ("depression", "D003863"), ("cirrhosis", "D005355"),
                                      ("cirrhosis", "D008103"), ("Kravitz syndrome", "D999999")]):
        lines += [f"8{i}|t|Patients had {text}.", f"8{i}|a|None.", f"8{i}\t13\t{13 + len(text)}\t{text}\tDisease\t{curie}", ""]
    path = tmp_path / "more.pubtator"
    path.write_text("\n".join(lines), encoding="utf-8")
    fixture = read_pubtator_gold(FIXTURES / "corpora" / "gold.pubtator")  # NCBI and BC5CDR types
    train = {"ncbi_disease": fixture, "bc5cdr": fixture + read_pubtator_gold(path)}
    rows = bcl.corpus_ids(train, Normalizer(Config.default()))
    bcl.write_ids(rows, tmp_path / "corpus_ids.tsv")
    return rows


def _mention(text, curie, equivalents=(), long_form=None, category="biolink:Disease"):
    concept = Concept(curie, text, category, "disease", tuple(equivalents))
    return Mention("PMID:1", "abstract", "en", 0, 0, len(text), text, "disease",
                   (Grounding(curie, text, 1.0, "x", "LABEL"),), long_form, concept=concept)


def test_rows_count_each_identifier_of_a_string_per_type(trained):
    rows = {(k, t, c): (n, total) for k, t, c, n, total in trained}
    assert rows[("depression", "Disease", "MESH:D003866")] == (2, 3)
    assert rows[("depression", "Disease", "MESH:D003863")] == (1, 3)
    assert rows[("kravitz syndrome", "Disease", "OMIM:999001")] == (3, 4)  # NCBI's three and one here
    assert rows[("lithium", "Chemical", "MESH:D008094")] == (2, 2)  # "Lithium" and "lithium": one string
    # a composite mention (two identifiers) is not a string's identifier
    assert not any(k == "breast and ovarian cancer" for k, *_ in trained)


def test_the_identifier_most_annotations_of_the_string_use_comes_first(trained, pipeline, tmp_path):
    mention_ids = identifiers(pipeline, tmp_path).of
    m = _mention("Depression", "MONDO:0002050", ["MESH:D003863"])
    assert mention_ids(m, ["MESH"]) == ["MESH:D003866", "MESH:D003863"]
    # an even split is still a majority of half; a prefix the corpus does not use is passed over
    assert mention_ids(_mention("cirrhosis", "MESH:D008103"), ["MESH"])[0] in {"MESH:D005355", "MESH:D008103"}
    k = _mention("Kravitz syndrome", "MONDO:1", ["MESH:C1"])
    assert mention_ids(k, ["MESH", "OMIM"])[0] == "OMIM:999001"
    assert mention_ids(k, ["MESH"]) == ["MESH:C1"]  # MeSH's D999999 has one of four annotations: too few


def test_an_abbreviation_takes_its_long_forms_identifier(trained, pipeline, tmp_path):
    mention_ids = identifiers(pipeline, tmp_path).of
    m = _mention("KD", "MONDO:1", ["MESH:C1"], long_form="Kravitz syndrome")
    assert mention_ids(m, ["OMIM", "MESH"])[0] == "OMIM:999001"


def test_strings_never_annotated_and_other_types_keep_the_concepts_identifiers(trained, pipeline, tmp_path):
    mention_ids = identifiers(pipeline, tmp_path).of
    assert mention_ids(_mention("gout", "MESH:D006073"), ["MESH"]) == ["MESH:D006073"]
    drug = _mention("depression", "CHEBI:1", ["MESH:D1"], category="biolink:ChemicalEntity")
    assert mention_ids(drug, ["MESH"]) == ["MESH:D1"]


def test_no_table_no_change(pipeline, tmp_path):
    mention_ids = identifiers(pipeline, tmp_path).of
    assert mention_ids(_mention("depression", "MESH:D003863"), ["MESH"]) == ["MESH:D003863"]


def test_a_concept_without_an_identifier_takes_its_nearest_ancestors(pipeline, tmp_path):
    """HP's Akathisia has no MeSH id: its parent's cross-reference, MeSH's Movement Disorders, is written;
    a concept with an identifier of its own keeps it, and a minted concept claims none."""
    ids = identifiers(pipeline, tmp_path)  # no train identifiers
    mention_ids = ids.of
    assert ids.broader(("HP:0031943",), ("MESH",)) == ("MESH:D009069",)
    assert mention_ids(_mention("akathisia", "HP:0031943"), ["MESH"]) == ["MESH:D009069"]
    assert mention_ids(_mention("autosomal recessive disease", "MONDO:0006025"), ["MESH", "OMIM"]) == ["MESH:D030342"]
    assert mention_ids(_mention("gout", "MESH:D006073"), ["MESH"]) == ["MESH:D006073"]
    assert mention_ids(_mention("akathisia", "kgid:unlinked_akathisia"), ["MESH"]) == []
