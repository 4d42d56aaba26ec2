"""Drawing: a graph written by ``kg build`` as a static figure (PNG, SVG) or an offline interactive page (HTML).

The drawing works on a *view*: a networkx ``MultiDiGraph`` rebuilt from the RDF (entities, their
categories and labels, and one edge per ``biolink:Association`` with its predicate, direction, hedging
and negation, plus the structural links ``kg:therapeuticAgent``, ``kg:composedOf`` and the ontology's
``rdfs:subClassOf``), so ``kg draw`` and the notebooks draw the same thing from the same file.

    from kg.draw import view_from_rdf, figure, write
    view = view_from_rdf(kg.rdf())
    write(view, "seed.png")          # or .svg, .html (pyvis, JavaScript embedded: works offline)

Styles (colours by Biolink category, edge families) are data: ``kg/data/draw.toml``.
matplotlib and pyvis are imported only when a figure or page is made (the ``draw`` extra).
"""

from __future__ import annotations

import html as html_lib
import importlib
import io
import logging
import math
import re
import textwrap
import tomllib
from collections import defaultdict, deque
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from kg.curie import compress, expand
from kg.errors import KgError
from kg.resources import data_path
from kg.vocab import BIOLINK, KG

log = logging.getLogger(__name__)

FORMATS = (".png", ".svg", ".html")
_BIOLINK = str(BIOLINK)
_SKIP_TYPES = {BIOLINK.Association, BIOLINK.Article, BIOLINK.Agent, BIOLINK.Serial, KG.TextEvidence, KG.Grant}
_STRUCTURE = {KG.therapeuticAgent: "kg:therapeuticAgent", KG.composedOf: "kg:composedOf"}


# ---------------------------------------------------------------- style (kg/data/draw.toml)


@dataclass(frozen=True)
class Family:
    """An edge family: which edges it holds and how they look."""

    name: str
    label: str
    color: str
    width: float
    predicates: frozenset[str]
    claim_types: frozenset[str]
    direction: str | None

    def matches(self, predicate: str, direction: str | None, claim_types: Collection[str]) -> bool:
        if self.claim_types:
            return bool(self.claim_types & set(claim_types))
        if predicate not in self.predicates:
            return False
        return self.direction is None or self.direction == direction


@dataclass(frozen=True)
class Style:
    categories: tuple[tuple[str, str, str], ...]  # (category CURIE, legend label, colour), in precedence order
    other: tuple[str, str]  # (legend label, colour) for untyped nodes
    families: tuple[Family, ...]
    predicate_labels: dict[str, str]

    def category_of(self, categories: Collection[str]) -> str | None:
        """The category that colours a node: the first of the style's order among ``categories``."""
        for cat, _, _ in self.categories:
            if cat in categories:
                return cat
        return min(categories) if categories else None

    def color(self, category: str | None) -> str:
        for cat, _, color in self.categories:
            if cat == category:
                return color
        return self.other[1]

    def category_label(self, category: str | None) -> str:
        for cat, label, _ in self.categories:
            if cat == category:
                return label
        return self.other[0]

    def family(self, predicate: str, direction: str | None = None, claim_types: Collection[str] = ()) -> Family:
        for f in self.families:
            if f.matches(predicate, direction, claim_types):
                return f
        return self.families[-1]

    def family_named(self, name: str) -> Family:
        for f in self.families:
            if f.name == name:
                return f
        return self.families[-1]


@lru_cache(maxsize=1)
def load_style(path: str | None = None) -> Style:
    """The drawing style from ``kg/data/draw.toml`` (or another file of that shape)."""
    with open(path or data_path("draw.toml"), "rb") as fh:
        cfg = tomllib.load(fh)
    fams = tuple(
        Family(f["name"], f["label"], f["color"], float(f.get("width", 1.2)), frozenset(f.get("predicates", ())),
               frozenset(f.get("claim_types", ())), f.get("direction"))
        for f in cfg["family"]
    )
    return Style(
        categories=tuple((c["id"], c["label"], c["color"]) for c in cfg["category"]),
        other=(cfg["other_category"]["label"], cfg["other_category"]["color"]),
        families=fams,
        predicate_labels=dict(cfg.get("predicate_labels", {})),
    )


# ---------------------------------------------------------------- the view


def _curie(term) -> str:
    """A compact id for an IRI (a CURIE where the project knows the prefix, else the IRI)."""
    s = str(term)
    return compress(s) or s


def _text(value) -> str:
    return " ".join(str(value).split())


def _label(g: Graph, node) -> str | None:
    labels = sorted(g.objects(node, RDFS.label), key=lambda lit: (getattr(lit, "language", None) not in (None, "en"), str(lit)))
    return _text(labels[0]) if labels else None


