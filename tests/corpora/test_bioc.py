"""BioC out (``kg annotate --format bioc-json|bioc-xml``) and back, and ``--use-annotations``: PubTator3's
entities in place of kg's recogniser."""

from __future__ import annotations

import json

import pytest

from kg.corpora import read_bioc_gold, write_bioc_json, write_bioc_xml
from kg.ground import Identifiers
from kg.ingest import read_documents
from tests.conftest import FIXTURES, run_cli

F = FIXTURES / "formats"


@pytest.fixture(scope="module")
def annotated(pipeline):
    return pipeline.build([F / "pubmed_trial_review.xml", F / "jats_oai.xml", F / "pubtator3.json"])


@pytest.mark.parametrize("writer, suffix", [(write_bioc_json, "json"), (write_bioc_xml, "xml")])
def test_bioc_round_trip(annotated, pipeline, tmp_path, writer, suffix):
    """Written as BioC and read back: the same section texts, and kg's mentions as the documents'
    annotations (offsets, text, type, identifier); writing what was read gives the same bytes."""
    ids = Identifiers(annotated.lexicon, annotated.config)
    out = tmp_path / f"out.{suffix}"
    out.write_text(writer(annotated.annotated, ids), encoding="utf-8")
    back = list(read_documents(out))
    assert [d.id for d in back] == [ad.document.id for ad in annotated.annotated]
    for ad, d in zip(annotated.annotated, back):
        assert [(s.text, s.kind) for s in d.sections] == [(s.text, s.kind) for s in ad.document.sections]
        assert d.pmid == ad.document.pmid and d.doi == ad.document.doi and d.pmcid == ad.document.pmcid
        names = {(s.name, s.lang): i for i, s in enumerate(ad.document.sections)}
        expected = sorted((names[(m.section, m.lang)], m.start, m.end, m.text) for m in ad.mentions if m.concept is not None)
        got_names = {(s.name, s.lang): i for i, s in enumerate(d.sections)}
        got = sorted((got_names[(a.section, a.lang)], a.start, a.end, a.text) for a in d.annotations)
        assert got == expected and got
        concepts = {a.ids[0] for a in d.annotations if a.ids}
        assert concepts >= {ids.of(m)[0] for m in ad.mentions if m.concept is not None and ids.of(m)}
    again = pipeline.run(back)
    assert writer(again.annotated, ids) == out.read_text(encoding="utf-8")


def test_bioc_json_and_xml_are_the_same_collection(annotated, tmp_path):
    ids = Identifiers(annotated.lexicon, annotated.config)
    (tmp_path / "a.json").write_text(write_bioc_json(annotated.annotated, ids), encoding="utf-8")
    (tmp_path / "a.xml").write_text(write_bioc_xml(annotated.annotated, ids), encoding="utf-8")
    from_json = [(d.id, d.sections, d.annotations) for d in read_documents(tmp_path / "a.json")]
    from_xml = [(d.id, d.sections, d.annotations) for d in read_documents(tmp_path / "a.xml")]
    assert from_json == from_xml
    coll = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    trial = coll["documents"][0]
    assert trial["id"] == "90000101" and trial["passages"][0]["infons"]["article-id_pmc"] == "PMC9000101"
    jats = next(d for d in coll["documents"] if d["id"] == "90000201")
    assert [p["infons"]["type"] for p in jats["passages"]][-2:] == ["fig_caption", "table_caption"]


def test_bioc_gold_reader():
    (g,) = read_bioc_gold(F / "pubtator3.json")
    assert len(g.mentions) == 8 and {m.type for m in g.mentions} == {"Chemical", "Disease", "Gene", "Species"}
    assert [(r.type, r.arg1, r.arg2) for r in g.relations] == [("Treat", "MESH:D008687", "MESH:D003924")]


