"""Stage 5a, assemble: a networkx MultiDiGraph with one edge per claim key, evidence merged.

Nodes are concepts (CURIEs) with their label, Biolink categories, entity type and equivalents; the graph
also carries the documents (``G.graph["documents"]``). Edge keys are ``predicate|direction|polarity`` so the
same subject and object can hold several distinct claims.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import networkx as nx

from kg.graph.attributes import EdgeAttributes, NodeAttributes
from kg.model import AnnotatedDocument, Claim, Concept, Document


def edge_key(claim: Claim) -> str:
    return f"{claim.predicate}|{claim.direction or ''}|{'negated' if claim.negated else 'asserted'}"


# How a concept comes to be a node, in the order assembly meets them (``node_contributions``): mentioned
# in a document, referenced by another node (a therapy's cell, a composition's head, a mediator) without
# being mentioned or claimed, or the subject or object of a claim.
MENTIONED, REFERENCED, CLAIMED = 0, 1, 2


def empty_node(curie: str) -> NodeAttributes:
    """The node of an identifier another node points to and nothing else describes: named by its CURIE."""
    return NodeAttributes(label=curie, categories=set(), type=None, equivalents=set(), agent=None, composed_of=None,
                          broader=set(), mentioned_in=set())


def add_concept(d: NodeAttributes | None, c: Concept) -> NodeAttributes:
    """A node's attributes with one more concept for it: the first concept gives the label and type;
    categories, equivalents and superclasses accumulate; agent and head are the first given."""
    if d is None:
        return NodeAttributes(label=c.label, categories={c.category}, type=c.type, equivalents=set(c.equivalents),
                              agent=c.agent, composed_of=c.composed_of, broader=set(c.broader), mentioned_in=set())
    d["categories"].add(c.category)
    d["equivalents"].update(c.equivalents)
    d["broader"].update(c.broader)
    for k in ("agent", "composed_of"):
        if d.get(k) is None and getattr(c, k) is not None:
            d[k] = getattr(c, k)
    return d


def _add_node(g: nx.MultiDiGraph, c: Concept, doc_id: str | None = None) -> None:
    if c.curie not in g:
        g.add_node(c.curie, **add_concept(None, c))
    else:
        add_concept(g.nodes[c.curie], c)
    if doc_id is not None:
        g.nodes[c.curie]["mentioned_in"].add(doc_id)


def node_contributions(
    claims: Iterable[Claim],
    annotated: Iterable[AnnotatedDocument] = (),
    extra_concepts: Iterable[Concept] = (),
) -> Iterator[tuple[int, Concept, str | None]]:
    """``(how, concept, document id or None)`` for every concept that makes or adds to a node, in the
    order ``assemble`` adds them: each document's mentioned concepts (sorted by CURIE), the referenced
    concepts, then each claim's subject and object."""
    for ad in annotated:
        concepts: dict[str, Concept] = {}
        for m in ad.mentions:
            if m.concept is not None:
                concepts.setdefault(m.concept.curie, m.concept)
                if m.composition:
                    for alt in m.alternatives:
                        if alt.curie == m.concept.composed_of:
                            concepts.setdefault(alt.curie, alt)
        for curie in sorted(concepts):
            yield MENTIONED, concepts[curie], ad.document.id
    for c in extra_concepts:
        yield REFERENCED, c, None
    for claim in claims:
        yield CLAIMED, claim.subject, None
        yield CLAIMED, claim.object, None


def mention_spans(annotated: Iterable[AnnotatedDocument]) -> dict[str, list[tuple[str, str, int, int, str]]]:
    """Each document's grounded mentions as ``(section, language, start, end, concept)``, sorted: where a
    concept is named in the text, for a reader that marks them (the browser's document page)."""
    out = {}
    for ad in annotated:
        rows = sorted({(m.section, m.lang, m.start, m.end, m.concept.curie) for m in ad.mentions if m.concept is not None})
        if rows:
            out[ad.document.id] = rows
    return out


def evidence_key(e) -> tuple:
    """What makes two pieces of evidence one: the same sentence and the same subject and object spans."""
    return e.doc_id, e.section, e.lang, e.sentence_start, e.subject_start, e.object_start


