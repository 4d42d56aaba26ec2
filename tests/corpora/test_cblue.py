"""CBLUE's Chinese corpora: CMeEE's nested entity spans and CMeIE's string relations, on small fixtures in
their formats (sentences written for these tests), and how kg eval scores them."""

from __future__ import annotations

import json

import pytest

from kg.corpora import read_cmeee, read_cmeie
from kg.errors import KgError
from tests.conftest import FIXTURES

CORPORA = FIXTURES / "corpora"


def test_cmeee_nested_spans_with_inclusive_ends():
    docs = read_cmeee(CORPORA / "cmeee" / "CMeEE_train.json")
    assert len(docs) == 2 and docs[0].document.sections[0].lang == "zh"
    spans = [(m.text, m.type, m.start, m.end) for m in docs[0].mentions]
    assert ("急性肾小球肾炎", "dis", 0, 7) in spans and ("肾小球肾炎", "dis", 2, 7) in spans and ("肾小球", "bod", 2, 5) in spans
    assert all(d.document.sections[0].text[m.start:m.end] == m.text for d in docs for m in d.mentions)
    assert [m.text for m in docs[1].mentions] == ["发热", "咳嗽", "阑尾切除术"]  # the empty entity is left out


@pytest.mark.parametrize("records, message", [
    ({"text": "x"}, "expected a JSON list"),
    ([{"text": "肺炎", "entities": [{"start_idx": 0, "end_idx": 1, "type": "dis", "entity": "肝炎"}]}], "reads '肺炎'"),
    ([{"entities": []}], "no text"),
])
def test_cmeee_errors_are_one_line(tmp_path, records, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(KgError, match=message):
        read_cmeee(path)


def test_cmeie_arguments_found_by_string_search():
    docs = read_cmeie(CORPORA / "cmeie" / "CMeIE_train.json")
    assert len(docs) == 3
    first = docs[0]
    assert [(r.type, r.arg1, r.arg2) for r in first.relations] == [("药物治疗", "肺炎", "青霉素"), ("药物治疗", "肺炎", "红霉素")]
    # "肺炎@肺炎的治疗包括…": the page's topic is the title, the passage the abstract; mentions in both
    assert [(s.name, s.text) for s in first.document.sections] == [("title", "肺炎"), ("abstract", "肺炎的治疗包括青霉素和红霉素。")]
    assert [(m.section, m.text, m.start) for m in first.mentions if m.text == "肺炎"] == [("abstract", "肺炎", 0), ("title", "肺炎", 0)]
    assert first.key == "肺炎@肺炎的治疗包括青霉素和红霉素。"
    with pytest.raises(KgError, match="not a CMeIE record"):
        read_cmeie(CORPORA / "cmeie" / "CMeIE_train.json", text='{"text": "x", "spo_list": [{"subject": 1}]}\n')


def test_cmeie_passages_of_one_page_lose_their_repeated_headings():
    from kg.corpora.gold import cmeie_topic

    assert cmeie_topic("成人哮喘@ 应加用LABA。 成人哮喘@第 5 级改为高剂量 ICS。") == ("成人哮喘", " 应加用LABA。 第 5 级改为高剂量 ICS。")
    assert cmeie_topic("无标题的句子，哮喘@不是标题。") == ("", "无标题的句子，哮喘@不是标题。")
    assert cmeie_topic("哮喘@治疗见下文：非哮喘@的写法。") == ("哮喘", "治疗见下文：非哮喘@的写法。")  # only "哮喘@" at a passage start


def test_held_out_part_is_a_fixed_fifth_by_text(pipeline):
    from kg.corpora import Corpora
    from kg.evaluation import bucket_of, part_of

    corpora = Corpora(pipeline.config, CORPORA)
    gold = corpora.load("cmeie", "train")
    spec = corpora.spec("cmeie")
    choose, held = part_of(gold, "choose", spec), part_of(gold, "held_out", spec)
    assert sorted(g.id for g in choose + held) == sorted(g.id for g in gold) and not {g.id for g in choose} & {g.id for g in held}
    assert all(bucket_of(g.key, 5) == 0 for g in held)  # by the record's text as the corpus gives it
    assert part_of(list(reversed(gold)), "held_out", spec) == list(reversed(held))  # by text, not by position


def test_eval_scores_cmeee_groups_and_cmeie_treatment_pairs(pipeline):
    from kg.evaluation import evaluate_corpus

    ee = evaluate_corpus(pipeline, "cmeee", "train", CORPORA)
    assert set(ee.types) == {"Disease", "Chemical", "Procedure", "Anatomy"}
    assert ee.types["Disease"].gold == 4 and ee.types["Disease"].overlap.tp >= 3  # 发热, 咳嗽, the nephritis pair
    assert ee.types["Chemical"].strict.tp == 1  # 青霉素
    ie = evaluate_corpus(pipeline, "cmeie", "train", CORPORA)
    (rel,) = ie.relations
    assert rel["kind"] == "treats_strings" and rel["tp"] + rel["fn"] == 4
    assert rel["tp"] >= 3 and rel["fp"] == 0  # 肺炎的治疗包括X和Y; X是治疗Y的首选药物 (头孢曲松: another clause)