class _Aliases:
    """Union-find over ``skos:exactMatch``: every IRI of one concept maps to the node that shows it.

    Two groups that would hold two ids of one ontology are not joined: chains of cross-references can
    link distinct concepts (as in ``kg.lexicon``), and one ontology does not name a concept twice."""

    def __init__(self) -> None:
        self.parent: dict = {}
        self.prefixes: dict = {}

    def find(self, x):
        if x not in self.parent:
            self.parent[x] = x
            self.prefixes[x] = {_curie(x).split(":", 1)[0]}
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or self.prefixes[ra] & self.prefixes[rb]:
            return
        keep, drop = min(ra, rb, key=str), max(ra, rb, key=str)
        self.parent[drop] = keep
        self.prefixes[keep] |= self.prefixes.pop(drop)


def view_from_rdf(g: Graph, structure: bool = True, hierarchy: bool = True) -> nx.MultiDiGraph:
    """The drawable view of an RDF graph written by ``kg build`` (or merged with an ontology).

    Nodes are the subjects and objects of the ``biolink:Association``s, keyed by CURIE, with ``label``,
    ``category`` (the Biolink category that colours them), ``categories``, ``type`` and ``aliases``
    (their ``skos:exactMatch`` ids). Edges hold ``family``, ``predicate``, ``direction``, ``hedged``,
    ``negated``, ``sentences``, ``mediators`` and ``label``. With ``structure``, a therapy's agent and a
    composed concept's parts are linked; with ``hierarchy``, ``rdfs:subClassOf`` is followed upwards from
    every node (through its equivalents), giving ``is_a`` edges.
    """
    style = load_style()
    view = nx.MultiDiGraph()
    # Which IRIs are one concept: the entity node (with kg:entityType) represents its exactMatch cluster.
    aliases = _Aliases()
    entities = set(g.subjects(KG.entityType, None))
    # entities' own cross-references first, so that a chain through added ontology terms cannot split them
    pairs = sorted(((s, o) for s, o in g.subject_objects(SKOS.exactMatch)
                    if isinstance(s, URIRef) and isinstance(o, URIRef)), key=lambda p: (p[0] not in entities, str(p[0]), str(p[1])))
    for s, o in pairs:
        aliases.union(s, o)
    members: dict = defaultdict(set)
    for x in list(aliases.parent):
        members[aliases.find(x)].add(x)

    def rep(x):
        """The IRI that shows x's cluster: an entity of the graph, else a labelled member, else x."""
        group = members.get(aliases.find(x)) if x in aliases.parent else None
        if not group:
            return x
        ranked = sorted(group, key=lambda m: (m not in entities, _label(g, m) is None, str(m)))
        return ranked[0]

    def add_node(x) -> str:
        x = rep(x)
        nid = _curie(x)
        if nid not in view:
            cats = set()
            for m in ({x} | members.get(aliases.find(x), set())) if x in aliases.parent else {x}:
                for t in g.objects(m, RDF.type):
                    if str(t).startswith(_BIOLINK) and t not in _SKIP_TYPES:
                        cats.add(_curie(t))
            category = style.category_of(cats)
            etype = g.value(x, KG.entityType)
            group = members.get(aliases.find(x), {x}) if x in aliases.parent else {x}
            view.add_node(
                nid, iri=str(x), label=_label(g, x) or nid, category=category, categories=tuple(sorted(cats)),
                type=str(etype) if etype is not None else None,
                aliases=tuple(sorted(_curie(m) for m in group if m != x)),
            )
        return nid

    assocs = sorted(g.subjects(RDF.type, BIOLINK.Association), key=str)
    for a in assocs:
        s, p, o = g.value(a, BIOLINK.subject), g.value(a, BIOLINK.predicate), g.value(a, BIOLINK.object)
        if s is None or p is None or o is None:
            log.warning("association %s lacks a subject, predicate or object; not drawn", a)
            continue
        direction = g.value(a, BIOLINK.object_direction_qualifier)
        direction = str(direction) if direction is not None else None
        claim_types = tuple(sorted(str(c) for c in g.objects(a, KG.claimType)))
        pred = _curie(p)
        fam = style.family(pred, direction, claim_types)
        sentences = tuple(sorted({_text(t) for t in g.objects(a, BIOLINK.supporting_text)}))
        mediators = tuple(sorted(_label(g, m) or _curie(m) for m in g.objects(a, KG.mediatedBy)))
        products = tuple(sorted(_text(x) for x in g.objects(a, KG.product)))
        sid, oid = add_node(s), add_node(o)
        view.add_edge(
            sid, oid, key=_curie(a), family=fam.name, predicate=pred, direction=direction,
            hedged=g.value(a, KG.hedged) == Literal(True), negated=g.value(a, BIOLINK.negated) == Literal(True),
            claim_types=claim_types, sentences=sentences, mediators=mediators, products=products,
            label=_edge_label(style, pred, direction),
        )

    if structure:
        for node in sorted(view.nodes):
            x = URIRef(view.nodes[node]["iri"])
            for prop, pred in _STRUCTURE.items():
                for target in sorted(g.objects(x, prop), key=str):
                    if isinstance(target, URIRef):
                        tid = add_node(target)
                        if tid != node and not view.has_edge(node, tid, pred):
                            view.add_edge(node, tid, key=pred, **_plain_edge(style, pred))

    if hierarchy:
        queue = deque(sorted(view.nodes))
        seen = set(queue)
        while queue:
            node = queue.popleft()
            x = URIRef(view.nodes[node]["iri"])
            group = members.get(aliases.find(x), {x}) if x in aliases.parent else {x}
            for m in sorted(group, key=str):
                for parent in sorted(g.objects(m, RDFS.subClassOf), key=str):
                    if isinstance(parent, BNode) or not isinstance(parent, URIRef):
                        continue
                    if _label(g, parent) is None:
                        continue  # an unnamed class says nothing to a reader
                    pid = add_node(parent)
                    if pid == node or view.has_edge(node, pid, "rdfs:subClassOf"):
                        continue
                    view.add_edge(node, pid, key="rdfs:subClassOf", **_plain_edge(style, "rdfs:subClassOf"))
                    if pid not in seen:
                        seen.add(pid)
                        queue.append(pid)

    articles = sorted(g.subjects(RDF.type, BIOLINK.Article), key=str)
    titles = []
    for art in articles:
        ts = sorted(g.objects(art, DCTERMS.title), key=lambda lit: (getattr(lit, "language", None) != "en", str(lit)))
        if ts:
            titles.append(_text(ts[0]))
    view.graph["documents"] = len(articles)
    view.graph["unlinked"] = frozenset(_curie(m) for e in entities if _curie(rep(e)) not in view
                                       for m in ({e} | members.get(aliases.find(e), set()) if e in aliases.parent else {e}))
    view.graph["title"] = titles[0] if len(titles) == 1 else (f"{len(titles)} documents" if titles else "")
    return view


