"""Span conventions (kg/nlp/conventions.py): modifiers, head words and coordinations taken into a lexicon match,
abbreviations the Schwartz-Hearst rule misses, and the counts learned from annotated train text."""

from __future__ import annotations

import sys

import pytest

from kg.config import Config
from kg.model import Document, Section, Term
from kg.nlp.conventions import (
    NUMBER,
    SpanRules,
    defined_abbreviations,
    number_pattern,
    word_class,
)
from kg.ontology import Lexicon
from tests.conftest import ROOT

# group, side, gap, word, corpus, inside, outside (the format scripts/build_corpus_lexicon.py writes)
COUNTS = """group\tside\tgap\tword\tcorpus\tinside\toutside
disease\tleft\tspace\tlinked\tc1\t9\t0
disease\tleft\tjoined\tx\tc1\t9\t0
disease\tleft\tspace\trecessive\tc1\t8\t1
disease\tleft\tspace\tsevere\tc1\t3\t9
disease\tleft\tspace\tof\tc1\t40\t0
disease\tfirst\t-\tx\tc1\t9\t0
disease\tfirst\t-\trecessive\tc1\t1\t9
disease\tfirst\t-\tlinked\tc1\t0\t9
disease\tright\tspace\ttype\tc1\t6\t1
disease\tright\tspace\t#\tc1\t6\t1
disease\tlast\t-\ttype\tc1\t0\t6
disease\tlast\t-\t#\tc1\t6\t0
drug\tleft\tjoined\tl\tc1\t7\t0
drug\tfirst\t-\tl\tc1\t7\t0
drug\tleft\tspace\tl\tc1\t0\t7
"""


@pytest.fixture(scope="module")
def mentions(tmp_path_factory):
    from kg.nlp.english import build_english
    from kg.nlp.records import annotate

    config = Config.default()
    path = tmp_path_factory.mktemp("spans") / "corpus_spans.tsv"
    path.write_text(COUNTS, encoding="utf-8")
    lex = Lexicon.build([
        Term("MONDO:0000001", "thrombocytopenia"), Term("MONDO:0000002", "ovarian cancer"),
        Term("MONDO:0000003", "breast cancer"), Term("MONDO:0000004", "cirrhosis"),
        Term("MONDO:0000005", "liver failure"), Term("MONDO:0000006", "Gaucher disease"),
        Term("CHEBI:0000001", "arginine"), Term("UBERON:0000001", "breast"),
        Term("MONDO:0000007", "von Hippel-Lindau disease"),
    ])
    nlp = build_english(lex, config)
    nlp.get_pipe("kg_lexicon_matcher").spans = SpanRules.from_config(config, path)

    def run(text: str) -> list[tuple[str, str]]:
        (ad,) = annotate([Document("kgdoc:s", "t", (Section("abstract", text),))], nlp, lex, config)
        return [(m.text, m.type) for m in ad.mentions]
    return run


def test_modifiers_learned_on_the_left_are_taken_in(mentions):
    assert mentions("X-linked recessive thrombocytopenia was seen.") == [("X-linked recessive thrombocytopenia", "disease")]


def test_an_extension_ends_on_a_word_that_begins_mentions(mentions):
    # "recessive" is taken in after "X-linked" but rarely begins a mention itself; "severe" is mostly outside
    assert mentions("A recessive thrombocytopenia.") == [("thrombocytopenia", "disease")]
    assert mentions("A severe thrombocytopenia.") == [("thrombocytopenia", "disease")]


def test_function_words_are_never_taken_in(mentions):
    assert mentions("The rate of thrombocytopenia.") == [("thrombocytopenia", "disease")]


def test_head_words_on_the_right_need_a_word_that_ends_mentions(mentions):
    assert mentions("Gaucher disease type 2 is rare.") == [("Gaucher disease type 2", "disease")]
    assert mentions("Gaucher disease type was not known.") == [("Gaucher disease", "disease")]


def test_the_gap_counts_hyphen_versus_space(mentions):
    assert mentions("L-arginine was given.") == [("L-arginine", "drug")]
    assert mentions("Group L arginine was given.") == [("arginine", "drug")]


def test_coordinated_modifiers_share_the_head(mentions):
    # "breast cancer" is a term: "breast and ovarian cancer" is one mention (the organ match is taken in)
    assert mentions("Women with breast and ovarian cancer.") == [("breast and ovarian cancer", "disease")]
    assert mentions("Women with breast/ovarian cancer.") == [("breast/ovarian cancer", "disease")]
    assert mentions("Women with breast and/or ovarian cancer.") == [("breast and/or ovarian cancer", "disease")]


def test_two_diseases_in_a_list_stay_two(mentions):
    assert mentions("Cirrhosis and liver failure were treated.") == [("Cirrhosis", "disease"), ("liver failure", "disease")]


def test_a_term_around_a_parenthesised_short_form_is_one_mention(mentions):
    assert ("von Hippel-Lindau (VHL) disease", "disease") in mentions("Patients with von Hippel-Lindau (VHL) disease.")
    # the short form must begin with the term's first letter, and the parenthesis must sit inside the term
    assert ("von Hippel-Lindau (HL) disease", "disease") not in mentions("Patients with von Hippel-Lindau (HL) disease.")
    assert mentions("Gaucher (type 1) cells.") == []


