"""Graph backends behind one query interface, and the on-disk Oxigraph store.

``open_backend`` gives a graph file in rdflib's memory store, the same file in an in-memory Oxigraph store,
or an Oxigraph store folder (written by ``load_store``). Every backend answers ``query`` with an rdflib
``Result``, so ``kg.rdf.query.format_result`` prints the same table, CSV or SPARQL results JSON whichever
engine ran the query. Named graphs (TriG, N-Quads) are queried as their union, like ``kg.rdf.io.load_graph``.

An Oxigraph store is a RocksDB folder with one writer at a time: ``load_store`` takes the write lock (a
store another process writes to is a clear error, not a wait), builds a new store in a temporary folder
moved into place, and adds to an existing one in a single transaction, so a bad input leaves it unchanged.
"""

from __future__ import annotations

import io
import itertools
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.query import Result

from kg.curie import Curies
from kg.curie import default as default_curies
from kg.errors import KgError
from kg.rdf.io import RDF_FORMATS, load_rdf
from kg.rdf.query import run_query
from kg.rdf.sparql import check_query
from kg.xmlsafe import safe_xml

log = logging.getLogger(__name__)

ENGINES = ("rdflib", "oxigraph")


def _ox():
    import pyoxigraph  # imported here: only store and Oxigraph queries need it

    return pyoxigraph


def rdf_format(path: str | Path):
    """The pyoxigraph ``RdfFormat`` of a file, from its suffix (the suffixes ``kg.rdf.io.load_graph`` reads)."""
    ox = _ox()
    name = RDF_FORMATS.get(Path(path).suffix.lower())
    formats = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
               "trig": ox.RdfFormat.TRIG, "json-ld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}
    if name not in formats:
        raise KgError(f"unknown RDF format {Path(path).suffix or '(no suffix)'!r}; use one of "
                      f"{', '.join(sorted(RDF_FORMATS))}", path)
    return formats[name]


def namespaces(curies: Curies | None = None) -> Graph:
    """An empty graph with the project's prefixes bound: compacts IRIs in table output."""
    from rdflib.namespace import DCTERMS, OWL, SKOS

    g = Graph()
    for prefix, ns in sorted((curies or default_curies()).prefix_map().items()):
        g.bind(prefix, ns, override=True, replace=True)
    for prefix, ns in (("skos", SKOS), ("owl", OWL), ("dcterms", DCTERMS),
                       ("oboInOwl", "http://www.geneontology.org/formats/oboInOwl#")):
        g.bind(prefix, ns, override=True, replace=True)
    return g


# ---------------------------------------------------------------- backends


class Backend:
    """A graph that answers SPARQL with rdflib ``Result``s.

    ``query`` refuses what ``kg.rdf.sparql.check_query`` refuses (updates, ``SERVICE`` unless
    ``allow_service``, rdflib's ``FROM``) before the engine sees the text."""

    engine = ""
    allow_service = False

    def query(self, text: str, source: str = "query") -> Result:
        """Run SPARQL; a syntax error is a ``KgError`` naming the line."""
        check_query(text, source, self.engine, self.allow_service)
        return self._run(text, source)

    def _run(self, text: str, source: str) -> Result:
        raise NotImplementedError

    def namespace_graph(self) -> Graph:
        """A graph whose prefixes compact the results' IRIs."""
        return namespaces()

    def to_rdflib(self) -> Graph:
        """All triples as an rdflib Graph (named graphs merged), for validation and export."""
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError


class RdflibBackend(Backend):
    """A graph file in rdflib's memory store (TriG and N-Quads as a Dataset whose default graph is the union
    of its named graphs, so ``GRAPH ?g`` finds them)."""

    engine = "rdflib"

    def __init__(self, graph: Graph):
        self.graph = graph

    def _run(self, text, source):
        return run_query(self.graph, text, source)

    def namespace_graph(self) -> Graph:
        g = namespaces()
        for prefix, ns in self.graph.namespaces():
            if prefix not in dict(g.namespaces()):
                g.bind(prefix, ns)
        return g

    def to_rdflib(self) -> Graph:
        if not isinstance(self.graph, Dataset):
            return self.graph
        flat = namespaces()
        for prefix, ns in self.graph.namespaces():
            flat.bind(prefix, ns, override=True, replace=True)
        for s, p, o, _ in self.graph.quads((None, None, None, None)):
            flat.add((s, p, o))
        return flat

    def __len__(self) -> int:
        return len(self.to_rdflib()) if isinstance(self.graph, Dataset) else len(self.graph)


