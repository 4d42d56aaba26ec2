"""Stage 5a, assemble: the claims as a networkx ``MultiDiGraph`` (one edge per subject, predicate, object,
direction and polarity, evidence merged), aligned across the languages of a document. Node and edge
attributes are written down in ``attributes``."""

from kg.graph.align import add_labels, document_languages, mark_alignment, reconcile
from kg.graph.assemble import assemble, claims_of, edge_key
from kg.graph.attributes import EdgeAttributes, GraphAttributes, NodeAttributes

__all__ = ["EdgeAttributes", "GraphAttributes", "NodeAttributes", "add_labels", "assemble", "claims_of",
           "document_languages", "edge_key", "mark_alignment", "reconcile"]
