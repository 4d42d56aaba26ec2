"""Combining the graphs of consecutive chunks of a corpus into the graph of the whole corpus.

A chunk's graph leaves its corpus-wide parts as plain records (JSON-ready dicts): ``node_records`` (per
node and per way it came to be one: mentioned, claimed, referenced, or only pointed to) and
``edge_records`` (per association). Sorted by key and chunk, the records of all chunks fold into the
attributes ``assemble`` would give the whole corpus at once (``fold_node``, ``fold_edge``): the first
concept names a node (mentioned ones before claimed ones, in document order), categories, equivalents
and superclasses accumulate; an association is hedged only when all its evidence is, scores its best
claim, gathers mediators, qualifiers, claim types and evidence languages, and is aligned only when every
multilingual document read it in all its languages. What needs only one document (its metadata, evidence
and mentions) stays in that document's named graph and is never combined.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import networkx as nx

from kg.graph.assemble import CLAIMED, MENTIONED, REFERENCED, add_concept, empty_node, node_contributions
from kg.graph.attributes import EdgeAttributes, NodeAttributes
from kg.model import AnnotatedDocument, Claim, Concept

# The order node records fold in: mentioned and claimed concepts name a node (in that order, as assembly
# meets them); a referenced concept counts only where no chunk mentions or claims it; a bare reference
# (``empty_node``) only where nothing else describes the identifier.
RANK = {MENTIONED: 0, CLAIMED: 1, REFERENCED: 2}
EMPTY = 3


def _rank_class(rank: int) -> int:
    return 0 if rank <= 1 else rank


def node_records(claims: Sequence[Claim], annotated: Sequence[AnnotatedDocument],
                 extra_concepts: Iterable[Concept] = ()) -> Iterator[tuple[str, int, dict]]:
    """``(curie, rank, record)`` for each node of a chunk and each way it came to be one, plus a bare
    record for each identifier a node points to (agent, head) that the chunk has no node for."""
    parts: dict[tuple[str, int], NodeAttributes] = {}
    added: dict[tuple[int, int], Concept] = {}  # (rank, id) of the concepts added (held: no id is reused)
    for how, concept, _ in node_contributions(claims, annotated, extra_concepts):
        rank = RANK[how]
        if (rank, id(concept)) in added:  # adding a concept to its record again changes nothing
            continue
        added[rank, id(concept)] = concept
        key = (concept.curie, rank)
        parts[key] = add_concept(parts.get(key), concept)
    present = {curie for curie, _ in parts}
    refs = {ref for d in parts.values() for ref in (d["agent"], d["composed_of"]) if ref and ref not in present}
    for (curie, rank), d in sorted(parts.items()):
        yield curie, rank, {"label": d["label"], "type": d["type"], "categories": sorted(d["categories"]),
                            "equivalents": sorted(d["equivalents"]), "broader": sorted(d["broader"]),
                            "agent": d["agent"], "composed_of": d["composed_of"]}
    for ref in sorted(refs):
        yield ref, EMPTY, {}


def fold_node(curie: str, records: Iterable[tuple[int, dict]]) -> tuple[NodeAttributes, bool]:
    """A node's attributes from its records in (rank, chunk) order, and whether it is only a bare
    reference (to be kept only where a node points to it)."""
    d: NodeAttributes | None = None
    best = None
    for rank, rec in records:
        cls = _rank_class(rank)
        if best is None:
            best = cls
        if cls != best:
            break
        if cls == EMPTY:
            return empty_node(curie), True
        if d is None:
            d = NodeAttributes(label=rec["label"], categories=set(rec["categories"]), type=rec["type"],
                               equivalents=set(rec["equivalents"]), agent=rec["agent"], composed_of=rec["composed_of"],
                               broader=set(rec["broader"]), mentioned_in=set())
            continue
        d["categories"].update(rec["categories"])
        d["equivalents"].update(rec["equivalents"])
        d["broader"].update(rec["broader"])
        for k in ("agent", "composed_of"):
            if d[k] is None and rec[k] is not None:
                d[k] = rec[k]
    if d is None:
        return empty_node(curie), True
    return d, False


def edge_records(g: nx.MultiDiGraph) -> Iterator[tuple[str, str, str, dict]]:
    """``(subject, object, key, record)`` for each association of a chunk's graph (after
    ``mark_alignment``)."""
    for s, o, key, d in sorted(g.edges(keys=True, data=True), key=lambda x: (x[0], x[1], x[2])):
        yield s, o, key, {
            "predicate": d["predicate"], "relation": d["relation"], "direction": d["direction"],
            "negated": bool(d["negated"]), "hedged": bool(d["hedged"]), "score": float(d["score"]),
            "mediators": sorted(d["mediators"]), "qualifiers": sorted(list(q) for q in d["qualifiers"]),
            "claim_types": sorted(d["claim_types"]), "langs": sorted({e.lang for e in d["evidence"]}),
            "multilingual": "languages" in d, "aligned": d.get("aligned"),
        }


def fold_edge(records: Iterable[dict]) -> EdgeAttributes:
    """An association's attributes from its records in chunk order (its evidence is not among them)."""
    d: EdgeAttributes | None = None
    langs: set[str] = set()
    multilingual = False
    aligned = True
    for rec in records:
        if d is None:
            d = EdgeAttributes(predicate=rec["predicate"], relation=rec["relation"], direction=rec["direction"],
                               negated=rec["negated"], hedged=rec["hedged"], score=rec["score"], evidence=[],
                               mediators=set(rec["mediators"]), qualifiers={tuple(q) for q in rec["qualifiers"]},
                               claim_types=set(rec["claim_types"]))
        else:
            d["hedged"] = d["hedged"] and rec["hedged"]
            d["score"] = max(d["score"], rec["score"])
            d["mediators"].update(rec["mediators"])
            d["qualifiers"].update(tuple(q) for q in rec["qualifiers"])
            d["claim_types"].update(rec["claim_types"])
        langs.update(rec["langs"])
        if rec["multilingual"]:
            multilingual = True
            aligned = aligned and bool(rec["aligned"])
    if d is None:
        raise ValueError("an association needs at least one record")
    if multilingual:
        d["languages"] = langs
        d["aligned"] = aligned
    return d
