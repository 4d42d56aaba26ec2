"""Chinese: segmentation, the Chinese lexicon, Chinese claim patterns (negation, hedging), and the seed's
Chinese abstract aligned with its English one."""

from __future__ import annotations

import logging

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from kg.cli import main
from kg.errors import KgError
from kg.model import Document, Section
from kg.rdf.vocab import BIOLINK, KG
from tests.conftest import ROOT, SEED

OBO = "http://purl.obolibrary.org/obo/"
MSC = "CL:0000134"
THERAPY = "MESH:D045164"  # Mesenchymal Stem Cell Transplantation, the therapy node of MSCs

# The domain terms the issue names; each must stay one word and ground like its English counterpart.
DOMAIN_TERMS = ["间充质干细胞", "肝脏疾病", "肝硬化", "肝衰竭", "慢加急性肝衰竭", "慢性肝衰竭", "终末期肝脏疾病", "肝移植",
                "多向分化", "免疫调节", "抗氧化", "调节性细胞死亡", "纤维化", "炎性反应", "免疫反应", "生存率"]

# What the Chinese abstract alone gives differently from the English abstract alone, on the seed.
# Claims: nothing. Graph nodes: English "antioxidant" (in "goals such as antioxidant, ...") is matched
# as the ChEBI chemical "antioxidant" (its mechanism reading, GO:0016209 antioxidant activity, is the
# claim's object in both languages); Chinese "抗氧化" names only the activity.
SEED_NODES_ONLY_IN_EN = {"CHEBI:22586"}
SEED_NODES_ONLY_IN_ZH: set[str] = set()
# Mentions: as above, and "分泌" (secrete) is a noun as well as a verb in Chinese, so the lexicon names
# the process GO:0046903 (secretion); English "secrete" is a verb kg does not recognise as a mention
# (both languages make the same capable_of GO:0046903 claim from it).
SEED_MENTIONS_ONLY_IN_EN = {"CHEBI:22586"}
# (English "secrete" is a mention of GO:0046903 too, through CRAFT's train-split names in corpus_terms.tsv)
SEED_MENTIONS_ONLY_IN_ZH = {"GO:0016209"}


@pytest.fixture(scope="module")
def zh_nlp(pipeline):
    return pipeline.zh()[0]


def zh_doc(text: str, en: str | None = None, doc_id: str = "kgdoc:zh") -> Document:
    sections = (Section("abstract", text, "zh"),) + ((Section("abstract", en, "en"),) if en else ())
    return Document(id=doc_id, source="test", sections=sections)


def claims_zh(pipeline, text: str):
    kg = pipeline.run([zh_doc(text)])
    return {(c.subject.curie, c.predicate.split(":")[1], c.object.curie, c.direction): c for c in kg.claims}


# ---------------------------------------------------------------- segmentation


@pytest.mark.parametrize("term", DOMAIN_TERMS)
def test_domain_terms_stay_one_word(zh_nlp, term):
    doc = zh_nlp.make_doc(f"研究发现{term}与患者的预后密切相关。")
    assert term in [t.text for t in doc]


def test_jieba_alone_splits_domain_terms(tmp_path):
    """Why the terms are added: jieba's own dictionary cuts several of them apart."""
    import jieba

    tk = jieba.Tokenizer()
    tk.tmp_dir = str(tmp_path)
    split = [t for t in DOMAIN_TERMS if t not in list(tk.cut(f"研究发现{t}与患者的预后密切相关。", HMM=False))]
    assert {"间充质干细胞", "慢加急性肝衰竭", "慢性肝衰竭"} <= set(split)


def test_segmentation_keeps_text_and_offsets(zh_nlp):
    text = "间充质干细胞(MSCs)可分化为肝细胞样细胞, 并分泌可溶性因子。"
    doc = zh_nlp.make_doc(text)
    assert doc.text == text and all(text[t.idx : t.idx + len(t.text)] == t.text for t in doc)


def test_jieba_cache_is_kept_out_of_the_temporary_folder(zh_nlp):
    from kg.files import cache_dir

    assert zh_nlp.tokenizer.jieba_seg.tk.tmp_dir == str(cache_dir() / "jieba")


def test_kg_words_stay_out_of_jiebas_process_wide_dictionary(zh_nlp):
    """kg segments with a jieba tokenizer of its own: another user of jieba in the process is not changed."""
    import jieba

    assert "慢加急性肝衰竭" in zh_nlp.tokenizer.jieba_seg.tk.FREQ
    assert not jieba.dt.initialized or "慢加急性肝衰竭" not in jieba.dt.FREQ


# ---------------------------------------------------------------- the Chinese lexicon


