"""One rule engine for every language: the same rule cases, written in English and in Chinese, give the same
claims (run over the small fixture lexicon, whose terms have names in both languages)."""

from __future__ import annotations

import pytest

from kg.model import Document, Section

T = "biolink:treats"
CASES = [
    # (rule, English, Chinese, claims: subject, predicate, object, direction, hedged, negated)
    ("treats", "Metformin treats type 2 diabetes.", "二甲双胍治疗2型糖尿病。",
     {("MESH:D008687", T, "MONDO:0005148", None, False, False)}),
    ("treats, hedged", "Metformin may be used to treat type 2 diabetes.", "二甲双胍可能用于治疗2型糖尿病。",
     {("MESH:D008687", "biolink:studied_to_treat", "MONDO:0005148", None, True, False)}),
    ("treats, negated", "Metformin does not treat type 2 diabetes.", "二甲双胍不能治疗2型糖尿病。",
     {("MESH:D008687", T, "MONDO:0005148", None, False, True)}),
    ("treats, used for", "Liver transplantation is used for acute-on-chronic liver failure.", "肝移植用于治疗慢加急性肝衰竭。",
     {("MAXO:0001175", "biolink:applied_to_treat", "MESH:D065290", None, False, False)}),
    ("treats, backward", "Patients with liver cirrhosis received mesenchymal stem cell transplantation.",
     "肝硬化患者接受了间充质干细胞移植。", {("MESH:D045164", T, "MONDO:0005155", None, False, False)}),
    ("direction, decreases", "Mesenchymal stem cells inhibit inflammation.", "间充质干细胞抑制炎症。",
     {("CL:0000134", "biolink:affects", "GO:0006954", "decreased", False, False)}),
    ("direction, increases", "Mesenchymal stem cells promote liver regeneration.", "间充质干细胞促进肝再生。",
     {("CL:0000134", "biolink:affects", "MESH:D008115", "increased", False, False)}),
    ("differentiation", "Mesenchymal stem cells differentiate into hepatocytes.", "间充质干细胞分化为肝细胞。",
     {("CL:0000134", "biolink:develops_into", "CL:0000182", None, False, False),
      ("CL:0000134", "biolink:capable_of", "GO:0070365", None, False, False)}),
    ("secretion", "Mesenchymal stem cells secrete soluble factors.", "间充质干细胞分泌可溶性因子。",
     {("CL:0000134", "biolink:capable_of", "GO:0046903", None, False, False)}),
    ("capability", "Mesenchymal stem cells have immunomodulatory and differentiation abilities.",
     "间充质干细胞具有免疫调节和分化能力。",
     {("CL:0000134", "biolink:capable_of", "GO:0030154", None, False, False),
      ("CL:0000134", "biolink:capable_of", "MESH:D056747", None, False, False)}),
    ("prevention", "Metformin prevents type 2 diabetes.", "二甲双胍可预防2型糖尿病。",
     {("MESH:D008687", "biolink:preventative_for_condition", "MONDO:0005148", None, False, False)}),
    ("adverse effect", "Metformin-induced liver cirrhosis.", "二甲双胍诱导的肝硬化。",
     {("MESH:D008687", "biolink:has_adverse_event", "MONDO:0005155", None, False, False)}),
    ("no claim across a contrast", "Metformin is cheap, but type 2 diabetes is common.", "二甲双胍价格低廉，但2型糖尿病很常见。",
     set()),
]


def claims(pipeline, text: str, lang: str) -> set[tuple]:
    kg = pipeline.run([Document("kgdoc:case", "test", (Section("abstract", text, lang),))])
    return {(c.subject.curie, c.predicate, c.object.curie, c.direction, c.hedged, c.negated) for c in kg.claims}


@pytest.mark.parametrize("rule, en, zh, expected", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_rule_cases_read_alike_in_every_language(small_pipeline, rule, en, zh, expected, lang):
    assert claims(small_pipeline, en if lang == "en" else zh, lang) == expected


def test_a_prevented_condition_is_not_also_lowered_but_a_prevented_process_is(small_pipeline):
    # "prevents" on a disease is prevention only (a decrease would read as treating it); on a process it is
    # still the direction family's decrease
    assert claims(small_pipeline, "Metformin prevents inflammation.", "en") == {
        ("MESH:D008687", "biolink:affects", "GO:0006954", "decreased", False, False)}


def test_both_languages_run_the_same_engine(small_pipeline):
    en, zh = small_pipeline.extractor, small_pipeline.zh()[1]
    assert type(en) is type(zh) and (en.lang, zh.lang) == ("en", "zh")
    assert en.rules.treats.subject_types == zh.rules.treats.subject_types  # relations.toml, stated once
    assert en.rules.treats_choice == zh.rules.treats_choice
