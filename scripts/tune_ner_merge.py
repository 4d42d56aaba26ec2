#!/usr/bin/env python
"""Compare the ways the trained recogniser and the lexicon can combine, on the tuning part of the train
splits (the 1 in 10 train documents ``kg train`` leaves out; see kg/training/ner.py ``tune_part``), never on dev.

Usage:  python scripts/tune_ner_merge.py [--corpora ../shared/corpora] [--model kg/models/ner] [--ontologies DIR]

``--ontologies``: an ontologies folder whose corpus-derived files were built without the tuning part
(``build_corpus_lexicon.py --without-tune``, copied aside), so that the lexicon does not know the tuning
documents' own mention strings.

Prints strict and overlap F1 and normalisation F1 per corpus and type for the lexicon alone and for each
merge mode; the mode chosen goes in kg/data/linking.toml ([ner] mode).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.config import Config  # noqa: E402
from kg.corpora import Corpora  # noqa: E402
from kg.evaluation import score_mentions  # noqa: E402
from kg.ground import Identifiers  # noqa: E402
from kg.nlp.ner import MERGE_MODES, MODEL_DIR  # noqa: E402
from kg.training.ner import training_corpora, tune_part  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument("--model", type=Path, default=MODEL_DIR)
    ap.add_argument("--only", nargs="*", help="only these modes (and the lexicon alone)")
    ap.add_argument("--ontologies", type=Path, help="the ontologies folder to use (default: the shipped one)")
    args = ap.parse_args()
    from kg.nlp.ner import add_ner
    from kg.pipeline import Pipeline

    config = Config.default() if args.ontologies is None else Config.default().with_ontologies(args.ontologies)
    corpora = Corpora(config, args.corpora)
    held = corpora.held_out_ids()
    gold = {name: [g for g in corpora.load(name, "train") if g.id not in held and tune_part(g.id)]
            for name in training_corpora(config)}
    print("tuning documents:", {k: len(v) for k, v in gold.items()})
    both = ["Chemical", "Disease"]
    settings = [("lexicon", None, [])] + [(m, both, []) for m in MERGE_MODES] \
        + [(m, ["Disease"], []) for m in MERGE_MODES] + [(m, both, ["Chemical"]) for m in MERGE_MODES]
    if args.only:
        settings = [s for s in settings if any(s[0] == o.split(":")[0] for o in args.only)]
    for mode, labels, add_only in settings:
        pipe = Pipeline(config=config)
        identifiers = Identifiers(pipe.lexicon, config)
        setting = mode + (f":{'+'.join(labels)}" if labels and mode != "lexicon" else "") + (f":add-{'+'.join(add_only)}" if add_only else "")
        if mode != "lexicon":
            add_ner(pipe.nlp, pipe.lexicon, config, args.model, mode=mode, labels=labels, add_only=add_only)
        for name, docs in gold.items():
            cfg = corpora.spec(name)
            kg = pipe.run([g.document for g in docs])
            scores = score_mentions(docs, kg.annotated, cfg.table("types").plain(), cfg.strings("normalise", ()),
                                    identifiers)
            for typ, s in scores.items():
                print(f"{setting:24} {name:13} {typ:9} strict F1 {100 * s.strict.f:5.1f}  overlap F1 {100 * s.overlap.f:5.1f}"
                      f"  norm F1 {100 * s.normalisation.f:5.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
