"""The view: a networkx ``MultiDiGraph`` rebuilt from the RDF written by ``kg build``.

Nodes are the entities of the claims (one node per ``skos:exactMatch`` cluster), with their labels and
Biolink categories; edges are the ``biolink:Association``s with their predicate, direction, hedging and
negation, plus the structural links ``kg:therapeuticAgent``, ``kg:composedOf`` and ``rdfs:subClassOf``.
"""

from __future__ import annotations

import logging
import textwrap
from collections import defaultdict, deque
from collections.abc import Callable
from pathlib import Path

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from kg.config import Config
from kg.curie import Curies, curies_of
from kg.draw.style import Style
from kg.rdf.vocab import BIOLINK, KG

log = logging.getLogger(__name__)

_BIOLINK = str(BIOLINK)
_SKIP_TYPES = {BIOLINK.Association, BIOLINK.Article, BIOLINK.Agent, BIOLINK.Serial, KG.TextEvidence, KG.Grant}
_STRUCTURE = {KG.therapeuticAgent: "kg:therapeuticAgent", KG.composedOf: "kg:composedOf"}
_IS_A = "rdfs:subClassOf"


def node_id(term, curies: Curies) -> str:
    """A compact id for an IRI (a CURIE where the prefix map knows the prefix, else the IRI)."""
    s = str(term)
    return curies.compress(s) or s


def wrap_label(text: str, width: int = 18) -> str:
    """A node label broken into lines of about ``width`` characters."""
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=True)) or text


def _text(value) -> str:
    return " ".join(str(value).split())


def _label(g: Graph, node) -> str | None:
    labels = sorted(g.objects(node, RDFS.label), key=lambda lit: (getattr(lit, "language", None) not in (None, "en"), str(lit)))
    return _text(labels[0]) if labels else None


class _Aliases:
    """Union-find over ``skos:exactMatch``: every IRI of one concept maps to the node that shows it.

    Two groups that would hold two ids of one ontology are not joined: chains of cross-references can
    link distinct concepts (as in ``kg.ontology.lexicon``), and one ontology does not name a concept twice."""

    def __init__(self, compact: Callable[[object], str]) -> None:
        self.compact = compact
        self.parent: dict = {}
        self.prefixes: dict = {}

    def find(self, x):
        if x not in self.parent:
            self.parent[x] = x
            self.prefixes[x] = {self.compact(x).split(":", 1)[0]}
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


def edge_label(style: Style, predicate: str, direction: str | None) -> str:
    """The short label of an edge: the style's label of its predicate, or the direction of an ``affects``."""
    base = style.predicate_labels.get(predicate, predicate.split(":", 1)[-1].replace("_", " "))
    if predicate == "biolink:affects" and direction:
        return {"increased": "increases", "decreased": "decreases"}.get(direction, f"affects ({direction})")
    return base


def _plain_edge(style: Style, predicate: str) -> dict:
    """The attributes of a structural edge (no claim behind it)."""
    return dict(family=style.family(predicate).name, predicate=predicate, direction=None, hedged=False,
                negated=False, claim_types=(), sentences=(), mediators=(), products=(),
                label=edge_label(style, predicate, None))


