"""The static figure of a view (matplotlib, no pyplot state) and its PNG or SVG bytes.

Nodes are coloured by Biolink category, edges by predicate family; the arrow head tells the direction,
a dashed line a hedged claim, a dotted line with a cross a negated one; the legend beside the graph names
every colour and line style present. matplotlib is imported only when a figure is made.
"""

from __future__ import annotations

import importlib
import io
import logging
import math
import textwrap
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx

from kg.draw.layout import Positions, layout
from kg.draw.style import HUB_DEGREE, Family, Style, default_style
from kg.draw.view import wrap_label
from kg.errors import KgError

log = logging.getLogger(__name__)

Edge = tuple[str, str, str, dict]  # (u, v, key, attributes)
LegendEntry = tuple[Any, bool]  # (a matplotlib handle, whether it is a heading)

_MARGIN_X, _MARGIN_Y = 1.7, 0.9  # layout units round the graph, for outer labels
_MAX_INCHES = 60.0  # a side of the graph's axes at most: a bigger graph is drawn smaller
_LEGEND_WIDTH = 3.4  # inches


def require(module: str) -> None:
    """Import check for the optional drawing libraries, with a one-line hint instead of a traceback."""
    try:
        importlib.import_module(module)
    except ImportError:
        raise KgError(f"drawing needs {module}: pip install 'kg[draw]'") from None


def figure(view: nx.MultiDiGraph, title: str | None = None, kind: str = "auto", pos: Positions | None = None,
           style: Style | None = None):
    """The view as a matplotlib ``Figure`` (no pyplot state): nodes coloured by Biolink category, edges
    coloured by predicate family, arrow heads by direction (arrow: increases, bar: decreases), hedged
    claims dashed, negated ones dotted grey with a cross, and a legend that names every colour and line
    style present. ``style``: the drawing style (default: the shipped one)."""
    require("matplotlib")
    from matplotlib.figure import Figure

    style = style or default_style()
    pos = pos or layout(view, kind, style)
    edges = sorted(view.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))
    hub = {n for n, k in view.degree() if k >= HUB_DEGREE}
    focus = set(view.graph.get("focus", ()))
    if view.number_of_nodes() > 150:
        log.warning("a figure of %d nodes is hard to read; draw a node's neighbourhood (--focus CURIE)",
                    view.number_of_nodes())

    if title is None:
        title = view.graph.get("title") or ""
    entries = _legend_entries(view, edges, focus, style)  # first: the figure must be tall enough for them
    frame = _Frame.of(pos, len(entries), title)
    fig = Figure(figsize=(frame.fig_w, frame.fig_h), dpi=100, facecolor=style.palette.background)
    size = {n: (760.0 if n in hub else 460.0) for n in view.nodes}
    painter = _Painter(_graph_axes(fig, frame), pos, style, size, frame.unit)
    painter.edges(edges)
    painter.nodes(view, focus)
    painter.labels(view, hub | focus)
    _add_legend(fig, frame, entries)
    _add_title(fig, frame, _subtitle(view, edges), style)
    return fig


def figure_bytes(fig, fmt: str) -> bytes:
    """A figure as PNG or SVG bytes, the same bytes for the same figure (no dates, fixed SVG ids), on the
    figure's background colour."""
    import matplotlib

    buf = io.BytesIO()
    if fmt == "png":
        fig.savefig(buf, format="png", dpi=110, metadata={"Software": None}, facecolor=fig.get_facecolor())
    elif fmt == "svg":
        with matplotlib.rc_context({"svg.hashsalt": "kg", "svg.fonttype": "none"}):
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, facecolor=fig.get_facecolor())
    else:
        raise KgError(f"unknown figure format {fmt!r}; use png or svg")
    return buf.getvalue()


# ---------------------------------------------------------------- legend


