"""The offline interactive page of a view: one HTML file (pyvis / vis-network with its JavaScript embedded,
no network access) with the figure's colours and positions, a legend, and tooltips on nodes and edges.
pyvis is imported only when a page is made."""

from __future__ import annotations

import html as html_lib
import re
import textwrap
from collections import defaultdict

import networkx as nx

from kg.draw.figure import require
from kg.draw.layout import Positions, layout
from kg.draw.style import HUB_DEGREE, Style, default_style
from kg.draw.view import wrap_label

_CDN_TAG = re.compile(r"<link[^>]*href=\"https?://[^\"]*\"[^>]*/?>|<script[^>]*src=\"https?://[^\"]*\"[^>]*>\s*</script>", re.S)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.S)
_HEX6 = re.compile(r"#([0-9A-Fa-f])\1([0-9A-Fa-f])\2([0-9A-Fa-f])\3")


def html(view: nx.MultiDiGraph, title: str | None = None, kind: str = "auto", pos: Positions | None = None,
         style: Style | None = None) -> str:
    """The view as one self-contained HTML page (pyvis / vis-network with its JavaScript embedded, no
    network access): same colours and positions as the figure; hover a node or an edge for its ids,
    evidence sentences and qualifiers; drag to rearrange, scroll to zoom. ``style``: the drawing style
    (default: the shipped one)."""
    require("pyvis")
    from pyvis.network import Network

    style = style or default_style()
    pos = pos or layout(view, kind, style)
    net = Network(height="760px", width="100%", directed=True, cdn_resources="in_line", heading="")
    net.toggle_physics(False)
    _add_nodes(net, view, pos, style)
    _add_edges(net, view, style)
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


def _add_nodes(net, view: nx.MultiDiGraph, pos: Positions, style: Style) -> None:
    """Each node at its figure position, in its category's colour, with its label, ids and category as a tooltip."""
    degree = dict(view.degree())
    for node in sorted(view.nodes):
        d = view.nodes[node]
        x, y = pos[node]
        tip = [d["label"], node, style.category_label(d["category"]) + (f" ({d['category']})" if d["category"] else "")]
        if d.get("aliases"):
            tip.append("same as: " + ", ".join(d["aliases"]))
        net.add_node(node, label=wrap_label(d["label"], 22), title="\n".join(tip), color=style.color(d["category"]),
                     x=round(x * 100, 1), y=round(-y * 100, 1), shape="dot",
                     size=22 if degree[node] >= HUB_DEGREE else 14, borderWidth=1,
                     font={"size": 15, "face": "sans-serif"})


def _add_edges(net, view: nx.MultiDiGraph, style: Style) -> None:
    """Each edge in its family's colour (grey and dotted when negated, dashed when hedged), the head by
    direction, the edges of one pair curved apart."""
    pair_count: dict[tuple[str, str], int] = defaultdict(int)
    for u, v, k, d in sorted(view.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        fam = style.family_named(d["family"])
        pair = tuple(sorted((u, v)))
        i = pair_count[pair]
        pair_count[pair] += 1
        head = "bar" if d["direction"] == "decreased" else "arrow"
        net.add_edge(u, v, title=_edge_tip(view, u, v, d), label=("not " if d["negated"] else "") + d["label"],
                     color=style.palette.negated if d["negated"] else fam.color, width=fam.width * 1.3,
                     dashes=[2, 4] if d["negated"] else bool(d["hedged"]),
                     arrows={"to": {"enabled": fam.name != "part", "type": head}},
                     font={"size": 11, "align": "middle", "color": style.palette.outline},
                     smooth={"enabled": i > 0, "type": "curvedCW", "roundness": 0.15 * i})


def _edge_tip(view: nx.MultiDiGraph, u: str, v: str, d: dict) -> str:
    """An edge's tooltip: the claim in words, its predicate and qualifiers, its evidence sentences."""
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
    return "\n".join(tip)


def _css(color: str) -> str:
    """A colour as the legend's CSS writes it: ``#333333`` as ``#333``."""
    m = _HEX6.fullmatch(color)
    return f"#{m[1]}{m[2]}{m[3]}" if m else color


def _legend_html(view: nx.MultiDiGraph, style: Style, title: str) -> str:
    """The page's heading: the title, the categories and families present, how to read the lines."""
    outline, notes_color = _css(style.palette.outline), _css(style.palette.notes)
    cats = []
    present = {d["category"] for _, d in view.nodes(data=True)}
    for c, label, color in list(style.categories) + [(None, *style.other)]:
        if c in present:
            cats.append(f'<span style="white-space:nowrap;margin-right:12px"><span style="display:inline-block;'
                        f'width:12px;height:12px;border-radius:6px;background:{color};border:1px solid {outline};'
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
            f'<div style="color:{notes_color}">{notes}</div></div>\n')
