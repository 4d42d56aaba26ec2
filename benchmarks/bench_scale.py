#!/usr/bin/env python
"""End-to-end build at scale: 1k, 10k and 100k abstracts with 1 and 2 workers, beside the scispaCy tokenizer
alone on the same texts, measured in the same run.

Usage:  python benchmarks/bench_scale.py [--sizes 1000 10000 100000] [--workers 1 2] [--chunk-size 500]

The corpora are the PubTator train and dev abstracts of BC5CDR and NCBI-disease in ../shared/corpora
(or $KG_CORPORA)
(about 1,690 distinct abstracts; never a test split), repeated with fresh PMIDs up to each size. Each build
is ``kg build CORPUS -o OUT.nq`` through the library (``kg.scale.build_corpus``, what the command runs) in
a fresh process that is kg's own as the command's is (``kg.process``), start-up, writing and exit included. It prints abstracts/s and words/s end to end, the
pipeline's words/s per core (recognition, grounding, extraction: summed over the chunks), the share of
the run spent writing RDF (the chunks' shards and the final step), the peak RSS of the largest process,
the 1 -> 2 worker speed-up, and what that projects for 36M abstracts here and on a 16-core machine.
Targets (issue 11): >= 500 abstracts/s with 2 workers, RDF <= 15%, speed-up >= 1.8, start-up <= 2 s,
RSS <= 1 GB and at most +30% from 5k to 100k, >= 80k words/s per core in the pipeline.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from child_env import CHILD_ENV

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KG_CORPORA") or ROOT.parent / "shared" / "corpora")
SOURCES = [
    SHARED / "bc5cdr" / "CDR_TrainingSet.PubTator.txt",
    SHARED / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt",
    SHARED / "ncbi_disease" / "train" / "NCBItrainset_corpus.txt",
    SHARED / "ncbi_disease" / "devel" / "NCBIdevelopset_corpus.txt",
]
PUBMED = 36_000_000

# One build in a fresh process: its result as JSON on stdout, its peak RSS (and its workers') from rusage.
RUN = r"""
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
child = subprocess.run([sys.executable, "-c", '''
import json, sys, time
t0 = time.perf_counter()
from kg.process import leave, own_process
own_process()  # as the kg command runs
from kg.config import Config
from kg.pipeline import PipelineSpec
from kg.scale import BuildOptions, build_corpus
spec = PipelineSpec(Config.default())
r = build_corpus([sys.argv[1]], sys.argv[2], spec, BuildOptions(workers=int(sys.argv[3]), chunk_size=int(sys.argv[4])))
print(json.dumps({"documents": r.documents, "words": r.words, "claims": r.graph.claims, "nodes": r.graph.nodes,
                  "seconds": r.seconds, "inside": time.perf_counter() - t0}))
leave(0)
''', *sys.argv[1:]], capture_output=True, text=True)
wall = time.perf_counter() - t0
if child.returncode:
    sys.exit(child.stderr)
