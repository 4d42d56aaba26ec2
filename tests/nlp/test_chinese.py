"""Chinese recognition: jieba segmentation with the lexicon's terms cut whole (in a tokenizer of kg's own), text
read through traditional -> simplified and full-width -> half-width, head-word mentions, and Chinese mentions
grounded like English ones ("X样细胞", abbreviations)."""

from __future__ import annotations

import pytest

from tests.conftest import zh_doc

MSC = "CL:0000134"


# The domain terms the issue names; each must stay one word and ground like its English counterpart.
DOMAIN_TERMS = ["间充质干细胞", "肝脏疾病", "肝硬化", "肝衰竭", "慢加急性肝衰竭", "慢性肝衰竭", "终末期肝脏疾病", "肝移植",
                "多向分化", "免疫调节", "抗氧化", "调节性细胞死亡", "纤维化", "炎性反应", "免疫反应", "生存率"]


@pytest.fixture(scope="module")
def zh_nlp(pipeline):
    return pipeline.zh()[0]


# ---------------------------------------------------------------- segmentation


@pytest.mark.parametrize("term", DOMAIN_TERMS)
def test_domain_terms_stay_one_word(zh_nlp, term):
    doc = zh_nlp.make_doc(f"研究发现{term}与患者的预后密切相关。")
    assert term in [t.text for t in doc]


def test_jieba_alone_splits_domain_terms(tmp_path):
    """Why the terms are cut whole by kg's matching: jieba's own dictionary cuts several of them apart."""
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

    assert "慢加急性肝衰竭" in zh_nlp.tokenizer.jieba_seg.terms.terms
    assert "尚无" in zh_nlp.tokenizer.jieba_seg.tk.FREQ  # a ConText cue, added to kg's own tokenizer
    assert not jieba.dt.initialized or "尚无" not in jieba.dt.FREQ


def test_long_terms_are_cut_whole_inside_jieba_words_short_ones_only_on_its_boundaries():
    from kg.nlp.segmenter import JiebaSegmenter

    seg = JiebaSegmenter([], terms=["中风", "肾小球肾炎"], inside_min=3)
    assert "中风" not in list(seg.cut("中风险人群"))  # jieba: 中/风险 (medium risk)
    assert "中风" in list(seg.cut("患者中风后"))
    words = list(seg.cut("急进性肾小球肾炎患儿"))
    assert "肾小球肾炎" in words and "".join(words) == "急进性肾小球肾炎患儿"


JIEBA_TEXTS = ["间充质干细胞(MSCs)可分化为肝细胞样细胞, 并分泌可溶性因子。", "4.第三类（1）无症状性WPW综合征患者，年龄小于5岁。",
               "患者\r\n于2019年行CT检查：abc-12 x_y.z 肝癌%", "中风险人群\t\r\r\n 服用ＣＯＰＤ药物", "", "\r\n", "a b1"]


@pytest.mark.parametrize("text", JIEBA_TEXTS)
def test_kg_cuts_where_jieba_cuts(zh_nlp, text):
    """kg's own reading of jieba's dictionary route gives the boundaries jieba's ``cut(HMM=False)`` gives."""
    seg = zh_nlp.tokenizer.jieba_seg
    norm = seg.normalise(text)
    want, pos = {0, len(text)}, 0
    for w in seg.tk.cut(norm, HMM=False):
        pos += len(w)
        want.add(pos)
    got = {0, len(text)}
    seg.jieba_cuts(norm, got)
    assert got == want
    assert len(text) < 3 or 2 < len(want) < len(text) + 1  # words of more than one character, and cuts


