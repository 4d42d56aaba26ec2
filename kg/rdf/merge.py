"""Merge ontology classes into a graph: labels, synonyms, ``rdfs:subClassOf`` and cross-references as
``skos:exactMatch``, from OBO, OWL/RDF, SSSOM and kg lexicon files.

Entity IRIs are the ontology PURLs, so a merged class and an extracted entity meet on one node. What to
merge is declared in a small TOML spec (``ontologies/merge.toml`` lists the shipped lexicons and mappings)
or given as files. By default only the *module* of the graph is added: the classes reachable from the
graph's nodes by going up ``rdfs:subClassOf`` and across cross-references (both ways), which is what
hierarchy queries over the graph need; ``scope = "all"`` adds every class. The merge is a set union, so
running it twice adds nothing the second time; what could not be aligned is reported.
"""

from __future__ import annotations

import glob
import logging
import tomllib
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.config import Config
from kg.curie import Curies
from kg.curie import default as default_curies
from kg.errors import KgError
from kg.model import Mapping, Term
from kg.ontology import merge_terms, read_ontology, sniff_format
from kg.rdf.io import load_rdf
from kg.rdf.vocab import KG
from kg.rdf.writers import format_for, write_rdflib

log = logging.getLogger(__name__)

OIO = "http://www.geneontology.org/formats/oboInOwl#"
SYNONYM_PROPERTIES = {scope: URIRef(OIO + f"has{scope.title()}Synonym") for scope in ("EXACT", "RELATED", "BROAD", "NARROW")}
# SSSOM predicates written as they are (not as exact matches unless the spec says so).
SKOS_MAPPINGS = {"skos:exactMatch": SKOS.exactMatch, "skos:closeMatch": SKOS.closeMatch,
                 "skos:broadMatch": SKOS.broadMatch, "skos:narrowMatch": SKOS.narrowMatch,
                 "skos:relatedMatch": SKOS.relatedMatch}
SCOPES = ("module", "all")
SPEC_KEYS = {"ontologies", "mappings", "scope", "xrefs", "exact_predicates"}


@dataclass(frozen=True)
class MergeSpec:
    """What to merge: ontology and mapping files, how much of them, and which mappings count as exact."""

    ontologies: tuple[Path, ...] = ()
    mappings: tuple[Path, ...] = ()
    scope: str = "module"
    xrefs: bool = True  # an ontology's own cross-references become skos:exactMatch
    exact_predicates: tuple[str, ...] = ("skos:exactMatch", "oboInOwl:hasDbXref", "owl:equivalentClass")

    @property
    def sources(self) -> tuple[Path, ...]:
        return tuple(dict.fromkeys(self.ontologies + self.mappings))

    def extended(self, other: "MergeSpec") -> "MergeSpec":
        """This spec with another's files added (settings stay this spec's)."""
        return MergeSpec(tuple(dict.fromkeys(self.ontologies + other.ontologies)),
                         tuple(dict.fromkeys(self.mappings + other.mappings)),
                         self.scope, self.xrefs, self.exact_predicates)


def read_spec(path: str | Path) -> MergeSpec:
    """A merge spec (TOML): ``ontologies`` and ``mappings`` are paths or globs relative to the spec file."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise KgError("no such merge spec", path) from None
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise KgError(f"malformed merge spec: {exc}", path, line) from None
    unknown = set(data) - SPEC_KEYS
    if unknown:
        raise KgError(f"unknown key(s) {', '.join(sorted(unknown))} in merge spec; known: {', '.join(sorted(SPEC_KEYS))}", path)
    scope = data.get("scope", "module")
    if scope not in SCOPES:
        raise KgError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}", path)

    def files(key: str) -> tuple[Path, ...]:
        out: list[Path] = []
        for pattern in data.get(key, []):
            full = str(path.parent / pattern)
            hits = sorted(glob.glob(full)) if glob.has_magic(pattern) else [full]
            if not hits:
                raise KgError(f"{key}: no file matches {pattern!r}", path)
            out.extend(Path(h) for h in hits)
        return tuple(out)

    default = MergeSpec()
    return MergeSpec(files("ontologies"), files("mappings"), scope, bool(data.get("xrefs", True)),
                     tuple(data.get("exact_predicates", default.exact_predicates)))


def shipped_spec(config: Config | None = None) -> MergeSpec:
    """The spec listing the lexicons and mapping files of the ontologies folder (``ontologies/merge.toml``)."""
    return read_spec((config or Config.default()).ontologies / "merge.toml")


# ---------------------------------------------------------------- reading the sources


@dataclass
class Sources:
    """Every term (merged by CURIE) and mapping of the spec's files."""

    terms: dict[str, Term] = field(default_factory=dict)
    mappings: list[Mapping] = field(default_factory=list)
    read: list[dict] = field(default_factory=list)  # per file: path, format, terms, mappings
    unknown_prefixes: Counter = field(default_factory=Counter)


