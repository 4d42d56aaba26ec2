"""Stage 5b and 6: the graph as RDF, and using it.

``vocab`` (Biolink and kg terms as ``DefinedNamespace``s), ``build`` (the networkx graph as an rdflib
Dataset), ``writers`` (RDF files by format name), ``io`` (reading graph files), ``query`` (SPARQL, result
formats, stats), ``named`` (documented SPARQL queries with parameters), ``store`` (the Oxigraph store and
one query interface over every backend), ``serve`` (the SPARQL endpoint), ``merge`` (ontology classes into
a graph), ``validate`` (SHACL), ``kgx`` (KGX TSV). Nothing here imports spaCy or the recognition,
grounding and extraction stages: it reads the assembled graph or RDF files.
"""

from kg.rdf.build import iri, predicate_iri, to_dataset, to_graph
from kg.rdf.io import QUAD_FORMATS, RDF_FORMATS, load_graph, load_rdf
from kg.rdf.query import format_result, format_stats, read_query, run_query, stats
from kg.rdf.writers import SUFFIXES, WRITERS, format_for, write, write_rdflib

__all__ = ["QUAD_FORMATS", "RDF_FORMATS", "SUFFIXES", "WRITERS", "format_for", "format_result", "format_stats", "iri",
           "load_graph", "load_rdf", "predicate_iri", "read_query", "run_query", "stats", "to_dataset", "to_graph", "write",
           "write_rdflib"]