def test_jieba_is_imported_without_pkg_resources_which_stays_importable():
    import subprocess
    import sys

    code = ("import sys; from kg.nlp.segmenter import import_jieba; jieba = import_jieba(); "
            "assert 'pkg_resources' not in sys.modules; tk = jieba.Tokenizer(); "
            "assert jieba.finalseg.start_P; import pkg_resources; print(pkg_resources.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "pkg_resources"


def test_traditional_and_full_width_text_finds_simplified_terms(pipeline):
    kg = pipeline.run([zh_doc("間充質幹細胞(MSCs)治療肝硬化。慢性肝衰竭與肝硬化患者，使用ＭＳＣｓ。")])
    got = {(m.text, m.concept.curie) for m in kg.annotated[0].mentions}
    assert {("間充質幹細胞", MSC), ("肝硬化", "MONDO:0005155"), ("慢性肝衰竭", "MONDO:0100193"), ("ＭＳＣｓ", MSC)} <= got


def test_head_words_make_unlinked_mentions_of_their_type(pipeline):
    kg = pipeline.run([zh_doc("患者并发根尖周炎，给予交沙霉素和万古霉素。")])  # jieba words the lexicon lacks
    ms = {m.text: m for m in kg.annotated[0].mentions}
    assert {t: (m.type, m.concept.curie.startswith("kgid:unlinked_")) for t, m in ms.items()} == {
        "根尖周炎": ("disease", True), "交沙霉素": ("drug", True), "万古霉素": ("drug", True)}
    assert kg.claims == []  # unlinked mentions take no part in claims (relations.zh.toml unlinked_in_claims)


# ---------------------------------------------------------------- the Chinese lexicon


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


# ---------------------------------------------------------------- Chinese claim patterns


# ---------------------------------------------------------------- the seed, language by language


# ---------------------------------------------------------------- alignment


# ---------------------------------------------------------------- command line




def test_transliterated_names_and_class_words_are_drug_and_procedure_mentions(pipeline):
    """jieba cuts names it does not know into single characters (拉/贝/洛尔, 呋/塞/米, 利/妥/昔/单抗): a run of
    transliteration characters is a drug (recognition.zh.toml [transliteration]); an eponym before 病 is not;
    a word of its own that is the whole text of a sentence with no such characters (有效地治疗) makes none.
    Class words (抗生素 antibiotics, 手术治疗 surgery, which jieba cuts 手术/治疗) are mentions of their type
    ([heads.words]), cut whole."""
    kg = pipeline.run([zh_doc("高血压患者给予拉贝洛尔，亦可用呋塞米或利妥昔单抗。帕金森病可行手术治疗，并用抗生素，给予吸氧。有效地治疗。")])
    ms = {m.text: m.type for m in kg.annotated[0].mentions}
    assert {t: ms.get(t) for t in ("拉贝洛尔", "呋塞米", "利妥昔单抗", "抗生素", "手术治疗", "吸氧")} == {
        "拉贝洛尔": "drug", "呋塞米": "drug", "利妥昔单抗": "drug", "抗生素": "drug", "手术治疗": "procedure", "吸氧": "procedure"}
    assert ms.get("帕金森病") == "disease" and "帕金森" not in ms
    assert not [t for t, typ in ms.items() if typ == "drug" and ("地" in t or "效" in t)]


def test_a_member_suffix_names_one_member_of_a_drug_class(pipeline):
    """A drug term followed by a Latin capital with digits or a Greek letter names one member of it
    (recognition.zh.toml [member_suffix]): the mention runs over the suffix and grounds to the English
    lexicon's term of that name (青霉素 "Penicillins" + G: penicillin G), or to the class, scored lower,
    where the English lexicon names no such member (干扰素α2a); a head-word name takes the suffix unlinked
    (两性霉素B). Without a suffix the class stays itself; a Latin word after a term is no suffix."""
    kg = pipeline.run([zh_doc("青霉素G用于治疗梅毒。干扰素α2a用于治疗毛细胞白血病。两性霉素B静脉滴注。青霉素过敏。青霉素Gram阳性。")])
    ms = kg.annotated[0].mentions
    got = {m.text: m.concept.curie for m in ms}
    assert got["青霉素G"] == "MESH:D010400"
    assert got["干扰素α2a"] == "MESH:D007372"  # interferons
    ifn = next(m for m in ms if m.text == "干扰素α2a")
    assert ifn.groundings[0].score < 0.8
    assert got["两性霉素B"].startswith("kgid:unlinked_")
    plain = [m.concept.curie for m in ms if m.text == "青霉素"]
    assert len(plain) == 2 and plain[0] == plain[1] != "MESH:D010400"


def test_a_function_word_does_not_start_a_transliterated_name(pipeline):
    """对 ("to": 对阿昔洛韦耐药, resistant to aciclovir) and 可 ("can") before a name are not its first
    character (recognition.zh.toml [transliteration] not_first): the name starts after them."""
    kg = pipeline.run([zh_doc("膦甲酸可用于对阿昔洛韦耐药的感染。必要时可加呋塞米。")])
    drugs = {m.text for m in kg.annotated[0].mentions if m.type == "drug"}
    assert not [t for t in drugs if t[0] in "对可加"]
    assert "呋塞米" in drugs


def test_a_name_of_two_character_words_and_single_characters_is_a_drug(pipeline):
    """沙/美/特罗 (salmeterol) and 布/地/奈德 (budesonide): a run of four transliteration characters that jieba cut
    into two single characters and a word holds no mark but is a drug ([transliteration] cut_min_chars); a run
    before 菌 (卡他莫拉菌: Moraxella catarrhalis) is a bacterium, no drug."""
    kg = pipeline.run([zh_doc("哮喘患者可吸入沙美特罗或布地奈德。卡他莫拉菌感染。")])
    drugs = {m.text for m in kg.annotated[0].mentions if m.type == "drug"}
    assert {"沙美特罗", "布地奈德"} <= drugs
    assert not [t for t in drugs if t.startswith("卡他")]
