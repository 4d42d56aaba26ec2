"""N-Triples and N-Quads written directly: every literal and IRI escaped so that rdflib and pyoxigraph read
back the terms rdflib holds; the output of the seed and of every fixture is the rdflib Dataset's."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef

from kg.rdf import to_dataset
from kg.rdf.build import Minter
from kg.rdf.ntriples import Lines, Lit, boolean, decimal3, escape_literal, integer, safe_iri, strip_graph
from kg.rdf.writers import canonical
from tests.conftest import FIXTURES, ROOT, SEED

XSD = "http://www.w3.org/2001/XMLSchema#"
HARD = "".join(chr(i) for i in range(32)) + '\x7f"\\ é 中文 \U0001F600 \u2028 p < 0.05 > "x" {a|b} ^`'
OBJECTS = [Literal(HARD), Literal("tab\there", lang="en"), Literal("二甲双胍", lang="zh"), Literal(True),
           Literal(False), Literal(3), Literal(round(0.30000000000000004, 3), datatype=URIRef(XSD + "decimal")),
           Literal(1.0, datatype=URIRef(XSD + "decimal")), Literal("2023", datatype=URIRef(XSD + "gYear")),
           Literal("2023-01-05", datatype=URIRef(XSD + "date")), URIRef("https://doi.org/10.1/x")]


def _line(o, graph=None) -> str:
    sink = Lines(graph=graph)
    sink.add((URIRef("http://example.org/s"), URIRef("http://example.org/p"), o))
    return sink.lines[0]


@pytest.mark.parametrize("obj", OBJECTS, ids=lambda o: type(o).__name__ + ":" + str(o)[:12])
def test_a_term_reads_back_the_same_in_rdflib_and_pyoxigraph(obj):
    line = _line(obj)
    ds = Dataset()
    ds.parse(data=line, format="nt")
    ((_, _, got),) = list(ds.triples((None, None, None)))
    assert got == obj and type(got) is type(obj)
    (q,) = list(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    if isinstance(obj, Literal):
        assert q.object.value == str(obj)
        assert (q.object.language or None) == obj.language
    else:
        assert q.object.value == str(obj)
    # canonical N-Triples: what pyoxigraph writes for the same triple
    assert ox.serialize([q.triple], format=ox.RdfFormat.N_TRIPLES).decode("utf-8") == line


def test_light_literals_are_the_rdflib_literals_of_the_same_values():
    """The generators' ``Lit`` terms are the literals rdflib made from the Python values before."""
    for v in (0, 1, 17, 12345):
        assert integer(v).rdflib() == Literal(v)
    for b in (True, False, 0, 1, None):
        assert boolean(b).rdflib() == Literal(bool(b))
    for x in (0.0, 0.1, 0.855, 0.30000000000000004, 1.0, 0.99951, 1e-5, 0.0005, 1, 0.6754):
        assert decimal3(x).rdflib() == Literal(round(float(x), 3), datatype=URIRef(XSD + "decimal"))
    assert Lit("x", "zh").rdflib() == Literal("x", lang="zh") and Lit("x").rdflib() == Literal("x")
    for lit in (integer(42), boolean(True), decimal3(0.855), Lit(HARD), Lit("间充质", "zh")):
        line = _line(lit)
        assert line == _line(lit.rdflib())
        (q,) = list(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
        assert ox.serialize([q.triple], format=ox.RdfFormat.N_TRIPLES).decode("utf-8") == line


def test_escapes_are_canonical():
    assert escape_literal('a"b\\c\nd\re\tf\b\f') == 'a\\"b\\\\c\\nd\\re\\tf\\b\\f'
    assert escape_literal("\x00\x1f\x7f") == "\\u0000\\u001F\\u007F"
    assert escape_literal("lone \ud800 surrogate") == "lone \ufffd surrogate"
    assert escape_literal("plain text") == "plain text"


def test_iris_no_iri_may_hold_are_percent_encoded():
    doi = "https://doi.org/10.1002/(SICI)1097-4636(199706)35:4<513::AID-JBM11>3.0.CO;2-K"
    assert safe_iri(doi) == "https://doi.org/10.1002/(SICI)1097-4636(199706)35:4%3C513::AID-JBM11%3E3.0.CO;2-K"
    assert safe_iri("https://x.org/a b{c}|d^e`f\\g[h]") == "https://x.org/a%20b%7Bc%7D%7Cd%5Ee%60f%5Cg%5Bh%5D"
    assert safe_iri("https://x.org/100%25-and-5%") == "https://x.org/100%25-and-5%25"
    assert safe_iri("https://x.org/中文") == "https://x.org/中文"
    assert Minter().iri("doi:10.1/a<b>") == URIRef("https://doi.org/10.1/a%3Cb%3E")
    line = _line(Minter().iri("doi:10.1/a b<c>"))
    assert len(list(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))) == 1


def test_a_quad_line_loses_its_graph():
    quad = _line(Literal("p < 0.05 <http://x>"), graph=URIRef("https://doi.org/10.1/g"))
    assert quad.endswith(" <https://doi.org/10.1/g> .\n")
    assert strip_graph(quad) == _line(Literal("p < 0.05 <http://x>"))


FIXTURE_INPUTS = {
    "seed": ([SEED], ()),
    "abstract.txt": ([FIXTURES / "abstract.txt"], ()),
    "abstracts.jsonl": ([FIXTURES / "abstracts.jsonl"], ()),
    "journal_page.txt": ([FIXTURES / "journal_page.txt"], ()),
    "pubtator.txt": ([FIXTURES / "pubtator.txt"], ()),
    "examples/paper.txt": ([ROOT / "examples" / "paper.txt"], (ROOT / "examples" / "liver.obo",)),
    "examples/abstracts.pubtator": ([ROOT / "examples" / "abstracts.pubtator"], ()),
}


@pytest.fixture(scope="module")
def graphs(pipeline):
    from kg.pipeline import Pipeline

    out = {}
    for name, (sources, ontologies) in FIXTURE_INPUTS.items():
        p = Pipeline(ontologies) if ontologies else pipeline
        out[name] = p.build(sources).graph
    return out


def _rdflib_quads(ds: Dataset) -> set:
    return {(s, p, o, None if str(g) == "urn:x-rdflib:default" else g) for s, p, o, g in ds.quads((None, None, None, None))}


@pytest.mark.parametrize("name", sorted(FIXTURE_INPUTS))
def test_the_direct_n_quads_are_the_rdflib_datasets_in_rdflib_and_pyoxigraph(graphs, name):
    """The writer's N-Quads, read by rdflib and by pyoxigraph, hold exactly the quads of the rdflib Dataset the
    same graph builds (``to_dataset``, the mapping rdflib serialised before)."""
    g = graphs[name]
    default, named = canonical(g)
    text = "".join(default) + "".join(named)
    reference = to_dataset(g)
    got = Dataset()
    got.parse(data=text, format="nquads")
    want = _rdflib_quads(reference)
    assert _rdflib_quads(got) == want and len(want) > 30
    ours = set(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    theirs = set(ox.parse(io.BytesIO(reference.serialize(format="nquads", encoding="utf-8")), format=ox.RdfFormat.N_QUADS))
    assert ours == theirs
    lines = text.splitlines()
    assert len(lines) == len(set(lines))  # each quad once
