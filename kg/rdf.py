"""Stage 5b, serialise: the graph as RDF (Biolink), written atomically and byte-for-byte reproducibly.

Every claim is a direct triple ``<subject> <biolink predicate> <object>`` (asserted claims only) and a
``biolink:Association`` node with its qualifiers, evidence (sentence, character offsets) and publications.
Writers are chosen by output suffix from ``WRITERS``; TriG and N-Quads put each document's metadata and
evidence in a named graph of its own.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import networkx as nx
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from kg.curie import expand, prefix_map
from kg.errors import KgError
from kg.model import Document, Evidence
from kg.vocab import BIOLINK, CATEGORY_IRIS, KG

log = logging.getLogger(__name__)

KGID = "https://w3id.org/kg/id/"
_CJK = re.compile(r"[\u3400-\u9fff]")
DEFAULT_GRAPH = URIRef("urn:x-rdflib:default")


def iri(curie: str) -> URIRef:
    """The IRI of a CURIE: ontology PURLs, MeSH at id.nlm.nih.gov, kg's own terms under w3id.org/kg."""
    return URIRef(expand(curie))


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def predicate_iri(curie: str) -> URIRef:
    """A Biolink predicate CURIE as a ``BIOLINK`` term (a name Biolink lacks fails here)."""
    prefix, name = curie.split(":", 1)
    if prefix != "biolink":
        return iri(curie)
    return BIOLINK[name]


def association_iri(s: str, key: str, o: str) -> URIRef:
    return URIRef(f"{KGID}assoc/{_hash(s, key, o)}")


def evidence_iri(assoc: URIRef, e: Evidence) -> URIRef:
    return URIRef(f"{KGID}evidence/{_hash(assoc, e.doc_id, e.section, e.lang, e.sentence_start, e.subject_start, e.object_start)}")


def _lit(text: str, lang: str | None = None) -> Literal:
    return Literal(text, lang=lang) if lang else Literal(text)


def _document_triples(g: Graph, d: Document) -> URIRef:
    doc = iri(d.id)
    g.add((doc, RDF.type, BIOLINK.Article))
    titles = d.titles()
    for lang, title in sorted(titles.items()):
        g.add((doc, DCTERMS.title, _lit(title, lang)))
    if "en" in titles or titles:
        g.add((doc, RDFS.label, _lit(titles.get("en") or next(iter(sorted(titles.values()))))))
    for s in d.sections:
        if s.name == "abstract":
            g.add((doc, BIOLINK.summary, _lit(s.text, s.lang)))
    if d.doi:
        g.add((doc, DCTERMS.identifier, Literal(f"doi:{d.doi}")))
    if d.pmid:
        g.add((doc, DCTERMS.identifier, Literal(f"PMID:{d.pmid}")))
    if d.journal:
        journal = URIRef(f"{KGID}journal/{_hash(d.journal)}")
        g.add((doc, BIOLINK.published_in, journal))
        g.add((journal, RDF.type, BIOLINK.Serial))
        from kg.ingest import detect_lang

        g.add((journal, RDFS.label, _lit(d.journal, detect_lang(d.journal))))
    for slot, value in ((BIOLINK.volume, d.volume), (BIOLINK.issue, d.issue), (BIOLINK.pages, d.pages), (KG.column, d.column)):
        if value:
            g.add((doc, slot, Literal(value)))
    if d.year:
        g.add((doc, KG.year, Literal(d.year, datatype=XSD.gYear)))
    date_slots = {"received": KG.dateReceived, "revised": KG.dateRevised, "online": KG.dateOnline,
                  "published": KG.datePublished, "accepted": DCTERMS.dateAccepted}
    for kind, date in d.dates:
        if kind in date_slots:
            g.add((doc, date_slots[kind], Literal(date, datatype=XSD.date)))
    for lang, kw in d.keywords:
        g.add((doc, BIOLINK.keywords, _lit(kw, lang)))
    # Authors: the same person in the Chinese and English author lists is one node (lists pair by position).
    by_lang: dict[str, list] = {}
    for a in d.authors:
        by_lang.setdefault(a.lang, []).append(a)
    lists = list(by_lang.values())
    paired = len(lists) > 1 and len({len(x) for x in lists}) == 1
    n = max((len(x) for x in lists), default=0)
    for i in range(n):
        group = [x[i] for x in lists if i < len(x)] if paired else []
        if not paired:
            continue
        _author(g, doc, d, i, group)
    if not paired:
        pos = 0
        for lst in lists:
            for a in lst:
                _author(g, doc, d, pos, [a])
                pos += 1
    for f in d.funding:
        grant = URIRef(f"{KGID}grant/{_hash(d.id, f.name, f.grants)}")
        g.add((doc, KG.funding, grant))
        g.add((grant, RDF.type, KG.Grant))
        g.add((grant, RDFS.label, _lit(f.name, f.lang)))
        for num in f.grants:
            g.add((grant, KG.grantNumber, Literal(num)))
    return doc