out = json.loads(child.stdout.strip().splitlines()[-1])
out["wall"] = wall
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
out["rss_mb"] = usage.ru_maxrss / 1024
out["cpu"] = usage.ru_utime + usage.ru_stime
print(json.dumps(out))
"""


def make_corpus(size: int, folder: Path) -> Path:
    """``size`` abstracts as PubTator text lines: the shared abstracts, then copies with fresh PMIDs."""
    path = folder / f"abstracts-{size}.pubtator"
    if path.is_file():
        return path
    from kg.ingest import read_documents

    seen, docs = set(), []
    for src in SOURCES:
        for d in read_documents(src):
            if d.pmid and d.pmid not in seen:
                seen.add(d.pmid)
                docs.append((d.pmid, d.title or "", next((s.text for s in d.sections if s.name == "abstract"), "")))
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(size):
            pmid, title, abstract = docs[i % len(docs)]
            fresh = pmid if i < len(docs) else str((i // len(docs)) * 100_000_000 + int(pmid))
            fh.write(f"{fresh}|t|{title}\n{fresh}|a|{abstract}\n\n")
    return path


def run_build(corpus: Path, out: Path, workers: int, chunk_size: int) -> dict:
    proc = subprocess.run([sys.executable, "-c", RUN, str(corpus), str(out), str(workers), str(chunk_size)],
                          capture_output=True, text=True, cwd=ROOT, env=CHILD_ENV)
    if proc.returncode:
        raise SystemExit(f"build failed: {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def tokenizer_rate(corpus: Path, limit: int) -> tuple[float, int]:
    """Words/s of the scispaCy tokenizer alone (the English pipeline's) on the corpus's first ``limit`` texts."""
    from kg.ingest import read_documents
    from kg.nlp.english import build_english  # noqa: F401  (the tokenizer is built with the pipeline)
    from kg.pipeline import Pipeline

    texts = []
    for d in read_documents(corpus):
        texts.extend(s.text for s in d.sections)
        if len(texts) >= 2 * limit:
            break
    nlp = Pipeline(lang="en", fuzzy=False).nlp
    words = sum(len(t.split()) for t in texts)
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for _doc in nlp.tokenizer.pipe(texts, batch_size=256):
            pass
        best = min(best, time.perf_counter() - t)
    return words / best, words


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000, 100000])
    ap.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--chunk-size", type=int, default=500)
    ap.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench-scale",
                    help="where the corpora are written (kept between runs)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    for src in SOURCES:
        if not src.is_file():
            print(f"{src}: not found (the shared corpora)", file=sys.stderr)
            return 2
    args.data.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} cores, load average {load:.2f} at the start")

    tiny = make_corpus(1, args.data)
    run_build(tiny, args.data / "tiny.nq", 1, args.chunk_size)  # warms the lexicon and bytecode caches
    starts = [run_build(tiny, args.data / "tiny.nq", 1, args.chunk_size)["wall"] for _ in range(3)]
    print(f"start-up             {min(starts):.2f} s end to end for 1 abstract (pipeline built, graph written; "
          f"best of 3: {', '.join(f'{x:.2f}' for x in starts)})")
    rate, words = tokenizer_rate(make_corpus(max(args.sizes[:1] + [1000]), args.data), 1000)
    print(f"tokenizer only       {rate:,.0f} words/s  ({words:,} words, best of 3)")
    print()
    header = (f"{'abstracts':>9} {'workers':>7} {'wall s':>8} {'abstr/s':>8} {'words/s':>9} {'CPU s':>7} "
              f"{'abstr/CPU-s':>11} {'pipe w/s/core':>13} {'RDF %':>6} {'final s':>7} {'peak RSS MB':>11}")
    print(header)
    results: dict[tuple[int, int], dict] = {}
    for size in args.sizes:
        corpus = make_corpus(size, args.data)
        for w in args.workers:
            r = run_build(corpus, args.data / f"out-{size}-{w}.nq", w, args.chunk_size)
            s = r["seconds"]
            rdf = (s["rdf"] + s["final"]) / max(1e-9, s["pipeline"] + s["rdf"] + s["final"])
            r["rate"] = r["documents"] / r["wall"]
            results[(size, w)] = r
            print(f"{r['documents']:>9,} {w:>7} {r['wall']:>8.1f} {r['rate']:>8.0f} {r['words'] / r['wall']:>9,.0f} "
                  f"{r['cpu']:>7.1f} {r['documents'] / r['cpu']:>11.0f} "
                  f"{r['words'] / max(1e-9, s['pipeline']):>13,.0f} {100 * rdf:>5.1f}% {s['final']:>7.1f} "
                  f"{r['rss_mb']:>11.0f}", flush=True)
            (args.data / f"out-{size}-{w}.nq").unlink(missing_ok=True)
    print()
    biggest = max(args.sizes)
    if (biggest, 1) in results and (biggest, 2) in results:
        one, two = results[(biggest, 1)], results[(biggest, 2)]
        speedup = two["rate"] / one["rate"]
        # On a shared machine the wall-clock speed-up says how busy the other core was; CPU time per abstract
        # says what splitting the work costs (a second worker, the parent, start-ups).
        efficiency = (one["cpu"] / one["documents"]) / (two["cpu"] / two["documents"])
        print(f"1 -> 2 workers       {speedup:.2f}x wall clock at {biggest:,} abstracts; CPU per abstract with 2 "
              f"workers is {1 / efficiency:.2f}x that with 1, so two free cores would give {2 * efficiency:.2f}x")
        per_cpu = one["documents"] / one["cpu"]
        here = PUBMED / two["rate"]
        print(f"36M abstracts        {here / 86400:.1f} days here as measured (2 workers, {two['rate']:.0f}/s); "
              f"{PUBMED / (2 * per_cpu * efficiency) / 86400:.1f} days on two free cores; "
              f"{PUBMED / (16 * per_cpu * efficiency) / 3600:.1f} h on 16 cores "
              f"({per_cpu:.0f} abstracts per CPU-second x 16 x {efficiency:.2f}; the final step, "
              f"{two['seconds']['final'] * PUBMED / two['documents'] / 3600:.1f} h at this rate, runs on one core)")
    sizes = sorted({k[0] for k in results})
    if len(sizes) > 1:
        for w in args.workers:
            rss = [results[(n, w)]["rss_mb"] for n in sizes if (n, w) in results]
            print(f"peak RSS, {w} worker(s): " + ", ".join(f"{n:,}: {m:.0f} MB" for n, m in zip(sizes, rss))
                  + f"  ({100 * (rss[-1] / rss[0] - 1):+.0f}% from {sizes[0]:,} to {sizes[-1]:,})")
    print(f"load average at the end {os.getloadavg()[0]:.2f} (the machine is shared: figures vary)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
