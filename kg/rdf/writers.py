"""Writing RDF files: writers chosen by format name (``WRITERS``) from the output's suffix (``SUFFIXES``),
byte-for-byte reproducible (N-Triples and N-Quads sorted, JSON-LD normalised) and atomic."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import networkx as nx
from rdflib import Dataset, Graph

from kg.curie import Curies
from kg.errors import KgError
from kg.files import write_atomic
from kg.rdf.build import to_dataset, to_graph

log = logging.getLogger(__name__)


def _sorted_lines(data: str) -> str:
    # split at "\n" only: str.splitlines also breaks at U+2028, U+0085 and \x1c-\x1e, which N-Triples
    # writes as they are inside literals
    lines = sorted({ln for ln in data.split("\n") if ln.strip()})
    return "\n".join(lines) + "\n"


def _jsonld(graph: Graph) -> str:
    raw = json.loads(graph.serialize(format="json-ld", auto_compact=True))
    nodes = raw.get("@graph", [raw] if isinstance(raw, dict) else raw)

    def norm(v):
        if isinstance(v, list):
            return sorted((norm(x) for x in v), key=lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False))
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        return v

    if isinstance(raw, dict) and "@graph" in raw:
        raw["@graph"] = sorted((norm(n) for n in nodes), key=lambda n: n.get("@id", ""))
    return json.dumps(raw, sort_keys=True, ensure_ascii=False, indent=1) + "\n"


def write_turtle(g: nx.MultiDiGraph, curies: Curies | None = None) -> str:
    return to_graph(g, curies).serialize(format="turtle")


def write_ntriples(g: nx.MultiDiGraph, curies: Curies | None = None) -> str:
    return _sorted_lines(to_graph(g, curies).serialize(format="nt"))


def write_jsonld(g: nx.MultiDiGraph, curies: Curies | None = None) -> str:
    return _jsonld(to_graph(g, curies))


def write_trig(g: nx.MultiDiGraph, curies: Curies | None = None) -> str:
    return to_dataset(g, curies).serialize(format="trig")


def write_nquads(g: nx.MultiDiGraph, curies: Curies | None = None) -> str:
    return _sorted_lines(to_dataset(g, curies).serialize(format="nquads"))


Writer = Callable[..., str]  # (graph, curies=None) -> text

WRITERS: dict[str, Writer] = {
    "turtle": write_turtle,
    "nt": write_ntriples,
    "json-ld": write_jsonld,
    "trig": write_trig,
    "nquads": write_nquads,
}
SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".trig": "trig", ".nq": "nquads"}


def format_for(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise KgError(f"unknown output format {suffix or '(no suffix)'!r}; use one of {', '.join(sorted(SUFFIXES))}", path)
    return SUFFIXES[suffix]


def write_rdflib(graph: Graph, path: str | Path, fmt: str | None = None) -> str:
    """Serialise an rdflib Graph or Dataset like the writers above (sorted N-Triples/N-Quads, normalised
    JSON-LD), atomically. A Dataset written as a triple format is flattened. Returns the format used."""
    fmt = fmt or format_for(path)
    if isinstance(graph, Dataset) and fmt not in {"trig", "nquads"}:
        flat = Graph()
        for prefix, ns in graph.namespaces():
            flat.bind(prefix, ns, override=True, replace=True)
        for t in graph.triples((None, None, None)) if graph.default_union else graph.quads((None, None, None, None)):
            flat.add(t[:3])
        graph = flat
    if fmt in {"nt", "nquads"}:
        text = _sorted_lines(graph.serialize(format=fmt))
    elif fmt == "json-ld":
        text = _jsonld(graph)
    elif fmt in {"turtle", "trig"}:
        text = graph.serialize(format=fmt)
    else:
        raise KgError(f"unknown output format {fmt!r}; known: {', '.join(sorted(WRITERS))}", path)
    write_atomic(path, text)
    return fmt


def write(g: nx.MultiDiGraph, path: str | Path, fmt: str | None = None, curies: Curies | None = None) -> str:
    """Serialise ``g`` to ``path`` in ``fmt`` (default: from the suffix). Returns the format used."""
    fmt = fmt or format_for(path)
    if fmt not in WRITERS:
        raise KgError(f"unknown output format {fmt!r}; known: {', '.join(sorted(WRITERS))}", path)
    write_atomic(path, WRITERS[fmt](g, curies))
    return fmt
