"""KGX TSV export: ``nodes.tsv`` and ``edges.tsv``, the exchange format of Biolink tools (KGX, ORION, ...).

Nodes are the graph's entities (every node with ``kg:entityType``, and every subject or object of an
association); edges are its ``biolink:Association`` nodes, negated ones included (``negated`` True). Ids,
categories, predicates and publications are CURIEs; multivalued fields are ``|``-separated (a ``|`` inside a
value becomes ``/``), and tabs and line breaks inside values become spaces. Rows are sorted: the same graph
gives byte-identical files.
"""

from __future__ import annotations

import logging
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.curie import compress
from kg.errors import KgError
from kg.files import write_atomic
from kg.rdf.vocab import BIOLINK, KG

log = logging.getLogger(__name__)

NODE_COLUMNS = ("id", "category", "name", "xref", "synonym", "iri", "provided_by")
EDGE_COLUMNS = ("id", "subject", "predicate", "object", "negated", "hedged", "object_direction_qualifier",
                "knowledge_level", "agent_type", "primary_knowledge_source", "has_confidence_score",
                "publications", "supporting_text")
OIO_SYNONYMS = tuple(URIRef(f"http://www.geneontology.org/formats/oboInOwl#has{s}Synonym")
                     for s in ("Exact", "Related", "Broad", "Narrow"))
BIOLINK_NS = str(BIOLINK)


def curie(node) -> str:
    """A node's CURIE (its IRI when the prefix is unknown)."""
    return compress(str(node)) or str(node)


def _clean(value: str) -> str:
    return " ".join(str(value).replace("|", "/").split())


def _multi(values) -> str:
    return "|".join(sorted({_clean(v) for v in values if str(v).strip()}))


def _tsv(columns: tuple[str, ...], rows: list[dict]) -> str:
    """Plain TSV, no quoting (KGX's reader splits on tabs): values were cleaned of tabs and line breaks."""
    lines = ["\t".join(columns)] + ["\t".join(r[c] for c in columns) for r in rows]
    return "\n".join(lines) + "\n"


def to_kgx(graph: Graph, knowledge_source: str = "infores:kg") -> tuple[str, str]:
    """The graph's nodes and edges as KGX TSV texts."""
    assocs = sorted(set(graph.subjects(RDF.type, BIOLINK.Association)), key=str)
    nodes = {s for s in graph.subjects(KG.entityType) if isinstance(s, URIRef)}
    for a in assocs:
        for slot in (BIOLINK.subject, BIOLINK.object):
            nodes.update(o for o in graph.objects(a, slot) if isinstance(o, URIRef))
    node_rows = []
    for n in sorted(nodes, key=curie):
        cats = [curie(t) for t in graph.objects(n, RDF.type) if str(t).startswith(BIOLINK_NS)]
        labels = list(graph.objects(n, RDFS.label))  # the plain label first; other languages' become synonyms
        names = sorted(str(x) for x in labels if not getattr(x, "language", None))
        names += sorted(str(x) for x in labels if getattr(x, "language", None))
        synonyms = [str(x) for p in OIO_SYNONYMS for x in graph.objects(n, p)]
        synonyms += [str(x) for x in graph.objects(n, SKOS.altLabel)] + names[1:]
        node_rows.append({
            "id": curie(n),
            "category": _multi(cats) or "biolink:NamedThing",
            "name": _clean(names[0]) if names else "",
            "xref": _multi(curie(x) for x in graph.objects(n, SKOS.exactMatch)),
            "synonym": _multi(synonyms),
            "iri": _clean(n),
            "provided_by": knowledge_source,
        })
    edge_rows = []
    for a in assocs:
        def one(slot):
            v = graph.value(a, slot)
            return "" if v is None else (curie(v) if isinstance(v, URIRef) else _clean(v))

        edge_rows.append({
            "id": curie(a),
            "subject": one(BIOLINK.subject),
            "predicate": one(BIOLINK.predicate),
            "object": one(BIOLINK.object),
            "negated": "True" if graph.value(a, BIOLINK.negated) == Literal(True) else "False",
            "hedged": "True" if graph.value(a, KG.hedged) == Literal(True) else "False",
            "object_direction_qualifier": one(BIOLINK.object_direction_qualifier),
            "knowledge_level": one(BIOLINK.knowledge_level) or "not_provided",
            "agent_type": one(BIOLINK.agent_type) or "not_provided",
            "primary_knowledge_source": knowledge_source,
            "has_confidence_score": one(BIOLINK.has_confidence_score),
            "publications": _multi(curie(p) for p in graph.objects(a, BIOLINK.publications)),
            "supporting_text": _multi(graph.objects(a, BIOLINK.supporting_text)),
        })
    edge_rows.sort(key=lambda r: (r["subject"], r["predicate"], r["object"], r["id"]))
    return _tsv(NODE_COLUMNS, node_rows), _tsv(EDGE_COLUMNS, edge_rows)


def export(graph: Graph, folder: str | Path, knowledge_source: str = "infores:kg") -> tuple[Path, Path]:
    """Write ``folder/nodes.tsv`` and ``folder/edges.tsv`` (the folder is created; each file atomically)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise KgError("the KGX output must be a folder (nodes.tsv and edges.tsv are written in it)", folder)
    if not folder.parent.is_dir():
        raise KgError("output folder's parent does not exist", folder.parent)
    nodes, edges = to_kgx(graph, knowledge_source)
    folder.mkdir(exist_ok=True)
    write_atomic(folder / "nodes.tsv", nodes)
    write_atomic(folder / "edges.tsv", edges)
    return folder / "nodes.tsv", folder / "edges.tsv"
