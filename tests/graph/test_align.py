"""Aligning the languages of one document: the seed's Chinese abstract alone gives the English claims; both
together give one edge per claim with evidence in both languages; disagreeing predicates take the most
cautious."""

from __future__ import annotations

import logging

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from kg.rdf.vocab import BIOLINK, KG
from tests.conftest import SEED, zh_doc

OBO = "http://purl.obolibrary.org/obo/"
MSC = "CL:0000134"
THERAPY = "MESH:D045164"  # Mesenchymal Stem Cell Transplantation, the therapy node of MSCs


# What the Chinese abstract alone gives differently from the English abstract alone, on the seed.
# Claims: nothing. Graph nodes: English "antioxidant" (in "goals such as antioxidant, ...") is matched
# as the ChEBI chemical "antioxidant" (its mechanism reading, GO:0016209 antioxidant activity, is the
# claim's object in both languages); Chinese "抗氧化" names only the activity.
# English "no effective medical treatment" is a head-word therapy (kgid:unlinked_medical_treatment, in a
# negated sentence: no claim); the Chinese sentence names no therapy (治疗 is no head word).
SEED_NODES_ONLY_IN_EN = {"CHEBI:22586", "kgid:unlinked_medical_treatment"}
SEED_NODES_ONLY_IN_ZH: set[str] = set()
# Mentions: as above, and "分泌" (secrete) is a noun as well as a verb in Chinese, so the lexicon names
# the process GO:0046903 (secretion); English "secrete" is a verb kg does not recognise as a mention
# (both languages make the same capable_of GO:0046903 claim from it).
SEED_MENTIONS_ONLY_IN_EN = {"CHEBI:22586", "kgid:unlinked_medical_treatment"}
# (English "secrete" is a mention of GO:0046903 too, through CRAFT's train-split names in corpus_terms.tsv)
SEED_MENTIONS_ONLY_IN_ZH = {"GO:0016209"}


@pytest.fixture(scope="module")
def seed_by_lang(pipeline):
    from kg.ingest import read_sources

    docs = read_sources([SEED])
    return {lang: pipeline.run(docs, lang=lang) for lang in ("en", "zh")}


def test_seed_chinese_abstract_gives_the_english_claims(seed_by_lang):
    keys = {lang: {(c.subject.curie, c.predicate, c.object.curie, c.direction) for c in kg.claims}
            for lang, kg in seed_by_lang.items()}
    assert len(keys["en"]) == 17 and keys["zh"] == keys["en"]


def test_seed_chinese_abstract_gives_the_english_entities(seed_by_lang):
    nodes = {lang: set(kg.graph.nodes) for lang, kg in seed_by_lang.items()}
    assert nodes["en"] - nodes["zh"] == SEED_NODES_ONLY_IN_EN
    assert nodes["zh"] - nodes["en"] == SEED_NODES_ONLY_IN_ZH
    mentioned = {lang: {m.concept.curie for a in kg.annotated for m in a.mentions} for lang, kg in seed_by_lang.items()}
    assert mentioned["en"] - mentioned["zh"] == SEED_MENTIONS_ONLY_IN_EN
    assert mentioned["zh"] - mentioned["en"] == SEED_MENTIONS_ONLY_IN_ZH


def test_seed_chinese_negation_and_hedging(seed_by_lang):
    ms = seed_by_lang["zh"].annotated[0].mentions
    negated = {m.text for m in ms if "NEGATED_EXISTENCE" in m.context}
    assert negated == {"肝硬化", "肝衰竭", "终末期肝脏疾病"}  # "...的内科治疗方法疗效欠佳"
    claims = seed_by_lang["zh"].claims
    treats = [c for c in claims if c.claim_type == "treats"]
    assert treats and all(c.hedged and c.predicate == "biolink:studied_to_treat" for c in treats)
    assert not any(c.negated for c in claims)


def test_seed_aligned_graph_has_no_duplicate_node_or_edge(seed_kg, seed_by_lang):
    g = seed_kg.graph
    assert set(g.nodes) == set(seed_by_lang["en"].graph.nodes)
    assert g.number_of_edges() == 17
    pairs = [(s, d["predicate"], o, d["direction"], d["negated"]) for s, o, d in g.edges(data=True)]
    assert len(pairs) == len(set(pairs))
    seen: dict[str, str] = {}
    for n, d in g.nodes(data=True):  # no two nodes for one concept
        for c in {n, *d["equivalents"]}:
            assert seen.setdefault(c, n) == n, f"{c} is in {seen[c]} and {n}"
    for s, o, d in g.edges(data=True):
        assert d["languages"] == {"en", "zh"} and d["aligned"] is True


def test_seed_rdf_has_labels_and_evidence_in_both_languages(seed_rdf):
    g = seed_rdf
    msc = URIRef(f"{OBO}CL_0000134")
    assert (msc, RDFS.label, Literal("间充质干细胞", lang="zh")) in g
    assert (msc, RDFS.label, Literal("mesenchymal stem cell")) in g
    composed = URIRef("https://w3id.org/kg/id/complication_of_MAXO_0001175")
    assert (composed, RDFS.label, Literal("肝移植后并发症", lang="zh")) in g
    assocs = set(g.subjects(BIOLINK.object, URIRef(f"{OBO}MONDO_0005155")))
    (a,) = [x for x in assocs if (x, BIOLINK.predicate, BIOLINK.studied_to_treat) in g]
    langs = {t.language for t in g.objects(a, BIOLINK.supporting_text)}
    assert langs == {"en", "zh"}
    assert (a, KG.aligned, Literal(True)) in g
    assert {str(x) for x in g.objects(a, KG.evidenceLanguage)} == {"en", "zh"}
    products = {(str(p), p.language) for s in g.subjects(KG.product, None) for p in g.objects(s, KG.product)}
    assert products == {("soluble factors", None), ("可溶性因子", "zh")}


def test_languages_disagreeing_on_hedging_merge_to_the_cautious_predicate(pipeline, caplog):
    doc = zh_doc("间充质干细胞治疗肝硬化。间充质干细胞抑制肝纤维化。",
                 en="Mesenchymal stem cells are expected to treat liver cirrhosis.")
    with caplog.at_level(logging.INFO, logger="kg.graph.align"):
        kg = pipeline.run([doc])
    g = kg.graph
    edges = list(g.get_edge_data(THERAPY, "MONDO:0005155").values())
    assert len(edges) == 1 and edges[0]["predicate"] == "biolink:studied_to_treat"
    assert {e.lang for e in edges[0]["evidence"]} == {"en", "zh"} and edges[0]["aligned"] is True
    (only_zh,) = g.get_edge_data(MSC, "DOID:0061215").values()
    assert only_zh["aligned"] is False and only_zh["languages"] == {"zh"}
    assert g.graph["alignment"] == {"aligned": 1, "single_language": 1}
    assert any("read in zh only, not in en" in r.message and "DOID:0061215" in r.message for r in caplog.records)
