"""Training the claim classifier (``kg train claims``): a multinomial logistic regression over the
candidate (therapy, condition) pairs that kg's own pipeline finds in annotated corpora, labelled by the
corpora, with fixed seeds and a text model file that a rebuild writes byte for byte
(``kg.extract.classifier``).

What it trains on is ``[[training.source]]`` of ``claims.toml``: Rosario–Hearst's tagged sentences (the
even half; the odd half is held out), and BC5CDR and BioRED train relations (document-level identifier
pairs: a pair of mentions of the two identifiers in one sentence is taken to state the relation). Documents
of any evaluation split are never read from a train split.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.config import Config, Table
from kg.corpora import Corpora, GoldDocument, half_of
from kg.errors import KgError
from kg.extract.classifier import MODEL_DIR, NONE, ClaimModel, FeatureSpec, Pair, model_path
from kg.files import write_atomic

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Source:
    """One ``[[training.source]]``: a corpus split (or one half of it), the weight of its pairs, and how
    its annotations label a pair."""

    corpus: str
    split: str
    half: str | None = None
    weight: float = 1.0
    labels: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # class -> (subject tag, object tag, family)
    relations: dict[str, str] = field(default_factory=dict)  # relation type -> family
    # the weight factor of a pair labelled by a document-level relation whose sentence holds no trigger and
    # no rule reading of the relation's family: the document states the relation, the sentence may not
    uncued_weight: float = 1.0

    @property
    def families(self) -> frozenset[str]:
        """The families this source annotates: its other pairs are negatives of these only."""
        return frozenset([x[2] for x in self.labels.values()] + list(self.relations.values()))

    def __hash__(self) -> int:
        return hash((self.corpus, self.split, self.half))

    @classmethod
    def from_table(cls, t: Table, families: Sequence[str]) -> "Source":
        labels: dict[str, tuple[str, str, str]] = {}
        for cls_name in t.table("labels", {}):
            parts = t.table("labels").strings(cls_name)
            if len(parts) != 3:
                raise t.error("labels", f"{cls_name}: expected [subject tag, object tag, family]")
            labels[cls_name] = (parts[0], parts[1], parts[2])
        relations = {k: t.table("relations").string(k) for k in t.table("relations", {})}
        for fam in [x[2] for x in labels.values()] + list(relations.values()):
            if fam not in families:
                raise t.error("labels" if labels else "relations",
                              f"{fam!r} is not a family of [classifier] families or deferred ({', '.join(families)})")
        if not labels and not relations:
            raise t.error("corpus", "a training source needs `labels` or `relations`")
        half = t.string("half", None)
        if half not in (None, "even", "odd"):
            raise t.error("half", "expected \"even\" or \"odd\"")
        uncued = t.number("uncued_weight", 1.0)
        if not 0.0 <= uncued <= 1.0:
            raise t.error("uncued_weight", "expected a number from 0 to 1")
        return cls(t.string("corpus"), t.string("split"), half, t.number("weight", 1.0), labels, relations, uncued)


@dataclass(frozen=True)
class Example:
    """A candidate pair as the model learns it: its features, its family (or "none") and weight, and the
    document it came from (with the document's class, for sentence-level scoring)."""

    features: tuple[str, ...]
    label: str
    weight: float
    doc: str
    doc_label: str | None = None
    lists: tuple[str, ...] = ()  # the rule readings it is an item of (``Pair.lists``), within its sentence


@dataclass(frozen=True)
class Options:
    """``[training]`` of claims.toml."""

    seed: int = 0
    C: float = 1.0
    max_iter: int = 2000
    min_count: int = 2
    min_weight: float = 0.001
    features: FeatureSpec = field(default_factory=FeatureSpec)
    balanced: bool = False  # weigh each family's positives and negatives to the same total
    families: tuple[str, ...] = ("treats", "adverse")  # the families the model decides

    @classmethod
    def from_config(cls, config: Config) -> "Options":
        t = config.claims.table("training")
        f = t.table("features", {})
        spec = FeatureSpec(f.integer("window", 3), f.integer("max_between", 20), f.boolean("sentence_words", True),
                           f.boolean("heads", True), f.boolean("triggers", True))
        return cls(t.integer("seed", 0), t.number("C", 1.0), t.integer("max_iter", 2000), t.integer("min_count", 2),
                   t.number("min_weight", 0.001), spec, t.boolean("balanced", False),
                   config.claims.table("classifier").strings("families"))


def sources(config: Config) -> list[Source]:
    """The training sources of ``claims.toml``."""
    t = config.claims.table("classifier")
    families = t.strings("families") + t.strings("deferred", ())
    return [Source.from_table(t, families) for t in config.claims.table("training").tables("source")]


def _overlaps(section: str, start: int, end: int, g) -> bool:
    return g.section == section and g.start < end and start < g.end


def label_tagged(g: GoldDocument, p: Pair, labels: dict[str, tuple[str, str, str]]) -> str:
    """A pair of a tagged sentence: the family of its class when its mentions overlap the class's subject
    and object tags, else "none"."""
    spec = labels.get(g.label or "")
    if spec is None:
        return NONE
    stag, otag, family = spec
    s, o = p.subject, p.object
    if any(m.type == stag and _overlaps(s.section, s.start, s.end, m) for m in g.mentions) and \
            any(m.type == otag and _overlaps(o.section, o.start, o.end, m) for m in g.mentions):
        return family
    return NONE


def label_related(g: GoldDocument, p: Pair, relations: dict[str, str]) -> str:
    """A pair of a document with relations: the family of a relation between an identifier of a gold
    mention the subject overlaps and one the object overlaps, else "none"."""
    s, o = p.subject, p.object
    s_ids = {i for m in g.mentions if _overlaps(s.section, s.start, s.end, m) for i in m.ids}
    o_ids = {i for m in g.mentions if _overlaps(o.section, o.start, o.end, m) for i in m.ids}
    if not s_ids or not o_ids:
        return NONE
    for r in g.relations:
        family = relations.get(r.type)
        if family and ((r.arg1 in s_ids and r.arg2 in o_ids) or (r.arg2 in s_ids and r.arg1 in o_ids)):
            return family
    return NONE


def cued(features: Sequence[str], family: str) -> bool:
    """Whether a pair's features hold a rule reading (``v:``) or a trigger pattern (``t:``) of ``family``."""
    return ("v:" + family) in features or any(f.startswith("t:" + family + ".") for f in features)


def source_examples(pipeline, source: Source, gold: Sequence[GoldDocument], spec: FeatureSpec) -> list[Example]:
    """The candidate pairs of ``gold``'s documents as the rules read them (``pipeline``: a
    ``kg.pipeline.Pipeline`` built without the classifier), labelled by ``source``."""
    kg = pipeline.run([g.document for g in gold])
    reader = pipeline.extractor.pair_reader(spec)
    by_id = {g.id: g for g in gold}
    out = []
    for ad in kg.annotated:
        g = by_id[ad.document.id]
        for _st, pairs in pipeline.extractor.candidate_pairs(ad, reader):
            for p in pairs:
                label = label_tagged(g, p, source.labels) if source.labels else label_related(g, p, source.relations)
                lists = tuple(f"{_st.sentence.section}|{_st.sentence.index}|{k}" for k in p.lists)
                features = tuple(sorted(p.all_features))
                weight = source.weight
                if source.relations and label != NONE and not cued(features, label):
                    weight *= source.uncued_weight
                out.append(Example(features, label, weight, g.id, g.label, lists))
    return out


def source_gold(corpora: Corpora, source: Source, held: set[str], limit: int = 0) -> list[GoldDocument]:
    """The documents of a source: its split (or half), without any document of an evaluation split when
    the split is a train split."""
    gold = corpora.load(source.corpus, source.split)
    if source.split == "train":
        gold = [g for g in gold if g.id not in held]
    gold = half_of(gold, source.half)
    return gold[:limit] if limit else gold


def collect(root: str | Path, config: Config, limit: int = 0, spec: FeatureSpec | None = None,
            progress: Callable[[str], None] | None = None) -> list[tuple[Source, list[Example]]]:
    """Every source's labelled candidate pairs (``limit``: the first N documents of each)."""
    from kg.pipeline import Pipeline

    spec = spec or Options.from_config(config).features
    corpora = Corpora(config, root)
    pipeline = Pipeline(config=config, lang="en", fuzzy=False, classifier=False)
    held = corpora.held_out_ids() if any(s.split == "train" for s in sources(config)) else set()
    out = []
    for source in sources(config):
        gold = source_gold(corpora, source, held, limit)
        examples = source_examples(pipeline, source, gold, spec)
        out.append((source, examples))
        counts = Counter(e.label for e in examples)
        log.info("%s %s%s: %d documents, %d pairs (%s)", source.corpus, source.split,
                 f" ({source.half} half)" if source.half else "", len(gold), len(examples),
                 ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        if progress is not None:
            progress(source.corpus)
    return out


def fit(data: Sequence[tuple[Source, Sequence[Example]]], options: Options, info: dict | None = None) -> ClaimModel:
    """One logistic regression per family (one against the rest) over the examples' features (those in
    at least ``min_count`` examples), for the families ``options`` decides. A family learns its positives
    and its "none" negatives only from the sources that annotate it (BC5CDR annotates chemical-induced
    diseases, not treatments: its unrelated pairs say nothing about treats); a pair labelled with another
    family, in any source, is a negative of it (an induced disease is not a treated one).
    Deterministic for the same examples in the same order."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    examples = [e for _, exs in data for e in exs]
    if not examples:
        raise KgError("no candidate pairs to train the claim classifier on")
    counts = Counter(f for e in examples for f in e.features)
    vocab = sorted(f for f, n in counts.items() if n >= options.min_count)
    index = {f: i for i, f in enumerate(vocab)}
    families = sorted({f for src, _ in data for f in src.families} & set(options.families))
    coef = np.zeros((len(families), len(vocab)))
    intercept = np.zeros(len(families))
    for k, family in enumerate(families):
        rows, cols, y, w = [], [], [], []
        for src, exs in data:
            for e in exs:
                if family not in src.families and e.label == NONE:
                    continue  # the source does not annotate the family: only its other families' pairs are negatives
                r = len(y)
                for f in e.features:
                    j = index.get(f)
                    if j is not None:
                        rows.append(r)
                        cols.append(j)
                y.append(e.label == family)
                w.append(e.weight)
        if len(set(y)) < 2:
            raise KgError(f"the claim classifier needs pairs of {family!r} and of other classes to train on")
        x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(y), len(vocab)))
        yy, ww = np.array(y), np.array(w, dtype=float)
        if options.balanced:
            pos, neg = ww[yy].sum(), ww[~yy].sum()
            ww = np.where(yy, ww * (pos + neg) / (2 * pos), ww * (pos + neg) / (2 * neg))
        lr = LogisticRegression(C=options.C, max_iter=options.max_iter, random_state=options.seed)
        lr.fit(x, yy, sample_weight=ww)
        coef[k] = lr.coef_[0]
        intercept[k] = lr.intercept_[0]
    weights = {}
    for j, f in enumerate(vocab):
        row = tuple(round(float(coef[k, j]), 4) for k in range(len(families)))
        if max(abs(v) for v in row) >= options.min_weight:
            weights[f] = row
    return ClaimModel(tuple(families), tuple(round(float(v), 4) for v in intercept), weights, options.features,
                      info or {})


def train_claims(root: str | Path, out: str | Path | None = None, config: Config | None = None, limit: int = 0,
                 seed: int | None = None, progress: Callable[[str], None] | None = None) -> ClaimModel:
    """``kg train claims``: collect the sources' pairs, fit, write the model (default: the shipped file)."""
    config = config or Config.default()
    options = Options.from_config(config)
    if seed is not None:
        options = dataclasses.replace(options, seed=seed)
    target = Path(out) if out is not None else (model_path(config, "en") or MODEL_DIR / "claims.en.json")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)  # the output is checked before the work
    except OSError as exc:
        raise KgError(f"cannot write the claim model here: {exc.strerror}", target) from None
    data = collect(root, config, limit, options.features, progress)
    info = {"trained_by": "kg train claims", "seed": options.seed, "C": options.C, "min_count": options.min_count,
            "sources": [{"corpus": s.corpus, "split": s.split, "half": s.half, "weight": s.weight,
                         **({"uncued_weight": s.uncued_weight} if s.relations else {}), "limit": limit,
                         "pairs": dict(sorted(Counter(e.label for e in ex).items()))} for s, ex in data]}
    model = fit(data, options, info)
    write_atomic(target, model.dumps())
    log.info("claim model: %d features, classes %s -> %s", len(model.weights), ", ".join(model.classes), target)
    return model

