#!/usr/bin/env python
"""Cost of one long document: ``kg build`` end to end (start-up and writing included) on one text of
100 KB, 1 MB and 10 MB, in seconds per MB, beside the tokenizer alone on the same text.

Usage:  python benchmarks/bench_long.py [--sizes 0.1 1 10] [--corpus FILE ...]

The text is made of the abstracts of the PubTator corpora of ../shared/corpora (NCBI-disease and BC5CDR
train), one paragraph each, repeated in order until it has the size asked for; without them, of
examples/paper.txt. Linear cost shows as seconds per MB that stay level from size to size.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [
    ROOT.parent / "shared/corpora/ncbi_disease/train/NCBItrainset_corpus.txt",
    ROOT.parent / "shared/corpora/bc5cdr/CDR_TrainingSet.PubTator.txt",
]
MB = 1_000_000


def paragraphs(corpus: list[Path]) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from kg.ingest import read_documents

    found = [p for p in corpus if p.is_file()]
    if not found:
        text = (ROOT / "examples/paper.txt").read_text(encoding="utf-8")
        return [p for p in text.split("\n\n") if p.strip()]
    out = []
    for path in found:
        for d in read_documents(path):
            out.append(" ".join(s.text for s in d.sections if s.lang == "en"))
    return out


def long_text(paras: list[str], size: int) -> str:
    out, n, i = ["A long document"], 15, 0
    while n < size:
        p = paras[i % len(paras)]
        out.append(p)
        n += len(p.encode("utf-8")) + 2
        i += 1
    return "\n\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="*", type=float, default=[0.1, 1, 10], help="sizes in MB")
    ap.add_argument("--corpus", nargs="*", type=Path, default=DEFAULT)
    args = ap.parse_args()
    paras = paragraphs(args.corpus)
    sys.path.insert(0, str(ROOT))
    from kg.pipeline import Pipeline

    tokenizer = Pipeline().nlp.tokenizer
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    print(f"{'size':>8} {'kg build s':>11} {'s/MB':>7} {'peak MB':>8} {'tokenizer s/MB':>15} {'mentions':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.sizes:
            text = long_text(paras, int(mb * MB))
            src = Path(tmp) / f"long_{mb}.txt"
            src.write_text(text, encoding="utf-8")
            real = len(text.encode("utf-8")) / MB
            t = time.perf_counter()
            for start in range(0, len(text), 500_000):  # the tokenizer alone, in pieces under spaCy's limit
                tokenizer(text[start : start + 500_000])
            tok = time.perf_counter() - t
            out = Path(tmp) / "kg.ttl"
            t = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(src), "-o", str(out), "-q",
                                   "--mentions", str(Path(tmp) / "m.tsv")], env=env, cwd=ROOT, capture_output=True,
                                  text=True)
            took = time.perf_counter() - t
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                return 1
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            mentions = sum(1 for _ in open(Path(tmp) / "m.tsv", encoding="utf-8")) - 1
            print(f"{real:>6.2f}MB {took:>11.1f} {took / real:>7.1f} {peak:>8.0f} {tok / real:>15.2f} {mentions:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
