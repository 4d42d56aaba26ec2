#!/usr/bin/env python
"""Measure the default pipeline on the TRAIN splits fairly, by cross-fitting the corpus-derived lexicon.

The shipped corpus lexicon (``ontologies/lexicons/corpus_terms.tsv``) and filters hold the train splits'
own mention strings, so scoring the shipped pipeline on train documents flatters it. Here the train
documents (less any that also appear in a dev or test split) are cut into K folds by a hash of their
id; for each fold, the corpus terms, filters, span counts and train identifiers are rebuilt
(``scripts/build_corpus_lexicon.py``'s functions) from the other folds only, and the fold is scored
with them. The figures summed over the folds are what rule, list and threshold choices are made on; dev
is only reported. Each fold's pipeline is built from a ``Config`` over that fold's ontologies folder.

Usage:  python scripts/crossfit_eval.py [--corpora ../shared/corpora] [--folds 5] [--errors errors.tsv]
        [--reuse DIR]   # keep each fold's rebuilt lexicon in DIR and reuse it on later runs (fast)
        [--reids]       # with --reuse: rebuild each fold's train identifiers (corpus_ids.tsv)

``--errors`` writes every strict false positive and false negative with its sentence, for error analysis.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import build_corpus_lexicon as bcl  # noqa: E402

from kg.config import Config  # noqa: E402
from kg.corpora import Corpora  # noqa: E402
from kg.evaluation import PRF, predicted_mentions, score_mentions  # noqa: E402
from kg.ground import Identifiers  # noqa: E402
from kg.ontology import Normalizer, load_lexicon, write_lexicon  # noqa: E402

log = logging.getLogger("crossfit")
EVALUATED = ("ncbi_disease", "bc5cdr", "biored", "craft")


def fold_of(doc_id: str, k: int) -> int:
    return int(hashlib.md5(doc_id.encode()).hexdigest(), 16) % k


def _config(folder: Path) -> Config:
    """The shipped policy over the ontologies folder ``folder``."""
    return Config.default().with_ontologies(folder)


def _base_folder(tmp: Path) -> Path:
    """The shipped ontology folder without the corpus-derived files (symlinks)."""
    src = Config.default().ontologies
    base = tmp / "base"
    (base / "lexicons").mkdir(parents=True)
    for p in (src / "lexicons").iterdir():
        if p.name != "corpus_terms.tsv":
            (base / "lexicons" / p.name).symlink_to(p)
    for p in src.iterdir():
        if p.is_dir() and p.name != "lexicons":
            (base / p.name).symlink_to(p)
    return base


def build_fold(train_rest: dict, folder: Path, base: Path) -> None:
    """Corpus terms and filters from ``train_rest`` into ``folder`` (a copy of ``base``)."""
    (folder / "lexicons").mkdir(parents=True)
    for p in (base / "lexicons").iterdir():
        (folder / "lexicons" / p.name).symlink_to(p.resolve())
    for p in base.iterdir():
        if p.name != "lexicons":
            (folder / p.name).symlink_to(p.resolve())
    config = _config(base)
    norm = Normalizer(config)
    terms, keys = bcl.corpus_terms(train_rest, norm, load_lexicon(config=config).labels, config)
    annotated = bcl.annotate_train(train_rest, config)
    rows = bcl.corpus_filters(train_rest, keys, norm, annotated, config)
    bcl.write_spans(bcl.span_conventions(train_rest, norm, annotated, config), folder / "corpus_spans.tsv")
    bcl.write_ids(bcl.corpus_ids(train_rest, norm, config), folder / "corpus_ids.tsv")
    write_lexicon(terms, folder / "lexicons" / "corpus_terms.tsv")
    with open(folder / "corpus_filters.tsv", "w", encoding="utf-8", newline="\n") as fh:
        fh.write("term\ttype\tmatches\tprecision\n")
        for key, typ, n, p in rows:
            fh.write(f"{key}\t{typ}\t{n}\t{p}\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--corpus", action="append", help="only these corpora (default: all with train splits)")
    ap.add_argument("--reuse", type=Path, help="keep/reuse each fold's rebuilt lexicon in this folder")
    ap.add_argument("--errors", type=Path, help="write strict errors (FP/FN) here as TSV")
    ap.add_argument("--respans", action="store_true", help="relearn the span counts of reused folds")
    ap.add_argument("--reids", action="store_true", help="rebuild the train identifiers of reused folds")
    ap.add_argument("--dump", type=Path, help="pickle (corpus, gold, annotated) per fold here, for analysis")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    from kg.pipeline import Pipeline

    k = args.folds
    train = bcl.load_train(args.corpora)
    wanted = args.corpus or list(EVALUATED)
    tmp = Path(tempfile.mkdtemp(prefix="kg-crossfit-"))
    try:
        base = _base_folder(tmp)
        totals: dict[tuple[str, str], dict[str, PRF]] = defaultdict(lambda: {"strict": PRF(), "overlap": PRF(ptp=0), "norm": PRF()})
        err_rows = []
        dumped = []
        for f in range(k):
            folder = (args.reuse / f"fold{f}") if args.reuse else tmp / f"fold{f}"
            rest = {n: [g for g in docs if fold_of(g.id, k) != f] for n, docs in train.items()}
            if not (folder / "lexicons" / "corpus_terms.tsv").is_file():
                if folder.exists():
                    shutil.rmtree(folder)
                build_fold(rest, folder, base)
            elif args.respans or not (folder / "corpus_spans.tsv").is_file():
                config = _config(base)
                annotated = bcl.annotate_train(rest, config)
                bcl.write_spans(bcl.span_conventions(rest, Normalizer(config), annotated, config),
                                folder / "corpus_spans.tsv")
            if args.reids or not (folder / "corpus_ids.tsv").is_file():
                bcl.write_ids(bcl.corpus_ids(rest, Normalizer(Config.default())), folder / "corpus_ids.tsv")
            config = _config(folder)
            pipe = Pipeline(fuzzy=False, lang="en", config=config)
            identifiers = Identifiers(pipe.lexicon, config)
            corpora = Corpora(config, args.corpora)
            for name in wanted:
                cfg = corpora.spec(name)
                types = cfg.table("types").plain()
                docs = [g for g in train[name] if fold_of(g.id, k) == f]
                kg = pipe.run([g.document for g in docs])
                scores = score_mentions(docs, kg.annotated, types, cfg.strings("normalise", ()), identifiers)
                for typ, s in scores.items():
                    t = totals[(name, typ)]
                    for a, b in ((t["strict"], s.strict), (t["overlap"], s.overlap), (t["norm"], s.normalisation)):
                        a.tp += b.tp
                        a.fp += b.fp
                        a.fn += b.fn
                        if a.ptp is not None:
                            a.ptp += b.ptp
                if args.dump:
                    dumped.append((name, docs, kg.annotated))
                if args.errors:
                    err_rows.extend(_errors(name, docs, kg.annotated, types, identifiers))
        print(f"{'corpus':13} {'type':17} {'strict P':>8} {'R':>6} {'F1':>6}   {'overlap F1':>10}   {'norm F1':>7}")
        for (name, typ), t in totals.items():
            s, o, n = t["strict"], t["overlap"], t["norm"]
            print(f"{name:13} {typ:17} {100 * s.p:8.1f} {100 * s.r:6.1f} {100 * s.f:6.1f}   {100 * o.f:10.1f}   {100 * n.f:7.1f}"
                  f"   (tp {s.tp} fp {s.fp} fn {s.fn})")
        if args.dump:
            import pickle

            with open(args.dump, "wb") as fh:
                pickle.dump(dumped, fh)
        if args.errors:
            with open(args.errors, "w", encoding="utf-8") as fh:
                fh.write("corpus\tdoc\tkind\ttype\ttext\tother\tcontext\n")
                for row in err_rows:
                    fh.write("\t".join(row) + "\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _errors(corpus, gold, annotated, type_map, identifiers):
    """(corpus, doc, FP|FN, type, text, overlapping other side, context) for every strict error."""
    by_id = {a.document.id: a for a in annotated}
    out = []
    for g in gold:
        ad = by_id[g.id]
        texts = {s.name: s.text for s in g.document.sections}
        preds = [(m, t) for m, t in predicted_mentions(ad, set(type_map.values()), identifiers)]
        golds = [(m, type_map[m.type]) for m in g.mentions if m.type in type_map]
        pset = {(m.section, m.start, m.end, t) for m, t in preds}
        gset = {(m.section, m.start, m.end, t) for m, t in golds}
        for side, items, other_items, other_set in (("FP", preds, golds, gset), ("FN", golds, preds, pset)):
            for m, t in items:
                if (m.section, m.start, m.end, t) in other_set:
                    continue
                over = [x.text for x, tt in other_items if tt == t and x.section == m.section and x.start < m.end and m.start < x.end]
                text = texts[m.section]
                ctx = text[max(0, m.start - 60):m.start] + "[[" + text[m.start:m.end] + "]]" + text[m.end:m.end + 60]
                out.append((corpus, g.id, side, t, m.text, "|".join(over), " ".join(ctx.split())))
    return out


if __name__ == "__main__":
    sys.exit(main())
