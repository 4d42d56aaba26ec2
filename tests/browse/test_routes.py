"""The browser's routes over HTTP: kg serve's server process (``python -m kg.browse``) on the seed's merged
graph, every route asked on a loopback port; escaping, bad ids and bad SPARQL; the endpoint beside it."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg.config import Config
from kg.draw.style import Style
from kg.rdf.serve import free_port, start

DOC = "doi:10.16352/j.issn.1001-6325.2023.01.0012"


@pytest.fixture(scope="module")
def server(merged_seed):
    with start(merged_seed[0], port=free_port(), app="kg.browse") as endpoint:
        yield endpoint


def get(server, path: str, headers: dict | None = None) -> tuple[int, str, str, dict]:
    """(status, final URL path, body, headers) of a GET."""
    req = urllib.request.Request(server.url + path, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, urllib.parse.urlsplit(r.url).path, r.read().decode("utf-8"), dict(r.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, path, exc.read().decode("utf-8"), dict(exc.headers)


def test_overview_counts_the_graph(server):
    status, _, page, headers = get(server, "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    # 25 entities: the seed's 24 and "medical treatment" (a head-word therapy, in a negated sentence: no claim)
    assert "<b>25</b> entities" in page and "<b>17</b> claims" in page and "<b>1</b> documents" in page
    assert "biolink:studied_to_treat" in page and "biolink:Disease" in page
    assert f'href="/document/{DOC}"' in page
    assert "default-src 'none'" in headers["Content-Security-Policy"] and headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("query, curie", [("cirrhosis", "MONDO:0005155"), ("肝硬化", "MONDO:0005155"),
                                          ("DOID:5082", "MONDO:0005155"), ("liver cirrhosis", "MONDO:0005155"),
                                          ("MSCs", "CL:0000134"), ("mesenchymal stem cell", "CL:0000134")])
def test_search_finds_labels_synonyms_and_ids_in_both_languages(server, query, curie):
    status, _, body, headers = get(server, "/search?" + urllib.parse.urlencode({"q": query, "format": "json"}))
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    hits = json.loads(body)["hits"]
    assert hits[0]["curie"] == curie, hits[:3]
    assert hits[0]["url"] == f"/entity/{curie}"
    status, _, page, _ = get(server, "/search?" + urllib.parse.urlencode({"q": query}))  # the plain form's page
    assert status == 200 and f'href="/entity/{curie}"' in page


def test_search_for_nothing_and_for_a_document(server):
    _, _, page, _ = get(server, "/search?q=zzzqqq")
    assert "Nothing matches" in page
    _, _, body, _ = get(server, "/search?format=json&q=research+progress")
    assert json.loads(body)["hits"][0]["url"] == f"/document/{DOC}"


def test_entity_page_shows_ids_hierarchy_claims_and_evidence(server):
    status, _, page, _ = get(server, "/entity/MONDO:0005155")
    assert status == 200
    assert "<h1>cirrhosis of liver" in page and "肝硬化" in page and "entity type: disease" in page
    assert 'href="http://purl.obolibrary.org/obo/DOID_5082"' in page  # identifiers link to the ontology page
    assert 'href="http://id.nlm.nih.gov/mesh/D008103"' in page
    parents = page.split("<dt>Parents (is a)</dt>", 1)[1].split("</dd>", 1)[0]  # from the merged ontologies
    assert 'href="/entity/DOID:409"' in parents and "liver disease" in parents
    claims = page.split("<h2>Claims (1)</h2>", 1)[1]
    assert "studied to treat" in claims and "biolink:studied_to_treat" in claims and '<span class="flag hedge">hedged</span>' in claims
    # the evidence sentence, with subject and object marked from the stored offsets, in both languages
    assert re.search(r'<mark class="subj"[^>]*><a href="/entity/MESH:D045164"[^>]*>Mesenchymal stem cells</a></mark>', claims)
    assert re.search(r'<mark class="obj"[^>]*><a href="/entity/MONDO:0005155"[^>]*>liver cirrhosis</a></mark>', claims)
    assert '<mark class="obj"' in claims.split('lang="zh"', 1)[1]
    assert '<mark class="trig">be used clinically for</mark>' in claims and "hedge cue: expected to" in claims
    assert f'href="/document/{DOC}"' in claims and 'href="https://doi.org/10.16352/j.issn.1001-6325.2023.01.0012"' in claims
    assert "abstract" in claims and "English" in claims and "Chinese" in claims


def test_entity_graph_uses_the_draw_styles(server):
    _, _, page, _ = get(server, "/entity/CL:0000134")
    data = json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S).group(1))
    style = Style.from_config(Config.default())
    nodes = {n["id"]: n for n in data["nodes"]}
    msc = nodes["http://purl.obolibrary.org/obo/CL_0000134"]
    assert msc["color"] == style.color("biolink:Cell") and msc["borderWidth"] == 3
    assert nodes["http://purl.obolibrary.org/obo/CL_0000182"]["color"] == style.color("biolink:Cell")
    decreases = [e for e in data["edges"] if e["label"] == "decreases"]
    assert decreases and all(e["arrows"]["to"]["type"] == "bar" for e in decreases)
    colours = {e["color"] for e in decreases}  # mechanisms that decrease, and outcomes (liver injury) lowered
    assert colours == {style.family_named("decreases").color, style.family_named("outcome").color}
    assert any(e["label"] == "develops into" for e in data["edges"])
    assert '<script src="/assets/vis-network.min.js" defer></script>' in page


def test_an_equivalent_id_opens_its_entity_and_a_bad_id_is_404(server):
    status, path, _, _ = get(server, "/entity/DOID:5082")
    assert status == 200 and path == "/entity/MONDO:0005155"
    for bad in ("/entity/MONDO:9999999", "/entity/NOPREFIX:1", "/entity/", "/entity/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                "/document/10.9999/none", "/nothing-here"):
        status, _, page, _ = get(server, bad)
        assert status == 404, bad
        assert "<script>alert" not in page and "<h1>Not found</h1>" in page


@pytest.mark.parametrize("key", [DOC, "10.16352/j.issn.1001-6325.2023.01.0012",
                                 "https://doi.org/10.16352/j.issn.1001-6325.2023.01.0012"])
def test_document_page_by_any_id(server, key):
    status, _, page, _ = get(server, "/document/" + urllib.parse.quote(key, safe=":/"))
    assert status == 200
    assert "<h2>Abstract (English)</h2>" in page and "<h2>Abstract (Chinese)</h2>" in page
    assert "ZHOU Jiahang" in page and "2020YFA0113003" in page
    # the abstracts with the claims' subjects and objects marked and linked
    english = page.split("<h2>Abstract (English)</h2>", 1)[1].split("</section>", 1)[0]
    assert re.search(r'<mark class="ment"[^>]*><a href="/entity/MONDO:0005155"[^>]*>liver cirrhosis</a></mark>', english)
    chinese = page.split("<h2>Abstract (Chinese)</h2>", 1)[1].split("</section>", 1)[0]
    assert re.search(r'<a href="/entity/MONDO:0005155"[^>]*>肝硬化</a>', chinese)
    assert "<h2>Claims read here (17)</h2>" in page and "Entities mentioned" in page


def test_document_page_marks_every_recognised_mention(server, seed_kg):
    """Mentions that take part in no claim are marked too (kg:mentionSpan), each linked to its entity."""
    from kg.rdf.build import Minter

    ad = seed_kg.annotated[0]
    in_claims = {c.subject.curie for c in seed_kg.claims} | {c.object.curie for c in seed_kg.claims}
    lonely = [m for m in ad.mentions if m.section == "abstract" and m.lang == "en" and m.concept is not None
              and m.concept.curie not in in_claims]
    assert lonely  # the seed's abstract names entities no claim joins
    status, _, page, _ = get(server, "/document/" + urllib.parse.quote(DOC, safe=":/"))
    english = page.split("<h2>Abstract (English)</h2>", 1)[1].split("</section>", 1)[0]
    marked = re.findall(r'<mark class="ment"[^>]*><a href="/entity/([^"]+)"[^>]*>([^<]+)</a></mark>', english)
    mint = Minter()
    for m in lonely:
        assert any(text == m.text and mint.iri(curie) == mint.iri(m.concept.curie) for curie, text in marked), m.text
    assert len(marked) >= len({(m.start, m.end) for m in ad.mentions if m.section == "abstract" and m.lang == "en"}) - 3


def test_sparql_page_runs_named_queries_and_reports_bad_sparql(server):
    status, _, page, _ = get(server, "/sparql")
    assert status == 200 and "<textarea" in page and all(f"<b>{n}</b>" for n in ("treats", "evidence", "hedged"))
    status, _, page, _ = get(server, "/sparql?named=treats&disease=DOID:409")
    # cirrhosis of liver (under DOID:409), liver disorder, and through MeSH's tree the liver failures
    assert status == 200 and "Result: 4 rows" in page
    assert "cirrhosis of liver" in page and "liver disorder" in page and 'href="/entity/MONDO:0005155"' in page
    assert "format=csv" in page and "format=json" in page
    status, _, page, _ = get(server, "/sparql?" + urllib.parse.urlencode({"query": "SELEC ?x WHERE"}))
    assert status == 400 and "bad SPARQL" in page and "class=\"error\"" in page


def test_downloads_and_the_endpoint_beside_the_browser(server):
    query = "SELECT ?x WHERE { ?x a <https://w3id.org/biolink/vocab/Disease> } ORDER BY ?x"
    status, _, body, headers = get(server, "/query?" + urllib.parse.urlencode({"query": query, "format": "csv"}))
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["x"] and len(rows) > 8
    status, _, body, _ = get(server, "/query?" + urllib.parse.urlencode({"query": query}),
                             {"Accept": "application/sparql-results+json"})
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == len(rows) - 1
    status, _, body, _ = get(server, "/query?" + urllib.parse.urlencode({"query": "SELECT ?x WHERE { ?x ?y }"}))
    assert status == 400 and "bad SPARQL" in body
    data = urllib.parse.urlencode({"update": "INSERT DATA { <http://e/a> <http://e/p> <http://e/b> }"}).encode()
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(urllib.request.Request(server.url + "/update", data=data), timeout=10)
    assert exc.value.code == 403


def test_assets_are_shipped_and_pages_load_nothing_from_elsewhere(server):
    status, _, js, headers = get(server, "/assets/vis-network.min.js")
    assert status == 200 and "vis-network" in js[:200] and headers["Content-Type"].startswith("text/javascript")
    assert get(server, "/assets/..%2F..%2Fpyproject.toml")[0] == 404
    for path in ("/", "/entity/CL:0000134", f"/document/{DOC}", "/sparql", "/search?q=liver"):
        page = get(server, path)[2]
        for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", page):
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), (path, tag)


def test_requests_for_another_host_name_are_refused(server):
    status, _, body, _ = get(server, "/", {"Host": "attacker.example:7878"})
    assert status == 403 and "127.0.0.1" in body
