"""kg.draw and `kg draw`: the view rebuilt from RDF, focus and hierarchy, figures and the offline page."""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SKOS

from kg import draw
from kg.cli import main
from kg.config import Config
from kg.errors import KgError
from kg.model import Document, Section
from kg.rdf import iri
from kg.rdf.vocab import BIOLINK

pytest.importorskip("matplotlib")
pytest.importorskip("pyvis")
from PIL import Image  # noqa: E402  (a matplotlib dependency)

THERAPY, MSC = "MESH:D045164", "CL:0000134"
CIRRHOSIS, ACLF, LIVER_DISORDER = "MONDO:0005155", "MESH:D065290", "MONDO:0005154"


@pytest.fixture(scope="module")
def seed_view(seed_rdf):
    return draw.view_from_rdf(seed_rdf)


def _claims(view):
    return [(u, d["predicate"], v, d["direction"], d["hedged"], d["negated"], d["family"])
            for u, v, d in view.edges(data=True) if d["sentences"]]


def test_view_has_every_claim_of_the_seed_with_its_family(seed_view):
    claims = _claims(seed_view)
    assert len(claims) == 17
    families = Counter(c[-1] for c in claims)
    assert families == {"treats": 5, "decreases": 4, "capability": 4, "outcome": 2, "increases": 1, "differentiation": 1}
    treated = {v: hedged for u, p, v, _, hedged, _, fam in claims if fam == "treats"}
    assert all(u == THERAPY for u, *_ , fam in claims if fam == "treats")
    assert treated[CIRRHOSIS] and treated[ACLF] and not treated[LIVER_DISORDER]
    outcomes = {(v, d) for u, p, v, d, *_, fam in claims if fam == "outcome"}
    assert outcomes == {("MESH:D015996", "increased"), ("kgid:injury_of_UBERON_0002107", "decreased")}
    assert not any(c[5] for c in claims)
    # the therapy is linked to the cells it is made of, so the mechanisms hang together with the diseases
    assert seed_view.has_edge(THERAPY, MSC, "kg:therapeuticAgent")
    assert seed_view.nodes[CIRRHOSIS]["category"] == "biolink:Disease"
    assert seed_view.nodes[THERAPY]["category"] == "biolink:Treatment"
    assert seed_view.nodes[MSC]["label"] == "mesenchymal stem cell"
    assert "DOID:5082" in seed_view.nodes[CIRRHOSIS]["aliases"]
    # the outcome edges keep the mechanisms named as leading to them
    survival = next(d for u, v, d in seed_view.edges(data=True) if v == "MESH:D015996")
    assert "Fibrosis" in survival["mediators"] and survival["sentences"]


def test_focus_by_equivalent_id_and_depth(seed_view):
    one = draw.neighbourhood(seed_view, ["DOID:5082"], depth=1)
    assert set(one.nodes) == {CIRRHOSIS, THERAPY} and one.graph["focus"] == (CIRRHOSIS,)
    two = draw.neighbourhood(seed_view, ["http://purl.obolibrary.org/obo/DOID_5082"], depth=2)
    assert MSC in two and ACLF in two and "GO:0006954" not in two
    assert len(draw.neighbourhood(seed_view, [CIRRHOSIS], depth=0)) == 1
    with pytest.raises(KgError, match="not a node"):
        draw.neighbourhood(seed_view, ["MONDO:0000000"])
    with pytest.raises(KgError, match="depth"):
        draw.neighbourhood(seed_view, [CIRRHOSIS], depth=-1)


def _hierarchy_graph(seed_rdf) -> Graph:
    """The seed's graph plus a small is-a hierarchy through DOID equivalents, as a merge would add it."""
    g = Graph()
    for t in seed_rdf:
        g.add(t)
    for child, parent, label in (("DOID:5082", "DOID:409", "liver disease"), ("DOID:409", "DOID:9999001", "organ disease"),
                                 ("DOID:9999001", "DOID:4", "disease"), ("DOID:4", "DOID:9999002", None)):
        g.add((iri(child), RDFS.subClassOf, iri(parent)))
        if label:
            g.add((iri(parent), RDFS.label, Literal(label)))
            g.add((iri(parent), RDF.type, BIOLINK.Disease))
    # a cross-reference chain that would join two DOID classes must not merge them
    g.add((iri("DOID:9999001"), SKOS.exactMatch, iri("MESH:D999999")))
    g.add((iri("DOID:4"), SKOS.exactMatch, iri("MESH:D999999")))
    return g


def test_hierarchy_is_walked_through_equivalents(seed_rdf):
    view = draw.view_from_rdf(_hierarchy_graph(seed_rdf))
    isa = {(u, v) for u, v, d in view.edges(data=True) if d["family"] == "is_a"}
    # DOID:409 is the graph's own liver disorder node (MONDO:0005154 = DOID:409): the hierarchy joins it there
    assert (CIRRHOSIS, LIVER_DISORDER) in isa
    assert (LIVER_DISORDER, "DOID:9999001") in isa and ("DOID:9999001", "DOID:4") in isa
    assert "DOID:9999002" not in view  # an unnamed class is not drawn
    up = draw.ancestors(view, [CIRRHOSIS, ACLF], claims={"treats"})
    assert {CIRRHOSIS, LIVER_DISORDER, "DOID:9999001", "DOID:4", ACLF, THERAPY} == set(up.nodes)
    assert not any(d["family"] == "is_a" for u, v, d in up.edges(data=True) if u == ACLF)
    pos = draw.layout(up, "hierarchy")
    assert pos["DOID:4"][1] > pos["DOID:9999001"][1] > pos[LIVER_DISORDER][1] > pos[CIRRHOSIS][1] > pos[THERAPY][1]
    assert draw.view_from_rdf(_hierarchy_graph(seed_rdf), hierarchy=False).number_of_edges() < view.number_of_edges()


