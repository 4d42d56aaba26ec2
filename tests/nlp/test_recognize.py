"""Stages 2 and 3: recognition (spaCy + scispaCy + ConText) and grounding on short real-format texts."""

from __future__ import annotations

import pytest

from kg.model import Document, Section


@pytest.fixture(scope="module")
def mentions(pipeline):
    def run(text: str):
        kg = pipeline.run([Document("kgdoc:t", "t", (Section("abstract", text),))])
        return kg.annotated[0].mentions
    return run


def by_text(ms):
    return {m.text: m for m in ms}


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


def test_uppercase_acronym_from_the_lexicon_is_case_sensitive(mentions):
    assert any(m.text == "MSC" and m.concept.curie == "CL:0000134" for m in mentions("The MSC niche is small."))
    assert not any(m.text.lower() == "all" for m in mentions("All patients recovered."))


def test_like_cells_ground_to_the_cell_type(mentions):
    (m,) = [m for m in mentions("Stem cells became hepatocyte-like cells.") if "hepatocyte" in m.text]
    assert m.text == "hepatocyte-like cells" and m.concept.curie == "CL:0000182"
    assert m.groundings[0].match == "like" and m.groundings[0].score < 0.9


def test_cross_ontology_xrefs_make_one_node(mentions):
    ms = by_text(mentions("Cirrhosis, also called liver cirrhosis, is common."))
    assert ms["Cirrhosis"].concept.curie == ms["liver cirrhosis"].concept.curie == "MONDO:0005155"
    eq = set(ms["Cirrhosis"].concept.equivalents)
    assert {"DOID:5082", "MESH:D008103", "HP:0001394"} <= eq


def test_groundings_are_ranked_with_scores(mentions):
    (m,) = [m for m in mentions("Inflammation was measured.") if m.text == "Inflammation"]
    scores = [g.score for g in m.groundings]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    assert {"GO:0006954", "MESH:D007249"} <= {g.curie for g in m.groundings}
    assert m.concept.curie == "GO:0006954"  # the mechanism type prefers GO over MeSH within the margin


def test_negation_and_hedging_cues(mentions):
    ms = by_text(mentions("There is no effective treatment for cirrhosis. Aspirin may prevent colorectal cancer."))
    assert "NEGATED_EXISTENCE" in ms["cirrhosis"].context
    assert "POSSIBLE_EXISTENCE" in ms["colorectal cancer"].context


def test_sentence_split_does_not_break_after_etc(pipeline):
    text = "MSCs inhibit inflammation, fibrosis, etc., so to reduce liver damage. A second sentence."
    kg = pipeline.run([Document("kgdoc:s", "s", (Section("abstract", text),))])
    assert [s.text for s in kg.annotated[0].sentences] == [
        "MSCs inhibit inflammation, fibrosis, etc., so to reduce liver damage.", "A second sentence."]


def test_composed_concepts(mentions):
    ms = by_text(mentions("Complications after liver transplantation and spleen damage were recorded."))
    comp = ms["Complications after liver transplantation"].concept
    assert comp.curie == "kgid:complication_of_MAXO_0001175" and comp.type == "disease"
    assert comp.broader == ("MESH:D011183",) and comp.composed_of == "MAXO:0001175"
    spleen = ms["spleen damage"].concept
    assert spleen.label == "spleen injury" and spleen.composed_of == "UBERON:0002106"


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


def test_drug_class_is_an_agent_and_a_treats_subject(extract):
    claims, ms = extract("Antibiotics are an effective treatment for bacterial pneumonia.")
    (m,) = [m for m in ms if m.text == "Antibiotics"]
    assert m.type == "agent" and m.concept.category == "biolink:Drug"
    assert any(c.claim_type == "treats" and c.subject.curie == m.concept.curie and not c.negated for c in claims)


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
