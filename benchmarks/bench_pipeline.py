#!/usr/bin/env python
"""Pipeline throughput beside tokenizer-only throughput on the same texts, start-up time and peak memory.

Usage:  python benchmarks/bench_pipeline.py [--corpus FILE ...] [--limit N] [--ner | --accurate] [--rules-only]

By default it reads the PubTator corpora of ../shared/corpora (NCBI-disease, BC5CDR: about 1,500
abstracts). Targets (issue 2): >= 80k words/s on one core with all shipped lexicons, <= 2 s start-up,
<= 1 GB RSS. ``--ner`` measures the pipeline with the trained recogniser (``kg build --ner``), ``--accurate``
with the recogniser that reads the lexicon's tags (``kg build --accurate``); ``--rules-only`` without the
claim classifier (``Pipeline(classifier=False)``). It also times claim extraction alone over the same
recognised documents with the claim classifier and with the rules alone, to show what the classifier costs.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

from child_env import CHILD_ENV

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [
    ROOT.parent / "shared/corpora/ncbi_disease/train/NCBItrainset_corpus.txt",
    ROOT.parent / "shared/corpora/bc5cdr/CDR_TrainingSet.PubTator.txt",
]
STARTUP = "import time; t=time.perf_counter(); from kg.pipeline import Pipeline; Pipeline({}); print(time.perf_counter()-t)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", nargs="*", type=Path, default=DEFAULT)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N documents")
    ap.add_argument("--repeat", type=int, default=3, help="start-up runs (fresh processes)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of the tokenizer and of the pipeline")
    ap.add_argument("--ner", action="store_true", help="with the trained recogniser (kg/models/ner)")
    ap.add_argument("--accurate", action="store_true", help="with the recogniser that reads the lexicon's tags")
    ap.add_argument("--rules-only", action="store_true", help="without the claim classifier")
    args = ap.parse_args()
    ner = "accurate" if args.accurate else args.ner
    options = (["ner=True"] if args.ner else ["ner='accurate'"] if args.accurate else []) + \
        (["classifier=False"] if args.rules_only else [])
    startup = STARTUP.format(", ".join(options))
    sys.path.insert(0, str(ROOT))

    # Start-up: fresh interpreters, lexicon cache warm (the first run of all warms it).
    subprocess.run([sys.executable, "-c", startup], check=True, capture_output=True, cwd=ROOT, env=CHILD_ENV)
    startups = [float(subprocess.run([sys.executable, "-c", startup], check=True, capture_output=True, text=True,
                                     cwd=ROOT, env=CHILD_ENV).stdout.strip().splitlines()[-1]) for _ in range(args.repeat)]

    from kg.ingest import read_documents
    from kg.pipeline import Pipeline

    docs = []
    for path in args.corpus:
        if not path.is_file():
            print(f"{path}: not found (pass --corpus)", file=sys.stderr)
            return 2
        docs.extend(read_documents(path))
    if args.limit:
        docs = docs[: args.limit]
    texts = [s.text for d in docs for s in d.sections if s.lang == "en"]

    pipe = Pipeline(ner=ner, classifier=not args.rules_only)
    tokenizer = pipe.nlp.tokenizer
    words = sum(len(t.split()) for t in texts)  # whitespace-separated words
    pipe.run(docs[:100])  # warm-up: vocabulary and caches, as in a long-running process

    # Timings vary by +-20% on these machines: each figure is the best of --runs runs.
    tok_times, run_times = [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        for _doc in tokenizer.pipe(texts, batch_size=256):
            pass
        tok_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        kg = pipe.run(docs)
        run_times.append(time.perf_counter() - t)
    tok_s, run_s = min(tok_times), min(run_times)
    # claim extraction alone, over the same recognised documents: the classifier's cost
    from kg.extract import Extractor

    extractors = {"with the classifier": Extractor(pipe.lexicon, pipe.grounder, pipe.config, "en", True),
                  "rules only": Extractor(pipe.lexicon, pipe.grounder, pipe.config, "en", False)}
    extract_s = {}
    for name, ex in extractors.items():
        best = []
        for _ in range(args.runs):
            t = time.perf_counter()
            for a in kg.annotated:
                ex.extract(a)
            best.append(time.perf_counter() - t)
        extract_s[name] = min(best)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"documents            {len(docs)}  ({len(texts)} sections, {words} words, {sum(map(len, texts)) / 1e6:.2f} MB)")
    print(f"tokenizer only       {words / tok_s:>10,.0f} words/s")
    print(f"full pipeline        {words / run_s:>10,.0f} words/s  {len(docs) / run_s:,.0f} abstracts/s  ({run_s:.2f} s; "
          f"runs: {', '.join(f'{x:.2f}' for x in run_times)})")
    print(f"  pipeline/tokenizer {tok_s / run_s:>10.2f}")
    print("claim extraction     " + "; ".join(f"{name} {x:.2f} s" for name, x in extract_s.items()))
    print(f"start-up             {min(startups):>10.2f} s  (best of {len(startups)}; all: {', '.join(f'{x:.2f}' for x in startups)})")
    print(f"peak RSS             {rss_mb:>10,.0f} MB")
    print(f"output               {sum(len(a.mentions) for a in kg.annotated)} mentions, {len(kg.claims)} claims, "
          f"{kg.graph.number_of_nodes()} nodes, {kg.graph.number_of_edges()} edges")
    return 0


if __name__ == "__main__":
    sys.exit(main())