def _edge_label(style: Style, predicate: str, direction: str | None) -> str:
    base = style.predicate_labels.get(predicate, predicate.split(":", 1)[-1].replace("_", " "))
    if predicate == "biolink:affects" and direction:
        return {"increased": "increases", "decreased": "decreases"}.get(direction, f"affects ({direction})")
    return base


def _plain_edge(style: Style, predicate: str) -> dict:
    return dict(family=style.family(predicate).name, predicate=predicate, direction=None, hedged=False,
                negated=False, claim_types=(), sentences=(), mediators=(), products=(),
                label=_edge_label(style, predicate, None))


def view_from_file(path: str | Path, structure: bool = True, hierarchy: bool = True) -> nx.MultiDiGraph:
    """The view of an RDF file (any format ``kg query`` reads)."""
    from kg.query import load_graph

    return view_from_rdf(load_graph(path), structure=structure, hierarchy=hierarchy)


def resolve(view: nx.MultiDiGraph, node: str) -> str:
    """The view's node for a CURIE or IRI, also found through its equivalents (``skos:exactMatch``)."""
    candidates = {node.strip()}
    try:
        candidates.add(_curie(expand(node.strip())))
    except ValueError:
        pass
    if node.startswith(("http://", "https://")):
        candidates.add(_curie(node))
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
                  families: Collection[str] | None = None) -> nx.MultiDiGraph:
    """The part of ``view`` within ``depth`` edges of the ``focus`` nodes (edges followed both ways;
    only edges of ``families`` when given). Focus ids may be CURIEs, IRIs or equivalents of a node."""
    if depth < 0:
        raise KgError(f"depth must be 0 or more, not {depth}")
    starts = [resolve(view, f) for f in focus]
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


def ancestors(view: nx.MultiDiGraph, focus: Sequence[str], claims: Collection[str] = ()) -> nx.MultiDiGraph:
    """The ``focus`` nodes and everything above them along is-a edges, with those edges; plus the edges of
    the ``claims`` families (e.g. ``{"treats"}``) that touch these nodes, and their other ends."""
    starts = [resolve(view, f) for f in focus]
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


# ---------------------------------------------------------------- layout


def layout(view: nx.MultiDiGraph, kind: str = "auto") -> dict[str, tuple[float, float]]:
    """Deterministic node positions, one unit about an inch in the figure.

    ``radial``: each connected component as a tree around its busiest node (breadth-first), every
    subtree in a wedge sized by its leaves, neighbours of one family side by side, rings far enough apart
    for the labels; ``hierarchy``: is-a parents above their children, in layers; ``force``: Kamada–Kawai;
    ``auto``: hierarchy when every edge is an is-a edge, else radial.
    """
    if view.number_of_nodes() == 0:
        return {}
    if kind == "auto":
        fams = {d["family"] for _, _, d in view.edges(data=True)}
        kind = "hierarchy" if fams and fams <= {"is_a"} else "radial"
    if kind == "hierarchy":
        return _layered(view)
    if kind == "radial":
        return _pack(view, _radial_component)
    if kind == "force":
        return _pack(view, _force_component)
    raise KgError(f"unknown layout {kind!r}; use auto, radial, force or hierarchy")


def _simple(view: nx.MultiDiGraph) -> nx.Graph:
    simple = nx.Graph()
    simple.add_nodes_from(sorted(view.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in view.edges() if u != v))
    return simple


