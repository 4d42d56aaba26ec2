"""Stage 5a, assemble: the claims as a networkx ``MultiDiGraph`` (one edge per subject, predicate, object,
direction and polarity, evidence merged), aligned across the languages of a document. Node and edge
attributes are written down in ``attributes``; ``combine`` folds the graphs of a corpus's chunks into the
corpus's graph (as records, in constant memory)."""

from kg.graph.align import Labeller, add_labels, document_languages, mark_alignment, reconcile
from kg.graph.assemble import assemble, claims_of, edge_key, empty_node
from kg.graph.attributes import EdgeAttributes, GraphAttributes, NodeAttributes
from kg.graph.combine import edge_records, fold_edge, fold_node, node_records

__all__ = ["EdgeAttributes", "GraphAttributes", "Labeller", "NodeAttributes", "add_labels", "assemble", "claims_of",
           "document_languages", "edge_key", "edge_records", "empty_node", "fold_edge", "fold_node", "mark_alignment",
           "node_records", "reconcile"]
