"""Writing RDF files: writers chosen by format name (``WRITERS``) from the output's suffix (``SUFFIXES``),
byte-for-byte reproducible and atomic.

Every writer starts from canonical N-Quads (``kg.rdf.build``: the default graph's lines, then each
document's named graph), written directly, without rdflib: ``.nq`` is that text; ``.nt`` is its
triples, sorted, each once (sorted on disk when they do not fit in memory); Turtle, TriG and JSON-LD
are those lines re-serialised by pyoxigraph (``.ttl`` and ``.jsonld`` from the N-Triples, ``.trig``
from the N-Quads), with the project's prefixes.
"""

from __future__ import annotations

import itertools
import json
import logging
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import networkx as nx
from rdflib import Dataset, Graph
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from kg.curie import Curies
from kg.curie import default as default_curies
from kg.errors import KgError
from kg.files import atomic_output, sorted_unique, write_atomic
from kg.rdf.build import Minter, default_lines, document_blocks
from kg.rdf.ntriples import triples_of

log = logging.getLogger(__name__)

SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".trig": "trig", ".nq": "nquads"}
FORMATS = ("turtle", "nt", "json-ld", "trig", "nquads")
BUFFER = 1 << 20


def format_for(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise KgError(f"unknown output format {suffix or '(no suffix)'!r}; use one of {', '.join(sorted(SUFFIXES))}", path)
    return SUFFIXES[suffix]


def prefixes(curies: Curies | None = None) -> dict[str, str]:
    """The prefixes Turtle, TriG and JSON-LD output is written with: the project's (``kgdoc`` left out:
    documents keep their full IRIs), rdf, rdfs, xsd, owl, skos and dcterms."""
    out = {p: ns for p, ns in sorted((curies or default_curies()).prefix_map().items()) if p != "kgdoc"}
    out.update({"rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "owl": str(OWL), "skos": str(SKOS),
                "dcterms": str(DCTERMS)})
    return dict(sorted(out.items()))


# ---------------------------------------------------------------- from canonical lines


def _write_lines(out: BinaryIO, lines: Iterable[str]) -> None:
    buf: list[str] = []
    size = 0
    for line in lines:
        buf.append(line)
        size += len(line)
        if size >= BUFFER:
            out.write("".join(buf).encode("utf-8"))
            buf, size = [], 0
    if buf:
        out.write("".join(buf).encode("utf-8"))


def _file_lines(paths: Sequence[Path]) -> Iterator[str]:
    for p in paths:
        with open(p, encoding="utf-8", newline="") as fh:
            yield from fh


def convert(default: Iterable[str], named: Iterable[str], fmt: str, out: BinaryIO, curies: Curies | None = None,
            tmp_dir: str | Path | None = None, named_files: Sequence[Path] = ()) -> None:
    """Write canonical lines (``default``: the default graph's N-Triples lines; ``named``: the named
    graphs' N-Quads lines, then those of ``named_files``) to ``out`` in ``fmt``. ``tmp_dir`` holds sorted
    runs and intermediate files (default: the system's temporary folder)."""
    if fmt not in FORMATS:
        raise KgError(f"unknown output format {fmt!r}; known: {', '.join(FORMATS)}")
    if fmt == "nquads":
        _write_lines(out, itertools.chain(default, named))
        for p in named_files:  # already canonical lines: copied as bytes
            with open(p, "rb") as fh:
                shutil.copyfileobj(fh, out, BUFFER)
        return
    named = itertools.chain(named, _file_lines(named_files))
    import pyoxigraph as ox

    with tempfile.TemporaryDirectory(dir=tmp_dir, prefix="kg-write-") as tmp:
        if fmt == "trig":
            middle, source = Path(tmp) / "all.nq", ox.RdfFormat.N_QUADS
            lines = itertools.chain(default, named)
        else:
            lines = sorted_unique(itertools.chain(default, triples_of(named)), Path(tmp))
            if fmt == "nt":
                _write_lines(out, lines)
                return
            middle, source = Path(tmp) / "all.nt", ox.RdfFormat.N_TRIPLES
        with open(middle, "wb") as fh:
            _write_lines(fh, lines)
        target = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "json-ld": ox.RdfFormat.JSON_LD}[fmt]
        with open(middle, "rb") as fh:
            ox.serialize(ox.parse(fh, format=source), out, target,
                         prefixes=prefixes(curies) if fmt != "json-ld" else None)
        if fmt == "json-ld":
            out.write(b"\n")


def write_lines(default: Iterable[str], named: Iterable[str], path: str | Path, fmt: str | None = None,
                curies: Curies | None = None, tmp_dir: str | Path | None = None, named_files: Sequence[Path] = (),
                group: bool = True) -> str:
    """Write canonical lines (``convert``) to ``path`` (format from the suffix unless ``fmt``), atomically
    (``group``: with the other outputs of the command, ``kg.files.output_group``). Returns the format used."""
    fmt = fmt or format_for(path)
    if fmt not in FORMATS:
        raise KgError(f"unknown output format {fmt!r}; known: {', '.join(FORMATS)}", path)
    with atomic_output(path, group=group) as out:
        convert(default, named, fmt, out, curies, tmp_dir, named_files)
    return fmt


def canonical(g: nx.MultiDiGraph, curies: Curies | None = None) -> tuple[Iterable[str], Iterable[str]]:
    """A graph's canonical lines: (default graph, named graphs)."""
    mint = Minter(curies)
    named = (line for _, block in document_blocks(g, mint) for line in block)
    return default_lines(g, mint), named


def write(g: nx.MultiDiGraph, path: str | Path, fmt: str | None = None, curies: Curies | None = None) -> str:
    """Serialise ``g`` to ``path`` in ``fmt`` (default: from the suffix). Returns the format used."""
    fmt = fmt or format_for(path)
    if fmt not in FORMATS:
        raise KgError(f"unknown output format {fmt!r}; known: {', '.join(FORMATS)}", path)
    default, named = canonical(g, curies)
    return write_lines(default, named, path, fmt, curies)


def _writer(fmt: str) -> Callable[..., str]:
    def text(g: nx.MultiDiGraph, curies: Curies | None = None) -> str:
        import io

        buf = io.BytesIO()
        default, named = canonical(g, curies)
        convert(default, named, fmt, buf, curies)
        return buf.getvalue().decode("utf-8")

    text.__doc__ = f"The graph as {fmt} text."
    return text


Writer = Callable[..., str]  # (graph, curies=None) -> text

WRITERS: dict[str, Writer] = {fmt: _writer(fmt) for fmt in FORMATS}


# ---------------------------------------------------------------- rdflib graphs (merge, validation)


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


def write_rdflib(graph: Graph, path: str | Path, fmt: str | None = None) -> str:
    """Serialise an rdflib Graph or Dataset (sorted N-Triples/N-Quads, normalised JSON-LD), atomically. A
    Dataset written as a triple format is flattened. Returns the format used."""
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
        raise KgError(f"unknown output format {fmt!r}; known: {', '.join(FORMATS)}", path)
    write_atomic(path, text)
    return fmt
