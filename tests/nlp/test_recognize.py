"""Stage 2, recognition (spaCy + scispaCy + ConText) on short real-format texts: variants, longest match,
abbreviations, acronyms, "-like" cells, negation and hedging cues, sentences and offsets."""

from __future__ import annotations

from kg.model import Document, Section
from tests.conftest import by_text


def test_case_plural_and_hyphen_variants(mentions):
    ms = by_text(mentions("Liver Diseases and acute-on-chronic liver failure differ from Acute-On-Chronic Liver Failures."))
    assert ms["Liver Diseases"].concept.curie == "MONDO:0005154"
    assert ms["acute-on-chronic liver failure"].concept.curie == "MESH:D065290"
    assert ms["Acute-On-Chronic Liver Failures"].concept.curie == "MESH:D065290"


def test_longest_match_wins(mentions):
    ms = mentions("Chronic liver failure followed liver transplantation.")
    assert [m.text for m in ms] == ["Chronic liver failure", "liver transplantation"]
    assert ms[1].concept.curie == "MAXO:0001175" and ms[1].type == "procedure"


def test_abbreviation_inherits_long_form_grounding(mentions):
    ms = mentions("Hepatic stellate cells (HSCs) drive fibrosis. Activated HSCs secrete collagen.")
    short = [m for m in ms if m.text == "HSCs"]
    assert len(short) == 2
    assert all(m.concept.curie == "CL:0000632" and m.long_form == "Hepatic stellate cells" for m in short)


def test_abbreviation_inside_a_slash_pair_takes_its_long_form(mentions):
    # the tokenizer keeps "VAL/HCTZ" one token: scispaCy's matcher does not see the short forms in it
    ms = mentions("Valsartan (VAL) and hydrochlorothiazide (HCTZ) were given as VAL/HCTZ or HCTZ/VAL.")
    vals = [m for m in ms if m.text == "VAL"]
    assert len(vals) == 3 and len({m.concept.curie for m in vals}) == 1
    assert all(m.long_form == "Valsartan" for m in vals)


def test_uppercase_acronym_from_the_lexicon_is_case_sensitive(mentions):
    assert any(m.text == "MSC" and m.concept.curie == "CL:0000134" for m in mentions("The MSC niche is small."))
    assert not any(m.text.lower() == "all" for m in mentions("All patients recovered."))


def test_like_cells_ground_to_the_cell_type(mentions):
    (m,) = [m for m in mentions("Stem cells became hepatocyte-like cells.") if "hepatocyte" in m.text]
    assert m.text == "hepatocyte-like cells" and m.concept.curie == "CL:0000182"
    assert m.groundings[0].match == "like" and m.groundings[0].score < 0.9


def test_negation_and_hedging_cues(mentions):
    ms = by_text(mentions("There is no effective treatment for cirrhosis. Aspirin may prevent colorectal cancer."))
    assert "NEGATED_EXISTENCE" in ms["cirrhosis"].context
    assert "POSSIBLE_EXISTENCE" in ms["colorectal cancer"].context


def test_sentence_split_does_not_break_after_etc(pipeline):
    text = "MSCs inhibit inflammation, fibrosis, etc., so to reduce liver damage. A second sentence."
    kg = pipeline.run([Document("kgdoc:s", "s", (Section("abstract", text),))])
    assert [s.text for s in kg.annotated[0].sentences] == [
        "MSCs inhibit inflammation, fibrosis, etc., so to reduce liver damage.", "A second sentence."]


def test_offsets_point_into_the_section_text(pipeline):
    text = "In rats, mesenchymal stem cells (MSCs) reduced liver fibrosis."
    kg = pipeline.run([Document("kgdoc:o", "o", (Section("abstract", text),))])
    for m in kg.annotated[0].mentions:
        assert text[m.start:m.end] == m.text


def test_lower_case_text_matches_vowelless_acronyms(mentions):
    ms = mentions("docetaxel is a second-line therapy for nsclc .")
    assert any(m.text == "nsclc" and m.type == "disease" for m in ms)
    # in a text with capitals the lexicon's acronyms stay case-sensitive
    assert not any(m.text == "nsclc" for m in mentions("Docetaxel is a second-line therapy for nsclc."))


def test_mesh_therapy_descriptor_matches_with_the_other_head_noun(mentions):
    """MeSH "Thrombolytic Therapy" is also named "thrombolytic treatment" (scripts/build_lexicons.py)."""
    (m,) = [m for m in mentions("Thrombolytic treatment resolved the pulmonary embolism.") if m.type == "procedure"]
    assert m.text == "Thrombolytic treatment" and m.concept.curie == "MESH:D015912"


def test_abbreviation_of_a_long_form_whose_head_is_unmatched_is_no_mention(mentions):
    """An abbreviation names its long form's head: a match on a modifier of the long form ("tumor" in "tumor
    necrosis factor") does not make the abbreviation a mention of that modifier."""
    ms = mentions("Tumor necrosis factor (TNF) levels rose in patients with hepatocellular carcinoma (HCC). TNF fell.")
    assert not any(m.text == "TNF" for m in ms)
    assert any(m.text == "HCC" and m.type == "disease" for m in ms)