def merge_claim(d: EdgeAttributes, claim: Claim, seen: set[tuple] | None = None) -> None:
    """An edge's attributes with one more claim of its key: evidence added (each sentence once), hedged
    only while every claim is, the best score, mediators, qualifiers and claim types accumulated.
    ``seen``: the evidence keys of the edge so far, kept by a caller that merges many claims into one
    edge (else made from its evidence: a cost that grows with the edge's evidence)."""
    if seen is None:
        seen = {evidence_key(e) for e in d["evidence"]}
    for e in claim.evidence:
        k = evidence_key(e)
        if k not in seen:
            seen.add(k)
            d["evidence"].append(e)
    d["hedged"] = d["hedged"] and claim.hedged
    d["score"] = max(d["score"], claim.score)
    d["mediators"].update(claim.mediators)
    d["qualifiers"].update(claim.qualifiers)
    d["claim_types"].add(claim.claim_type)


def assemble(
    claims: Iterable[Claim],
    documents: Iterable[Document] = (),
    annotated: Iterable[AnnotatedDocument] = (),
    extra_concepts: Iterable[Concept] = (),
) -> nx.MultiDiGraph:
    """The graph of the claims, with every grounded concept mentioned in the documents as a node."""
    claims = list(claims)
    annotated = list(annotated)
    g = nx.MultiDiGraph()
    g.graph["documents"] = {d.id: d for d in documents}
    for ad in annotated:
        g.graph["documents"].setdefault(ad.document.id, ad.document)
    added: dict[int, Concept] = {}  # concepts already added, by identity (held: an id is never reused)
    for _, concept, doc_id in node_contributions(claims, annotated, extra_concepts):
        if id(concept) in added:  # adding a concept to its node again changes nothing (add_concept)
            if doc_id is not None:
                g.nodes[concept.curie]["mentioned_in"].add(doc_id)
            continue
        added[id(concept)] = concept
        _add_node(g, concept, doc_id)
    g.graph["mention_spans"] = mention_spans(annotated)
    # the edges made so far (the graph has no other), each with its evidence keys (one set per edge): a
    # dict lookup, where ``has_edge`` raised and caught a KeyError for each claim of a new subject or object
    edges: dict[tuple[str, str, str], tuple[EdgeAttributes, set[tuple] | None]] = {}
    for claim in claims:
        key = edge_key(claim)
        s, o = claim.subject.curie, claim.object.curie
        made = edges.get((s, o, key))
        if made is not None:
            d, seen = made
            if seen is None:
                seen = {evidence_key(e) for e in d["evidence"]}
                edges[s, o, key] = (d, seen)
            merge_claim(d, claim, seen)
        else:
            g.add_edge(s, o, key=key, **EdgeAttributes(
                predicate=claim.predicate, relation=claim.relation, direction=claim.direction,
                negated=claim.negated, hedged=claim.hedged, score=claim.score, evidence=list(claim.evidence),
                mediators=set(claim.mediators), qualifiers=set(claim.qualifiers), claim_types={claim.claim_type},
            ))
            edges[s, o, key] = (g.get_edge_data(s, o, key), None)
    # Nodes referenced by therapy and composed concepts (the cell of a therapy, the head of a composition).
    for n, d in list(g.nodes(data=True)):
        for ref in (d.get("agent"), d.get("composed_of")):
            if ref and ref not in g:
                g.add_node(ref, **empty_node(ref))
    for s, o, k, d in g.edges(keys=True, data=True):
        d["evidence"].sort(key=lambda e: (e.doc_id, e.section, e.lang, e.sentence_start, e.subject_start, e.object_start))
    return g


def claims_of(g: nx.MultiDiGraph) -> list[dict]:
    """The graph's edges as plain dicts (subject, predicate, object, ...), sorted."""
    out = []
    for s, o, k, d in g.edges(keys=True, data=True):
        out.append({"subject": s, "object": o, "key": k, **d})
    return sorted(out, key=lambda r: (r["subject"], r["predicate"], r["object"], r["key"]))
