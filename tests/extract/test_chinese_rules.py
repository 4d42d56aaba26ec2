"""Chinese claim patterns: treats with hedging, negation and contexts, circumfixes, directions governed by the
head, capabilities."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from kg.rdf.vocab import BIOLINK
from tests.conftest import zh_doc

OBO = "http://purl.obolibrary.org/obo/"
MSC = "CL:0000134"
THERAPY = "MESH:D045164"  # Mesenchymal Stem Cell Transplantation, the therapy node of MSCs


def claims_zh(pipeline, text: str):
    kg = pipeline.run([zh_doc(text)])
    return {(c.subject.curie, c.predicate.split(":")[1], c.object.curie, c.direction): c for c in kg.claims}


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
    # 诱导的 (induced) is attributive: the cells reduce the CCl4-induced injury, which CCl4 caused (the
    # adverse-effect family reads "X诱导的Y" as the English reads "X-induced Y")
    ("间充质干细胞可减轻四氯化碳诱导的肝损伤。", {(MSC, "affects", "kgid:injury_of_UBERON_0002107", "decreased"),
                                       ("MESH:D002251", "has_adverse_event", "kgid:injury_of_UBERON_0002107", None)}),
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


@pytest.mark.parametrize("text, pairs", [
    ("肺炎的治疗包括青霉素和红霉素。", {("CHEBI:17334", "MONDO:0005249"), ("MESH:D004917", "MONDO:0005249")}),
    ("肺炎患者给予青霉素、阿莫西林。", {("CHEBI:17334", "MONDO:0005249"), ("MESH:D000658", "MONDO:0005249")}),
    ("青霉素是治疗梅毒的首选药物。", {("CHEBI:17334", "MONDO:0005976")}),
    ("阿司匹林用于治疗冠心病。", {("MESH:D001241", "MONDO:0005010")}),
    ("糖尿病患者应避免使用糖皮质激素。", set()),
])
def test_treats_templates_where_the_disease_comes_first(pipeline, text, pairs):
    """Y的治疗包括X, Y患者给予X, X是治疗Y的首选药物, lists with 、 and 和; "avoid using" is no treatment."""
    got = {(s, o) for s, p, o, d in claims_zh(pipeline, text) if p in ("treats", "applied_to_treat")}
    assert got == pairs


def titled(title: str, text: str, lang: str = "zh", doc_id: str = "kgdoc:titled"):
    from kg.model import Document, Section

    return Document(id=doc_id, source="test", sections=(Section("title", title, lang), Section("abstract", text, lang)))


def test_statements_naming_no_disease_take_the_title_as_their_object(pipeline):
    """A page on pneumonia: "首选青霉素" (penicillin is the first choice) treats the title's disease; the
    evidence says the object is implied, named in the title."""
    kg = pipeline.run([titled("肺炎", "轻症者首选青霉素，亦可给予阿莫西林。患者应避免使用糖皮质激素。")])
    got = {(c.subject.curie, c.object.curie): c for c in kg.claims if c.claim_type == "treats"}
    assert set(got) == {("CHEBI:17334", "MONDO:0005249"), ("MESH:D000658", "MONDO:0005249")}  # not the avoided steroid
    e = got[("CHEBI:17334", "MONDO:0005249")].evidence[0]
    assert (e.section, e.object_section, e.object_start, e.object_end) == ("abstract", "title", 0, 2)
    assert got[("CHEBI:17334", "MONDO:0005249")].score < 0.9  # implied: relations.toml [topic] weight
    # no title naming a disease, or English (no [treats.topic] in relations.en.toml): no claim
    assert not [c for c in pipeline.run([zh_doc("轻症者首选青霉素。")]).claims if c.claim_type == "treats"]
    english = pipeline.run([titled("Pneumonia", "Penicillin is the first choice in mild cases.", "en")])
    assert not [c for c in english.claims if c.claim_type == "treats"]


def test_statement_of_a_later_clause_takes_the_disease_of_an_earlier_one(pipeline):
    got = {(s, o) for s, p, o, d in claims_zh(pipeline, "肺炎可用青霉素，耐药者可选用红霉素。") if p in ("treats", "applied_to_treat")}
    assert got == {("CHEBI:17334", "MONDO:0005249"), ("MESH:D004917", "MONDO:0005249")}


def test_head_word_drugs_take_part_in_claims(pipeline):
    """硫唑嘌呤 (azathioprine) is a drug by its stem 嘌呤 (-purine) and no lexicon row: an unlinked drug, which
    may be a treats subject (relations.zh.toml unlinked_types_in_claims); an unlinked disease may not."""
    kg = pipeline.run([zh_doc("肺炎患者给予硫唑嘌呤。")])
    assert {c.subject.curie for c in kg.claims if c.object.curie == "MONDO:0005249"} == {"kgid:unlinked_硫唑嘌呤"}
    kg = pipeline.run([zh_doc("青霉素是治疗某某综合征的首选药物。")])  # 某某综合征: an unlinked disease
    assert not [c for c in kg.claims if c.claim_type == "treats"]


def test_implied_object_is_marked_in_the_rdf(pipeline):
    from kg.rdf.vocab import KG

    kg = pipeline.run([titled("肺炎", "首选青霉素。")])
    assert [str(o) for o in kg.rdf().objects(None, KG.objectSection)] == ["title"]


def test_attributive_xing_is_no_direction(pipeline):
    # 中性粒细胞减少性发热: neutropenic fever (a kind of fever), not neutrophils lowering fever
    assert not any(k[3] for k in claims_zh(pipeline, "中性粒细胞减少性发热需住院。"))


def test_a_treatment_sentence_naming_no_other_disease_pairs_its_therapies_with_the_title(pipeline):
    """On a page on hypertension, "二线治疗药物为拉贝洛尔或呋塞米" names no disease but speaks of treatment
    ([treats.topic] cue): both drugs treat the title's disease; a sentence naming another disease, one of risk
    factors, a therapy to be used with caution, one resisted (耐甲氧西林) and a bare class word (抑制剂) do not."""
    kg = pipeline.run([titled("高血压", "二线治疗药物为拉贝洛尔或呋塞米。肺炎患者使用青霉素。危险因素包括使用可卡因。"
                                      "治疗时阿司匹林应慎用。治疗可选用抑制剂。耐甲氧西林者可用万古霉素。")])
    got = {(c.subject.label, c.object.curie) for c in kg.claims if c.claim_type == "treats"}
    assert {s for s, o in got if o == "MONDO:0005044"} - {"vancomycin", "万古霉素"} == {"拉贝洛尔", "呋塞米"}
    # English has no [treats.topic]: no such claim
    english = pipeline.run([titled("Hypertension", "Second-line drugs: labetalol.", "en")])
    assert not [c for c in english.claims if c.claim_type == "treats" and c.evidence[0].object_section]


def test_lowering_the_incidence_of_a_disease_is_preventing_it(pipeline):
    """"降低膀胱癌的发病率" (lower the incidence of bladder cancer) and "预防痛风发作" are prevention
    (relations.zh.toml [prevention]), as English "reduce the risk of Y": a preventative_for_condition claim,
    and no decrease of the disease (which kg eval reads as treating it); lowering the disease itself is one."""
    for text in ("二甲双胍可显著降低膀胱癌的发病率。", "阿司匹林可降低心肌梗死和卒中的风险。", "秋水仙碱可预防痛风发作。"):
        c = claims_zh(pipeline, text)
        assert {p for s, p, o, d in c} == {"preventative_for_condition"}, text
        assert not any(d == "decreased" for s, p, o, d in c), text
    c = claims_zh(pipeline, "糖皮质激素可减少脑水肿。")
    assert {(p, d) for s, p, o, d in c} == {("affects", "decreased")}


def test_a_forward_treats_trigger_does_not_reach_past_punctuation_or_a_caused_condition(pipeline):
    """治疗 and its object are not parted by a comma or a space (a heading and its text), nor by a verb of
    causing or developing (诱发: induce; 发生: develop) or a complication: those are no treatment of it."""
    for text in ("抗抑郁药治疗可能诱发躁狂。", "胰岛素治疗的并发症有低血糖。", "接受环磷酰胺治疗的患者发生肺炎。",
                 "康复治疗 针对脑瘫患儿进行训练。"):
        assert not [k for k in claims_zh(pipeline, text) if k[1] in ("treats", "applied_to_treat")], text
    assert {p for s, p, o, d in claims_zh(pipeline, "青霉素治疗梅毒。")} == {"treats"}
    # …所致的 (caused by …) before the object is attributive: the cirrhosis is what is treated
    assert (THERAPY, "treats", "MONDO:0005155", None) in claims_zh(pipeline, "间充质干细胞治疗各种病因所致的肝硬化。")


def test_a_backward_treats_trigger_takes_the_patients_named_right_before_it(pipeline):
    """"Y患者接受X治疗": the patients are named right before 接受; a disease of an earlier clause is not theirs."""
    assert {(s, o) for s, p, o, d in claims_zh(pipeline, "肺炎患者接受青霉素治疗。") if p == "treats"} == \
        {("CHEBI:17334", "MONDO:0005249")}
    assert not [k for k in claims_zh(pipeline, "咽痛是常见症状，这类患者包括正在接受化疗的患者。") if k[1] == "treats"]


def test_a_risk_sentence_pairs_no_therapy_with_the_title(pipeline):
    """风险 (risk), like 危险, makes a sentence one of risk, not of treatment ([treats.topic] cue_not)."""
    kg = pipeline.run([titled("高血压", "长期使用口服避孕药增加风险。使用呋塞米治疗。")])
    assert {c.subject.label for c in kg.claims if c.claim_type == "treats"} == {"呋塞米"}


def test_a_vaccine_is_no_treatment_of_the_title(pipeline):
    """A vaccine (…疫苗) is given to prevent a disease: a cued sentence pairs it with no title ([treats.topic]
    cue_not_subject), while the drug of the same page does."""
    kg = pipeline.run([titled("乙型肝炎", "婴儿出生后给予疫苗，并使用免疫球蛋白。治疗可使用恩替卡韦。")])
    got = {c.subject.label for c in kg.claims if c.claim_type == "treats"}
    assert "恩替卡韦" in got and not [s for s in got if "疫苗" in s]


def test_a_drug_resisted_or_naming_a_class_target_is_not_given(pipeline):
    """After a drug, 耐药/过敏 (resistant, allergic) say it is not given, and 氧化酶抑制剂 or 受体拮抗剂 make it the
    target of the class given (黄嘌呤氧化酶抑制剂: xanthine-oxidase inhibitors): no cued claim pairs it with the
    title; the drug given in the same sentence is paired."""
    kg = pipeline.run([titled("痛风", "治疗可使用黄嘌呤氧化酶抑制剂或秋水仙碱。"),
                       titled("心内膜炎", "青霉素耐药者首选万古霉素治疗。", doc_id="kgdoc:titled2")])
    got = {c.subject.label for c in kg.claims if c.claim_type == "treats"}
    assert not {"黄嘌呤", "Xanthine", "青霉素", "penicillin"} & got
    assert {"秋水仙碱", "colchicine"} & got and {"万古霉素", "vancomycin"} & got


def test_a_change_that_causes_the_condition_is_no_direction_on_it(pipeline):
    """"血小板减少导致的鼻出血" (nosebleed caused by low platelets): a verb of causing between the trigger and
    the condition ([direction] tail_stop) says the decrease leads to it; nothing lowers the nosebleed."""
    assert not [k for k in claims_zh(pipeline, "一些患者出现血小板减少导致的鼻出血。") if k[3] == "decreased"]
    assert [k for k in claims_zh(pipeline, "糖皮质激素可减少脑水肿。") if k[3] == "decreased"]
