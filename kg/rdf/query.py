"""SPARQL over a graph: run a query (rdflib), format its result as a table, CSV or SPARQL 1.1 results JSON,
and summarise a graph (``kg stats``)."""

from __future__ import annotations

import csv
import io
import json
import logging
from collections import Counter
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.curie import Curies
from kg.curie import default as default_curies
from kg.errors import KgError
from kg.rdf.vocab import BIOLINK, KG

log = logging.getLogger(__name__)

def read_query(query: str) -> str:
    """SPARQL text, or the contents of a file when given as ``@file.rq``."""
    if query.startswith("@"):
        p = Path(query[1:])
        try:
            return p.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise KgError("no such query file", p) from None
        except UnicodeDecodeError:
            raise KgError("query file is not UTF-8 text", p) from None
    return query


def run_query(graph: Graph, query: str, source: str = "query"):
    """Run SPARQL; a syntax error is a ``KgError`` naming the line and column."""
    from pyparsing import ParseException

    try:
        result = graph.query(query)
        if result.type == "SELECT":
            result.bindings  # rdflib evaluates lazily: evaluation errors belong here, not in the caller's loop
        return result
    except ParseException as exc:
        raise KgError(f"bad SPARQL: {exc.msg} (column {exc.col})", source, exc.lineno) from None
    except Exception as exc:
        if "requiring a dataset" in str(exc):
            raise KgError("GRAPH needs named graphs, and this graph file has one graph only: query a .trig or .nq "
                          "file or a store", source) from None
        raise KgError(f"bad SPARQL: {' '.join(str(exc).split())}", source) from None


def _term(v) -> str:
    if v is None:
        return ""
    if isinstance(v, URIRef):
        return str(v)
    return str(v)


def format_result(result, fmt: str = "table", graph: Graph | None = None, curies: Curies | None = None) -> str:
    """A query result as an aligned table (IRIs as CURIEs where ``curies`` or ``graph``'s prefixes know
    them), CSV, or SPARQL 1.1 results JSON."""
    curies = curies or default_curies()
    if result.type == "ASK":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.askAnswer)}) + "\n"
        return ("true" if result.askAnswer else "false") + "\n"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return result.graph.serialize(format="json-ld" if fmt == "json" else "turtle")
    names = [str(v) for v in result.vars]
    if fmt == "json":  # written here so that the keys come in the head's order, whichever engine ran the query
        rows = [{n: _json_term(row[i]) for i, n in enumerate(names) if row[i] is not None} for row in result]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": rows}}, ensure_ascii=False) + "\n"
    rows = [[_compact(row[i], graph, curies) if fmt == "table" else _term(row[i]) for i in range(len(names))]
            for row in result]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(names)
        w.writerows(rows)
        return buf.getvalue()
    if fmt != "table":
        raise KgError(f"unknown result format {fmt!r}; use table, csv or json")
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _json_term(v) -> dict:
    """One RDF term in SPARQL 1.1 results JSON."""
    if isinstance(v, URIRef):
        return {"type": "uri", "value": str(v)}
    if isinstance(v, Literal):
        out = {"type": "literal", "value": str(v)}
        if v.language:
            out["xml:lang"] = v.language
        elif v.datatype is not None and str(v.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = str(v.datatype)
        return out
    return {"type": "bnode", "value": str(v)}


def _compact(v, graph: Graph | None, curies: Curies) -> str:
    if v is None:
        return ""
    if isinstance(v, URIRef) and (curie := curies.compress(str(v))):
        return curie
    if isinstance(v, URIRef) and graph is not None:
        try:
            return graph.namespace_manager.normalizeUri(v)
        except Exception:
            return str(v)
    if isinstance(v, Literal):
        return str(v)
    return str(v)


_SKIPPED = ("Association", "Article", "Agent", "Serial")


def stats(graph, curies: Curies | None = None) -> dict:
    """Counts: triples, entities by Biolink category, claims by predicate, hedged and negated claims,
    documents. ``graph`` is anything that answers SPARQL with rdflib results (an rdflib Graph, a
    ``kg.rdf.store`` backend: a file or a store)."""
    curies = curies or default_curies()
    b = str(BIOLINK)

    def rows(text: str):
        return list(graph.query(f"PREFIX biolink: <{b}> PREFIX kg: <{KG}> " + text))

    def short(term) -> str:
        return curies.compress(str(term)) or str(term)

    skipped = " ".join(f"<{b}{name}>" for name in _SKIPPED)
    cats = {short(c): int(n) for c, n in rows(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c . FILTER(STRSTARTS(STR(?c), STR(biolink:)) "
        f"&& ?c NOT IN ({skipped.replace('> <', '>, <')})) }} GROUP BY ?c")}
    preds: Counter = Counter()
    hedged = negated = 0
    assocs = rows("SELECT ?a (SAMPLE(?p) AS ?p1) (SAMPLE(?d) AS ?d1) (SAMPLE(?h) AS ?h1) (SAMPLE(?x) AS ?x1) WHERE { "
                  "?a a biolink:Association . OPTIONAL { ?a biolink:predicate ?p } "
                  "OPTIONAL { ?a biolink:object_direction_qualifier ?d } OPTIONAL { ?a kg:hedged ?h } "
                  "OPTIONAL { ?a biolink:negated ?x } } GROUP BY ?a")
    for _, p, d, h, x in assocs:
        preds[(short(p) if p is not None else "(none)") + (f" ({d})" if d is not None else "")] += 1
        hedged += h is not None and h.toPython() is True
        negated += x is not None and x.toPython() is True
    (triples,) = rows("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]
    (documents,) = rows("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a biolink:Article }")[0]
    return {
        "triples": int(triples),
        "documents": int(documents),
        "entities": sum(cats.values()),
        "entities_by_category": dict(sorted(cats.items())),
        "claims": len(assocs),
        "claims_by_predicate": dict(sorted(preds.items())),
        "hedged_claims": int(hedged),
        "negated_claims": int(negated),
    }


def format_stats(s: dict) -> str:
    lines = [f"triples      {s['triples']}", f"documents    {s['documents']}", f"entities     {s['entities']}"]
    lines += [f"  {k:<32} {v}" for k, v in s["entities_by_category"].items()]
    lines.append(f"claims       {s['claims']}  (hedged {s['hedged_claims']}, negated {s['negated_claims']})")
    lines += [f"  {k:<32} {v}" for k, v in s["claims_by_predicate"].items()]
    return "\n".join(lines) + "\n"