def _legend_entries(view: nx.MultiDiGraph, edges: list[Edge], focus: Collection[str],
                    style: Style) -> list[LegendEntry]:
    """The legend's rows: the categories, the families and the line styles present in the view."""
    entries: list[LegendEntry] = [(_heading("Entities, by Biolink category"), True)]
    entries += [(h, False) for h in _category_handles(view, style)]
    fams_present = {d["family"] for _, _, _, d in edges}
    if fams_present:
        entries.append((_heading("Relations, by predicate"), True))
        entries += [(h, False) for h in _family_handles(fams_present, style)]
    marks = _mark_handles(edges, focus, style)
    if marks:
        entries.append((_heading("Line styles"), True))
        entries += [(m, False) for m in marks]
    return entries


def _heading(label: str):
    from matplotlib.lines import Line2D

    return Line2D([], [], linestyle="none", label=label)


def _category_handles(view: nx.MultiDiGraph, style: Style) -> list:
    """A dot for each category present, in the style's order."""
    from matplotlib.lines import Line2D

    cat_order = [c for c, _, _ in style.categories]
    cats = sorted({d["category"] for _, d in view.nodes(data=True)},
                  key=lambda c: cat_order.index(c) if c in cat_order else len(cat_order))
    return [Line2D([], [], marker="o", linestyle="none", markersize=11, markerfacecolor=style.color(c),
                   markeredgecolor=style.palette.outline, label=style.category_label(c)) for c in cats]


def _family_handles(present: Collection[str], style: Style) -> list:
    """A line for each family present, in the style's order."""
    from matplotlib.lines import Line2D

    return [Line2D([], [], color=f.color, linewidth=max(f.width, 1.8), label=f.label)
            for f in style.families if f.name in present]


def _mark_handles(edges: list[Edge], focus: Collection[str], style: Style) -> list:
    """The line styles present: arrow and bar heads, dashed (hedged), dotted (negated), the focus ring."""
    from matplotlib.lines import Line2D

    ink = style.palette.marks
    marks = []
    if any(d["direction"] == "increased" or style.family_named(d["family"]).name not in ("part",)
           and d["direction"] != "decreased" for _, _, _, d in edges):
        marks.append(Line2D([], [], color=ink, marker=">", markersize=8, linewidth=1.4,
                            label="arrow head: relates to / increases"))
    if any(d["direction"] == "decreased" for _, _, _, d in edges):
        marks.append(Line2D([], [], color=ink, marker="|", markersize=12, markeredgewidth=2.2, linewidth=1.4,
                            label="bar head: decreases, lowers"))
    if any(d["hedged"] for _, _, _, d in edges):
        marks.append(Line2D([], [], color=ink, linestyle=(0, (4, 2.5)), linewidth=1.8,
                            label="dashed: hedged claim (may, expected)"))
    if any(d["negated"] for _, _, _, d in edges):
        marks.append(Line2D([], [], color=style.palette.negated, linestyle=(0, (1, 2)), linewidth=1.8,
                            label="dotted grey, ✗: negated claim"))
    if focus:
        marks.append(Line2D([], [], marker="o", linestyle="none", markersize=11,
                            markerfacecolor=style.palette.background, markeredgecolor=style.palette.highlight,
                            markeredgewidth=2.4, label="red ring: the focus"))
    return marks


def _add_legend(fig, frame: "_Frame", entries: list[LegendEntry]) -> None:
    """The legend in its own axes right of the graph, headings in bold."""
    lax = fig.add_axes((frame.ax_w / frame.fig_w, 0.0, _LEGEND_WIDTH / frame.fig_w, frame.body_h / frame.fig_h))
    lax.set_axis_off()
    leg = lax.legend(handles=[h for h, _ in entries], loc="upper left", bbox_to_anchor=(0.0, 1.0), frameon=False,
                     fontsize=9, handlelength=2.6, borderaxespad=0.2, labelspacing=0.55)
    for text, (_, is_header) in zip(leg.get_texts(), entries):
        if is_header:
            text.set_fontweight("bold")
            text.set_fontsize(10)


# ---------------------------------------------------------------- sizes, title


