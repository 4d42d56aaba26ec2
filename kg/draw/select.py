"""Parts of a view: a node found by any of its ids, a node's neighbourhood, the is-a ancestors of nodes,
the edges of some families."""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Sequence

import networkx as nx

from kg.config import Config
from kg.curie import curies_of
from kg.draw.view import node_id
from kg.errors import KgError


def resolve(view: nx.MultiDiGraph, node: str, config: Config | None = None) -> str:
    """The view's node for a CURIE or IRI, also found through its equivalents (``skos:exactMatch``);
    ``config`` gives the prefix map (default: the shipped policy)."""
    curies = curies_of(config or Config.default())
    candidates = {node.strip()}
    try:
        candidates.add(node_id(curies.expand(node.strip()), curies))
    except ValueError:
        pass
    if node.startswith(("http://", "https://")):
        candidates.add(node_id(node, curies))
    for c in candidates:
        if c in view:
            return c
    for n, d in view.nodes(data=True):
        if candidates & set(d.get("aliases", ())):
            return n
    if candidates & view.graph.get("unlinked", frozenset()):
        raise KgError(f"{node} is mentioned in the graph but is in no claim: nothing to draw around it")
    raise KgError(f"{node} is not a node of the graph (nor an equivalent of one)")


def neighbourhood(view: nx.MultiDiGraph, focus: Sequence[str], depth: int = 1,
                  families: Collection[str] | None = None, config: Config | None = None) -> nx.MultiDiGraph:
    """The part of ``view`` within ``depth`` edges of the ``focus`` nodes (edges followed both ways;
    only edges of ``families`` when given). Focus ids may be CURIEs, IRIs or equivalents of a node."""
    if depth < 0:
        raise KgError(f"depth must be 0 or more, not {depth}")
    starts = [resolve(view, f, config) for f in focus]
    keep = set(starts)
    frontier = set(starts)
    for _ in range(depth):
        nxt = set()
        for n in frontier:
            for _, m, d in view.out_edges(n, data=True):
                if families is None or d["family"] in families:
                    nxt.add(m)
            for m, _, d in view.in_edges(n, data=True):
                if families is None or d["family"] in families:
                    nxt.add(m)
        nxt -= keep
        if not nxt:
            break
        keep |= nxt
        frontier = nxt
    sub = view.subgraph(keep).copy()
    if families is not None:
        sub.remove_edges_from([(u, v, k) for u, v, k, d in sub.edges(keys=True, data=True) if d["family"] not in families])
    sub.graph["focus"] = tuple(starts)
    return sub


def ancestors(view: nx.MultiDiGraph, focus: Sequence[str], claims: Collection[str] = (),
              config: Config | None = None) -> nx.MultiDiGraph:
    """The ``focus`` nodes and everything above them along is-a edges, with those edges; plus the edges of
    the ``claims`` families (e.g. ``{"treats"}``) that touch these nodes, and their other ends."""
    starts = [resolve(view, f, config) for f in focus]
    keep = set(starts)
    queue = deque(starts)
    while queue:
        n = queue.popleft()
        for _, parent, d in view.out_edges(n, data=True):
            if d["family"] == "is_a" and parent not in keep:
                keep.add(parent)
                queue.append(parent)
    edges = [(u, v, k) for u, v, k, d in view.edges(keys=True, data=True)
             if (d["family"] == "is_a" and u in keep and v in keep) or (d["family"] in claims and (u in keep or v in keep))]
    sub = view.edge_subgraph(edges).copy()
    sub.add_nodes_from((n, view.nodes[n]) for n in keep)
    sub.graph.update(view.graph)
    sub.graph["focus"] = tuple(starts)
    return sub


def with_families(view: nx.MultiDiGraph, families: Collection[str]) -> nx.MultiDiGraph:
    """``view`` keeping only edges of these families and the nodes they touch."""
    edges = [(u, v, k) for u, v, k, d in view.edges(keys=True, data=True) if d["family"] in families]
    sub = view.edge_subgraph(edges).copy()
    sub.graph.update(view.graph)
    return sub
