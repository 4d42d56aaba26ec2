"""End to end on the seed article: the README's main job, checked in the RDF it writes."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.cli import main
from kg.rdf.vocab import BIOLINK, KG
from tests.conftest import SEED

OBO = "http://purl.obolibrary.org/obo/"
MESH = "http://id.nlm.nih.gov/mesh/"
KGID = "https://w3id.org/kg/id/"
DOI = URIRef("https://doi.org/10.16352/j.issn.1001-6325.2023.01.0012")
MSC = URIRef(OBO + "CL_0000134")
THERAPY = URIRef(MESH + "D045164")
TREATS_FAMILY = ["treats", "applied_to_treat", "studied_to_treat", "in_clinical_trials_for",
                 "in_preclinical_trials_for", "treats_or_applied_or_studied_to_treat", "ameliorates_condition",
                 "preventative_for_condition"]
PREFIXES = """
PREFIX biolink: <https://w3id.org/biolink/vocab/>
PREFIX kg: <https://w3id.org/kg/vocab/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def o(curie: str) -> URIRef:
    prefix, local = curie.split(":")
    if prefix == "MESH":
        return URIRef(MESH + local)
    if prefix == "kgid":
        return URIRef(KGID + local)
    return URIRef(f"{OBO}{prefix}_{local}")


@pytest.fixture(scope="module")
def g(tmp_path_factory):
    """The seed built through the command line, as the README runs it, parsed back."""
    from rdflib import Graph

    out = tmp_path_factory.mktemp("cli") / "kg.ttl"
    assert main(["build", str(SEED.parent), "-o", str(out), "--quiet"]) == 0
    graph = Graph()
    graph.parse(out, format="turtle")
    return graph


def assoc(g, s, pred, obj, direction=None):
    q = PREFIXES + """SELECT ?a WHERE { ?a a biolink:Association ; biolink:subject ?s ; biolink:predicate ?p ; biolink:object ?o .
        OPTIONAL { ?a biolink:object_direction_qualifier ?d } }"""
    rows = [r.a for r in g.query(q, initBindings={"s": s, "p": BIOLINK[pred], "o": obj})
            if direction is None or str(g.value(r.a, BIOLINK.object_direction_qualifier)) == direction]
    assert len(rows) == 1, f"expected one {pred} association {s} -> {obj} ({direction}), found {len(rows)}"
    return rows[0]


@pytest.mark.parametrize("curie, label", [
    ("CL:0000134", "mesenchymal stem cell"),
    ("MONDO:0005154", "liver disorder"),
    ("MONDO:0005155", "cirrhosis of liver"),
    ("MONDO:0100192", "liver failure"),
    ("MESH:D065290", "Acute-On-Chronic Liver Failure"),
    ("MONDO:0100193", "chronic liver failure"),
    ("MESH:D058625", "End Stage Liver Disease"),
    ("CL:0000182", "hepatocyte"),
    ("MAXO:0001175", "liver transplantation"),
    ("GO:0030154", "cell differentiation"),
    ("GO:0070365", "hepatocyte differentiation"),
    ("MESH:D056747", "Immunomodulation"),
    ("GO:0006954", "inflammatory response"),
    ("GO:0006955", "immune response"),
    ("GO:0012501", "programmed cell death"),
    ("GO:0016209", "antioxidant activity"),
    ("MESH:D005355", "Fibrosis"),
])
def test_seed_entities_are_grounded_nodes(g, curie, label):
    node = o(curie)
    assert (node, RDFS.label, Literal(label)) in g
    assert any(g.objects(node, RDF.type)), f"{curie} has no Biolink category"


def test_liver_disease_keeps_its_cross_references(g):
    eq = set(g.objects(o("MONDO:0005154"), SKOS.exactMatch))
    assert {o("DOID:409"), o("MESH:D008107")} <= eq
    assert o("DOID:5082") in set(g.objects(o("MONDO:0005155"), SKOS.exactMatch))


def test_msc_abbreviation_is_resolved(seed_kg):
    msc = [m for a in seed_kg.annotated for m in a.mentions if m.text == "MSCs" and m.lang == "en"]
    assert len(msc) == 3 and all(m.concept.curie == "CL:0000134" and m.long_form == "Mesenchymal stem cells" for m in msc)
    zh = [m for a in seed_kg.annotated for m in a.mentions if m.text == "MSCs" and m.lang == "zh"]
    assert len(zh) == 3 and all(m.concept.curie == "CL:0000134" and m.long_form == "间充质干细胞" for m in zh)


def test_msc_therapy_is_a_treatment_of_the_cell(g):
    assert (THERAPY, RDF.type, BIOLINK.Treatment) in g
    assert (THERAPY, KG.therapeuticAgent, MSC) in g
    assert (MSC, RDF.type, BIOLINK.Cell) in g


@pytest.mark.parametrize("disease", ["MONDO:0005155", "MESH:D065290", "MONDO:0100193",
                                     "kgid:complication_of_MAXO_0001175", "MONDO:0005154"])
def test_msc_therapy_is_studied_to_treat(g, disease):
    a = assoc(g, THERAPY, "studied_to_treat", o(disease))
    assert (THERAPY, BIOLINK.studied_to_treat, o(disease)) in g
    assert (a, BIOLINK.negated, Literal(False)) in g
    assert (a, BIOLINK.publications, DOI) in g
    texts = [str(t) for t in g.objects(a, BIOLINK.supporting_text)]
    assert texts and all(t.endswith((".", "。")) or "treatment" in t for t in texts)