@dataclass(frozen=True)
class _Frame:
    """The figure's geometry in inches: one layout unit is ``unit`` inches (at most 1); the graph's axes
    hold the layout plus margins, the legend is beside them, the title lines above."""

    unit: float
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    ax_w: float
    ax_h: float
    body_h: float
    fig_w: float
    fig_h: float
    title_lines: tuple[str, ...]

    @classmethod
    def of(cls, pos: Positions, n_entries: int, title: str) -> "_Frame":
        mx, my = _MARGIN_X, _MARGIN_Y
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        unit = min(1.0, _MAX_INCHES / (max(xs) - min(xs) + 2 * mx), _MAX_INCHES / (max(ys) - min(ys) + 2 * my))
        ax_w = (max(xs) - min(xs) + 2 * mx) * unit
        ax_h = (max(ys) - min(ys) + 2 * my) * unit
        legend_h = 0.235 * n_entries + 0.4
        title_lines = textwrap.wrap(title, int((ax_w + _LEGEND_WIDTH) * 11)) if title else []
        header = 0.35 + 0.25 * len(title_lines)
        fig_w, body_h = ax_w + _LEGEND_WIDTH, max(ax_h, legend_h)
        return cls(unit, (min(xs) - mx, max(xs) + mx), (min(ys) - my, max(ys) + my), ax_w, ax_h, body_h,
                   fig_w, body_h + header, tuple(title_lines))


def _graph_axes(fig, frame: _Frame):
    """The axes the graph is drawn in, at the left under the title."""
    ax = fig.add_axes((0.0, (frame.body_h - frame.ax_h) / frame.fig_h, frame.ax_w / frame.fig_w,
                       frame.ax_h / frame.fig_h))
    ax.set_axis_off()
    ax.set_xlim(*frame.xlim)
    ax.set_ylim(*frame.ylim)
    return ax


def _subtitle(view: nx.MultiDiGraph, edges: list[Edge]) -> str:
    """What the figure shows, counted: entities, claims (hedged, negated), ontology links."""
    n_claims = sum(1 for *_, d in edges if d["sentences"])
    hedged = sum(1 for *_, d in edges if d["sentences"] and d["hedged"])
    negated = sum(1 for *_, d in edges if d["sentences"] and d["negated"])
    return (f"{view.number_of_nodes()} entities, {n_claims} claims from the text ({hedged} hedged, {negated} negated)"
            + (f", {len(edges) - n_claims} ontology links" if len(edges) > n_claims else ""))


def _add_title(fig, frame: _Frame, subtitle: str, style: Style) -> None:
    """The title (in bold, wrapped) and the subtitle at the top left."""
    top = 1 - 0.12 / frame.fig_h
    if frame.title_lines:
        fig.text(0.01, top, "\n".join(frame.title_lines), fontsize=12, fontweight="bold", va="top", ha="left")
    fig.text(0.01, top - 0.25 * len(frame.title_lines) / frame.fig_h, subtitle, fontsize=10, va="top", ha="left",
             color=style.palette.marks)


# ---------------------------------------------------------------- the graph


