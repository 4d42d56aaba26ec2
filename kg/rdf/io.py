"""Reading RDF files: a graph file as one rdflib Graph (``load_graph``) or, for TriG and N-Quads, as a Dataset
that keeps its named graphs (``load_rdf``); formats by suffix (``RDF_FORMATS``)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from kg.errors import KgError, parse_error

RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".trig": "trig",
               ".nq": "nquads", ".rdf": "xml", ".owl": "xml", ".xml": "xml"}
QUAD_FORMATS = {"trig", "nquads"}


def load_graph(path: str | Path) -> Graph:
    """An RDF file as one rdflib Graph (named graphs of TriG/N-Quads are merged)."""
    path = Path(path)
    if not path.is_file():
        raise KgError("no such graph file", path)
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise KgError(f"unknown RDF format {path.suffix!r}; use one of {', '.join(sorted(RDF_FORMATS))}", path)
    try:
        if fmt in QUAD_FORMATS:
            ds = Dataset()
            ds.parse(str(path), format=fmt)
            g = Graph()
            for prefix, ns in ds.namespaces():
                g.bind(prefix, ns, override=True, replace=True)
            for s, p, o, _ in ds.quads((None, None, None, None)):
                g.add((s, p, o))
            return g
        g = Graph()
        g.parse(str(path), format=fmt)
        return g
    except UnicodeDecodeError as exc:
        raise KgError(f"not UTF-8 text ({exc.reason})", path) from None
    except Exception as exc:  # rdflib raises many parser-specific types
        msg, line = parse_error(exc)
        raise KgError(f"cannot parse {fmt}: {msg}", path, line) from None


def load_rdf(path: str | Path) -> Graph | Dataset:
    """A graph file: TriG and N-Quads as a Dataset (named graphs kept, queried as their union), else a Graph."""
    path = Path(path)
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt not in QUAD_FORMATS:
        return load_graph(path)
    if not path.is_file():
        raise KgError("no such graph file", path)
    ds = Dataset(default_union=True)
    try:
        ds.parse(str(path), format=fmt)
    except Exception as exc:  # rdflib raises parser-specific types
        msg, line = parse_error(exc)
        raise KgError(f"cannot parse {fmt}: {msg}", path, line) from None
    return ds
