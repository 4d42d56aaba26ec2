#!/usr/bin/env python
"""Benchmark: rdflib's memory store against Oxigraph (in memory and on disk) on a generated graph.

Usage:  python benchmarks/bench_store.py [--triples 1000000] [--repeat 3] [--rdflib-repeat 3]

Generates a graph shaped like kg's output (entities with labels, categories, cross-references and an
rdfs:subClassOf hierarchy; Biolink associations with their flags, sentences and publications; text evidence
nodes) as N-Triples, then times on each store: loading it, two 2-hop joins (any two edges; association ->
object -> parent class), a ``subClassOf*`` query (the claims about any subclass of a class, as ``kg query --named treats``
asks) and writing Turtle and N-Triples. Each figure is the best of its runs (timings here vary by ±20%, and
more for rdflib). The ratios are rdflib's time over Oxigraph's.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import shutil
import sys
import tempfile
import time

BL = "https://w3id.org/biolink/vocab/"
KG = "https://w3id.org/kg/vocab/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
EXACT = "http://www.w3.org/2004/02/skos/core#exactMatch"
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = {"biolink": BL, "kg": KG, "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "skos": "http://www.w3.org/2004/02/skos/core#", "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
            "MESH": "http://id.nlm.nih.gov/mesh/", "kgid": "https://w3id.org/kg/id/"}

JOINS = {
    # every path of two edges in the graph: the join engine's throughput
    "2-hop join (any)": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?o ?q ?x }",
    # the claims about a class's direct subclasses: association -> object -> parent
    "2-hop join (claims)": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{BL}object> ?o . ?o <{SUBCLASS}> ?c }}",
}


def subclass_query(root: str) -> str:
    """The claims about the class or any class below it, written as ``kg query --named treats`` runs it: the
    class bound by a VALUES block. (DISTINCT: rdflib's ``*`` yields the start node twice when a cycle,
    exactMatch both ways, returns to it.)"""
    return f"""SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{
  VALUES ?root {{ <{root}> }}
  ?o (<{SUBCLASS}>|<{EXACT}>|^<{EXACT}>)* ?root .
  ?a <{BL}object> ?o ; <{BL}predicate> ?p .
}}"""


def generate(path: str, target: int, seed: int = 7) -> tuple[int, str]:
    """Write about ``target`` triples; returns the count and a class near the hierarchy's top."""
    rng = random.Random(seed)
    n_classes = max(100, target // 50)
    n_assoc = max(10, (target - n_classes * 5) // 20)
    n_docs = max(1, n_assoc // 20)
    lines = 0
    cls = [f"http://purl.obolibrary.org/obo/MONDO_{i:07d}" for i in range(n_classes)]
    with open(path, "w", encoding="utf-8") as fh:
        w = fh.write
        for i, c in enumerate(cls):
            w(f'<{c}> <{RDF_TYPE}> <{BL}Disease> .\n<{c}> <{LABEL}> "disease class {i}" .\n'
              f'<{c}> <{KG}entityType> "disease" .\n<{c}> <{EXACT}> <http://id.nlm.nih.gov/mesh/D{i:06d}> .\n')
            lines += 4
            if i:
                w(f"<{c}> <{SUBCLASS}> <{cls[rng.randrange(max(1, i // 2), i) if i > 2 else 0]}> .\n")
                lines += 1
                if i % 7 == 0:
                    w(f"<{c}> <{SUBCLASS}> <{cls[rng.randrange(0, i)]}> .\n")
                    lines += 1
        therapies = [f"http://id.nlm.nih.gov/mesh/T{i:06d}" for i in range(max(10, n_classes // 10))]
        for t in therapies:
            w(f'<{t}> <{RDF_TYPE}> <{BL}Treatment> .\n<{t}> <{LABEL}> "therapy {t[-6:]}" .\n')
            lines += 2
        preds = ["treats", "studied_to_treat", "applied_to_treat", "in_clinical_trials_for"]
        for i in range(n_assoc):
            a = f"https://w3id.org/kg/id/assoc/{i:08x}"
            e = f"https://w3id.org/kg/id/evidence/{i:08x}"
            s, o, p = rng.choice(therapies), rng.choice(cls), rng.choice(preds)
            doc = f"https://doi.org/10.9999/doc.{rng.randrange(n_docs)}"
            hedged = "true" if rng.random() < 0.3 else "false"
            w(f"<{s}> <{BL}{p}> <{o}> .\n"
              f"<{a}> <{RDF_TYPE}> <{BL}Association> .\n<{a}> <{BL}subject> <{s}> .\n"
              f"<{a}> <{BL}predicate> <{BL}{p}> .\n<{a}> <{BL}object> <{o}> .\n"
              f'<{a}> <{BL}negated> "false"^^<{XSD}boolean> .\n<{a}> <{KG}hedged> "{hedged}"^^<{XSD}boolean> .\n'
              f'<{a}> <{BL}knowledge_level> "knowledge_assertion" .\n<{a}> <{BL}agent_type> "text_mining_agent" .\n'
              f'<{a}> <{BL}has_confidence_score> "0.{rng.randrange(100, 999)}"^^<{XSD}decimal> .\n'
              f"<{a}> <{BL}publications> <{doc}> .\n"
              f'<{a}> <{BL}supporting_text> "Therapy {i} is expected to be used for disease class {o[-7:]}."@en .\n'
              f"<{a}> <{BL}has_evidence> <{e}> .\n"
              f"<{e}> <{RDF_TYPE}> <{KG}TextEvidence> .\n<{e}> <{KG}document> <{doc}> .\n"
              f'<{e}> <{KG}section> "abstract" .\n<{e}> <{KG}sentenceStart> "{i % 900}"^^<{XSD}integer> .\n'
              f'<{e}> <{KG}sentenceEnd> "{i % 900 + 80}"^^<{XSD}integer> .\n'
              f'<{e}> <{KG}trigger> "used for" .\n'
              f'<{e}> <{BL}supporting_text> "Therapy {i} is expected to be used for disease class {o[-7:]}."@en .\n')
            lines += 21
    return lines, cls[3]


def best(fn, repeat: int):
    times, value = [], None
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t)
    return min(times), value


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each Oxigraph measure (best is kept)")
    ap.add_argument("--rdflib-repeat", type=int, default=3, help="runs of each rdflib measure (best is kept)")
    args = ap.parse_args(argv)

    import pyoxigraph as ox
    import rdflib

    tmp = tempfile.mkdtemp(prefix="kg-bench-")
    try:
        nt = os.path.join(tmp, "graph.nt")
        n, root = generate(nt, args.triples)
        sub = subclass_query(root)
        print(f"generated {n:,} triples ({os.path.getsize(nt) / 1e6:.0f} MB N-Triples)", file=sys.stderr)
        results: dict[str, dict[str, float]] = {}
        answers: dict[str, dict[str, int]] = {}

        # rdflib, memory store
        r: dict[str, float] = {}
        holder = {}

        def rdflib_load():
            g = rdflib.Graph()
            g.parse(nt, format="nt")
            holder["g"] = g
            return len(g)

        r["load"], size = best(rdflib_load, args.rdflib_repeat)
        g = holder["g"]
        for name, q in (*JOINS.items(), ("subClassOf* query", sub)):
            r[name], res = best(lambda q=q: int(next(iter(g.query(q)))[0]), args.rdflib_repeat)
            answers.setdefault(name, {})["rdflib"] = res
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        r["Turtle out"], _ = best(lambda: len(g.serialize(format="turtle")), args.rdflib_repeat)
        r["N-Triples out"], _ = best(lambda: len(g.serialize(format="nt")), args.rdflib_repeat)
        results["rdflib memory"] = r
        print(f"rdflib: {size:,} triples; {r}", file=sys.stderr)
        del g, holder["g"]
        gc.collect()

        # Oxigraph in memory, and on disk (a fresh store folder per load)
        for label, on_disk in (("Oxigraph memory", False), ("Oxigraph on disk", True)):
            o: dict[str, float] = {}
            stores = {}

            def ox_load(on_disk=on_disk):
                if on_disk:
                    d = tempfile.mkdtemp(dir=tmp)
                    store = ox.Store(d)
                    store.bulk_load(path=nt, format=ox.RdfFormat.N_TRIPLES)
                    store.optimize()  # as kg load does
                    store.flush()
                else:
                    store = ox.Store()
                    store.bulk_load(path=nt, format=ox.RdfFormat.N_TRIPLES)
                stores["s"] = store
                return len(store)

            o["load"], size = best(ox_load, args.repeat)
            store = stores["s"]
            for name, q in (*JOINS.items(), ("subClassOf* query", sub)):
                o[name], res = best(lambda q=q: int(next(iter(store.query(q)))["n"].value), args.repeat)
                answers[name][label] = res
            o["Turtle out"], _ = best(lambda: len(store.dump(format=ox.RdfFormat.TURTLE,
                                                             from_graph=ox.DefaultGraph(), prefixes=PREFIXES)), args.repeat)
            o["N-Triples out"], _ = best(lambda: len(store.dump(format=ox.RdfFormat.N_TRIPLES,
                                                                from_graph=ox.DefaultGraph())), args.repeat)
            results[label] = o
            print(f"{label}: {size:,} triples; {o}", file=sys.stderr)
            del store, stores["s"]
            gc.collect()

        for name, by in answers.items():
            if len(set(by.values())) != 1:
                print(f"ANSWERS DIFFER for {name}: {by}", file=sys.stderr)
                return 1
        agree = ", ".join(f"{k} {v['rdflib']:,}" for k, v in answers.items())
        print(f"\n{size:,} triples; seconds, best of {args.repeat} (Oxigraph) / {args.rdflib_repeat} (rdflib) runs; "
              f"the stores' answers agree ({agree} rows)\n")
        cols = list(results)
        print(f"| {'':<20} | " + " | ".join(f"{c:>16}" for c in cols) + " | rdflib/Ox mem | rdflib/Ox disk |")
        print("|" + "---|" * (len(cols) + 3))
        for m in results["rdflib memory"]:
            row = [results[c][m] for c in cols]
            ratios = [row[0] / row[1], row[0] / row[2]]
            print(f"| {m:<20} | " + " | ".join(f"{v:>16.2f}" for v in row)
                  + f" | {ratios[0]:>12.1f}x | {ratios[1]:>13.1f}x |")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