def test_lexicon_covers_the_domain_terms_with_sources(pipeline):
    zh = pipeline.zh_lexicon
    for term in DOMAIN_TERMS + ["肝细胞", "肝脏"]:
        assert zh.lookup(term), term
    assert all(e.source for e in zh.entries)
    assert len({e.curie for e in zh.entries}) > 100  # the domain beyond the seed: other liver diseases, cells, processes


def test_every_chinese_term_grounds_to_the_node_of_its_english_name(pipeline):
    """Each row's id names the same node as its English column does through the English pipeline."""
    zh = pipeline.zh_lexicon
    rows = sorted({(e.curie, e.en) for e in zh.entries})
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


def test_chinese_mentions_ground_like_english_ones(pipeline):
    kg = pipeline.run([zh_doc("肝硬化、肝功能衰竭、慢加急性肝衰竭与终末期肝病。")])
    got = {m.text: m.concept.curie for m in kg.annotated[0].mentions}
    assert got == {"肝硬化": "MONDO:0005155", "肝功能衰竭": "MONDO:0100192", "慢加急性肝衰竭": "MESH:D065290",
                   "终末期肝病": "MESH:D058625"}


def test_like_cells_and_abbreviations(pipeline):
    kg = pipeline.run([zh_doc("间充质干细胞(mesenchymal stem cells, MSCs)可分化为肝细胞样细胞。MSCs还可分泌细胞因子。")])
    ms = kg.annotated[0].mentions
    like = next(m for m in ms if m.text == "肝细胞样细胞")
    assert like.concept.curie == "CL:0000182" and like.groundings[0].match == "like"
    abbr = [m for m in ms if m.text == "MSCs"]
    assert len(abbr) == 2 and all(m.concept.curie == MSC and m.long_form == "间充质干细胞" for m in abbr)


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


# ---------------------------------------------------------------- Chinese claim patterns


def test_treats_plain(pipeline):
    c = claims_zh(pipeline, "间充质干细胞治疗肝硬化。")
    assert set(c) == {(THERAPY, "treats", "MONDO:0005155", None)}
    assert not c[(THERAPY, "treats", "MONDO:0005155", None)].hedged


@pytest.mark.parametrize("text, cue", [
    ("间充质干细胞有望用于治疗肝硬化和慢性肝衰竭。", "有望"),
    ("间充质干细胞可能用于治疗肝硬化和慢性肝衰竭。", "可能"),
    ("未来间充质干细胞可用于治疗肝硬化和慢性肝衰竭。", "未来"),
])
def test_hedged_treatment_is_studied_to_treat(pipeline, text, cue):
    c = claims_zh(pipeline, text)
    assert set(c) == {(THERAPY, "studied_to_treat", d, None) for d in ("MONDO:0005155", "MONDO:0100193")}
    assert all(x.hedged and cue in x.evidence[0].hedge_cues for x in c.values())


@pytest.mark.parametrize("text", [
    "间充质干细胞不能治疗肝硬化。",
    "间充质干细胞没有治疗肝硬化。",
    "间充质干细胞治疗肝硬化的疗效欠佳。",
])
def test_negated_treatment(pipeline, text):
    c = claims_zh(pipeline, text)
    assert len(c) == 1
    (claim,) = c.values()
    assert claim.negated and claim.object.curie == "MONDO:0005155" and claim.evidence[0].negation_cues


def test_negated_statement_gives_no_direct_triple(pipeline):
    kg = pipeline.run([zh_doc("间充质干细胞未能减轻肝纤维化。")])
    (claim,) = kg.claims
    assert claim.negated and claim.direction == "decreased" and claim.object.curie == "DOID:0061215"
    g = kg.rdf()
    assert (URIRef(f"{OBO}CL_0000134"), BIOLINK.affects, None) not in g


def test_no_claim_across_a_contrast(pipeline):
    # "但" (but) ends the clause: the cells do not treat what follows it.
    assert claims_zh(pipeline, "间充质干细胞增殖迅速,但肝硬化仍难以治疗。") == {}


def test_circumfix_treatment(pipeline):
    c = claims_zh(pipeline, "间充质干细胞对肝纤维化和肝硬化具有治疗作用。")
    assert set(c) == {(THERAPY, "treats", "DOID:0061215", None), (THERAPY, "treats", "MONDO:0005155", None)}


def test_study_and_preclinical_contexts(pipeline):
    c = claims_zh(pipeline, "间充质干细胞移植治疗肝硬化大鼠的研究。")
    assert set(c) == {(THERAPY, "in_preclinical_trials_for", "MONDO:0005155", None)}
    c = claims_zh(pipeline, "二甲双胍是治疗2型糖尿病的一线药物。")
    assert set(c) == {("MESH:D008687", "treats", "MONDO:0005148", None)}


