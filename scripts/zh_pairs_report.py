"""CMeIE treatment pairs, claim by claim (an analysis aid for the choose part, not the evaluation itself).

Runs the pipeline over one part of CMeIE's train split and writes, for every treats-like claim, whether it
finds a gold pair, with the rule family, predicate, direction and trigger that made it and whether its
object is the page's topic; then precision by rule and trigger. ``--dump FILE`` writes the claims as JSON
lines for further counting.

    python scripts/zh_pairs_report.py --part choose [--dump /tmp/zhprec/claims.jsonl]
"""

from __future__ import annotations

import argparse
import json
import logging
from collections import Counter, defaultdict

from kg.config import Config
from kg.corpora import Corpora
from kg.evaluation.relations import Reading
from kg.evaluation.run import part_of
from kg.pipeline import Pipeline

log = logging.getLogger(__name__)


def main() -> None:
    """Run the part and print precision by the rule and trigger of each claim."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--part", default="choose", choices=["choose"])  # held-out: measure with kg eval only
    ap.add_argument("--dump", default="")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--corpora", default="/work/shared/corpora")
    a = ap.parse_args()
    logging.basicConfig(level=logging.INFO)
    config = Config.default()
    corpora = Corpora(config, a.corpora)
    spec = corpora.spec("cmeie")
    gold = part_of(corpora.load("cmeie", "train"), a.part, spec)
    if a.limit:
        gold = gold[:a.limit]
    pipeline = Pipeline((), config=config, fuzzy=False)
    kg = pipeline.run([g.document for g in gold])
    reading = Reading.with_families(config)
    wanted = set(spec.table("relation").strings("types"))
    by_doc = {g.id: g for g in gold}
    rows = []
    for c in kg.claims:
        if not reading.treats_like(c):
            continue
        for e in c.evidence:
            g = by_doc[e.doc_id]
            texts = {s.name: s.text for s in g.document.sections}
            osec = e.object_section or e.section
            occ = defaultdict(list)
            for m in g.mentions:
                occ[m.text].append((m.section, m.start, m.end))
            pairs = {(r.arg1, r.arg2) for r in g.relations if r.type in wanted}
            hits = sorted((d, t) for d, t in pairs
                          if any(x == osec and s < e.object_end and e.object_start < en for x, s, en in occ[d])
                          and any(x == e.section and s < e.subject_end and e.subject_start < en for x, s, en in occ[t]))
            title = next((x.text for x in g.document.sections if x.kind == "title"), "")
            rows.append({"doc": e.doc_id, "title": title, "s": texts[e.section][e.subject_start:e.subject_end],
                         "o": texts[osec][e.object_start:e.object_end], "topic": bool(e.object_section),
                         "pred": c.predicate, "dir": c.direction or "", "type": c.claim_type,
                         "trigger": e.trigger, "sentence": e.sentence, "right": bool(hits), "hits": hits,
                         "gold_subject_pairs": sorted({p for p in pairs if p[1] == texts[e.section][e.subject_start:e.subject_end]})})
    # false negatives by cause: the gold pairs no claim found, by whether the disease is the page's topic and
    # whether a therapy mention overlaps the therapy string
    found = {(r["doc"], *h) for r in rows for h in r["hits"]}
    causes: Counter = Counter()
    missed_names: Counter = Counter()
    annotated = {ad.document.id: ad for ad in kg.annotated}
    therapy_types = {"drug", "agent", "procedure", "therapy", "cell"}
    for g in gold:
        title = next((x.text for x in g.document.sections if x.kind == "title"), "")
        ms = annotated[g.id].mentions
        for d, t in {(r.arg1, r.arg2) for r in g.relations if r.type in wanted}:
            if (g.id, d, t) in found:
                continue
            occ = [m for m in g.mentions if m.text == t]
            seen = any(x.section == o.section and x.start < o.end and o.start < x.end and x.type in therapy_types
                       for o in occ for x in ms)
            causes[("topic" if d == title else "body", "therapy recognised" if seen else "therapy not recognised")] += 1
            if not seen:
                missed_names[t] += 1
    for k, v in sorted(causes.items()):
        log.info("missed %-45s %5d", " / ".join(k), v)
    log.info("therapies most often not recognised: %s", missed_names.most_common(60))
    if a.dump:
        with open(a.dump, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    by = defaultdict(Counter)
    for r in rows:
        k = (r["type"], r["pred"].split(":")[-1], r["dir"], "topic" if r["topic"] else "sent")
        by[k][r["right"]] += 1
    for k, v in sorted(by.items(), key=lambda kv: -sum(kv[1].values())):
        n = sum(v.values())
        log.info("%-60s %5d right %5d (%.0f%%)", " ".join(k), n, v[True], 100 * v[True] / n)


if __name__ == "__main__":
    main()