class _ViewBuilder:
    """Builds the view of one RDF graph: equivalent IRIs shown as one node, then edges added by kind."""

    def __init__(self, g: Graph, style: Style, curies: Curies) -> None:
        self.g = g
        self.style = style
        self.curies = curies
        self.view = nx.MultiDiGraph()
        # Which IRIs are one concept: the entity node (with kg:entityType) represents its exactMatch cluster.
        self.aliases = _Aliases(self.id)
        self.entities = set(g.subjects(KG.entityType, None))
        # entities' own cross-references first, so that a chain through added ontology terms cannot split them
        pairs = sorted(((s, o) for s, o in g.subject_objects(SKOS.exactMatch)
                        if isinstance(s, URIRef) and isinstance(o, URIRef)),
                       key=lambda p: (p[0] not in self.entities, str(p[0]), str(p[1])))
        for s, o in pairs:
            self.aliases.union(s, o)
        self.members: dict = defaultdict(set)
        for x in list(self.aliases.parent):
            self.members[self.aliases.find(x)].add(x)

    def id(self, term) -> str:
        return node_id(term, self.curies)

    def group(self, x) -> set:
        """The IRIs of x's concept (x alone when it has no equivalents)."""
        return self.members[self.aliases.find(x)] if x in self.aliases.parent else {x}

    def rep(self, x):
        """The IRI that shows x's cluster: an entity of the graph, else a labelled member, else x."""
        group = self.group(x)
        return min(group, key=lambda m: (m not in self.entities, _label(self.g, m) is None, str(m)))

    def add_node(self, x) -> str:
        """The node of x's concept, added with its label, categories and aliases if new."""
        x = self.rep(x)
        nid = self.id(x)
        if nid not in self.view:
            group = self.group(x)
            cats = {self.id(t) for m in group for t in self.g.objects(m, RDF.type)
                    if str(t).startswith(_BIOLINK) and t not in _SKIP_TYPES}
            etype = self.g.value(x, KG.entityType)
            self.view.add_node(
                nid, iri=str(x), label=_label(self.g, x) or nid, category=self.style.category_of(cats),
                categories=tuple(sorted(cats)), type=str(etype) if etype is not None else None,
                aliases=tuple(sorted(self.id(m) for m in group if m != x)),
            )
        return nid

    def add_associations(self) -> None:
        """One edge per ``biolink:Association``, with the claim's qualifiers and evidence."""
        g = self.g
        for a in sorted(g.subjects(RDF.type, BIOLINK.Association), key=str):
            s, p, o = g.value(a, BIOLINK.subject), g.value(a, BIOLINK.predicate), g.value(a, BIOLINK.object)
            if s is None or p is None or o is None:
                log.warning("association %s lacks a subject, predicate or object; not drawn", a)
                continue
            direction = g.value(a, BIOLINK.object_direction_qualifier)
            direction = str(direction) if direction is not None else None
            claim_types = tuple(sorted(str(c) for c in g.objects(a, KG.claimType)))
            pred = self.id(p)
            fam = self.style.family(pred, direction, claim_types)
            sentences = tuple(sorted({_text(t) for t in g.objects(a, BIOLINK.supporting_text)}))
            mediators = tuple(sorted(_label(g, m) or self.id(m) for m in g.objects(a, KG.mediatedBy)))
            products = tuple(sorted(_text(x) for x in g.objects(a, KG.product)))
            sid, oid = self.add_node(s), self.add_node(o)
            self.view.add_edge(
                sid, oid, key=self.id(a), family=fam.name, predicate=pred, direction=direction,
                hedged=g.value(a, KG.hedged) == Literal(True), negated=g.value(a, BIOLINK.negated) == Literal(True),
                claim_types=claim_types, sentences=sentences, mediators=mediators, products=products,
                label=edge_label(self.style, pred, direction),
            )

    def add_structure(self) -> None:
        """A therapy's agent and a composed concept's parts, linked to the nodes present."""
        view = self.view
        for node in sorted(view.nodes):
            x = URIRef(view.nodes[node]["iri"])
            for prop, pred in _STRUCTURE.items():
                for target in sorted(self.g.objects(x, prop), key=str):
                    if isinstance(target, URIRef):
                        tid = self.add_node(target)
                        if tid != node and not view.has_edge(node, tid, pred):
                            view.add_edge(node, tid, key=pred, **_plain_edge(self.style, pred))

    def add_hierarchy(self) -> None:
        """``rdfs:subClassOf`` followed upwards from every node (through its equivalents) to named classes."""
        view = self.view
        queue = deque(sorted(view.nodes))
        seen = set(queue)
        while queue:
            node = queue.popleft()
            x = URIRef(view.nodes[node]["iri"])
            for m in sorted(self.group(x), key=str):
                for parent in sorted(self.g.objects(m, RDFS.subClassOf), key=str):
                    if isinstance(parent, BNode) or not isinstance(parent, URIRef):
                        continue
                    if _label(self.g, parent) is None:
                        continue  # an unnamed class says nothing to a reader
                    pid = self.add_node(parent)
                    if pid == node or view.has_edge(node, pid, _IS_A):
                        continue
                    view.add_edge(node, pid, key=_IS_A, **_plain_edge(self.style, _IS_A))
                    if pid not in seen:
                        seen.add(pid)
                        queue.append(pid)

    def describe(self) -> None:
        """The view's graph attributes: ``documents``, ``unlinked`` (ids in no claim) and ``title``."""
        g, view = self.g, self.view
        articles = sorted(g.subjects(RDF.type, BIOLINK.Article), key=str)
        titles = []
        for art in articles:
            ts = sorted(g.objects(art, DCTERMS.title), key=lambda lit: (getattr(lit, "language", None) != "en", str(lit)))
            if ts:
                titles.append(_text(ts[0]))
        view.graph["documents"] = len(articles)
        view.graph["unlinked"] = frozenset(self.id(m) for e in self.entities if self.id(self.rep(e)) not in view
                                           for m in self.group(e))
        view.graph["title"] = titles[0] if len(titles) == 1 else (f"{len(titles)} documents" if titles else "")


def view_from_rdf(g: Graph, structure: bool = True, hierarchy: bool = True, config: Config | None = None,
                  style: Style | None = None) -> nx.MultiDiGraph:
    """The drawable view of an RDF graph written by ``kg build`` (or merged with an ontology).

    Nodes are the subjects and objects of the ``biolink:Association``s, keyed by CURIE, with ``label``,
    ``category`` (the Biolink category that colours them), ``categories``, ``type`` and ``aliases``
    (their ``skos:exactMatch`` ids). Edges hold ``family``, ``predicate``, ``direction``, ``hedged``,
    ``negated``, ``sentences``, ``mediators`` and ``label``. With ``structure``, a therapy's agent and a
    composed concept's parts are linked; with ``hierarchy``, ``rdfs:subClassOf`` is followed upwards from
    every node (through its equivalents), giving ``is_a`` edges. ``config`` (default: the shipped policy)
    gives the prefix map and, unless ``style`` is given, the style.
    """
    config = config or Config.default()
    builder = _ViewBuilder(g, style or Style.from_config(config), curies_of(config))
    builder.add_associations()
    if structure:
        builder.add_structure()
    if hierarchy:
        builder.add_hierarchy()
    builder.describe()
    return builder.view


def view_from_file(path: str | Path, structure: bool = True, hierarchy: bool = True, config: Config | None = None,
                   style: Style | None = None) -> nx.MultiDiGraph:
    """The view of an RDF file (any format ``kg query`` reads)."""
    from kg.rdf.io import load_graph

    return view_from_rdf(load_graph(path), structure=structure, hierarchy=hierarchy, config=config, style=style)
