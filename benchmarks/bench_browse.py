#!/usr/bin/env python
"""Benchmark: how fast the browser of ``kg serve`` renders entity pages, on the seed and on a 1M-triple store.

Usage:  python benchmarks/bench_browse.py [--triples 1000000] [--repeat 5] [--seed-graph kg.ttl]

For each graph (the seed's, built here unless ``--seed-graph`` names it; and the kg-shaped graph of
``bench_store.py`` with one hub therapy of ``--hub`` claims added, loaded into an on-disk store as ``kg load``
does) it serves the store with
``kg serve``'s server process and times ``GET /entity/<CURIE>`` over loopback HTTP for its busiest
entities (most claims, most children), best and median of ``--repeat``; beside each, in the same run and
process: the page rendered in process, and the reference, the page's SPARQL queries alone (the time
spent in ``Service.select``). Also: the search index, a search, the overview. Target: an entity page in
at most 200 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import generate  # noqa: E402

from kg.browse.routes import Site  # noqa: E402
from kg.rdf.serve import Request, Service, free_port, start  # noqa: E402
from kg.rdf.store import load_store  # noqa: E402

BL = "https://w3id.org/biolink/vocab/"
KGV = "https://w3id.org/kg/vocab/"
BUSIEST = f"""SELECT ?x (COUNT(?a) AS ?n) WHERE {{ {{ ?a <{BL}subject> ?x }} UNION {{ ?a <{BL}object> ?x }} }}
GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 2"""
PARENTS = """SELECT ?x (COUNT(?c) AS ?n) WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?x }
GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1"""


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """(best, median) seconds of ``repeat`` calls, and the last value."""
    times, value = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times), value


def add_hub(path: str, claims: int, classes: int = 20000) -> int:
    """Append a therapy with ``claims`` claims (each with an evidence sentence) to a generated graph: a hub
    like a much-studied therapy of a real corpus. Returns the triples added."""
    hub, lines = "http://id.nlm.nih.gov/mesh/T999999", 0
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f'<{hub}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{BL}Treatment> .\n'
                 f'<{hub}> <http://www.w3.org/2000/01/rdf-schema#label> "hub therapy" .\n')
        for i in range(claims):
            a, e = f"https://w3id.org/kg/id/assoc/hub{i:06d}", f"https://w3id.org/kg/id/evidence/hub{i:06d}"
            o = f"http://purl.obolibrary.org/obo/MONDO_{(i * 7919) % classes:07d}"
            doc = f"https://doi.org/10.9999/hub.{i // 3}"
            text = f"The hub therapy is used for disease class {o[-7:]} (study {i})."
            fh.write(f"<{a}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{BL}Association> .\n"
                     f"<{a}> <{BL}subject> <{hub}> .\n<{a}> <{BL}predicate> <{BL}treats> .\n<{a}> <{BL}object> <{o}> .\n"
                     f"<{a}> <{BL}has_evidence> <{e}> .\n<{e}> <{KGV}document> <{doc}> .\n"
                     f'<{e}> <{BL}supporting_text> "{text}"@en .\n<{e}> <{KGV}section> "abstract" .\n')
            lines += 8
    return lines + 2


def pages_to_time(site: Site) -> list[tuple[str, str]]:
    """(what, CURIE): the entities with the most claims and the class with the most children."""
    sel = site.service.select
    out = [(f"{int(n.value)} claims", site.reader.curie(x.value)) for x, n in sel(BUSIEST)]
    out += [(f"{int(n.value)} children", site.reader.curie(x.value)) for x, n in sel(PARENTS)]
    return out


def bench_store(name: str, store: Path, repeat: int) -> list[list[str]]:
    """Rows of the table for one store."""
    rows = []
    service = Service.open(store)
    site = Site(service)
    t = time.perf_counter()
    index = site.index()
    rows.append([name, "search index", f"{len(index):,} names", f"{(time.perf_counter() - t) * 1000:.0f}", "", "", ""])
    targets = pages_to_time(site)
    in_process = {}
    for what, curie in targets:
        req = Request("GET", "/entity/" + curie, {})
        before = [0.0]

        def render(req=req, before=before):
            before[0] = service.query_seconds
            resp = site.entity(req)
            assert resp.status == 200, (curie, resp.status)
            return service.query_seconds - before[0]

        best, median, _ = timed(render, repeat)
        queries = min(timed(render, 1)[2] for _ in range(repeat))  # the page's SPARQL queries alone
        in_process[curie] = (best, median, queries)
    best_s, _, _ = timed(lambda: index.search("disease class 12"), repeat)
    best_o, _, _ = timed(lambda: site.home(Request("GET", "/", {})), 1)
    del site, service
    with start(store, port=free_port(), app="kg.browse", wait=60) as server:
        for warm in ("/search?q=warm", "/"):  # the index and the overview, made in the server when it starts
            urllib.request.urlopen(server.url + warm, timeout=120).read()
        for what, curie in targets:
            url = server.url + "/entity/" + urllib.parse.quote(curie, safe=":")
            best, median, _ = timed(lambda url=url: urllib.request.urlopen(url, timeout=60).read(), repeat)
            ib, im, q = in_process[curie]
            rows.append([name, f"entity page {curie} ({what})", "HTTP", f"{best * 1000:.1f}", f"{median * 1000:.1f}",
                         f"{ib * 1000:.1f}", f"{q * 1000:.1f}"])
    rows.append([name, "search 'disease class 12' (in process)", "", f"{best_s * 1000:.1f}", "", "", ""])
    rows.append([name, "overview (first, uncached)", "", f"{best_o * 1000:.1f}", "", "", ""])
    return rows


def seed_graph(tmp: str, given: str | None) -> str:
    if given:
        return given
    from kg.pipeline import Pipeline

    out = os.path.join(tmp, "seed.ttl")
    Pipeline().build([str(Path(__file__).resolve().parent.parent / "seeds")]).write(out)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed-graph", help="the seed's graph (default: built from seeds/ here)")
    ap.add_argument("--hub", type=int, default=3000, help="claims of one hub therapy added to the generated graph")
    args = ap.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="kg-bench-browse-")
    try:
        seed_store = Path(tmp) / "seed.store"
        load_store([seed_graph(tmp, args.seed_graph)], seed_store)
        nt = os.path.join(tmp, "graph.nt")
        n, _ = generate(nt, args.triples)
        n += add_hub(nt, args.hub)
        big = Path(tmp) / "big.store"
        t = time.perf_counter()
        load_store([nt], big)
        print(f"generated {n:,} triples, loaded into a store in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        rows = bench_store("seed", seed_store, args.repeat) + bench_store(f"{n / 1e6:.1f}M", big, args.repeat)
        print(f"\nmilliseconds; best / median of {args.repeat}; in process: the page rendered by Site.entity; "
              "queries: its SPARQL alone (best)\n")
        print("| graph | what | | best | median | in process | queries |")
        print("|---|---|---|---|---|---|---|")
        for r in rows:
            print("| " + " | ".join(r) + " |")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
