"""Deterministic node positions for a view, one unit about an inch in the figure: radial trees, a force
layout (Kamada–Kawai) or is-a layers; connected components packed side by side in rows."""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Callable
from functools import partial

import networkx as nx

from kg.draw.style import Style, default_style
from kg.errors import KgError

Positions = dict[str, tuple[float, float]]  # node -> (x, y)


def layout(view: nx.MultiDiGraph, kind: str = "auto", style: Style | None = None) -> Positions:
    """Deterministic node positions, one unit about an inch in the figure.

    ``radial``: each connected component as a tree around its busiest node (breadth-first), every
    subtree in a wedge sized by its leaves, neighbours of one family side by side, rings far enough apart
    for the labels; ``hierarchy``: is-a parents above their children, in layers; ``force``: Kamada–Kawai;
    ``auto``: hierarchy when every edge is an is-a edge, else radial. The radial layout orders
    neighbours by the ``style``'s families and categories (default: the shipped style).
    """
    if view.number_of_nodes() == 0:
        return {}
    if kind == "auto":
        fams = {d["family"] for _, _, d in view.edges(data=True)}
        kind = "hierarchy" if fams and fams <= {"is_a"} else "radial"
    if kind == "hierarchy":
        return _layered(view, style or default_style())
    if kind == "radial":
        return _pack(view, partial(_radial_component, style=style or default_style()))
    if kind == "force":
        return _pack(view, _force_component)
    raise KgError(f"unknown layout {kind!r}; use auto, radial, force or hierarchy")


def _simple(view: nx.MultiDiGraph) -> nx.Graph:
    """The view as a simple undirected graph (no loops, one edge per pair)."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(view.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in view.edges() if u != v))
    return simple


def _pack(view: nx.MultiDiGraph, place: Callable[[nx.MultiDiGraph, nx.Graph, list[str]], Positions]) -> Positions:
    """Lay out each connected component with ``place`` and set the components side by side in rows."""
    simple = _simple(view)
    comps = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    pos: Positions = {}
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


def _radial_component(view: nx.MultiDiGraph, sub: nx.Graph, comp: list[str], style: Style) -> Positions:
    """One component as a tree round its root (a focus node, else the busiest), subtrees in wedges."""
    if len(comp) == 1:
        return {comp[0]: (0.0, 0.0)}
    focus = set(view.graph.get("focus", ()))
    root = min(comp, key=lambda n: (n not in focus, -sub.degree(n), n))  # a focus node in the middle
    children, depth = _spanning_tree(view, sub, root, style)
    angle, wedge = _wedges(root, children, depth)
    # ring radii: neighbours on a ring about 1.45 units apart, rings at least 1.7 apart
    radius = {0: 0.0}
    for d in range(1, max(depth.values()) + 1):
        need = max(1.45 / min(wedge[n], math.pi) for n in depth if depth[n] == d)
        radius[d] = max(radius[d - 1] + 1.7, min(need, radius[d - 1] + 4.5))
    return {n: (radius[depth[n]] * math.cos(angle[n]), radius[depth[n]] * math.sin(angle[n])) for n in comp}


def _spanning_tree(view: nx.MultiDiGraph, sub: nx.Graph, root: str,
                   style: Style) -> tuple[dict[str, list[str]], dict[str, int]]:
    """The breadth-first tree from ``root``: each node's children (ordered by the family of the edge to
    them, then their category and label) and each node's depth."""
    fam_rank = {f.name: i for i, f in enumerate(style.families)}
    cat_rank = {c: i for i, (c, _, _) in enumerate(style.categories)}

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
    return children, depth


def _wedges(root: str, children: dict[str, list[str]],
            depth: dict[str, int]) -> tuple[dict[str, float], dict[str, float]]:
    """Each node's angle and the wedge its subtree fills, sized by the subtree's leaves."""
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
    return angle, wedge


def _force_component(view: nx.MultiDiGraph, sub: nx.Graph, comp: list[str]) -> Positions:
    """One component by Kamada–Kawai, scaled so that the median edge is 1.8 units long."""
    if len(comp) == 1:
        return {comp[0]: (0.0, 0.0)}
    raw = nx.kamada_kawai_layout(sub, pos=nx.circular_layout(comp), scale=1.0)
    lengths = sorted(math.dist(raw[u], raw[v]) for u, v in sub.edges())
    k = 1.8 / lengths[len(lengths) // 2]
    return {c: (float(raw[c][0]) * k, float(raw[c][1]) * k) for c in comp}


def _layered(view: nx.MultiDiGraph, style: Style) -> Positions:
    """Layers from the bottom up: every edge points up (a class below its parent, a claim's subject below
    its object), a node one layer above the highest node pointing at it; in each layer nodes are ordered by
    the mean position of their neighbours (one sweep up, one down). Falls back to radial on a cycle."""
    dag = nx.DiGraph()
    dag.add_nodes_from(sorted(view.nodes))
    dag.add_edges_from(sorted((u, v) for u, v in view.edges() if u != v))
    if not nx.is_directed_acyclic_graph(dag):
        return _pack(view, partial(_radial_component, style=style))
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