class OxigraphBackend(Backend):
    """An Oxigraph store: a file loaded in memory, or a store folder opened read-only."""

    engine = "oxigraph"

    def __init__(self, store, location: Path | None = None):
        self.store = store
        self.location = location

    @classmethod
    def from_file(cls, path: str | Path) -> "OxigraphBackend":
        path = Path(path)
        if not path.is_file():
            raise KgError("no such graph file", path)
        store = _ox().Store()
        _load_quads(store, [path])
        return cls(store)

    @classmethod
    def open(cls, location: str | Path) -> "OxigraphBackend":
        """A store folder, read-only (several readers may share it; a running writer is an error)."""
        location = Path(location)
        check_store(location)
        ensure_unlocked(location)
        try:
            return cls(_ox().Store.read_only(str(location)), location)
        except OSError as exc:
            raise KgError(f"cannot open the store: {exc}", location) from None

    def _run(self, text, source):
        try:
            res = self.store.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            line, msg = _syntax_position(str(exc), text)
            raise KgError(f"bad SPARQL: {msg}", source, line) from None
        except OSError as exc:
            raise KgError(f"query failed: {exc}", source) from None
        return to_rdflib_result(res)

    def to_rdflib(self) -> Graph:
        ox = _ox()
        g = namespaces()
        data = self.store.dump(format=ox.RdfFormat.N_QUADS)
        from rdflib import Dataset

        ds = Dataset()
        ds.parse(data=data.decode("utf-8"), format="nquads")
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        return g

    def __len__(self) -> int:
        return len(self.store)


def _syntax_position(message: str, text: str = "") -> tuple[int | None, str]:
    """Oxigraph's ``error at LINE:COLUMN: what`` as (LINE, 'what (column COLUMN)'); an error after the last
    line (Oxigraph counts a final newline as a line) names the query's last line as "at the end"."""
    import re

    m = re.match(r"^error at (\d+):(\d+):\s*(.*)$", message.strip(), re.S)
    if not m:
        return None, message.strip()
    line, what = int(m.group(1)), m.group(3).strip()
    lines = text.rstrip("\n").count("\n") + 1 if text else line
    if line > lines:
        return lines, f"{what} (at the end of the query)"
    return line, f"{what} (column {m.group(2)})"


