"""Stage 3, grounding: cross-referenced identifiers make one node, ranked groundings with scores, composed
concepts, drug classes as agents, fuzzy linking and unlinked mentions."""

from __future__ import annotations

from kg.ground import Grounder
from kg.model import AnnotatedDocument, Document, Mention, Section
from kg.nlp.fuzzy import FuzzyLinker
from tests.conftest import by_text


def _doc(text):
    return Document("kgdoc:n", "t", (Section("abstract", text),))


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


def test_composed_concepts(mentions):
    ms = by_text(mentions("Complications after liver transplantation and spleen damage were recorded."))
    comp = ms["Complications after liver transplantation"].concept
    assert comp.curie == "kgid:complication_of_MAXO_0001175" and comp.type == "disease"
    assert comp.broader == ("MESH:D011183",) and comp.composed_of == "MAXO:0001175"
    spleen = ms["spleen damage"].concept
    assert spleen.label == "spleen injury" and spleen.composed_of == "UBERON:0002106"


def test_drug_class_is_an_agent_and_a_treats_subject(extract):
    claims, ms = extract("Antibiotics are an effective treatment for bacterial pneumonia.")
    (m,) = [m for m in ms if m.text == "Antibiotics"]
    assert m.type == "agent" and m.concept.category == "biolink:Drug"
    assert any(c.claim_type == "treats" and c.subject.curie == m.concept.curie and not c.negated for c in claims)


def test_grounder_links_fuzzily_or_keeps_an_unlinked_concept(small_lexicon, tmp_path):
    doc = _doc("Patients had gear hypoplasias and blorpitis.")
    ms = (Mention("kgdoc:n", "abstract", "en", 0, 13, 29, "gear hypoplasias", "disease"),
          Mention("kgdoc:n", "abstract", "en", 0, 34, 43, "blorpitis", "disease"))
    ad = AnnotatedDocument(doc, (), ms)
    linker = FuzzyLinker(small_lexicon, threshold=0.5, folder=tmp_path / "index")
    (out,) = Grounder(small_lexicon, fuzzy=linker).ground_documents([ad])
    gear, blorp = out.mentions
    assert gear.concept.curie == "HP:9000010" and gear.groundings[0].match == "fuzzy"
    assert blorp.concept.curie == "kgid:unlinked_blorpitis" and blorp.concept.category == "biolink:Disease"
    (plain,) = Grounder(small_lexicon).ground_documents([ad])
    assert plain.mentions[0].concept.curie == "kgid:unlinked_gear_hypoplasias"
