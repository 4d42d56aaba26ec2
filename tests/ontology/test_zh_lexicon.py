"""The Chinese lexicon: shipped and user rows, every row grounded to an identifier the English lexicons know."""

from __future__ import annotations

import pytest

from kg.errors import KgError
from kg.model import Document, Section
from tests.conftest import ROOT, zh_doc

# The domain terms the issue names; each must stay one word and ground like its English counterpart.
DOMAIN_TERMS = ["间充质干细胞", "肝脏疾病", "肝硬化", "肝衰竭", "慢加急性肝衰竭", "慢性肝衰竭", "终末期肝脏疾病", "肝移植",
                "多向分化", "免疫调节", "抗氧化", "调节性细胞死亡", "纤维化", "炎性反应", "免疫反应", "生存率"]


def test_lexicon_covers_the_domain_terms_with_sources(pipeline):
    zh = pipeline.zh_lexicon
    for term in DOMAIN_TERMS + ["肝细胞", "肝脏"]:
        assert zh.lookup(term), term
    assert all(e.source for e in zh.entries)
    assert len({e.curie for e in zh.entries}) > 100  # the domain beyond the seed: other liver diseases, cells, processes


def test_every_chinese_term_grounds_to_the_node_of_its_english_name(pipeline):
    """Each hand-written row's id names the same node as its English column does through the English pipeline."""
    zh = pipeline.zh_lexicon
    rows = sorted({(e.curie, e.en) for e in zh.entries if e.path.endswith("lexicon.tsv")})
    docs = [Document(id=f"kgdoc:{i}", source="t", sections=(Section("abstract", en),)) for i, (_, en) in enumerate(rows)]
    kg = pipeline.run(docs, lang="en")
    grounder = pipeline.grounder
    wrong = []
    for (curie, en), a in zip(rows, kg.annotated):
        whole = [m for m in a.mentions if m.start == 0 and m.end == len(en)]
        via_en = {c.curie for m in whole for c in (m.concept, *m.alternatives)}
        typ = pipeline.lexicon.types[curie]
        via_id = grounder.concept_for([curie], typ).curie
        if via_id not in via_en:
            wrong.append((curie, en, via_id, via_en))
    assert not wrong


def test_user_lexicon_rows_are_added(tmp_path, pipeline):
    from kg.pipeline import Pipeline

    extra = tmp_path / "mine.tsv"
    extra.write_text("term\tid\tscope\ten\tsource\n肝窦内皮细胞\tCL:1000398\tLABEL\tendothelial cell of hepatic sinusoid\tmy translation\n",
                     encoding="utf-8")
    p = Pipeline(lexicon=pipeline.lexicon, lang="zh", zh_lexicons=[extra])
    kg = p.run([zh_doc("肝窦内皮细胞损伤。")])
    assert [m.concept.curie for m in kg.annotated[0].mentions] == ["CL:1000398"]


@pytest.mark.parametrize("row, message", [
    ("肝病\tMONDO:9999999\tEXACT\tliver disease\tkg", "not an identifier of the loaded lexicons"),
    ("肝病\tMONDO:0005154\tSOMETIMES\tliver disease\tkg", "unknown scope"),
    ("肝病\tMONDO:0005154\tEXACT\tliver disease\t", "has no source"),
    ("肝病\tMONDO:0005154\tEXACT", "expected 5 tab-separated columns"),
])
def test_bad_lexicon_rows_are_one_line_errors(tmp_path, pipeline, row, message):
    from kg.ontology import load_zh_lexicon

    bad = tmp_path / "bad.tsv"
    bad.write_text("# a comment\nterm\tid\tscope\ten\tsource\n" + row + "\n", encoding="utf-8")
    with pytest.raises(KgError, match=message) as err:
        load_zh_lexicon(pipeline.lexicon, [bad], shipped=False)
    assert str(err.value).startswith(f"{bad}:3: ")


def test_shipped_lexicon_is_in_the_package_data():
    assert (ROOT / "ontologies" / "zh" / "lexicon.tsv").is_file()


def test_built_rows_name_english_identifiers_by_their_sources(pipeline):
    """The rows scripts/build_zh_lexicon.py derives: HPO's official labels, ICD-10 categories joined to MONDO/DOID
    (BROAD where only subcodes join), CC-CEDICT glosses naming a term; no identifier gets two Chinese labels."""
    zh, lex = pipeline.zh_lexicon, pipeline.lexicon
    built = [e for e in zh.entries if not e.path.endswith("lexicon.tsv")]
    by_source = {}
    for e in built:
        by_source.setdefault(e.source.split(":", 1)[0], []).append(e)
    assert len(by_source["CHPO"]) > 15000 and len(by_source["ICD10CN"]) > 500 and len(by_source["CEDICT"]) > 1000
    assert all(e.curie == e.source[5:] for e in by_source["CHPO"])
    assert {e.scope for e in by_source["ICD10CN"]} <= {"LABEL", "EXACT", "BROAD"} and any(e.scope == "BROAD" for e in by_source["ICD10CN"])
    assert all(e.curie.split(":")[0] in ("MONDO", "DOID") for e in by_source["ICD10CN"])
    cedict = by_source["CEDICT"][::25]
    assert all(any(c == e.curie for c, _ in lex.find_by_name(e.en)) for e in cedict)
    assert zh.lookup("阿司匹林") and zh.lookup("糖尿病") and zh.lookup("霍乱")