def test_use_annotations_takes_pubtator3_entities(pipeline):
    from kg.pipeline import Pipeline

    (doc,) = read_documents(F / "pubtator3.json")
    given = Pipeline(lexicon=pipeline.lexicon, config=pipeline.config, lang="en", use_annotations=True, fuzzy=False)
    kg = given.run([doc])
    (ad,) = kg.annotated
    got = sorted((m.section, m.start, m.end, m.text, m.concept.curie) for m in ad.mentions)
    assert [(s, a, b, t) for s, a, b, t, _ in got] == [
        ("abstract", 0, 9, "Metformin"), ("abstract", 27, 42, "type 2 diabetes"), ("abstract", 70, 79, "metformin"),
        ("title", 0, 9, "Metformin"), ("title", 17, 32, "type 2 diabetes")]  # genes and species: no kg type
    assert all(m.groundings and m.groundings[0].match == "given" for m in ad.mentions)
    assert {m.concept.type for m in ad.mentions} == {"drug", "disease"}
    assert any(c.claim_type == "treats" and c.subject.curie == "MESH:D008687" for c in kg.claims)
    # without the option, kg's own recogniser reads the same document
    own = pipeline.run([doc])
    assert own.annotated[0].mentions != ad.mentions


def test_given_identifiers_no_lexicon_knows_name_their_concept(pipeline):
    import dataclasses

    from kg.model import Annotation
    from kg.pipeline import Pipeline

    (doc,) = read_documents(F / "pubtator3.json")
    odd = Annotation("9", "abstract", "en", 0, 9, "Metformin", "Chemical", ("MESH:C999999999",))
    doc = dataclasses.replace(doc, annotations=(odd,))
    given = Pipeline(lexicon=pipeline.lexicon, config=pipeline.config, lang="en", use_annotations=True, fuzzy=False)
    (m,) = given.run([doc]).annotated[0].mentions
    assert (m.concept.curie, m.concept.type, m.concept.label) == ("MESH:C999999999", "drug", "Metformin")


def test_cli_annotate_bioc_and_use_annotations(tmp_path, capsys):
    out = tmp_path / "out.xml"
    code, _, err = run_cli(capsys, "annotate", F / "pubtator3.json", "-o", out, "--format", "bioc-xml",
                           "--use-annotations", "--no-fuzzy")
    assert code == 0, err
    (d,) = read_documents(out)
    assert [a.text for a in d.annotations] == ["Metformin", "type 2 diabetes", "Metformin", "type 2 diabetes", "metformin"]
    assert all(a.ids == ("MESH:D008687",) for a in d.annotations if a.text.lower() == "metformin")


def test_pubtator_out_joins_a_structured_abstract(annotated):
    """PubTator has one abstract line: a structured abstract's parts are joined, mention offsets follow."""
    from kg.corpora import read_pubtator_gold, write_pubtator

    ids = Identifiers(annotated.lexicon, annotated.config)
    text = write_pubtator(annotated.annotated[:1], ids)
    lines = text.splitlines()
    assert [ln.split("|")[1] for ln in lines if "|" in ln and "\t" not in ln] == ["t", "a"]
    assert "|a|Metformin is the first-line treatment for type 2 diabetes. We randomly assigned" in text
    (gold,) = read_pubtator_gold("x.pubtator", text)  # every span reads what the line says
    assert len(gold.mentions) == sum(1 for ln in lines if "\t" in ln) > 5


def test_use_annotations_takes_the_mention_lines_of_pubtator(pipeline):
    """Classic PubTator (NCBI-disease, BC5CDR): the mention lines are the documents' annotations, with
    offsets in their section (PubTator counts over title, a space, abstract) and bare MeSH ids prefixed."""
    from kg.pipeline import Pipeline

    doc = next(read_documents(FIXTURES / "pubtator.txt"))
    assert [(a.section, a.start, a.end, a.text, a.type, a.ids) for a in doc.annotations][:4] == [
        ("title", 0, 7, "Lithium", "Chemical", ("D008094",)),
        ("title", 16, 46, "nephrogenic diabetes insipidus", "Disease", ("D018500",)),
        ("abstract", 0, 30, "Nephrogenic diabetes insipidus", "Disease", ("D018500",)),
        ("abstract", 61, 68, "lithium", "Chemical", ("D008094",))]  # the CID relation line is not a mention
    given = Pipeline(lexicon=pipeline.lexicon, config=pipeline.config, lang="en", use_annotations=True, fuzzy=False)
    (ad,) = given.run([doc]).annotated
    assert {(m.section, m.start, m.end) for m in ad.mentions} == {(a.section, a.start, a.end) for a in doc.annotations}
    assert {m.concept.curie for m in ad.mentions if m.text == "Lithium"} == {"MESH:D008094"}
