#!/usr/bin/env python
"""How many TREAT_FOR_DIS sentences of a Rosario–Hearst half recognition makes reachable: the sentences with
a mention that may be a treats subject over the tagged treatment and one that may be its object over the
tagged disease (default pipeline; the ceiling of any claim extractor over kg's mentions).

    python scripts/rh_reach.py [even|odd] [-v|-vv]   # -v: also the tagged spans no mention covers;
                                                # -vv: also each such sentence with kg's mentions
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg import ids  # noqa: E402
from kg.config import Config  # noqa: E402
from kg.corpora import Corpora, half_of  # noqa: E402
from kg.pipeline import Pipeline  # noqa: E402


def main() -> int:
    half = next((a for a in sys.argv[1:] if a in ("even", "odd")), "even")
    config = Config.default()
    pipeline = Pipeline(config=config)
    treats = config.relations.table("treats")
    subject_types, object_types = set(treats.strings("subject_types")), set(treats.strings("object_types"))
    unlinked_ok = set(config.triggers("en").strings("unlinked_types_in_claims", ()))
    gold = [g for g in half_of(Corpora(config).load("rosario_hearst", "dev"), half) if g.label == "TREAT_FOR_DIS"]
    annotated = {a.document.id: a for a in pipeline.run([g.document for g in gold]).annotated}
    both = therapy = disease = 0
    missing_t: Counter = Counter()
    missing_d: Counter = Counter()
    for g in gold:
        ms = [m for m in annotated[g.id].mentions if m.concept is not None
              and (not ids.is_unlinked(m.concept.curie) or m.concept.type in unlinked_ok)]
        subs = [m for m in g.mentions if m.type == "TREAT"]
        objs = [m for m in g.mentions if m.type == "DIS"]
        t = any(m.concept_of(subject_types) and m.start < s.end and s.start < m.end for m in ms for s in subs)
        d = any(m.concept_of(object_types) and m.start < o.end and o.start < m.end for m in ms for o in objs)
        therapy, disease, both = therapy + t, disease + d, both + (t and d)
        if not t:
            missing_t.update(s.text for s in subs)
        if not (t and d) and "-vv" in sys.argv:  # the sentence itself, with the mentions kg found in it
            print("T" if t else "-", "D" if d else "-", g.document.sections[0].text, "|",
                  "; ".join(f"{m.text} ({m.concept.type})" for m in ms))
        if not d:
            missing_d.update(o.text for o in objs)
    print(f"{half} half: {len(gold)} TREAT_FOR_DIS sentences; therapy and disease {both}, therapy {therapy}, "
          f"disease {disease}")
    if "-v" in sys.argv or "-vv" in sys.argv:
        print("no therapy mention:", "; ".join(k for k, _ in missing_t.most_common()))
        print("no disease mention:", "; ".join(k for k, _ in missing_d.most_common()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