class _Painter:
    """Draws a view's edges, nodes and labels into the graph's axes."""

    def __init__(self, ax, pos: Positions, style: Style, size: dict[str, float], unit: float) -> None:
        self.ax = ax
        self.pos = pos
        self.style = style
        self.size = size  # marker areas, points²
        self.radius = {n: math.sqrt(s) / 2 for n, s in size.items()}  # points
        self.pts = 72.0 * unit  # points per layout unit

    def edges(self, edges: list[Edge]) -> None:
        """Every edge but loops, with a cross on a negated claim."""
        for u, v, d, rad in _curvatures(edges, self.pos):
            self.edge(u, v, d, rad)
            if d["negated"]:
                (x1, y1), (x2, y2) = self.pos[u], self.pos[v]
                self.ax.text((x1 + x2) / 2, (y1 + y2) / 2, "✗", color=self.style.palette.highlight, fontsize=13,
                             fontweight="bold", ha="center", va="center", zorder=3)

    def edge(self, u: str, v: str, d: dict, rad: float) -> None:
        """One edge as an arc of curvature ``rad``: the family's colour and width, the head by direction;
        a hedged or negated claim's shaft dashed or dotted under a solid head."""
        from matplotlib.patches import FancyArrowPatch

        a, b = self.pos[u], self.pos[v]
        fam = self.style.family_named(d["family"])
        head, stem = _arrow_head(d, fam)
        sa, sb = self.radius[u] + 1.0, self.radius[v] + 2.0
        color = self.style.palette.negated if d["negated"] else fam.color
        common = dict(connectionstyle=f"arc3,rad={rad}", color=color, mutation_scale=16, zorder=1)
        if d["negated"] or d["hedged"]:
            # a dashed shaft and a solid head: matplotlib would dash the head's outline too
            ls = (0, (1, 2)) if d["negated"] else (0, (4, 2.5))
            self.ax.add_patch(FancyArrowPatch(a, b, arrowstyle="-", linestyle=ls, linewidth=fam.width,
                                              shrinkA=sa, shrinkB=sb + (stem if head != "-" else 0), **common))
            if head != "-":
                length = math.dist(a, b) * self.pts
                self.ax.add_patch(FancyArrowPatch(a, b, arrowstyle=head, linewidth=fam.width,
                                                  shrinkA=max(sa, length - sb - stem - 1.0), shrinkB=sb, **common))
        else:
            self.ax.add_patch(FancyArrowPatch(a, b, arrowstyle=head, linewidth=fam.width, shrinkA=sa,
                                              shrinkB=sb, **common))

    def nodes(self, view: nx.MultiDiGraph, focus: Collection[str]) -> None:
        """Each node as a dot of its category's colour; a focus node ringed."""
        palette = self.style.palette
        for node in sorted(view.nodes):
            d = view.nodes[node]
            self.ax.scatter([self.pos[node][0]], [self.pos[node][1]], s=self.size[node],
                            c=[self.style.color(d["category"])],
                            edgecolors=palette.highlight if node in focus else palette.outline,
                            linewidths=2.6 if node in focus else 0.8, zorder=2)

    def labels(self, view: nx.MultiDiGraph, bold: Collection[str]) -> None:
        """Each node's label in the widest free angle between its edges, on a box of the background colour."""
        for node in sorted(view.nodes):
            dx, dy = _label_direction(view, self.pos, node)
            r = self.radius[node] + 2.5
            ha = "left" if dx > 0.38 else ("right" if dx < -0.38 else "center")
            va = "bottom" if dy > 0.38 else ("top" if dy < -0.38 else "center")
            self.ax.annotate(wrap_label(view.nodes[node]["label"]), self.pos[node], xytext=(dx * r, dy * r),
                             textcoords="offset points", ha=ha, va=va, fontsize=9.5, zorder=4, linespacing=1.1,
                             fontweight="bold" if node in bold else "normal",
                             bbox=dict(boxstyle="round,pad=0.15", fc=self.style.palette.background, ec="none",
                                       alpha=0.85))


def _arrow_head(d: dict, fam: Family) -> tuple[str, float]:
    """The arrow style of an edge's head and the length (points) the head takes: a bar for decreases,
    none for the parts of a composed concept, else an arrow."""
    if d["direction"] == "decreased":
        return "-[, widthB=0.5, lengthB=0.0", 2.0
    if fam.name == "part":
        return "-", 0.0
    return "-|>, head_length=0.55, head_width=0.3", 9.0


def _curvatures(edges: list[Edge], pos: Positions) -> Iterator[tuple[str, str, dict, float]]:
    """Each edge but loops with the curvature of its arc: the first edge of a pair straight (bent when a
    node is in the way), the next ones bent to alternate sides, further each time."""
    pair_count: dict[tuple[str, str], int] = defaultdict(int)
    for u, v, _, d in edges:
        if u == v:
            continue
        pair = (min(u, v), max(u, v))
        i = pair_count[pair]
        pair_count[pair] += 1
        rad = 0.0 if i == 0 else 0.2 * ((i + 1) // 2) * (1 if i % 2 else -1)
        if rad == 0.0 and _blocked(pos, u, v):
            rad = 0.3
        yield u, v, d, rad


def _label_direction(view: nx.MultiDiGraph, pos: Positions, node: str) -> tuple[float, float]:
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


def _blocked(pos: Positions, u: str, v: str, clearance: float = 0.35) -> bool:
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
