#!/usr/bin/env python
"""Instructions per abstract of the English pipeline, counted by valgrind (callgrind): deterministic, unlike
the clock on a shared machine, so two versions of the code compare to a fraction of a percent.

Usage:  python benchmarks/bench_instructions.py [--warm 50] [--abstracts 200] [--repo PATH ...]

For each repository (default: this one) it runs, under ``valgrind --tool=callgrind --instr-atstart=no``, a
fresh process that builds the pipeline from the shipped configuration, runs ``Pipeline.run`` over the first
``--warm`` BC5CDR train abstracts, then switches instrumentation on (``callgrind_control -i on``), runs
``Pipeline.run`` over the next ``--abstracts`` and switches it off: it prints the instructions per abstract of
that run, start-up and warm-up left out (and run uninstrumented, so a count takes about a minute, not the
fifty-fold slow-down of valgrind over everything). The same Python (this one), the same ``PYTHONHASHSEED``
and the same lexicon cache serve every repository, so only the code differs.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from child_env import CHILD_ENV

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared/corpora/bc5cdr/CDR_TrainingSet.PubTator.txt"
CHILD = """
import os, subprocess, sys
from kg.ingest import read_documents
from kg.pipeline import Pipeline
warm, n = int(sys.argv[2]), int(sys.argv[3])
docs = list(read_documents(sys.argv[1]))[: warm + n]
pipe = Pipeline()
pipe.run(docs[:warm])
def instrument(on):
    subprocess.run(["callgrind_control", "-i", "on" if on else "off", str(os.getpid())], check=True,
                   capture_output=True)
instrument(True)
pipe.run(docs[warm:])
instrument(False)
"""


def instructions(repo: Path, corpus: Path, warm: int, n: int) -> int:
    """Instructions callgrind counts while the pipeline (built and warmed up on ``warm`` abstracts) runs
    ``n`` more abstracts."""
    env = dict(CHILD_ENV, PYTHONPATH=str(repo), PYTHONHASHSEED="0")
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={tmp}/cg.out",
                              sys.executable, "-c", CHILD, str(corpus), str(warm), str(n)],
                             capture_output=True, text=True, cwd=repo, env=env)
    found = re.search(r"Collected : (\d+)", out.stderr)
    if out.returncode or not found:
        raise SystemExit(f"valgrind failed in {repo}:\n{out.stderr[-2000:]}")
    return int(found.group(1))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--warm", type=int, default=50, help="abstracts run before counting")
    ap.add_argument("--abstracts", type=int, default=200, help="abstracts counted")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--repo", nargs="*", type=Path, default=[ROOT])
    args = ap.parse_args()
    if not args.corpus.is_file():
        print(f"{args.corpus}: not found (pass --corpus)", file=sys.stderr)
        return 2
    for repo in args.repo:
        total = instructions(repo.resolve(), args.corpus, args.warm, args.abstracts)
        print(f"{repo}: {total:,} instructions for {args.abstracts} abstracts (after {args.warm}): "
              f"{total / args.abstracts / 1e6:.2f}M per abstract")
    return 0


if __name__ == "__main__":
    sys.exit(main())
