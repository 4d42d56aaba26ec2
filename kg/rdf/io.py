"""Reading RDF files: a graph file as one rdflib Graph (``load_graph``) or, for TriG and N-Quads, as a Dataset
that keeps its named graphs (``load_rdf``); formats by suffix (``RDF_FORMATS``)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from kg.errors import KgError, parse_error
from kg.xmlsafe import safe_xml

RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".trig": "trig",
               ".nq": "nquads", ".rdf": "xml", ".owl": "xml", ".xml": "xml"}
QUAD_FORMATS = {"trig", "nquads"}


def rdf_format(path: Path) -> str:
    """The rdflib format name of a graph file, from its suffix; a missing file or a folder is an error."""
    if path.is_dir():
        raise KgError("is a folder, not a graph file (an Oxigraph store is queried with kg query STORE)", path)
    if not path.is_file():
        raise KgError("no such graph file", path)
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise KgError(f"unknown RDF format {path.suffix!r}; use one of {', '.join(sorted(RDF_FORMATS))}", path)
    return fmt


def parse_into(target: Graph, path: Path, fmt: str) -> None:
    """Parse a file into an rdflib Graph or Dataset; RDF/XML through ``kg.xmlsafe`` (no entity bombs)."""
    data = safe_xml(path) if fmt == "xml" else None
    if data is None:
        target.parse(str(path), format=fmt)
    else:
        target.parse(data=data, format=fmt, publicID=path.resolve().as_uri())


def load_graph(path: str | Path) -> Graph:
    """An RDF file as one rdflib Graph (named graphs of TriG/N-Quads are merged)."""
    path = Path(path)
    fmt = rdf_format(path)
    try:
        if fmt in QUAD_FORMATS:
            ds = Dataset()
            parse_into(ds, path, fmt)
            g = Graph()
            for prefix, ns in ds.namespaces():
                g.bind(prefix, ns, override=True, replace=True)
            for s, p, o, _ in ds.quads((None, None, None, None)):
                g.add((s, p, o))
            return g
        g = Graph()
        parse_into(g, path, fmt)
        return g
    except KgError:
        raise
    except UnicodeDecodeError as exc:
        raise KgError(f"not UTF-8 text ({exc.reason})", path) from None
    except Exception as exc:  # rdflib raises many parser-specific types
        msg, line = parse_error(exc)
        raise KgError(f"cannot parse {fmt}: {msg}", path, line) from None


def load_rdf(path: str | Path) -> Graph | Dataset:
    """A graph file: TriG and N-Quads as a Dataset (named graphs kept, queried as their union), else a Graph."""
    path = Path(path)
    fmt = rdf_format(path)
    if fmt not in QUAD_FORMATS:
        return load_graph(path)
    ds = Dataset(default_union=True)
    try:
        ds.parse(str(path), format=fmt)
    except Exception as exc:  # rdflib raises parser-specific types
        msg, line = parse_error(exc)
        raise KgError(f"cannot parse {fmt}: {msg}", path, line) from None
    return ds