def _pack(view: nx.MultiDiGraph, place) -> dict[str, tuple[float, float]]:
    """Lay out each connected component with ``place`` and set the components side by side in rows."""
    simple = _simple(view)
    comps = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    pos: dict[str, tuple[float, float]] = {}
    x_offset = y_offset = row_height = 0.0
    max_row = max(9.0, math.sqrt(view.number_of_nodes()) * 2.6)
    for comp in comps:
        local = place(view, simple.subgraph(comp), comp)
        xs = [p[0] for p in local.values()]
        ys = [p[1] for p in local.values()]
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        if x_offset > 0 and x_offset + w > max_row:
            y_offset -= row_height + 2.0
            x_offset, row_height = 0.0, 0.0
        for c, (x, y) in local.items():
            pos[c] = (round(x - min(xs) + x_offset, 6), round(y - max(ys) + y_offset, 6))
        x_offset += w + 2.6
        row_height = max(row_height, h)
    return pos


def _radial_component(view: nx.MultiDiGraph, sub: nx.Graph, comp: list[str]) -> dict[str, tuple[float, float]]:
    if len(comp) == 1:
        return {comp[0]: (0.0, 0.0)}
    style = load_style()
    fam_rank = {f.name: i for i, f in enumerate(style.families)}
    cat_rank = {c: i for i, (c, _, _) in enumerate(style.categories)}
    focus = set(view.graph.get("focus", ()))
    root = min(comp, key=lambda n: (n not in focus, -sub.degree(n), n))  # a focus node in the middle

    def order(parent: str, child: str) -> tuple:
        fams = [d["family"] for d in view.get_edge_data(parent, child, default={}).values()]
        fams += [d["family"] for d in view.get_edge_data(child, parent, default={}).values()]
        f = min((fam_rank.get(x, 99) for x in fams), default=99)
        return (f, cat_rank.get(view.nodes[child]["category"], 99), view.nodes[child]["label"].lower(), child)

    children: dict[str, list[str]] = {root: []}
    depth = {root: 0}
    queue = deque([root])
    while queue:
        n = queue.popleft()
        for m in sorted((m for m in sub.neighbors(n) if m not in depth), key=lambda m: order(n, m)):
            depth[m] = depth[n] + 1
            children[n].append(m)
            children[m] = []
            queue.append(m)
    weight: dict[str, float] = {}
    for n in sorted(depth, key=lambda n: -depth[n]):
        weight[n] = max(1.0, sum(weight[c] for c in children[n]))
    angle = {root: 0.0}
    wedge = {root: 2 * math.pi}
    for n in sorted(depth, key=lambda n: (depth[n], n)):
        kids = children[n]
        if not kids:
            continue
        total = sum(weight[c] for c in kids)
        if n == root:
            # the root's children go clockwise round it, leaving a gap below it for its label
            gap = 2 * math.pi * 1.6 / (total + 1.6) if len(kids) > 2 else 0.0
            span, start, step = 2 * math.pi - gap, -math.pi / 2 - gap / 2, -1.0
        else:
            span, start, step = wedge[n], angle[n] - wedge[n] / 2, 1.0
        for c in kids:
            wedge[c] = span * weight[c] / total
            angle[c] = start + step * wedge[c] / 2
            start += step * wedge[c]
    # ring radii: neighbours on a ring about 1.45 units apart, rings at least 1.7 apart
    radius = {0: 0.0}
    for d in range(1, max(depth.values()) + 1):
        need = max(1.45 / min(wedge[n], math.pi) for n in depth if depth[n] == d)
        radius[d] = max(radius[d - 1] + 1.7, min(need, radius[d - 1] + 4.5))
    return {n: (radius[depth[n]] * math.cos(angle[n]), radius[depth[n]] * math.sin(angle[n])) for n in comp}