def read_sources(paths: Iterable[str | Path], curies: Curies | None = None) -> Sources:
    """Read ontology and mapping files; a file with nothing the project can use is an error."""
    curies = curies or default_curies()
    src = Sources()
    for p in paths:
        p = Path(p)
        if not p.is_file():
            raise KgError("no such ontology file", p)
        unknown: Counter = Counter()
        try:
            fmt = sniff_format(p)
            terms, mappings = read_ontology(p, fmt, unknown, curies)
        except KgError as exc:
            if "known prefixes" in exc.message and unknown:
                raise KgError(f"no class with a known prefix (found {_top(unknown)}); add the prefix to "
                              "kg/data/prefixes.toml", p) from None
            raise
        except (OSError, EOFError, zlib.error) as exc:  # an unreadable, truncated or corrupt (gzip) file
            raise KgError(f"cannot read ontology file: {exc}", p) from None
        usable = [t for t in terms if _known(t.curie, unknown, curies)]
        if not usable and not mappings:
            found = f" (found {_top(unknown)})" if unknown else ""
            raise KgError(f"no class or mapping with a known prefix{found}; add the prefix to kg/data/prefixes.toml", p)
        for t in usable:
            old = src.terms.get(t.curie)
            src.terms[t.curie] = t if old is None else merge_terms(old, t)
        src.mappings.extend(mappings)
        src.unknown_prefixes.update(unknown)
        src.read.append({"path": str(p), "format": fmt, "terms": len(usable), "mappings": len(mappings)})
        log.info("%s: %d classes, %d mappings", p, len(usable), len(mappings))
    return src


def _known(curie: str, unknown: Counter, curies: Curies) -> bool:
    """Whether a CURIE's prefix is one the project knows (else counted in ``unknown``)."""
    try:
        curies.expand(curie)
        return True
    except ValueError:
        unknown[curie.split(":", 1)[0]] += 1
        return False


class _KnownPrefixes:
    """``_known`` with its answer cached per prefix (mappings repeat a handful of prefixes many times)."""

    def __init__(self, unknown: Counter, curies: Curies):
        self.unknown = unknown
        self.curies = curies
        self.cache: dict[str, bool] = {}

    def __call__(self, curie: str) -> bool:
        prefix = curie.split(":", 1)[0]
        ok = self.cache.get(prefix)
        if ok is None:
            ok = self.cache[prefix] = _known(curie, Counter(), self.curies)
        if not ok:
            self.unknown[prefix] += 1
        return ok


