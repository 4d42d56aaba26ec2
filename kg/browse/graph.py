"""An entity's neighbourhood as vis-network data, in the styles of ``kg draw`` (``kg.draw.Style``, draw.toml):
node colours by Biolink category, edge colours and widths by family, dashed when hedged, grey and dotted
when negated, a bar head for "decreases"; is-a edges to the parents, the therapy's agent and parts."""

from __future__ import annotations

import json

from kg.browse.data import Claim, Entity, Link, Node
from kg.draw.style import Style
from kg.draw.view import edge_label

MAX_NODES = 60


def _node(n: Node, style: Style, focus: bool = False) -> dict:
    category = style.category_of(n.categories)
    return {"id": n.iri, "label": _wrap(n.name), "title": f"{n.name}\n{n.curie}\n{style.category_label(category)}",
            "url": "/entity/" + n.curie, "color": style.color(category), "shape": "dot", "size": 22 if focus else 14,
            "borderWidth": 3 if focus else 1, "font": {"size": 14, "face": "sans-serif"}}


def _wrap(text: str, width: int = 22) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return "\n".join([*lines, line]) if line else text


def _plain(style: Style, predicate: str) -> dict:
    fam = style.family(predicate)
    return {"label": edge_label(style, predicate, None), "color": fam.color, "width": fam.width * 1.3,
            "arrows": {"to": {"enabled": fam.name != "part", "type": "arrow"}}}


def _claim_edge(c: Claim | Link, style: Style) -> dict:
    fam = style.family(c.predicate, c.direction, c.claim_types)
    label = ("not " if c.negated else "") + edge_label(style, c.predicate, c.direction)
    return {"from": c.subject.iri, "to": c.object.iri, "label": label,
            "title": f"{c.subject.name} — {label} → {c.object.name}" + ("\nhedged" if c.hedged else ""),
            "color": style.palette.negated if c.negated else fam.color, "width": fam.width * 1.3,
            "dashes": [2, 4] if c.negated else bool(c.hedged),
            "arrows": {"to": {"enabled": True, "type": "bar" if c.direction == "decreased" else "arrow"}}}


def neighbourhood(entity: Entity, style: Style) -> dict:
    """Nodes and edges around the entity (up to ``MAX_NODES`` nodes): its claims' other ends, its parents,
    its agent and parts, the therapies made of it; then the claims of those neighbours."""
    nodes: dict[str, dict] = {entity.node.iri: _node(entity.node, style, focus=True)}
    edges: list[dict] = []

    def add(n: Node) -> bool:
        if n.iri not in nodes:
            if len(nodes) >= MAX_NODES:
                return False
            nodes[n.iri] = _node(n, style)
        return True

    for c in entity.claims:
        if add(c.subject) and add(c.object):
            edges.append(_claim_edge(c, style))
    structure = [(entity.node, p, "rdfs:subClassOf") for p in entity.parents]
    structure += [(entity.node, entity.agent, "kg:therapeuticAgent")] if entity.agent else []
    structure += [(entity.node, p, "kg:composedOf") for p in entity.parts]
    structure += [(t, entity.node, "kg:therapeuticAgent") for t in entity.agent_of]
    for a, b, pred in structure:
        if add(a) and add(b):
            edges.append({"from": a.iri, "to": b.iri, **_plain(style, pred)})
    for link in entity.ring:  # the second ring, while there is room
        if link.subject.iri in nodes and link.object.iri in nodes or add(link.subject) and add(link.object):
            if link.predicate.startswith("biolink:"):
                edges.append(_claim_edge(link, style))
            else:
                edges.append({"from": link.subject.iri, "to": link.object.iri, **_plain(style, link.predicate)})
    seen, unique = set(), []
    for e in edges:  # one edge per (from, to, label): a claim read in several documents is one line
        key = (e["from"], e["to"], e["label"])
        if key not in seen:
            seen.add(key)
            unique.append(e)
    return {"nodes": list(nodes.values()), "edges": unique}


def as_script_data(data: dict) -> str:
    """JSON safe inside ``<script type="application/json">`` (no ``</script>``, no HTML comment openers)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
