"""Gold corpus readers (PubTator, Knowtator XML, Rosario–Hearst) and kg's mentions written as PubTator."""

from __future__ import annotations

import pytest

from kg.cli import main
from kg.corpora import (
    GOLD_READERS,
    Corpora,
    GoldDocument,
    read_knowtator,
    read_pubtator_gold,
    read_rosario_hearst,
    split_ids,
    write_pubtator,
)
from kg.errors import KgError
from kg.ground import Identifiers
from tests.conftest import FIXTURES, SHARED

CORPORA = FIXTURES / "corpora"
READER_INPUTS = {
    "pubtator": CORPORA / "gold.pubtator",
    "rosario_hearst": CORPORA / "rosario_hearst.txt",
    "knowtator": CORPORA / "knowtator" / "90000031.txt.knowtator.xml",
    "cmeee": CORPORA / "cmeee" / "CMeEE_train.json",
    "cmeie": CORPORA / "cmeie" / "CMeIE_train.json",
    "bioc": FIXTURES / "formats" / "pubtator3.json",
}


@pytest.mark.parametrize("fmt", sorted(GOLD_READERS))
def test_every_gold_reader_gives_offsets_into_its_sections(fmt):
    docs = GOLD_READERS[fmt](READER_INPUTS[fmt])
    assert docs and all(isinstance(d, GoldDocument) for d in docs)
    assert sum(len(d.mentions) for d in docs) >= 5
    for d in docs:
        texts = {s.name: s.text for s in d.document.sections}
        for m in d.mentions:
            assert m.doc_id == d.id
            if m.fragments:
                assert m.text == " ... ".join(texts[m.section][s:e] for s, e in m.fragments)
            else:
                assert texts[m.section][m.start:m.end] == m.text


def test_pubtator_gold_ids_relations_and_sections():
    d1, d2 = read_pubtator_gold(CORPORA / "gold.pubtator")
    assert d1.id == "PMID:90000021"
    abstract = [m for m in d1.mentions if m.section == "abstract"]
    assert abstract[0].text == "Nephrogenic diabetes insipidus" and abstract[0].start == 0
    assert {m.ids for m in d1.mentions if m.text == "Amiloride"} == {("MESH:D000584",)}
    assert [(r.type, r.arg1, r.arg2) for r in d1.relations] == [("CID", "MESH:D008094", "MESH:D018500")]
    composite = next(m for m in d2.mentions if m.type == "CompositeMention")
    assert composite.ids == ("MESH:D001943", "MESH:D010051")
    assert next(m for m in d2.mentions if m.text == "KS").ids == ("OMIM:999001",)
    assert split_ids("D004829+D003294") == ("MESH:D004829", "MESH:D003294") and split_ids("-1") == ()


def test_pubtator_gold_span_that_does_not_read_its_text_is_an_error(tmp_path):
    bad = tmp_path / "bad.pubtator"
    bad.write_text("1|t|Aspirin and cancer.\n1|a|Text.\n1\t0\t7\tAspirn\tChemical\tD001241\n", encoding="utf-8")
    with pytest.raises(KgError) as err:
        read_pubtator_gold(bad)
    assert err.value.line == 3 and "Aspirn" in str(err.value)


def test_rosario_hearst_tags_become_spans_and_the_class_a_label():
    docs = read_rosario_hearst(CORPORA / "rosario_hearst.txt")
    first = docs[0]
    assert first.document.sections[0].text == (
        "OBJECTIVE : To study the efficacy of methylphenidate in children with epilepsy .")
    assert [(m.type, m.text) for m in first.mentions] == [("TREAT", "methylphenidate"), ("DIS", "epilepsy")]
    assert [d.label for d in docs] == ["TREAT_FOR_DIS", "TREAT_FOR_DIS", "PREVENT", "DISONLY", "TO_SEE"]
    assert docs[4].mentions == ()  # an unclosed <TO_SEE> marks the sentence and makes no span


def test_knowtator_discontinuous_spans_and_types_from_the_class():
    xml = CORPORA / "knowtator" / "90000031.txt.knowtator.xml"
    d = read_knowtator([xml], CORPORA / "knowtator" / "90000031.txt")
    assert d.id == "PMID:90000031" and d.document.sections[0].name == "body"
    disc = [m for m in d.mentions if m.fragments]
    assert len(disc) == 1 and disc[0].text == "embryonic stem ... cells" and disc[0].ids == ("CL:0002322",)
    assert {m.type for m in d.mentions} == {"CL", "GO"}
    with pytest.raises(KgError):
        read_knowtator([CORPORA / "rosario_hearst.txt"], CORPORA / "knowtator" / "90000031.txt")


def test_pubtator_output_reads_back_as_gold(pipeline, tmp_path):
    docs = read_pubtator_gold(CORPORA / "gold.pubtator")
    kg = pipeline.run([d.document for d in docs])
    out = tmp_path / "out.pubtator"
    out.write_text(write_pubtator(kg.annotated, Identifiers(kg.lexicon)), encoding="utf-8")
    back = read_pubtator_gold(out)
    assert [d.document.sections for d in back] == [d.document.sections for d in docs]
    got = {(m.text, m.type, m.ids) for d in back for m in d.mentions}
    assert ("Amiloride", "Chemical", ("MESH:D000584",)) in got  # MeSH ids are written without their prefix
    assert ("bipolar disorder", "Disease", ("MESH:D001714",)) in got
    assert all(t in {"Disease", "Chemical", "CellType", "BiologicalProcess", "Anatomy"} for _, t, _ in got)


def test_kg_annotate_writes_pubtator(tmp_path, capsys):
    out = tmp_path / "a.pubtator"
    assert main(["annotate", str(FIXTURES / "abstract.txt"), "-o", str(out), "-q"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("|")[1] == "t" and lines[1].split("|")[1] == "a"
    rows = [ln.split("\t") for ln in lines if "\t" in ln]
    assert rows and all(len(r) == 6 and int(r[1]) < int(r[2]) for r in rows)
    assert main(["annotate", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "b.pubtator")]) == 1
    assert not (tmp_path / "b.pubtator").exists()


@pytest.mark.skipif(not (SHARED / "corpora" / "ncbi_disease").is_dir(), reason="../shared/corpora is not present")
def test_ncbi_disease_dev_reads_whole_and_scores():
    gold = Corpora(root=SHARED / "corpora").load("ncbi_disease", "dev")
    assert len(gold) == 100 and sum(len(g.mentions) for g in gold) == 787
