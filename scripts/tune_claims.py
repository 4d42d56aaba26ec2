"""Choose the claim classifier's options and thresholds on its training data alone (claims.toml).

Cross-validation over the documents of the training sources (Rosario–Hearst's even half, BC5CDR and
BioRED train): each fold's pairs are scored by a model trained on the other folds of its source and on
every other source. Rosario–Hearst is scored by sentence as ``kg eval`` scores it (a TREAT_FOR_DIS
sentence is found when a pair overlapping its tagged treatment and disease is read as treats; a sentence
of another class is a false positive when any of its pairs is), likewise PREVENT and SIDE_EFF with their
families; BC5CDR and BioRED by pair. The odd half of Rosario–Hearst and every dev split are never read.

    python scripts/tune_claims.py [--corpora ../shared/corpora] [--folds 5] [--C 0.3 1 3] [--weights 0 0.5 1]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import logging
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.config import Config  # noqa: E402
from kg.corpora import Corpora, default_corpora_dir, half_of  # noqa: E402
from kg.extract.classifier import Thresholds, choose, list_probabilities  # noqa: E402
from kg.training.claims import Options, collect, fit  # noqa: E402

SENTENCE_CLASSES = {"treats": "TREAT_FOR_DIS", "prevention": "PREVENT", "adverse": "SIDE_EFF"}
DEFERRED = tuple(Config.default().claims.table("classifier").strings("deferred", ()))


def fold_of(doc: str, folds: int) -> int:
    return int(hashlib.sha1(doc.encode()).hexdigest(), 16) % folds


def cross_predict(data, options: Options, weights: dict[str, float], folds: int):
    """(source name, example, probabilities) for every example of every source, out of fold."""
    out = []
    for k in range(folds):
        train = []
        for src, exs in data:
            w = weights.get(src.corpus, src.weight)
            if w <= 0:
                continue
            # the weight tried replaces the source's; a pair's own factor (uncued_weight) stays
            scale = w / src.weight if src.weight else 0.0
            train.append((src, [replace(e, weight=e.weight * scale) for e in exs if fold_of(e.doc, folds) != k]))
        model = fit(train, options)
        for src, exs in data:
            held = [e for e in exs if fold_of(e.doc, folds) == k]
            # as the classifier decides: the items of one coordinated list share the likeliest's probability
            by_sentence = defaultdict(list)
            for e in held:
                by_sentence[(e.doc, e.lists[0].rsplit("|", 3)[0] if e.lists else id(e))].append(e)
            for group in by_sentence.values():
                probs = list_probabilities([(tuple(x.split("|", 2)[2] for x in e.lists), model.probabilities(e.features))
                                            for e in group])
                out.extend((src.corpus, e, p) for e, p in zip(group, probs))
    return out


def sentence_prf(preds, positives: dict[str, set[str]], family: str, limits: dict[str, Thresholds]):
    """Rosario–Hearst sentence scores for one family."""
    cls = SENTENCE_CLASSES[family]
    hit, flagged = set(), set()
    for corpus, e, p in preds:
        if corpus != "rosario_hearst" or any("v:" + d in e.features for d in DEFERRED):
            continue  # a pair a deferred family's rule joined keeps that rule's claim
        ruled = {f for f in limits if "v:" + f in e.features}
        best, _ = choose(p, ruled, limits)
        if best == family:
            flagged.add(e.doc)
            if e.label == family:
                hit.add(e.doc)
    pos = positives[cls]
    tp = len(hit & pos)
    fp = len(flagged - pos)
    fn = len(pos) - tp
    return _prf(tp, fp, fn)


def pair_prf(preds, corpus: str, family: str, limits: dict[str, Thresholds]):
    tp = fp = fn = 0
    for c, e, p in preds:
        if c != corpus or any("v:" + d in e.features for d in DEFERRED):
            continue
        ruled = {f for f in limits if "v:" + f in e.features}
        yes = choose(p, ruled, limits)[0] == family
        tp += yes and e.label == family
        fp += yes and e.label != family
        fn += (not yes) and e.label == family
    return _prf(tp, fp, fn)


def _prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), tp, fp, fn


def rules_prf(data, positives, family: str):
    """What the rules alone give on the same sentences (a pair a rule of the family joined, not negated)."""
    cls = SENTENCE_CLASSES[family]
    hit, flagged = set(), set()
    for src, exs in data:
        if src.corpus != "rosario_hearst":
            continue
        for e in exs:
            if "v:" + family in e.features and "v:negated" not in e.features:
                flagged.add(e.doc)
                if e.label == family:
                    hit.add(e.doc)
    pos = positives[cls]
    return _prf(len(hit & pos), len(flagged - pos), len(pos) - len(hit & pos))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpora", default=str(default_corpora_dir()))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--C", type=float, nargs="+", default=[1.0])
    ap.add_argument("--weights", type=float, nargs="+", default=[0.5],
                    help="sample weights tried for the BC5CDR and BioRED pairs (0: left out)")
    ap.add_argument("--thresholds", type=float, nargs="+", default=[0.2, 0.3, 0.4, 0.5, 0.6])
    ap.add_argument("--spec", nargs="*", default=[], help="feature options, e.g. sentence_words=false window=2")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--balanced", action="store_true", help="weigh each family's positives and negatives alike")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    config = Config.default()
    base = Options.from_config(config)
    spec = base.features
    for kv in args.spec:
        k, v = kv.split("=", 1)
        spec = replace(spec, **{k: (v.lower() == "true") if v.lower() in ("true", "false") else int(v)})
    data = collect(args.corpora, config, args.limit, spec)
    corpora = Corpora(config, args.corpora)
    rh = half_of(corpora.load("rosario_hearst", "dev"), "even")
    positives = defaultdict(set)
    for g in rh:
        positives[g.label or ""].add(g.id)
        positives["*all"].add(g.id)
    print(f"features: {spec}")
    for fam in SENTENCE_CLASSES:
        p, r, f, tp, fp, fn = rules_prf(data, positives, fam)
        print(f"rules alone, {fam}: P {100 * p:.1f} R {100 * r:.1f} F1 {100 * f:.1f} (tp {tp} fp {fp} fn {fn})")
    cid = [e for src, exs in data if src.corpus == "bc5cdr" for e in exs if e.label == "adverse"]
    print(f"rules alone, bc5cdr CID pairs read as treats: {sum('v:treats' in e.features for e in cid)} of {len(cid)}")
    for src, exs in data:
        for fam in sorted(src.families):
            if src.corpus == "rosario_hearst":
                continue
            tp = sum(1 for e in exs if "v:" + fam in e.features and "v:negated" not in e.features and e.label == fam)
            fp = sum(1 for e in exs if "v:" + fam in e.features and "v:negated" not in e.features and e.label != fam)
            fn = sum(1 for e in exs if e.label == fam) - tp
            p, r, f, *_ = _prf(tp, fp, fn)
            print(f"rules alone, {src.corpus} pairs {fam}: P {100 * p:.1f} R {100 * r:.1f} F1 {100 * f:.1f}")
    for C, w in itertools.product(args.C, args.weights):
        options = replace(base, C=C, features=spec, balanced=args.balanced or base.balanced)
        preds = cross_predict(data, options, {"bc5cdr": w, "biored": w}, args.folds)
        print(f"\nC {C}, BC5CDR/BioRED weight {w}")
        for fam in SENTENCE_CLASSES:
            rows = []
            for tr, tu in itertools.product(args.thresholds, args.thresholds):
                limits = {k: Thresholds(0.5, 0.5) for k in SENTENCE_CLASSES}
                limits[fam] = Thresholds(tr, tu)
                rows.append(((tr, tu), sentence_prf(preds, positives, fam, limits)))
            best = max(rows, key=lambda x: x[1][2])
            at5 = dict(rows).get((0.5, 0.5), (0, 0, 0))
            print(f"  RH {fam}: best ruled {best[0][0]} unruled {best[0][1]}: P {100 * best[1][0]:.1f} "
                  f"R {100 * best[1][1]:.1f} F1 {100 * best[1][2]:.1f} (tp {best[1][3]} fp {best[1][4]} fn {best[1][5]}); "
                  f"at 0.5/0.5 F1 {100 * at5[2]:.1f}")
            if fam == "treats":
                for (tr, tu), x in sorted(rows):
                    print(f"    {tr} {tu}: P {100 * x[0]:.1f} R {100 * x[1]:.1f} F1 {100 * x[2]:.1f}")
        for tr, tu in itertools.product(args.thresholds, args.thresholds):
            limits = {"treats": Thresholds(tr, tu), "adverse": Thresholds(0.4, 0.4)}
            n = wrong = 0
            for c, e, p in preds:
                if c == "bc5cdr" and e.label == "adverse" and not any("v:" + d in e.features for d in DEFERRED):
                    n += 1
                    wrong += choose(p, {f for f in limits if "v:" + f in e.features}, limits)[0] == "treats"
            print(f"  bc5cdr CID pairs read as treats at {tr}/{tu}: {wrong} of {n}")
        for corpus, fam in (("bc5cdr", "adverse"), ("biored", "adverse"), ("biored", "treats")):
            if w <= 0:
                continue
            for t in args.thresholds:
                limits = {k: Thresholds(0.5, 0.5) for k in SENTENCE_CLASSES}
                limits[fam] = Thresholds(t, t)
                p, r, f, tp, fp, fn = pair_prf(preds, corpus, fam, limits)
                print(f"  {corpus} pairs {fam} at {t}: P {100 * p:.1f} R {100 * r:.1f} F1 {100 * f:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