def test_backward_treatment(pipeline):
    c = claims_zh(pipeline, "肝硬化患者接受了间充质干细胞移植。")
    assert [k[:3] for k in c] == [(THERAPY, "treats", "MONDO:0005155")]


def test_differentiation_secretion_and_mechanisms(pipeline):
    c = claims_zh(pipeline, "骨髓间充质干细胞可分化为肝细胞,并分泌可溶性因子。")
    assert ("CL:0002540", "develops_into", "CL:0000182", None) in c
    assert ("CL:0002540", "capable_of", "GO:0070365", None) in c
    sec = c[("CL:0002540", "capable_of", "GO:0046903", None)]
    assert sec.qualifiers == (("product", "可溶性因子"),)
    c = claims_zh(pipeline, "间充质干细胞抑制炎症反应和细胞凋亡,从而提高生存率。")
    assert ("CL:0000134", "affects", "GO:0006954", "decreased") in c
    assert ("CL:0000134", "affects", "GO:0006915", "decreased") in c  # shares 抑制 through 和
    out = c[("CL:0000134", "affects", "MESH:D015996", "increased")]
    assert out.claim_type == "outcome" and set(out.mediators) == {"GO:0006954", "GO:0006915"}


@pytest.mark.parametrize("text, expected", [
    ("间充质干细胞移植显著降低了急性肝衰竭的死亡率。", {(THERAPY, "affects", "MESH:D009026", "decreased")}),
    ("间充质干细胞提高了肝硬化患者的生存率。", {(MSC, "affects", "MESH:D015996", "increased")}),
    ("间充质干细胞减轻肝脏的纤维化。", {(MSC, "affects", "MESH:D005355", "decreased")}),
    # 诱导的 (induced) is attributive: the cells reduce the CCl4-induced injury
    ("间充质干细胞可减轻四氯化碳诱导的肝损伤。", {(MSC, "affects", "kgid:injury_of_UBERON_0002107", "decreased")}),
])
def test_trigger_governs_the_head_not_its_modifier(pipeline, text, expected):
    # "X的Y": the trigger before X acts on Y; the disease X is not said to be raised or lowered.
    assert set(claims_zh(pipeline, text)) == expected


def test_capabilities(pipeline):
    c = claims_zh(pipeline, "间充质干细胞具有多向分化潜能和免疫调节功能。")
    assert set(c) == {(MSC, "capable_of", "GO:0030154", None), (MSC, "capable_of", "MESH:D056747", None)}


def test_antibody_is_not_anti(pipeline):
    # 抗体 (antibody) is not the prefix 抗 (anti-): no "decreases" claim on the inflammation.
    c = claims_zh(pipeline, "间充质干细胞产生抗体介导的炎症反应。")
    assert not any(k[3] == "decreased" for k in c)


# ---------------------------------------------------------------- the seed, language by language


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


# ---------------------------------------------------------------- alignment


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


# ---------------------------------------------------------------- command line


def test_cli_lang_options(tmp_path, capsys):
    from rdflib import Graph

    outs = {}
    for lang in ("en", "zh", "all"):
        out = tmp_path / f"{lang}.ttl"
        assert main(["build", str(SEED), "-o", str(out), "--lang", lang]) == 0
        g = Graph()
        g.parse(out, format="turtle")
        outs[lang] = g
    err = capsys.readouterr().err
    assert "(17 read in both languages, 0 in one)" in err
    msc = URIRef(f"{OBO}CL_0000134")
    zh_labels = lambda g: {o for o in g.objects(msc, RDFS.label) if o.language == "zh"}  # noqa: E731
    assert not zh_labels(outs["en"]) and zh_labels(outs["zh"]) == zh_labels(outs["all"]) == {Literal("间充质干细胞", lang="zh")}
    assert not list(outs["en"].subjects(KG.aligned, None)) and list(outs["all"].subjects(KG.aligned, None))
    texts = {lang: {t.language for t in g.objects(None, BIOLINK.supporting_text)} for lang, g in outs.items()}
    assert texts == {"en": {"en"}, "zh": {"zh"}, "all": {"en", "zh"}}


def test_cli_bad_chinese_lexicon_is_a_one_line_error(tmp_path, capsys):
    bad = tmp_path / "bad.tsv"
    bad.write_text("term\tid\n", encoding="utf-8")
    out = tmp_path / "kg.ttl"
    assert main(["build", str(SEED), "-o", str(out), "--zh-lexicon", str(bad), "-q"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"kg: error: {bad}:1: ") and "\n" not in err and not out.exists()


def test_shipped_lexicon_is_in_the_package_data():
    assert (ROOT / "ontologies" / "zh" / "lexicon.tsv").is_file()