def _png_stats(data: bytes):
    img = Image.open(io.BytesIO(data)).convert("RGB")
    w, h = img.size
    small = img.resize((w // 2, h // 2), Image.NEAREST)
    pixels = list(small.getdata())
    non_white = sum(1 for p in pixels if sum(p) < 720) / len(pixels)
    return img.size, non_white, set(pixels)


def _hex(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def test_png_is_a_real_picture_in_the_category_colours_and_reproducible(seed_view, tmp_path):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    draw.write(seed_view, a)
    draw.write(seed_view, b)
    data = a.read_bytes()
    assert data == b.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 30_000
    (w, h), non_white, colours = _png_stats(data)
    assert w >= 800 and h >= 500
    assert 0.02 < non_white < 0.6  # drawn on, not blank, not a solid block
    style = draw.Style.from_config(Config.default())
    for cat in ("biolink:Treatment", "biolink:Cell", "biolink:Disease", "biolink:BiologicalProcess"):
        assert _hex(style.color(cat)) in colours, cat


def test_svg_keeps_labels_as_text_and_is_reproducible(seed_view, tmp_path):
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    draw.write(seed_view, a)
    draw.write(seed_view, b)
    text = a.read_text(encoding="utf-8")
    assert text == b.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    for label in ("cirrhosis of liver", "Acute-On-Chronic", "mechanism: decreases", "dashed: hedged claim"):
        assert label in text


def test_html_embeds_its_javascript_and_every_node(seed_view, tmp_path):
    out = tmp_path / "g.html"
    draw.write(seed_view, out)
    page = out.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", page)  # nothing fetched from a CDN
    assert "vis.Network" in page and len(page) > 300_000  # vis-network is inline
    nodes = json_array(page, "nodes")
    assert {n["id"] for n in nodes} == set(seed_view.nodes)
    edges = json_array(page, "edges")
    assert len(edges) == seed_view.number_of_edges()
    hedged = [e for e in edges if e["from"] == THERAPY and e["to"] == CIRRHOSIS]
    assert hedged and hedged[0]["dashes"] is True and "expected to be used" in " ".join(hedged[0]["title"].split())
    assert draw.html(seed_view) == page


def json_array(page: str, name: str) -> list:
    import json

    m = re.search(rf"{name} = new vis\.DataSet\((\[.*?\])\);", page, re.S)
    assert m, f"no {name} DataSet in the page"
    return json.loads(m.group(1))


def test_negated_and_hedged_claims_are_drawn_apart(pipeline, tmp_path):
    text = ("Mesenchymal stem cells did not reduce inflammation in this trial. "
            "Mesenchymal stem cells may reduce liver fibrosis. Mesenchymal stem cells differentiate into hepatocytes.")
    kg = pipeline.run([Document(id="kgdoc:neg", source="test", sections=(Section("abstract", text),))])
    view = draw.view_from_rdf(kg.rdf())
    flags = {(v, d["negated"], d["hedged"]) for u, v, d in view.edges(data=True) if d["sentences"]}
    assert ("GO:0006954", True, False) in flags and ("CL:0000182", False, False) in flags
    assert any(hedged and not negated for _, negated, hedged in flags)
    svg = tmp_path / "neg.svg"
    draw.write(view, svg)
    body = svg.read_text(encoding="utf-8")
    assert "negated claim" in body and "hedged claim" in body and "✗" in body
    page = draw.html(view)
    assert any(e["label"].startswith("not ") for e in json_array(page, "edges"))


def run(capsys, *args):
    code = main(list(map(str, args)))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("suffix", [".png", ".svg", ".html"])
def test_cli_draw(capsys, seed_ttl, tmp_path, suffix):
    out = tmp_path / f"fig{suffix}"
    code, _, err = run(capsys, "draw", seed_ttl, "-o", out, "--focus", "DOID:5082", "--depth", "2")
    assert code == 0 and out.stat().st_size > 5_000
    assert err.strip() == f"kg: drew 7 nodes, 6 edges -> {out}"
    code, _, err = run(capsys, "draw", seed_ttl, "-o", out, "-q")
    assert code == 0 and err == ""


@pytest.mark.parametrize("make, expected", [
    (lambda d, g: ["draw", g, "-o", d / "fig.pdf"], "unknown figure format '.pdf'"),
    (lambda d, g: ["draw", g, "-o", d / "fig.png", "--focus", "MONDO:0000000"], "MONDO:0000000 is not a node"),
    (lambda d, g: ["draw", g, "-o", d / "fig.png", "--focus", "MESH:D058625"], "is in no claim"),
    (lambda d, g: ["draw", g, "-o", d / "fig.png", "--focus", CIRRHOSIS, "--depth", "-2"], "depth must be 0 or more"),
    (lambda d, g: ["draw", d / "none.ttl", "-o", d / "fig.png"], "none.ttl: no such graph file"),
    (lambda d, g: ["draw", g, "-o", d / "no" / "fig.png"], "output folder does not exist"),
])
def test_cli_draw_errors_are_one_line_and_write_nothing(capsys, seed_ttl, tmp_path, make, expected):
    code, _, err = run(capsys, *make(tmp_path, seed_ttl))
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 1 and lines[0].startswith("kg: error: ") and expected in lines[0]
    assert not list(tmp_path.glob("fig*")) and not list(tmp_path.glob(".fig*"))
