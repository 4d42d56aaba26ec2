"""Stage 5a, assemble: a networkx MultiDiGraph with one edge per claim key, evidence merged.

Nodes are concepts (CURIEs) with their label, Biolink categories, entity type and equivalents; the graph
also carries the documents (``G.graph["documents"]``). Edge keys are ``predicate|direction|polarity`` so the
same subject and object can hold several distinct claims.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from kg.graph.attributes import EdgeAttributes, NodeAttributes
from kg.model import AnnotatedDocument, Claim, Concept, Document


def edge_key(claim: Claim) -> str:
    return f"{claim.predicate}|{claim.direction or ''}|{'negated' if claim.negated else 'asserted'}"


def _add_node(g: nx.MultiDiGraph, c: Concept, doc_id: str | None = None) -> None:
    if c.curie not in g:
        g.add_node(c.curie, **NodeAttributes(label=c.label, categories={c.category}, type=c.type,
                                             equivalents=set(c.equivalents), agent=c.agent, composed_of=c.composed_of,
                                             broader=set(c.broader), mentioned_in=set()))
    else:
        d = g.nodes[c.curie]
        d["categories"].add(c.category)
        d["equivalents"].update(c.equivalents)
        d["broader"].update(c.broader)
        for k in ("agent", "composed_of"):
            if d.get(k) is None and getattr(c, k) is not None:
                d[k] = getattr(c, k)
    if doc_id is not None:
        g.nodes[c.curie]["mentioned_in"].add(doc_id)


def _evidence_key(e) -> tuple:
    return e.doc_id, e.section, e.lang, e.sentence_start, e.subject_start, e.object_start


def assemble(
    claims: Iterable[Claim],
    documents: Iterable[Document] = (),
    annotated: Iterable[AnnotatedDocument] = (),
    extra_concepts: Iterable[Concept] = (),
) -> nx.MultiDiGraph:
    """The graph of the claims, with every grounded concept mentioned in the documents as a node."""
    g = nx.MultiDiGraph()
    g.graph["documents"] = {d.id: d for d in documents}
    for ad in annotated:
        g.graph["documents"].setdefault(ad.document.id, ad.document)
        concepts: dict[str, Concept] = {}
        for m in ad.mentions:
            if m.concept is not None:
                concepts.setdefault(m.concept.curie, m.concept)
                if m.composition:
                    for alt in m.alternatives:
                        if alt.curie == m.concept.composed_of:
                            concepts.setdefault(alt.curie, alt)
        for curie in sorted(concepts):
            _add_node(g, concepts[curie], ad.document.id)
    for c in extra_concepts:
        _add_node(g, c)
    seen_of: dict[tuple[str, str, str], set[tuple]] = {}  # the evidence keys of each edge (a set per edge, not per claim)
    for claim in claims:
        _add_node(g, claim.subject)
        _add_node(g, claim.object)
        key = edge_key(claim)
        s, o = claim.subject.curie, claim.object.curie
        if g.has_edge(s, o, key):
            d = g.edges[s, o, key]
            seen = seen_of.get((s, o, key))
            if seen is None:
                seen = seen_of[s, o, key] = {_evidence_key(e) for e in d["evidence"]}
            for e in claim.evidence:
                if _evidence_key(e) not in seen:
                    seen.add(_evidence_key(e))
                    d["evidence"].append(e)
            d["hedged"] = d["hedged"] and claim.hedged
            d["score"] = max(d["score"], claim.score)
            d["mediators"].update(claim.mediators)
            d["qualifiers"].update(claim.qualifiers)
            d["claim_types"].add(claim.claim_type)
        else:
            g.add_edge(s, o, key=key, **EdgeAttributes(
                predicate=claim.predicate, relation=claim.relation, direction=claim.direction,
                negated=claim.negated, hedged=claim.hedged, score=claim.score, evidence=list(claim.evidence),
                mediators=set(claim.mediators), qualifiers=set(claim.qualifiers), claim_types={claim.claim_type},
            ))
    # Nodes referenced by therapy and composed concepts (the cell of a therapy, the head of a composition).
    for n, d in list(g.nodes(data=True)):
        for ref in (d.get("agent"), d.get("composed_of")):
            if ref and ref not in g:
                g.add_node(ref, **NodeAttributes(label=ref, categories=set(), type=None, equivalents=set(), agent=None,
                                                 composed_of=None, broader=set(), mentioned_in=set()))
    for s, o, k, d in g.edges(keys=True, data=True):
        d["evidence"].sort(key=lambda e: (e.doc_id, e.section, e.lang, e.sentence_start, e.subject_start, e.object_start))
    return g


def claims_of(g: nx.MultiDiGraph) -> list[dict]:
    """The graph's edges as plain dicts (subject, predicate, object, ...), sorted."""
    out = []
    for s, o, k, d in g.edges(keys=True, data=True):
        out.append({"subject": s, "object": o, "key": k, **d})
    return sorted(out, key=lambda r: (r["subject"], r["predicate"], r["object"], r["key"]))
