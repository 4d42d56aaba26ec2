"""The graph as RDF (Biolink): entities, a direct triple ``<subject> <biolink predicate> <object>`` per
asserted claim, a ``biolink:Association`` node per claim with its qualifiers, and each document's
metadata, evidence (sentence, character offsets) and publication links in a named graph of its own.
Minted IRIs are functions of their content (``kg.ids``), so output is byte-for-byte reproducible."""

from __future__ import annotations

import logging
import re
from urllib.parse import quote

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
from kg.rdf.vocab import BIOLINK, CATEGORY_IRIS, KG

log = logging.getLogger(__name__)

_NOT_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')
DEFAULT_GRAPH = URIRef("urn:x-rdflib:default")
DATE_SLOTS = {"received": KG.dateReceived, "revised": KG.dateRevised, "online": KG.dateOnline,
              "published": KG.datePublished, "accepted": DCTERMS.dateAccepted, "completed": KG.dateCompleted}
DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}  # an ISO date's length -> its datatype


class Minter:
    """IRIs of CURIEs and of the nodes kg mints, under one prefix map."""

    def __init__(self, curies: Curies | None = None):
        self.curies = curies or default_curies()

    def iri(self, curie: str) -> URIRef:
        """The IRI of a CURIE: ontology PURLs, MeSH at id.nlm.nih.gov, kg's own terms under w3id.org/kg.
        A character no IRI may hold (white space, ``<>"{}|\\^```, control characters) is percent-encoded:
        no identifier of a user's file can break an output."""
        try:
            out = self.curies.expand(curie)
        except ValueError:
            raise KgError(f"the identifier {curie!r} has a prefix prefixes.toml does not know") from None
        if _NOT_IRI.search(out):
            out = _NOT_IRI.sub(lambda m: quote(m.group(0), safe=""), out)
        return URIRef(out)

    def predicate(self, curie: str) -> URIRef:
        """A Biolink predicate CURIE as a ``BIOLINK`` term (a name Biolink lacks fails here)."""
        prefix, name = curie.split(":", 1)
        if prefix != "biolink":
            return self.iri(curie)
        return BIOLINK[name]

    def association(self, s: str, key: str, o: str) -> URIRef:
        return self.iri(ids.association(s, key, o))

    def evidence(self, assoc: URIRef, e: Evidence) -> URIRef:
        return self.iri(ids.evidence(str(assoc), e.doc_id, e.section, e.lang, e.sentence_start, e.subject_start,
                                     e.object_start))


def iri(curie: str) -> URIRef:
    """The IRI of a CURIE under the shipped prefix map."""
    return Minter().iri(curie)


def predicate_iri(curie: str) -> URIRef:
    return Minter().predicate(curie)


def _lit(text: str, lang: str | None = None) -> Literal:
    return Literal(text, lang=lang) if lang else Literal(text)


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
    titles = d.titles()
    for lang, title in sorted(titles.items()):
        g.add((doc, DCTERMS.title, _lit(title, lang)))
    if "en" in titles or titles:
        g.add((doc, RDFS.label, _lit(titles.get("en") or next(iter(sorted(titles.values()))))))
    for lang, summary in _summaries(d):
        g.add((doc, BIOLINK.summary, _lit(summary, lang)))
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
        g.add((doc, BIOLINK.keywords, _lit(kw, lang)))
    _subjects(g, doc, d, mint)
    _authors(g, doc, d, mint)
    for f in d.funding:
        grant = mint.iri(ids.grant(d.id, f.name, f.grants))
        g.add((doc, KG.funding, grant))
        g.add((grant, RDF.type, KG.Grant))
        g.add((grant, RDFS.label, _lit(f.name, f.lang)))
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
    node = mint.iri(ids.author(d.id, position))
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
    """An entity: its categories, labels (one per language), type, equivalents, superclasses and parts."""
    s = mint.iri(node)
    for cat in sorted(d.get("categories") or ()):
        if cat in CATEGORY_IRIS:
            default.add((s, RDF.type, CATEGORY_IRIS[cat]))
    if d.get("label"):
        default.add((s, RDFS.label, Literal(d["label"])))
    for lang, label in sorted((d.get("labels") or {}).items()):  # labels in other languages (kg.graph.align)
        default.add((s, RDFS.label, Literal(label, lang=lang)))
    if d.get("type"):
        default.add((s, KG.entityType, Literal(d["type"])))
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
        default.add((assoc, KG.relation, mint.iri(d["relation"])))
    for m in sorted(d["mediators"]):
        default.add((assoc, KG.mediatedBy, mint.iri(m)))
    for name, value in sorted(d["qualifiers"]):
        if name == "product":
            default.add((assoc, KG.product, _lit(value, "zh" if has_cjk(value) else None)))
    for lang in sorted(d.get("languages") or ()):  # set for claims of multilingual documents (kg.graph.align)
        default.add((assoc, KG.evidenceLanguage, Literal(lang)))
    if d.get("aligned") is not None:
        default.add((assoc, KG.aligned, Literal(bool(d["aligned"]))))
    if d["evidence"] and all(e.prior_knowledge for e in d["evidence"]):  # read only as what was known
        default.add((assoc, KG.priorKnowledge, Literal(True)))
    return assoc


def evidence_triples(dg: Graph, assoc: URIRef, e: Evidence, mint: Minter) -> None:
    """One sentence of a claim, in its document's graph: the text, section, language, offsets and cues."""
    doc = mint.iri(e.doc_id)
    ev = mint.evidence(assoc, e)
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
    if e.prior_knowledge:
        dg.add((ev, KG.priorKnowledge, Literal(True)))
    if e.object_section:  # the object is implied (the document's topic), named in that section
        dg.add((ev, KG.objectSection, Literal(e.object_section)))


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
    default = ds.graph(DEFAULT_GRAPH)
    docs: dict[str, Document] = g.graph.get("documents", {})
    doc_graphs: dict[str, Graph] = {}
    for doc_id in sorted(docs):
        dg = ds.graph(mint.iri(doc_id))
        document_triples(dg, docs[doc_id], mint)
        doc_graphs[doc_id] = dg

    def graph_for(doc_id: str) -> Graph:
        if doc_id not in doc_graphs:
            doc_graphs[doc_id] = ds.graph(mint.iri(doc_id))
        return doc_graphs[doc_id]

    for node in sorted(g.nodes):
        d = g.nodes[node]
        node_triples(default, node, d, mint)
        s = mint.iri(node)
        for doc_id in sorted(d.get("mentioned_in") or ()):
            graph_for(doc_id).add((s, KG.mentionedIn, mint.iri(doc_id)))
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