def to_rdflib_result(res) -> Result:
    """A pyoxigraph query result as an rdflib ``Result`` (SELECT rows through SPARQL results JSON)."""
    ox = _ox()
    if isinstance(res, ox.QueryBoolean):
        out = Result("ASK")
        out.askAnswer = bool(res)
        return out
    if isinstance(res, ox.QueryTriples):
        g = namespaces()
        g.parse(data=res.serialize(format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
        out = Result("CONSTRUCT")
        out.graph = g
        return out
    data = res.serialize(format=ox.QueryResultsFormat.JSON)
    return Result.parse(io.BytesIO(data), format="json")


def is_store(path: str | Path) -> bool:
    """Whether ``path`` is an Oxigraph (RocksDB) store folder."""
    p = Path(path)
    return p.is_dir() and (p / "CURRENT").is_file()


def check_store(path: Path) -> None:
    if not path.exists():
        raise KgError("no such store folder", path)
    if not is_store(path):
        raise KgError("not an Oxigraph store folder (make one with kg load FILE --store DIR)", path)


def ensure_unlocked(path: Path) -> None:
    """Fail when another process holds the store's write lock (RocksDB's POSIX lock on ``LOCK``).

    Only for stores this process has not opened for writing: closing the probe's descriptor would drop
    this process's own POSIX lock on the file."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system: RocksDB reports the lock itself
        return
    lock = path / "LOCK"
    if not lock.is_file():
        return
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        fcntl.lockf(fd, fcntl.LOCK_UN)
    except OSError:
        raise KgError("the store is locked by another process that writes to it (kg load, or kg serve "
                      "--writable); query that server's endpoint, or wait for it to finish", path) from None
    finally:
        os.close(fd)


def open_backend(path: str | Path, engine: str | None = None, allow_service: bool = False) -> Backend:
    """A graph file (``engine`` rdflib, the default, or oxigraph) or an Oxigraph store folder;
    ``allow_service``: let queries use ``SERVICE`` (off: kg reaches no network)."""
    path = Path(path)
    if engine not in (None, *ENGINES):
        raise KgError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if path.is_dir():
        if engine == "rdflib":
            raise KgError("a store folder is queried with Oxigraph; drop --engine rdflib", path)
        backend: Backend = OxigraphBackend.open(path)
    elif engine == "oxigraph":
        backend = OxigraphBackend.from_file(path)
    else:
        backend = RdflibBackend(load_rdf(path))
    backend.allow_service = allow_service
    return backend


# ---------------------------------------------------------------- loading a store


@dataclass(frozen=True)
class LoadReport:
    store: str
    files: int
    quads_before: int
    quads_after: int
    created: bool
    deleted: int = 0  # documents removed: deleted citations (PubMed DeleteCitation, ``kg:deleted true``)


# A document marked deleted (kg:deleted true in its named graph, written for a PubMed DeleteCitation) leaves
# the store: its named graph (metadata, evidence, mentions), with what earlier loads put there, is dropped.
_DELETED = "PREFIX kg: <https://w3id.org/kg/vocab/> SELECT DISTINCT ?d WHERE { GRAPH ?d { ?d kg:deleted true } }"
_DROP = "PREFIX kg: <https://w3id.org/kg/vocab/> DELETE { GRAPH ?d { ?s ?p ?o } } WHERE { GRAPH ?d { ?d kg:deleted true . ?s ?p ?o } }"


def _apply_deletions(store) -> int:
    """Drop the named graphs of documents marked deleted; how many there were."""
    n = sum(1 for _ in store.query(_DELETED))
    if n:
        store.update(_DROP)
        log.info("%d deleted document(s) removed from the store", n)
    return n


def _load_quads(store, paths: list[Path], bulk: bool = False) -> None:
    """Add the files' quads to ``store``: one transaction (``extend``), or ``bulk_load`` for a new store."""
    ox = _ox()
    for p in paths:
        if not p.is_file():
            raise KgError("no such graph file", p)
    formats = [rdf_format(p) for p in paths]
    # RDF/XML through kg.xmlsafe: Oxigraph's parser would expand a DOCTYPE's entities without bound
    sources = [_source(p, fmt, ox) for p, fmt in zip(paths, formats)]
    try:
        if bulk:
            for source, fmt in zip(sources, formats):
                store.bulk_load(format=fmt, **source)
        else:
            store.extend(itertools.chain.from_iterable(ox.parse(format=fmt, **source)
                                                       for source, fmt in zip(sources, formats)))
    except SyntaxError as exc:
        where = exc.filename or (paths[0] if len(paths) == 1 else None)
        msg = str(exc.msg if hasattr(exc, "msg") else exc).split(" (", 1)[0]
        raise KgError(f"cannot parse RDF: {msg}", where, exc.lineno) from None
    except UnicodeDecodeError as exc:
        raise KgError(f"not UTF-8 text ({exc.reason})", paths[0] if len(paths) == 1 else None) from None
    except MemoryError as exc:
        raise _term_too_long(exc, paths[0] if len(paths) == 1 else None) from None


def _source(path: Path, fmt, ox) -> dict:
    """How pyoxigraph reads a file: its path, or (RDF/XML with declared entities) kg's safe expansion of it."""
    data = safe_xml(path) if fmt == ox.RdfFormat.RDF_XML else None
    if data is None:
        return {"path": str(path)}
    return {"input": data, "base_iri": path.resolve().as_uri()}


SERVED = ".kg-served-by-"  # a file in a store folder that a kg serve process reads (its pid follows)


def mark_served(location: Path) -> Path:
    """Mark a store as read by this process (``kg serve``): ``kg load`` then refuses to write to it, since
    Oxigraph's read-only readers must not see the store change under them. The caller removes the file."""
    marker = location / f"{SERVED}{os.getpid()}"
    try:
        marker.write_text("", encoding="ascii")
    except OSError as exc:
        raise KgError(f"cannot mark the store as served: {exc.strerror}", location) from None
    return marker


def served_by(location: Path) -> list[int]:
    """The live processes that serve a store (markers of stopped ones are removed)."""
    live = []
    for marker in location.glob(SERVED + "*"):
        try:
            pid = int(marker.name[len(SERVED):])
            os.kill(pid, 0)
        except ValueError:
            continue
        except ProcessLookupError:
            marker.unlink(missing_ok=True)
            continue
        except PermissionError:
            pass
        live.append(pid)
    return live


def _creation_lock(location: Path):
    """An exclusive lock on ``.NAME.lock`` beside a store being created: a second ``kg load`` creating the
    same store gets a clear error, and the one holding the lock may remove what crashed loads left."""
    import contextlib

    @contextlib.contextmanager
    def held():
        lock_path = location.parent / f".{location.name}.lock"
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except ImportError:
                pass
            except OSError:
                raise KgError("another kg load is creating this store now; wait for it", location) from None
            for debris in location.parent.glob(f".{location.name}.*.loading"):  # crashed loads' folders
                log.info("removing %s, left by a load that stopped", debris)
                shutil.rmtree(debris, ignore_errors=True)
            yield
        finally:
            os.close(fd)
            with contextlib.suppress(OSError):
                lock_path.unlink()

    return held()


def load_store(files: list[str | Path], location: str | Path, replace_graphs: bool = True) -> LoadReport:
    """Load graph files into an Oxigraph store folder (created when missing); every file is parsed before
    anything is written, so a bad input leaves the store unchanged.

    A graph grows as papers arrive (``replace_graphs``): a named graph (a document's, in kg's TriG and
    N-Quads) already in the store is replaced, not added to, and what the store holds for the whole
    corpus is folded again (``fold_associations``): an association is hedged only if every load says so,
    keeps its best score, is aligned only if every load says so; one left without evidence is removed."""
    ox = _ox()
    location = Path(location)
    paths = [Path(f) for f in files]
    for p in paths:  # every input is checked before anything is written
        if p.is_dir():
            raise KgError("is a folder: kg load takes graph files (.ttl .nt .nq .trig .jsonld .owl)", p)
        if not p.is_file():
            raise KgError("no such graph file", p)
        rdf_format(p)
    if location.exists() and not (location.is_dir() and (is_store(location) or not any(location.iterdir()))):
        raise KgError("not an Oxigraph store folder (and not empty): refusing to write there", location)
    graphs = [_named_graphs(p) for p in paths]  # parses each file: a syntax error stops here
    if is_store(location):
        readers = served_by(location)
        if readers:
            raise KgError(f"the store is being served (kg serve, process {readers[0]}): stop the server, load, "
                          "and serve it again", location)
        try:
            store = ox.Store(str(location))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise KgError("the store is locked by another process that writes to it (kg load, or kg serve "
                              "--writable); stop it first", location) from None
            raise KgError(f"cannot open the store: {exc}", location) from None
        before = len(store)
        for p, names in zip(paths, graphs):
            _add_file(store, p, names if replace_graphs else set())
        deleted = _apply_deletions(store)
        fold_associations(store)
        store.flush()
        after = len(store)
        del store
        return LoadReport(str(location), len(paths), before, after, False, deleted)
    # A new store: built in a temporary folder beside the target, moved into place when complete.
    parent = location.parent if str(location.parent) else Path(".")
    if not parent.is_dir():
        raise KgError("the store's parent folder does not exist", parent)
    with _creation_lock(location):
        if is_store(location):  # made by the load we waited for: add to it
            return load_store(paths, location, replace_graphs)
        tmp = Path(tempfile.mkdtemp(dir=parent, prefix=f".{location.name}.", suffix=".loading"))
        try:
            store = ox.Store(str(tmp))
            _load_quads(store, paths[:1], bulk=True)
            for p, names in zip(paths[1:], graphs[1:]):
                _add_file(store, p, names if replace_graphs else set())
            deleted = _apply_deletions(store)
            if len(paths) > 1:
                fold_associations(store)
            store.optimize()
            store.flush()
            after = len(store)
            del store
            if location.exists():
                location.rmdir()  # the empty folder the user named
            os.replace(tmp, location)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return LoadReport(str(location), len(paths), 0, after, True, deleted)


def _named_graphs(path: Path) -> set:
    """The named graphs of a graph file (parsing all of it: a syntax error is a ``KgError``)."""
    ox = _ox()
    names = set()
    try:
        for q in ox.parse(format=rdf_format(path), **_source(path, rdf_format(path), ox)):
            if not isinstance(q.graph_name, ox.DefaultGraph):
                names.add(q.graph_name)
    except SyntaxError as exc:
        msg = str(exc.msg if hasattr(exc, "msg") else exc).split(" (", 1)[0]
        raise KgError(f"cannot parse RDF: {msg}", exc.filename or path, exc.lineno) from None
    except UnicodeDecodeError as exc:
        raise KgError(f"not UTF-8 text ({exc.reason})", path) from None
    except MemoryError as exc:
        raise _term_too_long(exc, path) from None
    return names


def _term_too_long(exc: MemoryError, path: Path | None) -> Exception:
    """Oxigraph's parser refuses a term (a literal, an IRI) over 16 MiB with a ``MemoryError``."""
    if "buffer maximal size" not in str(exc):
        return exc
    return KgError("cannot parse RDF: a term (literal or IRI) is over 16 MiB, more than Oxigraph reads", path)


def _add_file(store, path: Path, replace: set) -> None:
    """Add a file's quads; the named graphs in ``replace`` that the store has are emptied first, and the
    associations whose evidence they held and no longer hold anywhere are removed."""
    ox = _ox()
    has_evidence = ox.NamedNode(BIOLINK_NS + "has_evidence")
    touched = set()
    for g in replace:
        if store.contains_named_graph(g):
            touched.update(q.subject for q in store.quads_for_pattern(None, has_evidence, None, g))
            store.remove_graph(g)
    _load_quads(store, [path])
    for assoc in touched:
        if next(iter(store.quads_for_pattern(assoc, has_evidence, None, None)), None) is None:
            _remove_association(store, assoc)


BIOLINK_NS = "https://w3id.org/biolink/vocab/"
KG_NS = "https://w3id.org/kg/vocab/"


def _remove_association(store, assoc) -> None:
    """Remove an association node from the default graph, and its direct triple when no other asserted
    association of the same subject, predicate and object remains."""
    ox = _ox()
    dg = ox.DefaultGraph()

    def value(pred: str):
        q = next(iter(store.quads_for_pattern(assoc, ox.NamedNode(BIOLINK_NS + pred), None, dg)), None)
        return q.object if q is not None else None

    s, p, o, negated = value("subject"), value("predicate"), value("object"), value("negated")
    for q in list(store.quads_for_pattern(assoc, None, None, dg)):
        store.remove(q)
    if s is None or p is None or o is None or (negated is not None and negated.value == "true"):
        return
    others = store.query(
        f"ASK {{ ?a <{BIOLINK_NS}subject> {s} ; <{BIOLINK_NS}predicate> {p} ; <{BIOLINK_NS}object> {o} ; "
        f"<{BIOLINK_NS}negated> false }}")
    if not bool(others):
        store.remove(ox.Quad(s, p, o, dg))


FOLD = f"""PREFIX kg: <{KG_NS}>
PREFIX biolink: <{BIOLINK_NS}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
DELETE {{ ?a kg:hedged true }} WHERE {{ ?a kg:hedged true . ?a kg:hedged false }} ;
DELETE {{ ?a kg:aligned true }} WHERE {{ ?a kg:aligned true . ?a kg:aligned false }} ;
DELETE {{ ?a biolink:has_confidence_score ?low }}
WHERE {{ ?a biolink:has_confidence_score ?low . ?a biolink:has_confidence_score ?high FILTER (?high > ?low) }} ;
DELETE {{ ?n rdfs:label ?bare }}
WHERE {{ ?n rdfs:label ?bare , ?label ; kg:entityType ?type
        FILTER (lang(?bare) = "" && lang(?label) = "" && ?bare != ?label && REGEX(STR(?bare), "^[A-Za-z][A-Za-z0-9_.-]*:[^ ]+$")) }}
"""


def fold_associations(store) -> None:
    """What loads of several builds give an association (or a node) twice, folded as one build would:
    hedged only if all say so, aligned only if all say so, the best score; a node's bare label (its
    CURIE, from a build where only a reference named it) dropped where it has a real one."""
    store.update(FOLD)
