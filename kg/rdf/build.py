"""The graph as RDF (Biolink): entities, a direct triple ``<subject> <biolink predicate> <object>`` per
asserted claim, a ``biolink:Association`` node per claim with its qualifiers, and each document's
metadata, evidence (sentence, character offsets) and publication links in a named graph of its own.
Minted IRIs are functions of their content (``kg.ids``), so output is byte-for-byte reproducible.

The mapping from the graph to RDF is written once, as generators that ``add`` triples to a sink:
``document_triples``, ``node_triples``, ``association_triples``, ``evidence_triples``. The sink is an
rdflib graph (``to_dataset``) or ``kg.rdf.ntriples.Lines`` (the canonical lines the writers stream:
``default_lines`` and ``document_blocks``).

Canonical N-Quads, the layout every writer starts from: the default graph first (each entity's triples,
entities in CURIE order; then each subject-object pair's associations, pairs in order; each block's lines
sorted, each line once), then each document's named graph, documents in input order, each graph's lines
sorted.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

import networkx as nx
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from kg import ids
from kg.curie import Curies
from kg.curie import default as default_curies
from kg.errors import KgError
from kg.graph.attributes import EdgeAttributes, NodeAttributes
from kg.lang import detect_lang, has_cjk
from kg.model import Author, Document, Evidence
from kg.rdf.ntriples import Lines, Lit, boolean, decimal3, integer, safe_iri
from kg.rdf.vocab import BIOLINK, CATEGORY_IRIS, KG

log = logging.getLogger(__name__)

DEFAULT_GRAPH = URIRef("urn:x-rdflib:default")
DATE_SLOTS = {"received": KG.dateReceived, "revised": KG.dateRevised, "online": KG.dateOnline,
              "published": KG.datePublished, "accepted": DCTERMS.dateAccepted, "completed": KG.dateCompleted}
DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}  # an ISO date's length -> its datatype
# A document's title, abstract (biolink:summary), keywords and funder names are written as literals of at
# most this many characters: a longer "abstract" is a whole text read as one (a plain-text paper), all of it
# is still read for mentions and claims. Oxigraph (stores, Turtle/TriG/JSON-LD) refuses an RDF term over
# 16 MiB and rdflib parses a long literal in quadratic time (1M characters: 6 s), so the literal is cut.
TEXT_LITERAL_CHARS = 100_000


class Minter:
    """IRIs of CURIEs and of the nodes kg mints, under one prefix map."""

    def __init__(self, curies: Curies | None = None):
        self.curies = curies or default_curies()
        self._iris: dict[str, URIRef] = {}
        self._ns = self.curies.prefix_map()  # canonical prefixes: expanded without the converter

    def _expand(self, curie: str) -> str:
        prefix, _, local = curie.partition(":")
        ns = self._ns.get(prefix)
        if ns is not None and local:
            return ns + local
        try:
            return self.curies.expand(curie)
        except ValueError:
            raise KgError(f"the identifier {curie!r} has a prefix prefixes.toml does not know") from None

    def iri(self, curie: str) -> URIRef:
        """The IRI of a CURIE: ontology PURLs, MeSH at id.nlm.nih.gov, kg's own terms under w3id.org/kg;
        characters no IRI may hold (a DOI's ``<``, a space) percent-encoded."""
        out = self._iris.get(curie)
        if out is None:
            out = URIRef(safe_iri(self._expand(curie)))
            if len(self._iris) >= 100_000:  # documents and authors come and go: start afresh
                self._iris.clear()
            self._iris[curie] = out
        return out

    def minted(self, curie: str) -> URIRef:
        """The IRI of a node minted once (an association, an evidence): not remembered."""
        return URIRef(safe_iri(self._expand(curie)))

    def predicate(self, curie: str) -> URIRef:
        """A Biolink predicate CURIE as a ``BIOLINK`` term (a name Biolink lacks fails here)."""
        prefix, name = curie.split(":", 1)
        if prefix != "biolink":
            return self.iri(curie)
        return BIOLINK[name]

    def association(self, s: str, key: str, o: str) -> URIRef:
        return self.minted(ids.association(s, key, o))

    def evidence(self, assoc: URIRef, e: Evidence) -> URIRef:
        return self.minted(ids.evidence(str(assoc), e.doc_id, e.section, e.lang, e.sentence_start, e.subject_start,
                                     e.object_start))


def iri(curie: str) -> URIRef:
    """The IRI of a CURIE under the shipped prefix map."""
    return Minter().iri(curie)


def predicate_iri(curie: str) -> URIRef:
    return Minter().predicate(curie)


def _lit(text: str, lang: str | None = None) -> Literal:
    return Literal(text, lang=lang) if lang else Literal(text)


def _text(text: str, d: Document, what: str) -> str:
    """A document's free text as a literal's value: cut at a word after ``TEXT_LITERAL_CHARS`` (logged)."""
    if len(text) <= TEXT_LITERAL_CHARS:
        return text
    cut = text.rfind(" ", TEXT_LITERAL_CHARS // 2, TEXT_LITERAL_CHARS)
    cut = cut if cut > 0 else TEXT_LITERAL_CHARS
    log.warning("%s: the %s of %s has %d characters: its literal keeps the first %d (all of it was read)",
                d.source, what, d.id, len(text), cut)
    return text[:cut] + " …"


# ---------------------------------------------------------------- documents


def document_triples(g: Graph, d: Document, mint: Minter) -> URIRef:
    """A document's metadata: title, abstracts, identifiers (its PMID, DOI and PMCID IRIs as equivalents),
    journal, issue, dates, language, keywords, publication types, MeSH headings, chemicals, authors,
    funding. A deleted citation (PubMed ``DeleteCitation``) is only marked ``kg:deleted``."""
    doc = mint.iri(d.id)
    _identifiers(g, doc, d, mint)
    if d.deleted:  # not an article any more: only the mark that removes it from a store (kg load)
        g.add((doc, KG.deleted, Literal(True)))
        return doc
    g.add((doc, RDF.type, BIOLINK.Article))
    titles = {lang: _text(title, d, "title") for lang, title in d.titles().items()}
    for lang, title in sorted(titles.items()):
        g.add((doc, DCTERMS.title, _lit(title, lang)))
    if "en" in titles or titles:
        g.add((doc, RDFS.label, _lit(titles.get("en") or next(iter(sorted(titles.values()))))))
    for lang, summary in _summaries(d):
        g.add((doc, BIOLINK.summary, _lit(_text(summary, d, "abstract"), lang)))
    _journal(g, doc, d, mint)
    for slot, value in ((BIOLINK.volume, d.volume), (BIOLINK.issue, d.issue), (BIOLINK.pages, d.pages), (KG.column, d.column)):
        if value:
            g.add((doc, slot, Literal(value)))
    if d.year:
        g.add((doc, KG.year, Literal(d.year, datatype=XSD.gYear)))
    for kind, date in d.dates:
        if kind in DATE_SLOTS and len(date) in DATE_TYPES:
            g.add((doc, DATE_SLOTS[kind], Literal(date, datatype=DATE_TYPES[len(date)])))
    if d.language:
        g.add((doc, DCTERMS.language, Literal(d.language)))
    for lang, kw in d.keywords:
        g.add((doc, BIOLINK.keywords, _lit(_text(kw, d, "keyword"), lang)))
    _subjects(g, doc, d, mint)
    _authors(g, doc, d, mint)
    for f in d.funding:
        grant = mint.minted(ids.grant(d.id, f.name, f.grants))
        g.add((doc, KG.funding, grant))
        g.add((grant, RDF.type, KG.Grant))
        g.add((grant, RDFS.label, _lit(_text(f.name, d, "funder"), f.lang)))
        for num in f.grants:
            g.add((grant, KG.grantNumber, Literal(num)))
        if f.country:
            g.add((grant, KG.country, Literal(f.country)))
    return doc


def _identifiers(g: Graph, doc: URIRef, d: Document, mint: Minter) -> None:
    """The article's identifiers as literals, and the IRIs of those it is not named by as equivalents."""
    for curie in (f"PMID:{d.pmid}" if d.pmid else None, f"doi:{d.doi}" if d.doi else None,
                  f"PMCID:{d.pmcid}" if d.pmcid else None):
        if curie is None:
            continue
        g.add((doc, DCTERMS.identifier, Literal(curie)))
        if _iri_safe(curie) != d.id:
            g.add((doc, SKOS.exactMatch, mint.iri(_iri_safe(curie))))


def _iri_safe(curie: str) -> str:
    """A CURIE whose local part may hold characters an IRI cannot (DOIs: ``<``, ``>``, spaces)."""
    prefix, local = curie.split(":", 1)
    return f"{prefix}:{ids.local(local)}"


def _summaries(d: Document) -> list[tuple[str, str]]:
    """One abstract per language: a structured abstract's parts joined, each after its label."""
    by_lang: dict[str, list[str]] = {}
    for s in d.sections:
        if s.kind == "abstract":
            by_lang.setdefault(s.lang, []).append(f"{s.heading}: {s.text}" if s.heading else s.text)
    return [(lang, " ".join(parts)) for lang, parts in by_lang.items()]


def _journal(g: Graph, doc: URIRef, d: Document, mint: Minter) -> None:
    if d.journal_abbreviation:
        g.add((doc, BIOLINK.iso_abbreviation, Literal(d.journal_abbreviation)))
    if not d.journal:
        return
    journal = mint.iri(ids.journal(d.journal))
    g.add((doc, BIOLINK.published_in, journal))
    g.add((journal, RDF.type, BIOLINK.Serial))
    g.add((journal, RDFS.label, _lit(d.journal, detect_lang(d.journal))))
    if d.journal_abbreviation:
        g.add((journal, BIOLINK.iso_abbreviation, Literal(d.journal_abbreviation)))
    for _, issn in d.issn:
        g.add((journal, KG.issn, Literal(issn)))


def _subjects(g: Graph, doc: URIRef, d: Document, mint: Minter) -> None:
    """Publication types, MeSH headings and chemicals: MeSH IRIs where the source gives their unique ids
    (a descriptor/qualifier pair as MeSH's pair IRI, ``D001249Q000188``), their names otherwise."""
    for pt in d.publication_types:
        g.add((doc, BIOLINK.publication_type, Literal(pt.name)))
        if pt.ui:
            g.add((doc, KG.publicationTypeId, mint.iri(f"MESH:{pt.ui}")))
    for h in d.mesh:
        desc = h.descriptor
        if not desc.ui:  # MEDLINE text: the heading as MEDLINE writes it, "*" marking a major topic
            g.add((doc, KG.meshHeading, Literal("/".join(("*" if t.major else "") + t.name
                                                         for t in (desc, *h.qualifiers)))))
            continue
        d_iri = mint.iri(f"MESH:{desc.ui}")
        g.add((doc, BIOLINK.mesh_terms, d_iri))
        g.add((d_iri, RDFS.label, Literal(desc.name)))
        if desc.major:
            g.add((doc, KG.majorTopic, d_iri))
        for q in h.qualifiers:
            if q.ui:
                pair = mint.iri(f"MESH:{desc.ui}{q.ui}")
                g.add((doc, KG.meshQualified, pair))
                if q.major:
                    g.add((doc, KG.majorTopic, pair))
    for c in d.chemicals:
        if c.ui:
            c_iri = mint.iri(f"MESH:{c.ui}")
            g.add((doc, KG.chemical, c_iri))
            g.add((c_iri, RDFS.label, Literal(c.name)))
        else:
            g.add((doc, KG.chemicalName, Literal(c.name)))


def _authors(g: Graph, doc: URIRef, d: Document, mint: Minter) -> None:
    """Authors: the same person in the Chinese and English author lists is one node (lists pair by position)."""
    by_lang: dict[str, list[Author]] = {}
    for a in d.authors:
        by_lang.setdefault(a.lang, []).append(a)
    lists = list(by_lang.values())
    paired = len(lists) > 1 and len({len(x) for x in lists}) == 1
    if paired:
        for i in range(len(lists[0])):
            _author(g, doc, d, i, [x[i] for x in lists], mint)
        return
    pos = 0
    for lst in lists:
        for a in lst:
            _author(g, doc, d, pos, [a], mint)
            pos += 1


def _author(g: Graph, doc: URIRef, d: Document, position: int, names: list[Author], mint: Minter) -> None:
    node = mint.minted(ids.author(d.id, position))
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
        if a.orcid:
            g.add((node, BIOLINK.xref, mint.iri(f"ORCID:{a.orcid}")))


# ---------------------------------------------------------------- entities and claims


def node_triples(default: Graph, node: str, d: NodeAttributes, mint: Minter) -> None:
    """An entity: its categories, labels (one per language), type, equivalents, superclasses and parts
    (literals as ``Lit``, like evidence: thousands of entities and claims a chunk)."""
    s = mint.iri(node)
    for cat in sorted(d.get("categories") or ()):
        if cat in CATEGORY_IRIS:
            default.add((s, RDF.type, CATEGORY_IRIS[cat]))
    if d.get("label"):
        default.add((s, RDFS.label, Lit(d["label"])))
    for lang, label in sorted((d.get("labels") or {}).items()):  # labels in other languages (kg.graph.align)
        default.add((s, RDFS.label, Lit(label, lang)))
    if d.get("type"):
        default.add((s, KG.entityType, Lit(d["type"])))
    for e in sorted(d.get("equivalents") or ()):
        default.add((s, SKOS.exactMatch, mint.iri(e)))
    for b in sorted(d.get("broader") or ()):
        default.add((s, RDFS.subClassOf, mint.iri(b)))
    if d.get("agent"):
        default.add((s, KG.therapeuticAgent, mint.iri(d["agent"])))
    if d.get("composed_of"):
        default.add((s, KG.composedOf, mint.iri(d["composed_of"])))


def association_triples(default: Graph, s_curie: str, o_curie: str, key: str, d: EdgeAttributes,
                        mint: Minter) -> URIRef:
    """A claim: the direct triple (asserted claims only) and its association node with the qualifiers."""
    s, o = mint.iri(s_curie), mint.iri(o_curie)
    pred = mint.predicate(d["predicate"])
    assoc = mint.association(s_curie, key, o_curie)
    if not d["negated"]:
        default.add((s, pred, o))
    default.add((assoc, RDF.type, BIOLINK.Association))
    default.add((assoc, BIOLINK.subject, s))
    default.add((assoc, BIOLINK.predicate, pred))
    default.add((assoc, BIOLINK.object, o))
    default.add((assoc, BIOLINK.negated, boolean(d["negated"])))
    default.add((assoc, KG.hedged, boolean(d["hedged"])))
    default.add((assoc, BIOLINK.knowledge_level, Lit("knowledge_assertion")))
    default.add((assoc, BIOLINK.agent_type, Lit("text_mining_agent")))
    default.add((assoc, BIOLINK.has_confidence_score, decimal3(d["score"])))
    for ct in sorted(d["claim_types"]):
        default.add((assoc, KG.claimType, Lit(ct)))
    if d.get("direction"):
        default.add((assoc, BIOLINK.object_direction_qualifier, Lit(d["direction"])))
    if d.get("relation"):
        default.add((assoc, KG.relation, mint.iri(d["relation"])))
    for m in sorted(d["mediators"]):
        default.add((assoc, KG.mediatedBy, mint.iri(m)))
    for name, value in sorted(d["qualifiers"]):
        if name == "product":
            default.add((assoc, KG.product, Lit(value, "zh" if has_cjk(value) else None)))
    for lang in sorted(d.get("languages") or ()):  # set for claims of multilingual documents (kg.graph.align)
        default.add((assoc, KG.evidenceLanguage, Lit(lang)))
    if d.get("aligned") is not None:
        default.add((assoc, KG.aligned, boolean(d["aligned"])))
    if d["evidence"] and all(e.prior_knowledge for e in d["evidence"]):  # read only as what was known
        default.add((assoc, KG.priorKnowledge, boolean(True)))
    return assoc


def mention_triples(dg: Graph, doc_id: str, spans, mint: Minter) -> None:
    """Where the document names each concept, in its graph: ``<document> kg:mentionSpan "START-END LANG
    CURIE SECTION"`` (character offsets in the section's text; one triple a mention, which a graph without
    named graphs keeps too; ``kg:mentionedIn`` links the concept's node to the document)."""
    doc = mint.iri(doc_id)
    for section, lang, start, end, curie in spans:
        dg.add((doc, KG.mentionSpan, Lit(f"{start}-{end} {lang} {curie} {section}")))


def evidence_triples(dg: Graph, assoc: URIRef, e: Evidence, mint: Minter) -> None:
    """One sentence of a claim, in its document's graph: the text, section, language, offsets and cues
    (literals as ``Lit``: the most frequent triples of a build)."""
    doc = mint.iri(e.doc_id)
    ev = mint.evidence(assoc, e)
    sentence = Lit(e.sentence, e.lang or None)
    dg.add((assoc, BIOLINK.publications, doc))
    dg.add((assoc, BIOLINK.supporting_text, sentence))
    dg.add((assoc, BIOLINK.has_evidence, ev))
    dg.add((ev, RDF.type, KG.TextEvidence))
    dg.add((ev, KG.document, doc))
    dg.add((ev, KG.section, Lit(e.section)))
    dg.add((ev, KG.lang, Lit(e.lang)))
    dg.add((ev, BIOLINK.supporting_text, sentence))
    if e.trigger:  # a claim the classifier made where no rule joined the pair has no trigger
        dg.add((ev, KG.trigger, Lit(e.trigger)))
    for slot, value in ((KG.sentenceStart, e.sentence_start), (KG.sentenceEnd, e.sentence_end),
                        (KG.subjectStart, e.subject_start), (KG.subjectEnd, e.subject_end),
                        (KG.objectStart, e.object_start), (KG.objectEnd, e.object_end)):
        dg.add((ev, slot, integer(value)))
    for cue in e.hedge_cues:
        dg.add((ev, KG.hedgeCue, Lit(cue)))
    for cue in e.negation_cues:
        dg.add((ev, KG.negationCue, Lit(cue)))
    if e.prior_knowledge:
        dg.add((ev, KG.priorKnowledge, boolean(True)))
    if e.object_section:  # the object is implied (the document's topic), named in that section
        dg.add((ev, KG.objectSection, Lit(e.object_section)))


class RdflibSink:
    """An rdflib graph behind the generators: ``Lit`` literals become rdflib ``Literal``s."""

    __slots__ = ("graph",)

    def __init__(self, graph: Graph):
        self.graph = graph

    def add(self, triple: tuple) -> None:
        s, p, o = triple
        self.graph.add((s, p, o.rdflib() if type(o) is Lit else o))


# ---------------------------------------------------------------- the dataset


def bind_prefixes(ds: Graph, curies: Curies) -> None:
    """The project's prefixes (kg's own document and id namespaces last), skos and dcterms."""
    prefixes = curies.prefix_map()
    for prefix, ns in sorted(prefixes.items()):
        if prefix in {"kgdoc", "kgid"}:
            continue
        ds.bind(prefix, ns, override=True, replace=True)
    ds.bind("kgid", prefixes["kgid"])
    ds.bind("skos", str(SKOS))
    ds.bind("dcterms", str(DCTERMS))


def to_dataset(g: nx.MultiDiGraph, curies: Curies | None = None) -> Dataset:
    """The graph as an RDF dataset: entities and associations in the default graph, each document's
    metadata, evidence and publication links in a named graph named by the document's IRI."""
    mint = Minter(curies)
    ds = Dataset()
    bind_prefixes(ds, mint.curies)
    default = RdflibSink(ds.graph(DEFAULT_GRAPH))
    docs: dict[str, Document] = g.graph.get("documents", {})
    doc_graphs: dict[str, RdflibSink] = {}
    for doc_id in sorted(docs):
        dg = RdflibSink(ds.graph(mint.iri(doc_id)))
        document_triples(dg, docs[doc_id], mint)
        doc_graphs[doc_id] = dg

    def graph_for(doc_id: str) -> RdflibSink:
        if doc_id not in doc_graphs:
            doc_graphs[doc_id] = RdflibSink(ds.graph(mint.iri(doc_id)))
        return doc_graphs[doc_id]

    for node in sorted(g.nodes):
        d = g.nodes[node]
        node_triples(default, node, d, mint)
        s = mint.iri(node)
        for doc_id in sorted(d.get("mentioned_in") or ()):
            graph_for(doc_id).add((s, KG.mentionedIn, mint.iri(doc_id)))
    for doc_id, spans in sorted(g.graph.get("mention_spans", {}).items()):
        mention_triples(graph_for(doc_id), doc_id, spans, mint)
    for s_curie, o_curie, key, d in sorted(g.edges(keys=True, data=True), key=lambda x: (x[0], x[2], x[1])):
        assoc = association_triples(default, s_curie, o_curie, key, d, mint)
        for e in d["evidence"]:
            evidence_triples(graph_for(e.doc_id), assoc, e, mint)
    return ds


def to_graph(g: nx.MultiDiGraph, curies: Curies | None = None) -> Graph:
    """All triples of ``to_dataset`` in one rdflib Graph."""
    ds = to_dataset(g, curies)
    out = Graph()
    for prefix, ns in ds.namespaces():
        out.bind(prefix, ns, override=True, replace=True)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        out.add((s, p, o))
    return out


# ---------------------------------------------------------------- canonical lines


def node_lines(node: str, d: NodeAttributes, mint: Minter, iris: dict | None = None) -> list[str]:
    """An entity's triples as sorted N-Triples lines."""
    sink = Lines(iris=iris)
    node_triples(sink, node, d, mint)
    return sink.sorted()


def association_lines(s_curie: str, o_curie: str, edges: Iterable[tuple[str, EdgeAttributes]], mint: Minter,
                      iris: dict | None = None) -> list[str]:
    """The associations of one subject and object (``(key, attributes)`` each) as sorted N-Triples lines,
    each once (two directions of ``biolink:affects`` share their direct triple)."""
    sink = Lines(iris=iris)
    for key, d in edges:
        association_triples(sink, s_curie, o_curie, key, d, mint)
    return sink.sorted()


def default_lines(g: nx.MultiDiGraph, mint: Minter) -> Iterator[str]:
    """The default graph of ``g`` (entities, then associations) as canonical N-Triples lines."""
    iris: dict = {}
    for node in sorted(g.nodes):
        yield from node_lines(node, g.nodes[node], mint, iris)
    pairs: dict[tuple[str, str], list[tuple[str, EdgeAttributes]]] = {}
    for s, o, key, d in g.edges(keys=True, data=True):
        pairs.setdefault((s, o), []).append((key, d))
    for (s, o), edges in sorted(pairs.items()):
        yield from association_lines(s, o, sorted(edges, key=lambda x: x[0]), mint, iris)


def document_blocks(g: nx.MultiDiGraph, mint: Minter) -> Iterator[tuple[str, list[str]]]:
    """Each document's named graph as ``(document id, sorted N-Quads lines)``: its metadata, the entities
    mentioned in it and the evidence it gives, in the order of ``g.graph["documents"]`` (input order;
    documents only evidence names come last, sorted)."""
    docs: dict[str, Document] = g.graph.get("documents", {})
    iris: dict = {}
    sinks: dict[str, Lines] = {}

    def sink(doc_id: str) -> Lines:
        if doc_id not in sinks:
            sinks[doc_id] = Lines(graph=mint.iri(doc_id), iris=iris)
        return sinks[doc_id]

    for doc_id, d in docs.items():
        document_triples(sink(doc_id), d, mint)
    for node in sorted(g.nodes):
        for doc_id in sorted(g.nodes[node].get("mentioned_in") or ()):
            sink(doc_id).add((mint.iri(node), KG.mentionedIn, mint.iri(doc_id)))
    for doc_id, spans in g.graph.get("mention_spans", {}).items():
        mention_triples(sink(doc_id), doc_id, spans, mint)
    for s_curie, o_curie, key, d in sorted(g.edges(keys=True, data=True), key=lambda x: (x[0], x[2], x[1])):
        assoc = mint.association(s_curie, key, o_curie)
        for e in d["evidence"]:
            evidence_triples(sink(e.doc_id), assoc, e, mint)
    order = list(docs) + sorted(set(sinks) - set(docs))
    for doc_id in order:
        yield doc_id, sinks[doc_id].sorted()
