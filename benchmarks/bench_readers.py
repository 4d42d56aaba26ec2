#!/usr/bin/env python
"""The PubMed XML reader beside bare ``lxml.etree.iterparse``, in one run: records/s, MB/s and peak RSS.

Usage:  python benchmarks/bench_readers.py [--records N] [--runs R] [--gzip]

The input is a baseline-shaped file (a ``PubmedArticleSet`` of N records, default 30,000 as in an annual
baseline file) made from the PubMed fixtures: the NEJM trial record written by NLM (tests/fixtures/formats/
pubmed-29768149.xml, 21.7 KB: ten long affiliations, 23 MeSH headings) and kg's trial and review records,
in turn, each with a fresh PMID (about 8 KB a record on average, near a real baseline file's).

- ``iterparse``: ``lxml.etree.iterparse(f)`` doing nothing else: every element's end event, each
  ``PubmedArticle`` cleared with the siblings before it once it ends (what keeps memory flat).
- ``iterparse-tag``: the same with ``tag="PubmedArticle"``, so that lxml hands Python one event a record:
  the floor for any reader of records written in Python.
- ``kg``: ``kg.ingest.pubmed.read_pubmed``: every field a Document holds, with the same clearing.

Each figure is the best of R runs (interleaved), each in a fresh process, so its peak RSS is its own; wall
and CPU seconds are both given, as other work on a shared machine slows all three alike. Target: the
reader at 50% or more of ``iterparse``'s records/s.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "formats"

ONE = r"""
import json, resource, sys, time
from pathlib import Path
path, mode = sys.argv[1], sys.argv[2]
from lxml import etree
from kg.ingest.pubmed import read_pubmed
from kg.ingest.source import open_binary
t, c = time.perf_counter(), time.process_time()
n = 0
if mode.startswith("iterparse"):
    tag = {"tag": "PubmedArticle"} if mode == "iterparse-tag" else {}
    with open_binary(Path(path)) as fh:
        for _, el in etree.iterparse(fh, events=("end",), resolve_entities=False, load_dtd=False, no_network=True, **tag):
            if el.tag == "PubmedArticle":
                n += 1
                el.clear(keep_tail=True)
                parent = el.getparent()
                while el.getprevious() is not None:
                    del parent[0]
else:
    for d in read_pubmed(Path(path)):
        n += 1
print(json.dumps({"records": n, "seconds": time.perf_counter() - t, "cpu": time.process_time() - c,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
MODES = ("iterparse", "iterparse-tag", "kg")


def make_file(records: int, out: Path, gz: bool) -> int:
    """A PubmedArticleSet of ``records`` records; its uncompressed size in bytes."""
    bodies = []
    for name in ("pubmed-29768149.xml", "pubmed_trial_review.xml"):
        text = (FIXTURES / name).read_text(encoding="utf-8")
        bodies += re.findall(r"<PubmedArticle>.*?</PubmedArticle>", text, re.S)
    head = '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" ' \
           '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n'
    pmid = re.compile(r"(<PMID Version=\"1\">|<ArticleId IdType=\"pubmed\">)\d+(</)")
    opener = gzip.open if gz else open
    size = len(head)
    with opener(out, "wt", encoding="utf-8") as fh:
        fh.write(head)
        for i in range(records):
            rec = pmid.sub(lambda m, i=i: f"{m.group(1)}{40000000 + i}{m.group(2)}", bodies[i % len(bodies)], count=2) + "\n"
            size += len(rec.encode("utf-8"))
            fh.write(rec)
        fh.write("</PubmedArticleSet>\n")
    return size


def run(path: Path, mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", ONE, str(path), mode], check=True, capture_output=True, text=True,
                         cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=30000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--gzip", action="store_true", help="also measure the gzipped file (as baseline files come)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = [(Path(tmp) / "baseline.xml", False)] + ([(Path(tmp) / "baseline.xml.gz", True)] if args.gzip else [])
        for path, gz in files:
            size = make_file(args.records, path, gz)
            mb = size / 1e6
            best: dict[str, dict] = {}
            cpu: dict[str, float] = {}
            for _ in range(args.runs):  # interleaved, so that a busy moment hits all alike
                for mode in MODES:
                    r = run(path, mode)
                    assert r["records"] == args.records, r
                    if mode not in best or r["seconds"] < best[mode]["seconds"]:
                        best[mode] = r
                    cpu[mode] = min(cpu.get(mode, r["cpu"]), r["cpu"])
            print(f"{path.name}: {args.records:,} records, {mb:.1f} MB of XML"
                  f"{f' ({path.stat().st_size / 1e6:.1f} MB gzipped)' if gz else ''}; best of {args.runs}")
            print(f"{'':14} {'records/s':>10} {'MB/s':>7} {'CPU records/s':>14} {'peak RSS':>9}")
            for mode in MODES:
                r = best[mode]
                print(f"{mode:14} {r['records'] / r['seconds']:>10,.0f} {mb / r['seconds']:>7.1f} "
                      f"{r['records'] / cpu[mode]:>14,.0f} {r['rss_mb']:>7.0f} MB")
            for ref in ("iterparse", "iterparse-tag"):
                print(f"kg / {ref}: {best[ref]['seconds'] / best['kg']['seconds']:.0%} wall, "
                      f"{cpu[ref] / cpu['kg']:.0%} CPU{' (target >= 50%)' if ref == 'iterparse' else ''}")
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
