"""The attributes of the assembled graph's nodes and edges, written down: what ``assemble`` and ``align``
set and what the RDF writer reads (``kg.rdf.build``)."""

from __future__ import annotations

from typing import NotRequired, TypedDict

from kg.model import Document, Evidence


class NodeAttributes(TypedDict):
    """A concept node (keyed by its CURIE)."""

    label: str
    categories: set[str]  # Biolink category CURIEs
    type: str | None  # the kg entity type
    equivalents: set[str]  # other CURIEs of the concept (skos:exactMatch)
    agent: str | None  # a therapy's agent (a cell type)
    composed_of: str | None  # a composed concept's head
    broader: set[str]  # classes it is declared a subclass of
    mentioned_in: set[str]  # document ids
    labels: NotRequired[dict[str, str]]  # labels in other languages (``kg.graph.align.add_labels``)


class EdgeAttributes(TypedDict):
    """A claim edge (keyed by ``predicate|direction|polarity``), its evidence merged."""

    predicate: str  # Biolink predicate CURIE
    relation: str  # RO relation CURIE, or ""
    direction: str | None  # Biolink object_direction_qualifier
    negated: bool
    hedged: bool  # every merged claim was hedged
    score: float  # the best merged claim's confidence
    evidence: list[Evidence]
    mediators: set[str]
    qualifiers: set[tuple[str, str]]
    claim_types: set[str]
    languages: NotRequired[set[str]]  # for claims of multilingual documents (``kg.graph.align``)
    aligned: NotRequired[bool]


class GraphAttributes(TypedDict):
    """``graph.graph``."""

    documents: dict[str, Document]
    alignment: NotRequired[dict[str, int]]  # aligned / single_language edge counts