def _top(counter: Counter, n: int = 5) -> str:
    return ", ".join(f"{k} ({v})" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


# ---------------------------------------------------------------- the merge


@dataclass
class MergeReport:
    """What a merge read, added, and could not align."""

    sources: list[dict]
    scope: str
    classes_read: int
    mappings_read: int
    classes_added: int = 0
    triples_before: int = 0
    triples_added: int = 0
    entities: int = 0
    unaligned: list[tuple[str, str]] = field(default_factory=list)  # entities with no class in the ontologies
    no_superclass: list[tuple[str, str]] = field(default_factory=list)  # aligned, but no class above them
    unknown_prefixes: dict[str, int] = field(default_factory=dict)
    dangling_parents: int = 0  # subClassOf links to classes the sources do not define
    mapping_predicates_skipped: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["unaligned"] = [{"id": c, "label": lbl} for c, lbl in self.unaligned]
        d["no_superclass"] = [{"id": c, "label": lbl} for c, lbl in self.no_superclass]
        return d

    def summary(self) -> list[str]:
        """A few lines for a person: totals, then what could not be aligned."""
        def names(rows: list[tuple[str, str]]) -> str:
            return "; ".join(f"{c} ({lbl})" if lbl else c for c, lbl in rows)

        lines = [f"read {len(self.sources)} file(s): {self.classes_read:,} classes, {self.mappings_read:,} mappings; "
                 f"added {self.classes_added:,} classes ({self.scope}) and {self.triples_added:,} triples "
                 f"({self.triples_before:,} -> {self.triples_before + self.triples_added:,})"]
        if self.unaligned:
            lines.append(f"not aligned: {len(self.unaligned)} of {self.entities} entities have no class in the "
                         f"merged ontologies: {names(self.unaligned)}")
        if self.no_superclass:
            lines.append(f"no superclass: {len(self.no_superclass)} aligned entities have no class above them: "
                         f"{names(self.no_superclass)}")
        if self.unknown_prefixes:
            lines.append(f"unknown prefixes skipped: {_top(Counter(self.unknown_prefixes), 10)}")
        if self.mapping_predicates_skipped:
            lines.append(f"mapping predicates not merged: {_top(Counter(self.mapping_predicates_skipped), 10)}")
        if self.dangling_parents:
            lines.append(f"{self.dangling_parents:,} subClassOf links point to classes the sources do not define")
        return lines


def merge(graph: Graph, spec: MergeSpec, sources: Sources | None = None, curies: Curies | None = None) -> MergeReport:
    """Add the spec's ontology classes to ``graph`` in place (a set union: idempotent) and report."""
    curies = curies or default_curies()

    def _curie(node) -> str | None:
        return curies.compress(str(node)) if isinstance(node, URIRef) else None

    def iri(curie: str) -> URIRef:
        return URIRef(curies.expand(curie))

    sources = sources if sources is not None else read_sources(spec.sources, curies)
    terms = sources.terms
    unknown = Counter(sources.unknown_prefixes)
    report = MergeReport(sources.read, spec.scope, len(terms), len(sources.mappings), triples_before=len(graph))

    known = _KnownPrefixes(unknown, curies)
    edges, skipped = _mapping_edges(spec, sources, known)
    equivalent: dict[str, set[str]] = defaultdict(set)
    for a, pred, b in edges:
        if pred == SKOS.exactMatch:
            equivalent[a].add(b)
            equivalent[b].add(a)
    # The graph's own equivalences count too: the extractor's skos:exactMatch joins a node to its other ids.
    for s, o in graph.subject_objects(SKOS.exactMatch):
        cs, co = _curie(s), _curie(o)
        if cs and co:
            equivalent[cs].add(co)
            equivalent[co].add(cs)
    parents = {c: [p for p in t.parents if p != c and known(p)] for c, t in terms.items()}

    if spec.scope == "all":
        chosen = set(terms) | set(equivalent)
    else:
        seeds = {c for node in set(graph.subjects()) | set(graph.objects()) if (c := _curie(node))}
        chosen = _closure(seeds, equivalent, parents)

    labelled = {s for s in graph.subjects(RDFS.label)}
    added_classes = 0
    for a, pred, b in edges:
        if a in chosen or b in chosen:
            graph.add((iri(a), pred, iri(b)))
    for c in sorted(chosen):
        s = iri(c)
        t = terms.get(c)
        if t is None:
            continue
        added_classes += (s, RDF.type, OWL.Class) not in graph
        graph.add((s, RDF.type, OWL.Class))
        if s in labelled:
            if (s, RDFS.label, Literal(t.label)) not in graph:
                graph.add((s, SKOS.altLabel, Literal(t.label)))
        else:
            graph.add((s, RDFS.label, Literal(t.label)))
        for syn in t.synonyms:
            if syn.text and syn.scope in SYNONYM_PROPERTIES:
                graph.add((s, SYNONYM_PROPERTIES[syn.scope], Literal(syn.text)))
        for p in parents.get(c, ()):
            graph.add((s, RDFS.subClassOf, iri(p)))
            report.dangling_parents += p not in terms

    report.classes_added = added_classes
    report.triples_added = len(graph) - report.triples_before
    report.unknown_prefixes = dict(sorted(unknown.items()))
    report.mapping_predicates_skipped = dict(sorted(skipped.items()))
    _alignment(graph, terms, equivalent, parents, report, _curie)
    return report


def _mapping_edges(spec: MergeSpec, sources: Sources, known) -> tuple[list[tuple[str, URIRef, str]], Counter]:
    """Mapping edges as written (subject -> object): xrefs and exact SSSOM mappings as skos:exactMatch, other
    SKOS mapping predicates as they are; and the mapping predicates skipped."""
    terms = sources.terms
    exact = set(spec.exact_predicates)
    edges: list[tuple[str, URIRef, str]] = []
    skipped: Counter = Counter()
    if spec.xrefs:
        edges += [(t.curie, SKOS.exactMatch, x) for t in terms.values() for x in t.xrefs if x != t.curie and known(x)]
    for m in sources.mappings:
        if m.subject == m.object:
            continue
        if m.predicate in exact:
            edges.append((m.subject, SKOS.exactMatch, m.object))
        elif m.predicate in SKOS_MAPPINGS:
            edges.append((m.subject, SKOS_MAPPINGS[m.predicate], m.object))
        else:
            skipped[m.predicate] += 1
    return edges, skipped


def _closure(seeds: set[str], equivalent: dict[str, set[str]], parents: dict[str, list[str]]) -> set[str]:
    """Every CURIE reachable from the seeds going up parents and across equivalences."""
    seen = set(seeds)
    stack = list(seeds)
    while stack:
        c = stack.pop()
        for n in (*equivalent.get(c, ()), *parents.get(c, ())):
            if n not in seen:
                seen.add(n)
                stack.append(n)
    return seen


def _alignment(graph: Graph, terms: dict[str, Term], equivalent: dict[str, set[str]],
               parents: dict[str, list[str]], report: MergeReport, _curie) -> None:
    """Which of the graph's entities have no ontology class, and which have no class above them."""
    graph_parents: dict[str, set[str]] = defaultdict(set)
    for s, o in graph.subject_objects(RDFS.subClassOf):
        cs, co = _curie(s), _curie(o)
        if cs and co:
            graph_parents[cs].add(co)
    entities = sorted({s for s in graph.subjects(KG.entityType) if isinstance(s, URIRef)}, key=str)
    report.entities = len(entities)
    for e in entities:
        c = _curie(e) or str(e)
        labels = sorted(graph.objects(e, RDFS.label), key=lambda x: (getattr(x, "language", None) is not None, str(x)))
        label = str(labels[0]) if labels else ""  # the plain (language-less) label first
        same = _closure({c}, equivalent, {})
        if not any(x in terms for x in same):
            if not any(graph_parents.get(x) for x in same):
                report.unaligned.append((c, label))
                continue
        if not any(parents.get(x) or graph_parents.get(x) for x in same):
            report.no_superclass.append((c, label))


# ---------------------------------------------------------------- files


def merge_files(graph_path: str | Path, spec: MergeSpec, output: str | Path, curies: Curies | None = None) -> MergeReport:
    """Read a graph file, merge the spec's ontologies into it and write the result atomically."""
    fmt = format_for(output)  # an unknown output suffix fails before any work
    if not spec.sources:
        raise KgError("nothing to merge: give ontology files, a merge spec (.toml) or --shipped")
    graph = load_rdf(graph_path)  # a missing or malformed graph fails before the (slower) ontologies are read
    report = merge(graph, spec, read_sources(spec.sources, curies), curies)
    write_rdflib(graph, output, fmt)
    return report


def merge_sources_from_args(items: Sequence[str], spec_paths: Sequence[str] = (), shipped: bool = False,
                            scope: str | None = None, xrefs: bool | None = None,
                            config: Config | None = None) -> MergeSpec:
    """A spec from the command line: ``.toml`` items are specs, other items ontology or mapping files."""
    spec = shipped_spec(config) if shipped else None
    files: list[Path] = []
    for item in [*spec_paths, *(i for i in items if i.lower().endswith(".toml"))]:
        s = read_spec(item)
        spec = s if spec is None else spec.extended(s)
    for item in items:
        if not item.lower().endswith(".toml"):
            files.append(Path(item))
    extra = MergeSpec(ontologies=tuple(files))
    spec = extra if spec is None else spec.extended(extra)
    if scope or xrefs is not None:
        spec = MergeSpec(spec.ontologies, spec.mappings, scope or spec.scope,
                         spec.xrefs if xrefs is None else xrefs, spec.exact_predicates)
    return spec