def test_hedge_cues_are_recorded(g):
    a = assoc(g, THERAPY, "studied_to_treat", o("MESH:D065290"))
    assert (a, KG.hedged, Literal(True)) in g
    cues = {str(c) for ev in g.objects(a, BIOLINK.has_evidence) for c in g.objects(ev, KG.hedgeCue)}
    assert "expected to" in cues


def test_complication_is_a_postoperative_complication_of_liver_transplantation(g):
    c = o("kgid:complication_of_MAXO_0001175")
    assert (c, RDFS.subClassOf, o("MESH:D011183")) in g
    assert (c, KG.composedOf, o("MAXO:0001175")) in g


def test_nothing_else_is_said_to_treat_anything(g):
    found = set()
    for pred in TREATS_FAMILY:
        for s, obj in g.subject_objects(URIRef("https://w3id.org/biolink/vocab/" + pred)):
            found.add((s, obj))
    assert found == {(THERAPY, o(d)) for d in ["MONDO:0005155", "MESH:D065290", "MONDO:0100193",
                                               "kgid:complication_of_MAXO_0001175", "MONDO:0005154"]}


@pytest.mark.parametrize("mechanism, direction", [
    ("GO:0016209", "increased"),   # antioxidant
    ("GO:0012501", "decreased"),   # anti-regulated cell death
    ("MESH:D005355", "decreased"),  # anti-fibrosis
    ("GO:0006954", "decreased"),   # inhibiting inflammation
    ("GO:0006955", "decreased"),   # inhibiting immune response
])
def test_msc_mechanisms_with_direction(g, mechanism, direction):
    a = assoc(g, MSC, "affects", o(mechanism), direction)
    relation = {"increased": "RO_0002213", "decreased": "RO_0002212"}[direction]
    assert (a, KG.relation, URIRef(OBO + relation)) in g


@pytest.mark.parametrize("process", ["GO:0030154", "MESH:D056747", "GO:0070365", "GO:0046903"])
def test_msc_capabilities(g, process):
    assoc(g, MSC, "capable_of", o(process))


def test_secretes_soluble_factors(g):
    a = assoc(g, MSC, "capable_of", o("GO:0046903"))
    assert (a, KG.product, Literal("soluble factors")) in g


def test_differentiates_into_hepatocyte_like_cells(g):
    a = assoc(g, MSC, "develops_into", o("CL:0000182"))
    found = {}
    for ev in g.objects(a, BIOLINK.has_evidence):  # one evidence per language of the abstract
        sentence = str(g.value(ev, BIOLINK.supporting_text))
        start = int(g.value(ev, KG.objectStart)) - int(g.value(ev, KG.sentenceStart))
        end = int(g.value(ev, KG.objectEnd)) - int(g.value(ev, KG.sentenceStart))
        found[str(g.value(ev, KG.lang))] = sentence[start:end]
    assert found == {"en": "hepatocyte-like cells", "zh": "肝细胞样细胞"}


@pytest.mark.parametrize("outcome, direction", [("kgid:injury_of_UBERON_0002107", "decreased"),
                                                ("MESH:D015996", "increased")])
def test_mechanisms_reduce_liver_damage_and_improve_survival(g, outcome, direction):
    a = assoc(g, MSC, "affects", o(outcome), direction)
    mediators = set(g.objects(a, KG.mediatedBy))
    assert mediators == {o(c) for c in ["GO:0016209", "GO:0012501", "MESH:D005355", "GO:0006954", "GO:0006955"]}


def test_no_negated_or_unexpected_claims(g):
    negated = list(g.subjects(BIOLINK.negated, Literal(True)))
    assert negated == []
    assert len(set(g.subjects(RDF.type, BIOLINK.Association))) == 17


def test_article_node_carries_the_metadata(g):
    assert (DOI, RDF.type, BIOLINK.Article) in g
    assert (DOI, BIOLINK.volume, Literal("43")) in g and (DOI, BIOLINK.pages, Literal("12-20")) in g
    titles = {(str(t), t.language) for t in g.objects(DOI, URIRef("http://purl.org/dc/terms/title"))}
    assert ("Research progress of mesenchymal stem cells in the treatment of liver disease", "en") in titles
    names = {str(n) for a in g.objects(DOI, BIOLINK.authors) for n in g.objects(a, RDFS.label)}
    assert {"ZHOU Jiahang", "周嘉航", "CAO Hongcui"} <= names
    grants = {str(n) for f in g.objects(DOI, KG.funding) for n in g.objects(f, KG.grantNumber)}
    assert grants == {"2020YFA0113003", "81971756"}
    keywords = {(str(k), k.language) for k in g.objects(DOI, BIOLINK.keywords)}
    assert ("mesenchymal stem cells", "en") in keywords and ("间充质干细胞", "zh") in keywords


def test_readme_sparql_example(g):
    """The query shown in the README returns the MSC therapy's diseases."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    query = readme.split("```sparql", 1)[1].split("```", 1)[0]
    rows = {str(r[0]) for r in g.query(query)}
    assert {"cirrhosis of liver", "chronic liver failure", "Acute-On-Chronic Liver Failure"} <= rows