def _author(g: Graph, doc: URIRef, d: Document, position: int, names: list) -> None:
    node = URIRef(f"{KGID}author/{_hash(d.id, position)}")
    g.add((doc, BIOLINK.authors, node))
    g.add((node, RDF.type, BIOLINK.Agent))
    g.add((node, KG.authorPosition, Literal(position + 1)))
    for a in names:
        g.add((node, RDFS.label, _lit(a.name, a.lang)))
        for aff in a.affiliations:
            g.add((node, KG.affiliation, _lit(aff, a.lang)))
        if a.corresponding:
            g.add((node, KG.corresponding, Literal(True)))
        if a.email:
            g.add((node, KG.email, Literal(a.email)))


def to_dataset(g: nx.MultiDiGraph) -> Dataset:
    """The graph as an RDF dataset: entities and associations in the default graph, each document's
    metadata, evidence and publication links in a named graph named by the document's IRI."""
    ds = Dataset()
    for prefix, ns in sorted(prefix_map().items()):
        if prefix in {"kgdoc", "kgid"}:
            continue
        ds.bind(prefix, ns, override=True, replace=True)
    ds.bind("kgid", KGID)
    ds.bind("skos", str(SKOS))
    ds.bind("dcterms", str(DCTERMS))
    default = ds.graph(DEFAULT_GRAPH)
    docs: dict[str, Document] = g.graph.get("documents", {})
    doc_graphs: dict[str, Graph] = {}
    for doc_id in sorted(docs):
        dg = ds.graph(iri(doc_id))
        _document_triples(dg, docs[doc_id])
        doc_graphs[doc_id] = dg

    def graph_for(doc_id: str) -> Graph:
        if doc_id not in doc_graphs:
            doc_graphs[doc_id] = ds.graph(iri(doc_id))
        return doc_graphs[doc_id]

    for node in sorted(g.nodes):
        d = g.nodes[node]
        s = iri(node)
        for cat in sorted(d.get("categories") or ()):
            if cat in CATEGORY_IRIS:
                default.add((s, RDF.type, CATEGORY_IRIS[cat]))
        if d.get("label"):
            default.add((s, RDFS.label, Literal(d["label"])))
        for lang, label in sorted((d.get("labels") or {}).items()):  # labels in other languages (kg.align)
            default.add((s, RDFS.label, Literal(label, lang=lang)))
        if d.get("type"):
            default.add((s, KG.entityType, Literal(d["type"])))
        for e in sorted(d.get("equivalents") or ()):
            default.add((s, SKOS.exactMatch, iri(e)))
        for b in sorted(d.get("broader") or ()):
            default.add((s, RDFS.subClassOf, iri(b)))
        if d.get("agent"):
            default.add((s, KG.therapeuticAgent, iri(d["agent"])))
        if d.get("composed_of"):
            default.add((s, KG.composedOf, iri(d["composed_of"])))
        for doc_id in sorted(d.get("mentioned_in") or ()):
            graph_for(doc_id).add((s, KG.mentionedIn, iri(doc_id)))

    for s_curie, o_curie, key, d in sorted(g.edges(keys=True, data=True), key=lambda x: (x[0], x[2], x[1])):
        s, o = iri(s_curie), iri(o_curie)
        pred = predicate_iri(d["predicate"])
        assoc = association_iri(s_curie, key, o_curie)
        if not d["negated"]:
            default.add((s, pred, o))
        default.add((assoc, RDF.type, BIOLINK.Association))
        default.add((assoc, BIOLINK.subject, s))
        default.add((assoc, BIOLINK.predicate, pred))
        default.add((assoc, BIOLINK.object, o))
        default.add((assoc, BIOLINK.negated, Literal(bool(d["negated"]))))
        default.add((assoc, KG.hedged, Literal(bool(d["hedged"]))))
        default.add((assoc, BIOLINK.knowledge_level, Literal("knowledge_assertion")))
        default.add((assoc, BIOLINK.agent_type, Literal("text_mining_agent")))
        default.add((assoc, BIOLINK.has_confidence_score, Literal(round(float(d["score"]), 3), datatype=XSD.decimal)))
        for ct in sorted(d["claim_types"]):
            default.add((assoc, KG.claimType, Literal(ct)))
        if d.get("direction"):
            default.add((assoc, BIOLINK.object_direction_qualifier, Literal(d["direction"])))
        if d.get("relation"):
            default.add((assoc, KG.relation, iri(d["relation"])))
        for m in sorted(d["mediators"]):
            default.add((assoc, KG.mediatedBy, iri(m)))
        for name, value in sorted(d["qualifiers"]):
            if name == "product":
                default.add((assoc, KG.product, _lit(value, "zh" if _CJK.search(value) else None)))
        for lang in sorted(d.get("languages") or ()):  # set for claims of multilingual documents (kg.align)
            default.add((assoc, KG.evidenceLanguage, Literal(lang)))
        if d.get("aligned") is not None:
            default.add((assoc, KG.aligned, Literal(bool(d["aligned"]))))
        for e in d["evidence"]:
            dg = graph_for(e.doc_id)
            doc = iri(e.doc_id)
            ev = evidence_iri(assoc, e)
            dg.add((assoc, BIOLINK.publications, doc))
            dg.add((assoc, BIOLINK.supporting_text, _lit(e.sentence, e.lang)))
            dg.add((assoc, BIOLINK.has_evidence, ev))
            dg.add((ev, RDF.type, KG.TextEvidence))
            dg.add((ev, KG.document, doc))
            dg.add((ev, KG.section, Literal(e.section)))
            dg.add((ev, KG.lang, Literal(e.lang)))
            dg.add((ev, BIOLINK.supporting_text, _lit(e.sentence, e.lang)))
            dg.add((ev, KG.trigger, Literal(e.trigger)))
            for slot, value in ((KG.sentenceStart, e.sentence_start), (KG.sentenceEnd, e.sentence_end),
                                (KG.subjectStart, e.subject_start), (KG.subjectEnd, e.subject_end),
                                (KG.objectStart, e.object_start), (KG.objectEnd, e.object_end)):
                dg.add((ev, slot, Literal(int(value))))
            for cue in e.hedge_cues:
                dg.add((ev, KG.hedgeCue, Literal(cue)))
            for cue in e.negation_cues:
                dg.add((ev, KG.negationCue, Literal(cue)))
    return ds