def _force_component(view: nx.MultiDiGraph, sub: nx.Graph, comp: list[str]) -> dict[str, tuple[float, float]]:
    if len(comp) == 1:
        return {comp[0]: (0.0, 0.0)}
    raw = nx.kamada_kawai_layout(sub, pos=nx.circular_layout(comp), scale=1.0)
    lengths = sorted(math.dist(raw[u], raw[v]) for u, v in sub.edges())
    k = 1.8 / lengths[len(lengths) // 2]
    return {c: (float(raw[c][0]) * k, float(raw[c][1]) * k) for c in comp}


def _layered(view: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Layers from the bottom up: every edge points up (a class below its parent, a claim's subject below
    its object), a node one layer above the highest node pointing at it; in each layer nodes are ordered by
    the mean position of their neighbours (one sweep up, one down). Falls back to radial on a cycle."""
    dag = nx.DiGraph()
    dag.add_nodes_from(sorted(view.nodes))
    dag.add_edges_from(sorted((u, v) for u, v in view.edges() if u != v))
    if not nx.is_directed_acyclic_graph(dag):
        return _pack(view, _radial_component)
    level: dict[str, int] = {}
    for n in nx.lexicographical_topological_sort(dag):
        level[n] = max((level[p] + 1 for p in dag.predecessors(n)), default=0)
    layers: dict[int, list[str]] = defaultdict(list)
    for n in sorted(level, key=lambda n: (view.nodes[n]["label"].lower(), n)):
        layers[level[n]].append(n)
    x: dict[str, float] = {}

    def place(nodes: list[str]) -> None:
        for i, n in enumerate(nodes):
            x[n] = (i - (len(nodes) - 1) / 2) * 2.3

    def sweep(levels: list[int], neighbours) -> None:
        for lv in levels:
            nodes = layers[lv]
            keyed = []
            for i, n in enumerate(nodes):
                xs = [x[m] for m in neighbours(n) if m in x and level[m] != lv]
                keyed.append((sum(xs) / len(xs) if xs else x.get(n, i), i, n))
            layers[lv] = [n for *_, n in sorted(keyed)]
            place(layers[lv])

    for lv in sorted(layers):
        place(layers[lv])
    sweep(sorted(layers)[1:], dag.predecessors)
    sweep(sorted(layers, reverse=True)[1:], dag.successors)
    return {n: (x[n], 1.5 * level[n]) for n in view.nodes}


# ---------------------------------------------------------------- static figure (matplotlib)


def _wrap(text: str, width: int = 18) -> str:
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=True)) or text


def _label_direction(view: nx.MultiDiGraph, pos: dict, node: str) -> tuple[float, float]:
    """Where a node's label goes: the middle of the widest free angle between its edges (outwards for a
    leaf, below for a node with no edges)."""
    x, y = pos[node]
    angles = sorted({math.atan2(pos[m][1] - y, pos[m][0] - x)
                     for m in set(view.successors(node)) | set(view.predecessors(node)) if m != node})
    if not angles:
        return 0.0, -1.0
    if len(angles) == 1:
        a = angles[0] + math.pi
    else:
        gaps = [((angles[(i + 1) % len(angles)] - angles[i]) % (2 * math.pi), angles[i]) for i in range(len(angles))]
        # prefer a gap below or beside the node when gaps are about as wide
        width, start = max(gaps, key=lambda g: (round(g[0], 2), -math.sin(g[1] + g[0] / 2)))
        a = start + width / 2
    return math.cos(a), math.sin(a)


def _blocked(pos: dict, u: str, v: str, clearance: float = 0.35) -> bool:
    """Whether the straight line from u to v passes within ``clearance`` of another node."""
    (x1, y1), (x2, y2) = pos[u], pos[v]
    dx, dy = x2 - x1, y2 - y1
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return False
    for n, (x, y) in pos.items():
        if n == u or n == v:
            continue
        t = ((x - x1) * dx + (y - y1) * dy) / length2
        if 0.0 < t < 1.0 and math.hypot(x1 + t * dx - x, y1 + t * dy - y) < clearance:
            return True
    return False


def figure(view: nx.MultiDiGraph, title: str | None = None, kind: str = "auto",
           pos: dict[str, tuple[float, float]] | None = None):
    """The view as a matplotlib ``Figure`` (no pyplot state): nodes coloured by Biolink category, edges
    coloured by predicate family, arrow heads by direction (arrow: increases, bar: decreases), hedged
    claims dashed, negated ones dotted grey with a cross, and a legend that names every colour and line
    style present."""
    _require("matplotlib")
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    style = load_style()
    pos = pos or layout(view, kind)
    edges = sorted(view.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))
    degree = dict(view.degree())
    hub = {n for n, k in degree.items() if k >= 6}
    focus = set(view.graph.get("focus", ()))

    # legend entries first: the figure must be tall enough for them
    entries: list[tuple[object, bool]] = []
    cat_order = [c for c, _, _ in style.categories]
    cats = sorted({d["category"] for _, d in view.nodes(data=True)},
                  key=lambda c: cat_order.index(c) if c in cat_order else len(cat_order))
    entries.append((Line2D([], [], linestyle="none", label="Entities, by Biolink category"), True))
    for c in cats:
        entries.append((Line2D([], [], marker="o", linestyle="none", markersize=11, markerfacecolor=style.color(c),
                               markeredgecolor="#333333", label=style.category_label(c)), False))
    fams_present = {d["family"] for _, _, _, d in edges}
    if fams_present:
        entries.append((Line2D([], [], linestyle="none", label="Relations, by predicate"), True))
        for f in style.families:
            if f.name in fams_present:
                entries.append((Line2D([], [], color=f.color, linewidth=max(f.width, 1.8), label=f.label), False))
    marks = []
    if any(d["direction"] == "increased" or style.family_named(d["family"]).name not in ("part",)
           and d["direction"] != "decreased" for _, _, _, d in edges):
        marks.append(Line2D([], [], color="#444444", marker=">", markersize=8, linewidth=1.4,
                            label="arrow head: relates to / increases"))
    if any(d["direction"] == "decreased" for _, _, _, d in edges):
        marks.append(Line2D([], [], color="#444444", marker="|", markersize=12, markeredgewidth=2.2, linewidth=1.4,
                            label="bar head: decreases, lowers"))
    if any(d["hedged"] for _, _, _, d in edges):
        marks.append(Line2D([], [], color="#444444", linestyle=(0, (4, 2.5)), linewidth=1.8,
                            label="dashed: hedged claim (may, expected)"))
    if any(d["negated"] for _, _, _, d in edges):
        marks.append(Line2D([], [], color="#9A9A9A", linestyle=(0, (1, 2)), linewidth=1.8,
                            label="dotted grey, ✗: negated claim"))
    if focus:
        marks.append(Line2D([], [], marker="o", linestyle="none", markersize=11, markerfacecolor="white",
                            markeredgecolor="#D62728", markeredgewidth=2.4, label="red ring: the focus"))
    if marks:
        entries.append((Line2D([], [], linestyle="none", label="Line styles"), True))
        entries += [(m, False) for m in marks]

    # sizes: one layout unit is one inch; the axes hold the layout plus room for outer labels
    mx, my = 1.7, 0.9
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    # at most 60 inches a side: a bigger graph is drawn smaller (and is better drawn with a focus)
    unit = min(1.0, 60.0 / (max(xs) - min(xs) + 2 * mx), 60.0 / (max(ys) - min(ys) + 2 * my))
    if view.number_of_nodes() > 150:
        log.warning("a figure of %d nodes is hard to read; draw a node's neighbourhood (--focus CURIE)",
                    view.number_of_nodes())
    ax_w = (max(xs) - min(xs) + 2 * mx) * unit
    ax_h = (max(ys) - min(ys) + 2 * my) * unit
    legend_w = 3.4
    legend_h = 0.235 * len(entries) + 0.4
    if title is None:
        title = view.graph.get("title") or ""
    title_lines = textwrap.wrap(title, int((ax_w + legend_w) * 11)) if title else []
    header = 0.35 + 0.25 * len(title_lines)
    fig_w, body_h = ax_w + legend_w, max(ax_h, legend_h)
    fig_h = body_h + header
    fig = Figure(figsize=(fig_w, fig_h), dpi=100)
    ax = fig.add_axes((0.0, (body_h - ax_h) / fig_h, ax_w / fig_w, ax_h / fig_h))
    ax.set_axis_off()
    ax.set_xlim(min(xs) - mx, max(xs) + mx)
    ax.set_ylim(min(ys) - my, max(ys) + my)
    pts = 72.0 * unit  # points per layout unit

    size = {n: (760.0 if n in hub else 460.0) for n in view.nodes}
    radius = {n: math.sqrt(s) / 2 for n, s in size.items()}

    pair_count: dict[tuple[str, str], int] = defaultdict(int)
    for u, v, k, d in edges:
        if u == v:
            continue
        pair = (min(u, v), max(u, v))
        i = pair_count[pair]
        pair_count[pair] += 1
        rad = 0.0 if i == 0 else 0.2 * ((i + 1) // 2) * (1 if i % 2 else -1)
        if rad == 0.0 and _blocked(pos, u, v):
            rad = 0.3
        fam = style.family_named(d["family"])
        color = "#9A9A9A" if d["negated"] else fam.color
        if d["direction"] == "decreased":
            head, stem = "-[, widthB=0.5, lengthB=0.0", 2.0
        elif fam.name == "part":
            head, stem = "-", 0.0
        else:
            head, stem = "-|>, head_length=0.55, head_width=0.3", 9.0
        sa, sb = radius[u] + 1.0, radius[v] + 2.0
        common = dict(connectionstyle=f"arc3,rad={rad}", color=color, mutation_scale=16, zorder=1)
        if d["negated"] or d["hedged"]:
            # a dashed shaft and a solid head: matplotlib would dash the head's outline too
            ls = (0, (1, 2)) if d["negated"] else (0, (4, 2.5))
            ax.add_patch(FancyArrowPatch(pos[u], pos[v], arrowstyle="-", linestyle=ls, linewidth=fam.width,
                                         shrinkA=sa, shrinkB=sb + (stem if head != "-" else 0), **common))
            if head != "-":
                length = math.dist(pos[u], pos[v]) * pts
                ax.add_patch(FancyArrowPatch(pos[u], pos[v], arrowstyle=head, linewidth=fam.width,
                                             shrinkA=max(sa, length - sb - stem - 1.0), shrinkB=sb, **common))
        else:
            ax.add_patch(FancyArrowPatch(pos[u], pos[v], arrowstyle=head, linewidth=fam.width, shrinkA=sa,
                                         shrinkB=sb, **common))
        if d["negated"]:
            mx_, my_ = (pos[u][0] + pos[v][0]) / 2, (pos[u][1] + pos[v][1]) / 2
            ax.text(mx_, my_, "✗", color="#D62728", fontsize=13, fontweight="bold", ha="center", va="center", zorder=3)

    for node in sorted(view.nodes):
        d = view.nodes[node]
        ax.scatter([pos[node][0]], [pos[node][1]], s=size[node], c=[style.color(d["category"])],
                   edgecolors="#D62728" if node in focus else "#333333", linewidths=2.6 if node in focus else 0.8,
                   zorder=2)

    for node in sorted(view.nodes):
        d = view.nodes[node]
        dx, dy = _label_direction(view, pos, node)
        r = radius[node] + 2.5
        ha = "left" if dx > 0.38 else ("right" if dx < -0.38 else "center")
        va = "bottom" if dy > 0.38 else ("top" if dy < -0.38 else "center")
        ax.annotate(_wrap(d["label"]), pos[node], xytext=(dx * r, dy * r), textcoords="offset points", ha=ha, va=va,
                    fontsize=9.5, zorder=4, linespacing=1.1,
                    fontweight="bold" if node in hub or node in focus else "normal",
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))

    lax = fig.add_axes((ax_w / fig_w, 0.0, legend_w / fig_w, body_h / fig_h))
    lax.set_axis_off()
    leg = lax.legend(handles=[h for h, _ in entries], loc="upper left", bbox_to_anchor=(0.0, 1.0), frameon=False,
                     fontsize=9, handlelength=2.6, borderaxespad=0.2, labelspacing=0.55)
    for text, (_, is_header) in zip(leg.get_texts(), entries):
        if is_header:
            text.set_fontweight("bold")
            text.set_fontsize(10)

    n_claims = sum(1 for *_, d in edges if d["sentences"])
    hedged = sum(1 for *_, d in edges if d["sentences"] and d["hedged"])
    negated = sum(1 for *_, d in edges if d["sentences"] and d["negated"])
    subtitle = (f"{view.number_of_nodes()} entities, {n_claims} claims from the text ({hedged} hedged, {negated} negated)"
                + (f", {len(edges) - n_claims} ontology links" if len(edges) > n_claims else ""))
    top = 1 - 0.12 / fig_h
    if title_lines:
        fig.text(0.01, top, "\n".join(title_lines), fontsize=12, fontweight="bold", va="top", ha="left")
    fig.text(0.01, top - 0.25 * len(title_lines) / fig_h, subtitle, fontsize=10, va="top", ha="left", color="#444444")
    return fig


def figure_bytes(fig, fmt: str) -> bytes:
    """A figure as PNG or SVG bytes, the same bytes for the same figure (no dates, fixed SVG ids)."""
    import matplotlib

    buf = io.BytesIO()
    if fmt == "png":
        fig.savefig(buf, format="png", dpi=110, metadata={"Software": None}, facecolor="white")
    elif fmt == "svg":
        with matplotlib.rc_context({"svg.hashsalt": "kg", "svg.fonttype": "none"}):
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, facecolor="white")
    else:
        raise KgError(f"unknown figure format {fmt!r}; use png or svg")
    return buf.getvalue()


# ---------------------------------------------------------------- interactive page (pyvis)

_CDN_TAG = re.compile(r"<link[^>]*href=\"https?://[^\"]*\"[^>]*/?>|<script[^>]*src=\"https?://[^\"]*\"[^>]*>\s*</script>", re.S)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.S)


def html(view: nx.MultiDiGraph, title: str | None = None, kind: str = "auto",
         pos: dict[str, tuple[float, float]] | None = None) -> str:
    """The view as one self-contained HTML page (pyvis / vis-network with its JavaScript embedded, no
    network access): same colours and positions as the figure; hover a node or an edge for its ids,
    evidence sentences and qualifiers; drag to rearrange, scroll to zoom."""
    _require("pyvis")
    from pyvis.network import Network

    style = load_style()
    pos = pos or layout(view, kind)
    net = Network(height="760px", width="100%", directed=True, cdn_resources="in_line", heading="")
    net.toggle_physics(False)
    degree = dict(view.degree())
    for node in sorted(view.nodes):
        d = view.nodes[node]
        x, y = pos[node]
        tip = [d["label"], node, style.category_label(d["category"]) + (f" ({d['category']})" if d["category"] else "")]
        if d.get("aliases"):
            tip.append("same as: " + ", ".join(d["aliases"]))
        net.add_node(node, label=_wrap(d["label"], 22), title="\n".join(tip), color=style.color(d["category"]),
                     x=round(x * 100, 1), y=round(-y * 100, 1), shape="dot", size=22 if degree[node] >= 6 else 14,
                     borderWidth=1, font={"size": 15, "face": "sans-serif"})
    pair_count: dict[tuple[str, str], int] = defaultdict(int)
    for u, v, k, d in sorted(view.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        fam = style.family_named(d["family"])
        pair = tuple(sorted((u, v)))
        i = pair_count[pair]
        pair_count[pair] += 1
        tip = [f"{view.nodes[u]['label']} — {d['label']} → {view.nodes[v]['label']}", d["predicate"]
               + (f" ({d['direction']})" if d["direction"] else "")]
        if d["hedged"]:
            tip.append("hedged")
        if d["negated"]:
            tip.append("NEGATED")
        if d["mediators"]:
            tip.append("through: " + ", ".join(d["mediators"]))
        if d["products"]:
            tip.append("product: " + ", ".join(d["products"]))
        for s in d["sentences"]:
            tip.append(textwrap.fill("“" + s + "”", 90))
        head = "bar" if d["direction"] == "decreased" else "arrow"
        net.add_edge(u, v, title="\n".join(tip), label=("not " if d["negated"] else "") + d["label"],
                     color="#9A9A9A" if d["negated"] else fam.color, width=fam.width * 1.3,
                     dashes=[2, 4] if d["negated"] else bool(d["hedged"]),
                     arrows={"to": {"enabled": fam.name != "part", "type": head}},
                     font={"size": 11, "align": "middle", "color": "#333333"},
                     smooth={"enabled": i > 0, "type": "curvedCW", "roundness": 0.15 * i})
    page = net.generate_html(notebook=False)
    # pyvis links Bootstrap from a CDN whatever cdn_resources says; the graph does not need it.
    page = _CDN_TAG.sub("", page)
    page = _EMPTY_HEADING.sub("", page)
    if title is None:
        title = view.graph.get("title") or "kg graph"
    head = f"<title>{html_lib.escape(title)}</title>"
    page = page.replace("<head>", "<head>\n        " + head, 1)
    page = page.replace("<body>", "<body>\n" + _legend_html(view, style, title), 1)
    return page


def _legend_html(view: nx.MultiDiGraph, style: Style, title: str) -> str:
    cats = []
    present = {d["category"] for _, d in view.nodes(data=True)}
    for c, label, color in list(style.categories) + [(None, *style.other)]:
        if c in present:
            cats.append(f'<span style="white-space:nowrap;margin-right:12px"><span style="display:inline-block;'
                        f'width:12px;height:12px;border-radius:6px;background:{color};border:1px solid #333;'
                        f'vertical-align:middle"></span> {html_lib.escape(label)}</span>')
    fams = {d["family"] for _, _, d in view.edges(data=True)}
    lines = []
    for f in style.families:
        if f.name in fams:
            lines.append(f'<span style="white-space:nowrap;margin-right:12px"><span style="display:inline-block;'
                         f'width:26px;height:0;border-top:3px solid {f.color};vertical-align:middle"></span> '
                         f'{html_lib.escape(f.label)}</span>')
    notes = "Dashed: hedged claim. Bar head: decreases. Hover a node or an edge for ids and evidence sentences."
    return (f'<div id="kg-legend" style="font-family:sans-serif;font-size:13px;margin:6px 4px">'
            f'<div style="font-weight:bold;font-size:15px">{html_lib.escape(title)}</div>'
            f'<div>{"".join(cats)}</div><div>{"".join(lines)}</div>'
            f'<div style="color:#555">{notes}</div></div>\n')


# ---------------------------------------------------------------- writing


def _require(module: str) -> None:
    """Import check for the optional drawing libraries, with a one-line hint instead of a traceback."""
    try:
        importlib.import_module(module)
    except ImportError:
        raise KgError(f"drawing needs {module}: pip install 'kg[draw]'") from None


def _write_bytes_atomic(path: Path, data: bytes) -> None:
    from kg.rdf import write_atomic

    write_atomic(path, data)


def check_output(path: str | Path) -> str:
    """The output kind of a path by its suffix (``.png``, ``.svg``, ``.html``); a ``KgError`` otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise KgError(f"unknown figure format {suffix or '(no suffix)'!r}; use one of {', '.join(FORMATS)}", path)
    directory = Path(path).parent
    if str(directory) and not directory.is_dir():
        raise KgError("output folder does not exist", directory)
    return suffix[1:]


def write(view: nx.MultiDiGraph, path: str | Path, title: str | None = None, kind: str = "auto") -> str:
    """Draw ``view`` to ``path`` (PNG, SVG or HTML by suffix), atomically. Returns the format written."""
    fmt = check_output(path)
    path = Path(path)
    if view.number_of_nodes() == 0:
        raise KgError("nothing to draw: the graph has no claims", path)
    if fmt == "html":
        data = html(view, title, kind).encode("utf-8")
    else:
        data = figure_bytes(figure(view, title, kind), fmt)
    _write_bytes_atomic(path, data)
    log.info("drew %d nodes and %d edges to %s", view.number_of_nodes(), view.number_of_edges(), path)
    return fmt


def draw_file(graph: str | Path, output: str | Path, focus: Sequence[str] = (), depth: int = 1,
              title: str | None = None) -> nx.MultiDiGraph:
    """``kg draw``: read an RDF file, optionally keep the neighbourhood of ``focus``, and draw it."""
    check_output(output)  # an unknown suffix fails before any work
    view = view_from_file(graph)
    if focus:
        try:
            view = neighbourhood(view, focus, depth)
        except KgError as exc:
            raise KgError(exc.message, graph) from None
    write(view, output, title)
    return view
