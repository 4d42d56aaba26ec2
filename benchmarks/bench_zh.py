#!/usr/bin/env python
"""The Chinese pipeline: its start-up (loaded lazily, on top of the English one) and its throughput.

Usage:  python benchmarks/bench_zh.py [--copies N] [--runs R]

Throughput is measured on the seed's Chinese abstract, as N documents (the same text with distinct ids,
so nothing is cached across documents). Words are jieba words, the unit the recogniser works on;
characters are given too. Each figure is the best of several runs (timings vary by +-20% here).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from child_env import CHILD_ENV

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_00816c053d78e950.txt"
# Start-up of the Chinese part alone: English pipeline and lexicon first, then the Chinese pipeline.
STARTUP = ("import time; from kg.pipeline import Pipeline; p = Pipeline(); t = time.perf_counter(); p.zh(); "
           "print(time.perf_counter() - t)")
# The reference measured in the same run: jieba's own dictionary load (a fresh private tokenizer from its
# cache), the largest fixed part of the Chinese start-up, which kg does not control.
JIEBA = ("import time, jieba, logging; jieba.setLogLevel(logging.WARNING); from kg.files import cache_dir; "
         "tk = jieba.Tokenizer(); tk.tmp_dir = str(cache_dir() / 'jieba'); t = time.perf_counter(); "
         "tk.check_initialized(); print(time.perf_counter() - t)")
STARTUP_ZH_ONLY = ("import time; t = time.perf_counter(); from kg.pipeline import Pipeline; p = Pipeline(lang='zh'); p.zh(); "
                   "print(time.perf_counter() - t)")


def _fresh(code: str, runs: int) -> list[float]:
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, cwd=ROOT,
                   env=CHILD_ENV)  # warms the caches
    return [float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                                 cwd=ROOT, env=CHILD_ENV).stdout.strip().splitlines()[-1]) for _ in range(runs)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=300, help="documents made of the seed's Chinese abstract")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))

    lazy = _fresh(STARTUP, args.runs)
    alone = _fresh(STARTUP_ZH_ONLY, args.runs)
    jieba_ref = _fresh(JIEBA, args.runs)

    from kg.ingest import read_documents
    from kg.model import Document
    from kg.pipeline import Pipeline

    (seed,) = read_documents(SEED)
    zh_sections = tuple(s for s in seed.sections if s.lang == "zh" and s.name in ("title", "abstract"))
    docs = [Document(id=f"kgdoc:zh{i}", source="bench", sections=zh_sections) for i in range(args.copies)]
    both = [Document(id=f"kgdoc:bi{i}", source="bench", sections=seed.sections) for i in range(args.copies)]
    pipe = Pipeline()
    nlp, _ = pipe.zh()
    text = "".join(s.text for s in zh_sections)
    words = len(nlp.make_doc(text)) * args.copies
    chars = len(text) * args.copies
    pipe.run(docs[:20], lang="zh")  # warm-up

    zh_times, bi_times, en_times = [], [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        kg = pipe.run(docs, lang="zh")
        zh_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        pipe.run(both, lang="en")
        en_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        pipe.run(both, lang="all")
        bi_times.append(time.perf_counter() - t)
    zh_s, en_s, bi_s = min(zh_times), min(en_times), min(bi_times)
    print(f"documents               {args.copies} copies of the seed's Chinese abstract ({words} jieba words, {chars} characters)")
    print(f"Chinese pipeline        {words / zh_s:>10,.0f} words/s  {chars / zh_s:,.0f} characters/s  {args.copies / zh_s:,.0f} abstracts/s "
          f"({zh_s:.2f} s; runs: {', '.join(f'{x:.2f}' for x in zh_times)})")
    print(f"bilingual seed, en only {args.copies / en_s:>10,.0f} documents/s ({en_s:.2f} s)")
    print(f"bilingual seed, en + zh {args.copies / bi_s:>10,.0f} documents/s ({bi_s:.2f} s; alignment included)")
    print(f"Chinese start-up, lazy  {min(lazy):>10.2f} s  on top of the English pipeline (best of {len(lazy)}; all: "
          f"{', '.join(f'{x:.2f}' for x in lazy)})")
    print(f"reference: jieba alone  {min(jieba_ref):>10.2f} s  its dictionary load, same run (all: {', '.join(f'{x:.2f}' for x in jieba_ref)})")
    print(f"Chinese lexicon         {len(pipe.zh_lexicon.index):>10,} terms")
    print(f"start-up, --lang zh     {min(alone):>10.2f} s  (import, lexicons, Chinese pipeline; all: {', '.join(f'{x:.2f}' for x in alone)})")
    print(f"output per copy         {len(kg.claims) // args.copies} claims")
    return 0


if __name__ == "__main__":
    sys.exit(main())