def test_numbers_and_roman_numerals_are_one_class():
    number = number_pattern(Config.default())
    assert word_class("2", number) == word_class("ii", number) == word_class("12a", number) == NUMBER
    assert word_class("x", number) == "x" and word_class("type", number) == "type"


def test_short_forms_with_letters_out_of_order():
    from kg.nlp.match import Match

    text = "Myotonic dystrophy (DM) is common. DM patients and a DNA test (DT)."
    m = Match(0, 18, (("MONDO:0000001", "LABEL"),))
    found = defined_abbreviations(text, [m])
    assert [(text[s:e], x) for s, e, x in found] == [("DM", m), ("DM", m)]
    assert defined_abbreviations(text, [m], known={"DM"}) == []  # already resolved by Schwartz-Hearst


def test_shipped_pipeline_reads_abbreviations_and_coordinations(pipeline):
    text = ("Myotonic dystrophy (DM) is the most common muscular dystrophy. DM patients were seen. "
            "Hereditary hemochromatosis (HH) is common. Women with breast and ovarian cancer were screened.")
    kg = pipeline.run([Document("kgdoc:t", "t", (Section("abstract", text),))])
    ms = {(m.text, m.concept.curie) for m in kg.annotated[0].mentions}
    dm = {c for t, c in ms if t == "Myotonic dystrophy"}
    assert dm and {c for t, c in ms if t == "DM"} == dm
    assert {c for t, c in ms if t == "HH"} == {c for t, c in ms if t == "Hereditary hemochromatosis"}
    assert any(t == "breast and ovarian cancer" for t, _ in ms)


def test_disease_characteristics_alone_are_no_mention(pipeline):
    """MONDO's "inherited" and "congenital" (disease characteristics) are qualities; a term that holds
    one still matches."""
    text = "The deficiency is inherited in an autosomal recessive manner; a congenital heart disease was seen."
    kg = pipeline.run([Document("kgdoc:c", "t", (Section("abstract", text),))])
    texts = [m.text for m in kg.annotated[0].mentions]
    assert "inherited" not in texts and "congenital" not in texts
    assert "congenital heart disease" in texts


def test_named_diseases_without_their_head_word_before_a_noun(pipeline):
    """[modifier]: "Lesch-Nyhan patients" names Lesch-Nyhan syndrome; "German patients" (German syndrome
    is a disease too) and "kidney patients" name none."""
    text = "Lesch-Nyhan patients were studied, with German patients and kidney patients as controls."
    kg = pipeline.run([Document("kgdoc:l", "t", (Section("abstract", text),))])
    ms = {m.text: m for m in kg.annotated[0].mentions}
    assert ms["Lesch-Nyhan"].type == "disease" and ms["Lesch-Nyhan"].concept.curie.startswith(("MONDO:", "MESH:", "DOID:"))
    assert "German" not in ms
    assert "kidney" not in ms or ms["kidney"].type != "disease"


def test_coordinated_modifier_words_share_the_head(pipeline):
    """[coordination] modifier_words: "renal" is no term with "dysfunction", but a word the learned counts
    take in on the left of disease mentions, so "renal and/or hepatic dysfunction" is one mention."""
    text = "Mutations cause both syndromic and non-syndromic hearing loss. Six had renal and/or hepatic dysfunction."
    kg = pipeline.run([Document("kgdoc:m", "t", (Section("abstract", text),))])
    texts = {m.text for m in kg.annotated[0].mentions}
    assert {"syndromic and non-syndromic hearing loss", "renal and/or hepatic dysfunction"} <= texts


def test_counts_are_learned_from_gold_next_to_found_mentions(pipeline, tmp_path):
    """The learning step of scripts/build_corpus_lexicon.py on small PubTator documents: where kg finds
    "thrombocytopenia" inside the gold "X-linked thrombocytopenia", "linked" and "x" count inside on the
    left; "of" just before a gold mention counts outside."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import build_corpus_lexicon as bcl

    from kg.corpora import read_pubtator_gold
    from kg.ontology import Normalizer

    lines = []
    for i in range(3):
        title = "Carriers of X-linked thrombocytopenia."
        lines += [f"9{i}|t|{title}", f"9{i}|a|Rare.", f"9{i}\t12\t37\tX-linked thrombocytopenia\tDisease\tD013921", ""]
    path = tmp_path / "gold.pubtator"
    path.write_text("\n".join(lines), encoding="utf-8")
    gold = read_pubtator_gold(path)
    annotated = {"bc5cdr": pipeline.run([g.document for g in gold]).annotated}
    rows = bcl.span_conventions({"bc5cdr": gold}, Normalizer(Config.default()), annotated)
    got = {r[:4]: r[5:] for r in rows}
    assert got[("disease", "first", "-", "x")] == (3, 0)
    assert got[("disease", "last", "-", "thrombocytopenia")] == (3, 0)
    found_alone = any(m.text == "thrombocytopenia" for ad in annotated["bc5cdr"] for m in ad.mentions)
    if found_alone:  # the shipped lexicon may know the whole term; then nothing is learned on the left
        assert got[("disease", "left", "space", "linked")] == (3, 0)
        assert got[("disease", "left", "joined", "x")] == (3, 0)
