"""The pages rendered in process, over a store holding hostile text: a document title and abstract with
``<script>``, an entity label with markup, offsets that do not fit; and the search index on its own."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from kg.browse.routes import Site
from kg.browse.search import SearchIndex, tokens
from kg.rdf.serve import Request, Service

HOSTILE = """
@prefix biolink: <https://w3id.org/biolink/vocab/> .
@prefix kg: <https://w3id.org/kg/vocab/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://doi.org/10.1/x> a biolink:Article ; dcterms:identifier "doi:10.1/x", "PMID:42" ;
    dcterms:title "<script>alert('title')</script> Aspirin & pain"@en ;
    biolink:summary "Aspirin <b>treats</b> pain. <script>alert('abstract')</script>"@en .
<http://purl.obolibrary.org/obo/CHEBI_15365> a biolink:ChemicalEntity ; rdfs:label "aspirin<img src=x onerror=alert(1)>" ;
    kg:entityType "drug" ; kg:mentionedIn <https://doi.org/10.1/x> .
<http://purl.obolibrary.org/obo/HP_0012531> a biolink:PhenotypicFeature ; rdfs:label "pain" ; rdfs:label "疼痛"@zh ;
    kg:entityType "phenotype" ; kg:mentionedIn <https://doi.org/10.1/x> .
<https://w3id.org/kg/id/assoc/1> a biolink:Association ; biolink:subject <http://purl.obolibrary.org/obo/CHEBI_15365> ;
    biolink:predicate biolink:treats ; biolink:object <http://purl.obolibrary.org/obo/HP_0012531> ;
    biolink:negated false ; kg:hedged false ; biolink:has_evidence <https://w3id.org/kg/id/evidence/1>, <https://w3id.org/kg/id/evidence/2> .
<https://w3id.org/kg/id/evidence/1> a kg:TextEvidence ; kg:document <https://doi.org/10.1/x> ; kg:section "abstract" ;
    kg:lang "en" ; biolink:supporting_text "Aspirin <b>treats</b> pain."@en ; kg:trigger "<b>treats</b>" ;
    kg:sentenceStart 0 ; kg:sentenceEnd 26 ; kg:subjectStart 0 ; kg:subjectEnd 7 ; kg:objectStart 21 ; kg:objectEnd 25 .
<https://w3id.org/kg/id/evidence/2> a kg:TextEvidence ; kg:document <https://doi.org/10.1/x> ; kg:section "abstract" ;
    kg:lang "en" ; biolink:supporting_text "Aspirin treats pain."@en ;
    kg:sentenceStart 0 ; kg:sentenceEnd 20 ; kg:subjectStart 5 ; kg:subjectEnd 900 .
"""


@pytest.fixture(scope="module")
def site():
    store = ox.Store()
    store.load(HOSTILE.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    return Site(Service(store))


def body(resp) -> str:
    return resp.body.decode("utf-8")


def test_document_text_is_escaped(site):
    resp = site.document(Request("GET", "/document/doi:10.1/x", {}))
    page = body(resp)
    assert resp.status == 200
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in page
    assert "&lt;script&gt;alert(&#x27;abstract&#x27;)" in page and "<b>treats</b>" not in page
    assert "<img" not in page and "aspirin&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/42/"' in page
    # the marks still fall on the right characters of the escaped abstract
    assert re.search(r'<mark class="ment"[^>]*><a href="/entity/CHEBI:15365"[^>]*>Aspirin</a></mark> &lt;b&gt;treats', page)


def test_entity_page_escapes_labels_and_evidence_and_ignores_offsets_that_do_not_fit(site):
    page = body(site.entity(Request("GET", "/entity/CHEBI:15365", {})))
    assert "<img" not in page and "<b>treats</b>" not in page and "<script>alert" not in page
    assert '<mark class="trig">&lt;b&gt;treats&lt;/b&gt;</mark>' in page
    ev = page.split('<li class="ev">')[1:]
    assert len(ev) == 2
    marked, plain = sorted(ev, key=lambda e: "&lt;b&gt;" not in e)
    assert '<mark class="subj"' in marked and '<mark class="obj"' in marked
    assert "<mark" not in plain  # its subject's offsets run past the sentence: shown unmarked
    data = re.search(r'id="graph-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in data and "\\u003cimg" in data  # the label inside the graph's JSON cannot close the script


def test_search_escapes_and_json(site):
    page = body(site.search(Request("GET", "/search", {"q": ["<script>x</script>"]})))
    assert "<script>x" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    resp = site.search(Request("GET", "/search", {"q": ["疼"], "format": ["json"]}))
    assert '"curie": "HP:0012531"' in body(resp)


def test_overview_of_a_small_graph(site):
    page = body(site.home(Request("GET", "/", {})))
    assert "<b>2</b> entities" in page and "<b>1</b> claims" in page and "&lt;script&gt;" in page


def test_tokens_split_words_and_chinese_characters():
    assert tokens("Liver-Cirrhosis (DOID:5082)") == ["liver", "cirrhosis", "doid", "5082"]
    assert tokens("间充质干细胞 MSCs") == ["间", "充", "质", "干", "细", "胞", "mscs"]


def test_index_ranks_whole_names_first():
    index = SearchIndex([("a", "liver", "label"), ("b", "liver failure", "label"), ("c", "chronic liver failure", "label"),
                         ("d", "Liver", "exact synonym")],
                        {k: (k, (), False, True, k) for k in "abcd"})
    assert [h.iri for h in index.search("liver")] == ["a", "d", "b", "c"]
    assert [h.iri for h in index.search("failure chronic")] == ["c"]
    assert [h.iri for h in index.search("fail")] == ["b", "c"]
    assert index.search("l") == [] and index.search("   ") == []