def to_graph(g: nx.MultiDiGraph) -> Graph:
    """All triples of ``to_dataset`` in one rdflib Graph."""
    ds = to_dataset(g)
    out = Graph()
    for prefix, ns in ds.namespaces():
        out.bind(prefix, ns, override=True, replace=True)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        out.add((s, p, o))
    return out


# ---------------------------------------------------------------- writers


def _sorted_lines(data: str) -> str:
    lines = sorted({ln for ln in data.splitlines() if ln.strip()})
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


def write_turtle(g: nx.MultiDiGraph) -> str:
    return to_graph(g).serialize(format="turtle")


def write_ntriples(g: nx.MultiDiGraph) -> str:
    return _sorted_lines(to_graph(g).serialize(format="nt"))


def write_jsonld(g: nx.MultiDiGraph) -> str:
    return _jsonld(to_graph(g))


def write_trig(g: nx.MultiDiGraph) -> str:
    return to_dataset(g).serialize(format="trig")


def write_nquads(g: nx.MultiDiGraph) -> str:
    return _sorted_lines(to_dataset(g).serialize(format="nquads"))


WRITERS: dict[str, Callable[[nx.MultiDiGraph], str]] = {
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


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write text (UTF-8) or bytes to a temporary file beside ``path`` and move it into place, so no
    half-written output is ever left; the file gets the usual permissions (umask), not mkstemp's 0600."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise KgError("output folder does not exist", directory)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


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


def write(g: nx.MultiDiGraph, path: str | Path, fmt: str | None = None) -> str:
    """Serialise ``g`` to ``path`` in ``fmt`` (default: from the suffix). Returns the format used."""
    fmt = fmt or format_for(path)
    if fmt not in WRITERS:
        raise KgError(f"unknown output format {fmt!r}; known: {', '.join(sorted(WRITERS))}", path)
    write_atomic(path, WRITERS[fmt](g))
    return fmt
