"""Article metadata in the graph: the PMID IRI with its DOI and PMCID as equivalents, MeSH headings (major
topics marked), publication types, journal, dates, authors' ORCID iDs, prior-knowledge evidence, deleted
citations and their removal from a store."""

from __future__ import annotations

import pytest
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from kg.rdf import to_dataset, to_graph
from tests.conftest import FIXTURES

F = FIXTURES / "formats"
BL = Namespace("https://w3id.org/biolink/vocab/")
KG = Namespace("https://w3id.org/kg/vocab/")
MESH = Namespace("http://id.nlm.nih.gov/mesh/")
PUBMED = Namespace("http://www.ncbi.nlm.nih.gov/pubmed/")


@pytest.fixture(scope="module")
def trial_kg(pipeline):
    return pipeline.build([F / "pubmed_trial_review.xml"])


@pytest.fixture(scope="module")
def trial_rdf(trial_kg):
    return to_graph(trial_kg.graph)


def test_the_article_is_its_pmid_iri_with_doi_and_pmcid_as_equivalents(trial_rdf):
    a = PUBMED["90000101"]
    assert (a, RDF.type, BL.Article) in trial_rdf
    assert set(trial_rdf.objects(a, SKOS.exactMatch)) == {URIRef("https://doi.org/10.5555/exjdr.2024.0101"),
                                                         URIRef("http://www.ncbi.nlm.nih.gov/pmc/PMC9000101")}
    assert {str(x) for x in trial_rdf.objects(a, DCTERMS.identifier)} == {
        "PMID:90000101", "doi:10.5555/exjdr.2024.0101", "PMCID:PMC9000101"}


def test_mesh_headings_publication_types_and_chemicals(trial_rdf):
    a = PUBMED["90000101"]
    assert set(trial_rdf.objects(a, BL.mesh_terms)) == {MESH.D000328, MESH.D003924, MESH.D008687}
    assert set(trial_rdf.objects(a, KG.majorTopic)) == {MESH.D008687, MESH.D003924Q000188}  # a major qualifier: the pair
    assert set(trial_rdf.objects(a, KG.meshQualified)) == {MESH.D003924Q000188}
    assert (MESH.D003924, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Diabetes Mellitus, Type 2")) in trial_rdf
    assert set(trial_rdf.objects(a, BL.publication_type)) == {Literal("Journal Article"), Literal("Randomized Controlled Trial")}
    assert MESH.D016449 in set(trial_rdf.objects(a, KG.publicationTypeId))
    assert set(trial_rdf.objects(a, KG.chemical)) == {MESH.D007004, MESH.D008687}
    assert (a, DCTERMS.language, Literal("eng")) in trial_rdf


def test_journal_dates_authors_and_grants(trial_rdf):
    a = PUBMED["90000101"]
    assert (a, BL.iso_abbreviation, Literal("Ex J Diabetes Res")) in trial_rdf
    (journal,) = trial_rdf.objects(a, BL.published_in)
    assert set(trial_rdf.objects(journal, KG.issn)) == {Literal("1234-5678")}
    assert (a, KG.datePublished, Literal("2024-03", datatype=XSD.gYearMonth)) in trial_rdf
    assert (a, KG.dateOnline, Literal("2024-01-15", datatype=XSD.date)) in trial_rdf
    assert (a, KG.dateCompleted, Literal("2024-03-02", datatype=XSD.date)) in trial_rdf
    orcids = {o for author in trial_rdf.objects(a, BL.authors) for o in trial_rdf.objects(author, BL.xref)}
    assert orcids == {URIRef("https://orcid.org/0000-0002-1825-0097")}
    grants = list(trial_rdf.objects(a, KG.funding))
    assert len(grants) == 1 and set(trial_rdf.objects(grants[0], KG.grantNumber)) == {Literal("R01 DK000001"), Literal("R01 DK000002")}
    summary = str(next(trial_rdf.objects(a, BL.summary)))
    assert summary.startswith("BACKGROUND: Metformin is the first-line treatment") and "CONCLUSIONS: Metformin treats" in summary


def test_prior_knowledge_on_evidence_and_associations(trial_rdf):
    prior = {str(next(trial_rdf.objects(e, KG.section))) for e in trial_rdf.subjects(KG.priorKnowledge, Literal(True))
             if (e, RDF.type, KG.TextEvidence) in trial_rdf}
    assert "abstract:BACKGROUND" in prior and "abstract:RESULTS" not in prior
    review_assocs = {s for s in trial_rdf.subjects(KG.priorKnowledge, Literal(True)) if (s, RDF.type, BL.Association) in trial_rdf}
    assert review_assocs  # the review's claims: all their evidence is prior knowledge
    for assoc in review_assocs:
        assert PUBMED["90000101"] not in set(trial_rdf.objects(assoc, BL.publications)) or \
            all((e, KG.priorKnowledge, Literal(True)) in trial_rdf for e in trial_rdf.objects(assoc, BL.has_evidence))


def test_deleted_citations_are_marked_in_their_own_graph(trial_kg):
    ds = to_dataset(trial_kg.graph)
    g = ds.graph(PUBMED["90000104"])
    assert set(g.triples((None, None, None))) == {
        (PUBMED["90000104"], DCTERMS.identifier, Literal("PMID:90000104")),
        (PUBMED["90000104"], KG.deleted, Literal(True)),
    }
    assert trial_kg.graph.graph["deleted"] == 2 and len(trial_kg.documents) == 3


def test_graph_validates_and_a_store_drops_deleted_documents(trial_kg, pipeline, tmp_path):
    import re

    from kg.rdf import load_graph
    from kg.rdf.store import load_store, open_backend
    from kg.rdf.validate import shape_files, validate

    trial_kg.write(tmp_path / "trial.ttl")
    report = validate(load_graph(tmp_path / "trial.ttl"), shape_files())
    assert report.conforms, report.text()
    text = (F / "pubmed_trial_review.xml").read_text(encoding="utf-8")
    base = tmp_path / "base.xml"
    base.write_text(re.sub(r"<DeleteCitation>.*?</DeleteCitation>", "", text, flags=re.S), encoding="utf-8")
    update = tmp_path / "update.xml"
    update.write_text('<?xml version="1.0"?>\n<PubmedArticleSet><DeleteCitation><PMID Version="1">90000102</PMID>'
                      "</DeleteCitation></PubmedArticleSet>\n", encoding="utf-8")
    pipeline.build([base]).write(tmp_path / "base.nq")
    pipeline.build([update]).write(tmp_path / "update.nq")
    store = tmp_path / "kg.store"
    load_store([tmp_path / "base.nq"], store)
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://www.ncbi.nlm.nih.gov/pubmed/90000102> { ?s ?p ?o } }"
    assert int(next(iter(open_backend(store).query(count)))[0]) > 5
    report = load_store([tmp_path / "update.nq"], store)
    assert report.deleted == 1
    assert int(next(iter(open_backend(store).query(count)))[0]) == 0
    kept = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://www.ncbi.nlm.nih.gov/pubmed/90000101> { ?s ?p ?o } }"
    assert int(next(iter(open_backend(store).query(kept)))[0]) > 5
