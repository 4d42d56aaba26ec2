"""Stage 5a: assembling claims into a graph (one edge per claim key, evidence merged, order independent)."""

from __future__ import annotations

from rdflib.compare import isomorphic

from kg.graph import assemble
from kg.rdf import to_graph

PARSE = {"turtle": "turtle", "nt": "nt", "json-ld": "json-ld", "trig": "trig", "nquads": "nquads"}


def test_assemble_is_order_independent(seed_kg):
    a = assemble(seed_kg.claims, seed_kg.documents, seed_kg.annotated)
    b = assemble(list(reversed(seed_kg.claims)), seed_kg.documents, seed_kg.annotated)
    assert isomorphic(to_graph(a), to_graph(b))
