"""Measure recognition, normalisation and claims against annotated corpora (``kg eval``).

Mentions: strict (same span and type) and overlap (a shared character and the same type) precision,
recall and F1 per type. Normalisation: document-level sets of (type, identifier), as in the
BioCreative/NCBI-disease evaluations; a mention's identifier is the first of its concept's identifiers
with a prefix the corpus uses (MeSH, then OMIM), else its concept's CURIE (counted wrong); a concept kg
minted (``kgid:``, an unlinked mention) claims no identifier. Relations, by the corpus's ``relation.kind`` in
``kg/data/corpora.toml``:

- ``treats_pairs``: document-level (chemical, disease) identifier pairs of the gold relation type against
  the pairs of treats-like claims (a treats-family claim, or a drug lowering a disease);
- ``not_treats``: how many gold pairs of the relation (BC5CDR's chemical-induced disease) the
  extractor reads as treats-like, and how many treats-like claims it makes at all;
- ``treats_sentence``: sentence classification (Rosario–Hearst): a sentence is predicted positive when a
  treats-family, unnegated claim joins a mention overlapping the tagged treatment to one overlapping the
  tagged disease (in positive sentences) or joins any two mentions (in the other classes); measured end to
  end (the recogniser's mentions) and with the tagged spans given as the entities (the extractor alone).

Nothing here imports spaCy: it runs the library pipeline and compares records.
"""

from __future__ import annotations

import logging
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.corpora import (GoldDocument, corpus_config, mention_ids, pubtator_type, read_knowtator, read_pubtator_gold,
                        read_rosario_hearst)
from kg.errors import KgError
from kg.model import AnnotatedDocument, Claim, Concept, Mention
from kg.resources import data_path

log = logging.getLogger(__name__)

TREATS_FAMILY = frozenset({
    "biolink:treats", "biolink:applied_to_treat", "biolink:studied_to_treat", "biolink:in_clinical_trials_for",
    "biolink:in_preclinical_trials_for", "biolink:treats_or_applied_or_studied_to_treat",
})


# ---------------------------------------------------------------- configuration


def default_corpora_dir() -> Path:
    """``$KG_CORPORA``, else ``../shared/corpora`` from the working folder."""
    return Path(os.environ.get("KG_CORPORA") or Path("..") / "shared" / "corpora")


def corpus_names() -> list[str]:
    return list(corpus_config()["corpus"])


def corpus_splits(name: str) -> list[str]:
    cfg = corpus_config()["corpus"][name]
    return [s for s in ("train", "dev", "test") if s in cfg]


def corpus_present(name: str, split: str, root: Path) -> bool:
    """Whether the files of a corpus split are under ``root``."""
    cfg = corpus_config()["corpus"][name]
    if split not in cfg:
        return False
    files = [cfg[split]] if isinstance(cfg[split], str) else cfg[split]
    return all((root / f).is_file() for f in files)


def load_corpus(name: str, split: str, root: str | Path | None = None) -> list[GoldDocument]:
    """The gold documents of one split of a known corpus."""
    root = Path(root) if root is not None else default_corpora_dir()
    cfgs = corpus_config()["corpus"]
    if name not in cfgs:
        raise KgError(f"unknown corpus {name!r}; known: {', '.join(cfgs)}")
    cfg = cfgs[name]
    if split not in cfg:
        raise KgError(f"corpus {name} has no {split!r} split; it has: {', '.join(corpus_splits(name))}")
    fmt = cfg["format"]
    if fmt == "knowtator":
        ids_file = root / cfg[split]
        if not ids_file.is_file():
            raise KgError("corpus file not found (see --corpora)", ids_file)
        ids = [x.strip() for x in ids_file.read_text(encoding="utf-8").split() if x.strip()]
        out = []
        for pid in ids:
            xmls = [root / folder / f"{pid}.txt.knowtator.xml" for folder in cfg["annotations"]]
            out.append(read_knowtator([x for x in xmls if x.is_file()], root / cfg["text"] / f"{pid}.txt"))
        return out
    reader = {"pubtator": read_pubtator_gold, "rosario_hearst": read_rosario_hearst}[fmt]
    out = []
    for rel in cfg[split]:
        path = root / rel
        if not path.is_file():
            raise KgError("corpus file not found (see --corpora)", path)
        out.extend(reader(path))
    return out


# ---------------------------------------------------------------- scores


@dataclass
class PRF:
    """Counts and precision, recall, F1. ``ptp``, when set, is the true positives on the predicted side
    (overlap matching: predictions that hit a gold item), ``tp`` those on the gold side."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    ptp: int | None = None

    @property
    def p(self) -> float:
        tp = self.tp if self.ptp is None else self.ptp
        return tp / (tp + self.fp) if tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def as_dict(self) -> dict:
        out = {"tp": self.tp, "fp": self.fp, "fn": self.fn, "p": round(self.p, 4), "r": round(self.r, 4), "f1": round(self.f, 4)}
        if self.ptp is not None:
            out["predicted_tp"] = self.ptp
        return out


@dataclass
class TypeScores:
    gold: int = 0
    predicted: int = 0
    strict: PRF = field(default_factory=PRF)
    overlap: PRF = field(default_factory=lambda: PRF(ptp=0))
    normalisation: PRF = field(default_factory=PRF)


@dataclass
class CorpusResult:
    corpus: str
    split: str
    documents: int
    types: dict[str, TypeScores] = field(default_factory=dict)
    relation: dict | None = None
    relation_given: dict | None = None  # the same relation with the corpus's tagged entities given
    kinds: dict = field(default_factory=dict)  # predicted mentions by how they were found (score_kinds)
    seconds: float = 0.0


def predicted_mentions(ad: AnnotatedDocument, types: Iterable[str]) -> list[tuple[Mention, str]]:
    """The document's grounded mentions with a PubTator type among ``types``."""
    wanted = set(types)
    out = []
    for m in ad.mentions:
        t = pubtator_type(m.concept)
        if t in wanted:
            out.append((m, t))
    return out


def score_mentions(gold: Sequence[GoldDocument], annotated: Sequence[AnnotatedDocument], type_map: dict[str, str],
                   normalise: Sequence[str], lexicon=None) -> dict[str, TypeScores]:
    """Strict, overlap and normalisation scores per evaluated type (``lexicon``: the pipeline's, for
    ``mention_ids``)."""
    by_id = {a.document.id: a for a in annotated}
    scores: dict[str, TypeScores] = {t: TypeScores() for t in dict.fromkeys(type_map.values())}
    for g in gold:
        ad = by_id.get(g.id)
        preds = predicted_mentions(ad, scores) if ad is not None else []
        golds = [(m, type_map[m.type]) for m in g.mentions if m.type in type_map]
        for t, s in scores.items():
            gs = [m for m, tt in golds if tt == t]
            ps = [m for m, tt in preds if tt == t]
            s.gold += len(gs)
            s.predicted += len(ps)
            gspans = Counter((m.section, m.start, m.end) for m in gs)
            pspans = Counter((m.section, m.start, m.end) for m in ps)
            hit = sum((gspans & pspans).values())
            s.strict.tp += hit
            s.strict.fp += sum(pspans.values()) - hit
            s.strict.fn += sum(gspans.values()) - hit
            p_hit = sum(1 for p in ps if any(_overlaps(p, x) for x in gs))
            g_hit = sum(1 for x in gs if any(_overlaps(p, x) for p in ps))
            s.overlap.tp += g_hit  # recall: gold mentions overlapped by a prediction
            s.overlap.fn += len(gs) - g_hit
            s.overlap.ptp += p_hit  # precision: predictions that overlap a gold mention
            s.overlap.fp += len(ps) - p_hit
            if normalise:
                gold_ids = {i for m in gs for i in m.ids}
                pred_ids = set()
                for m in ps:
                    ids = mention_ids(m, normalise, lexicon)
                    curie = ids[0] if ids else (m.concept.curie if m.concept else "")
                    if curie and not curie.startswith("kgid:"):  # a minted concept claims no identifier
                        pred_ids.add(curie)
                s.normalisation.tp += len(gold_ids & pred_ids)
                s.normalisation.fp += len(pred_ids - gold_ids)
                s.normalisation.fn += len(gold_ids - pred_ids)
    return scores


def mention_kind(m: Mention) -> str:
    """How a mention was found, for the breakdown: abbreviation (a short form defined in the text),
    acronym (an upper-case name known to the lexicon), fuzzy (the fuzzy linker), unlinked (recognised but
    not grounded), variant (matched after plural/derivation/Greek-letter normalisation), hyphenated
    (written with a hyphen), composed, or exact (the lexicon term's words, any case)."""
    from kg.lexicon import Normalizer

    top = m.groundings[0].match if m.groundings else ""
    if m.composition:
        return "composed"
    if m.long_form or top == "abbreviation":
        return "abbreviation"
    if top == "acronym":
        return "acronym"
    if m.concept is not None and m.concept.curie.startswith("kgid:unlinked_"):
        return "unlinked"
    if any(g.match == "fuzzy" for g in m.groundings[:1]):
        return "fuzzy"
    words = tuple(w.lower() for w in re.findall(r"[^\W_]+", m.text))
    if Normalizer.default().key(m.text) != words:
        return "variant"
    if "-" in m.text:
        return "hyphenated"
    return "exact"


def score_kinds(gold: Sequence[GoldDocument], annotated: Sequence[AnnotatedDocument], type_map: dict[str, str]) -> dict:
    """Per kind of predicted mention (``mention_kind``): how many, and how many are strict and overlap hits."""
    by_id = {a.document.id: a for a in annotated}
    out: dict[str, Counter] = defaultdict(Counter)
    for g in gold:
        ad = by_id.get(g.id)
        if ad is None:
            continue
        gs = [(m, type_map[m.type]) for m in g.mentions if m.type in type_map]
        spans = {(m.section, m.start, m.end, t) for m, t in gs}
        for m, t in predicted_mentions(ad, set(type_map.values())):
            k = out[mention_kind(m)]
            k["predicted"] += 1
            k["strict"] += (m.section, m.start, m.end, t) in spans
            k["overlap"] += any(_overlaps(m, x) and tt == t for x, tt in gs)
    return {k: dict(v) for k, v in sorted(out.items())}


def _overlaps(a, b) -> bool:
    return a.section == b.section and a.start < b.end and b.start < a.end


# ---------------------------------------------------------------- relations


def treats_like(c: Claim) -> bool:
    """A claim that says the subject makes the disease better: treats family, or lowers a disease."""
    if c.negated:
        return False
    if c.predicate in TREATS_FAMILY:
        return True
    return c.direction == "decreased" and c.object.category in {"biolink:Disease", "biolink:PhenotypicFeature"}


def _concept_ids(concept: Concept, prefixes: Sequence[str]) -> list[str]:
    members = [concept.curie, *sorted(concept.equivalents)]
    if concept.agent:
        members.append(concept.agent)
    return [c for p in prefixes for c in members if c.split(":", 1)[0] == p]


def score_treats_pairs(gold: Sequence[GoldDocument], claims: Sequence[Claim], rel_type: str, subject_type: str,
                       object_type: str, type_map: dict[str, str], prefixes: Sequence[str]) -> dict:
    """Document-level (subject id, object id) pairs of ``rel_type`` against treats-like claims."""
    prf = PRF()
    by_doc: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for c in claims:
        if not treats_like(c) or c.subject.category not in ("biolink:ChemicalEntity", "biolink:Drug"):
            continue
        s_ids, o_ids = _concept_ids(c.subject, prefixes), _concept_ids(c.object, prefixes)
        by_doc[c.evidence[0].doc_id].add((s_ids[0] if s_ids else c.subject.curie, o_ids[0] if o_ids else c.object.curie))
    for g in gold:
        typ = {i: type_map.get(m.type) for m in g.mentions for i in m.ids}
        pairs = set()
        for r in g.relations:
            if r.type != rel_type:
                continue
            a, b = r.arg1, r.arg2
            if typ.get(a) == object_type and typ.get(b) == subject_type:
                a, b = b, a
            if typ.get(a) == subject_type and typ.get(b) == object_type:
                pairs.add((a, b))
        pred = by_doc.get(g.id, set())
        prf.tp += len(pairs & pred)
        prf.fp += len(pred - pairs)
        prf.fn += len(pairs - pred)
    return {"kind": "treats_pairs", "relation": rel_type, **prf.as_dict()}


def score_not_treats(gold: Sequence[GoldDocument], claims: Sequence[Claim], rel_type: str, prefixes: Sequence[str]) -> dict:
    """How many gold ``rel_type`` pairs (e.g. chemical-induced disease) are read as treats-like claims."""
    pred: dict[str, set[tuple[str, str]]] = defaultdict(set)
    n_claims = 0
    for c in claims:
        if treats_like(c):
            n_claims += 1
            for s in _concept_ids(c.subject, prefixes) or [c.subject.curie]:
                for o in _concept_ids(c.object, prefixes) or [c.object.curie]:
                    pred[c.evidence[0].doc_id].add((s, o))
    n_gold = wrong = 0
    for g in gold:
        for r in g.relations:
            if r.type == rel_type:
                n_gold += 1
                if (r.arg1, r.arg2) in pred.get(g.id, ()) or (r.arg2, r.arg1) in pred.get(g.id, ()):
                    wrong += 1
    return {"kind": "not_treats", "relation": rel_type, "gold_pairs": n_gold, "read_as_treats": wrong,
            "treats_like_claims": n_claims, "error_rate": round(wrong / n_gold, 4) if n_gold else 0.0}


def score_treats_sentences(gold: Sequence[GoldDocument], claims: Sequence[Claim], positive: str, subject: str,
                           obj: str) -> dict:
    """Sentence classification: the positive class must get a treats-family claim joining the tagged
    treatment and disease; other sentences must get no treats-family claim at all."""
    by_doc: dict[str, list[Claim]] = defaultdict(list)
    flagged: dict[str, Counter] = defaultdict(Counter)  # doc -> negated / hedged treats claims
    for c in claims:
        if c.claim_type == "treats":
            flagged[c.evidence[0].doc_id]["negated"] += c.negated
            flagged[c.evidence[0].doc_id]["hedged"] += c.hedged and not c.negated
            if not c.negated:
                by_doc[c.evidence[0].doc_id].append(c)
    prf = PRF()
    per_class: dict[str, Counter] = defaultdict(Counter)
    for g in gold:
        cs = by_doc.get(g.id, [])
        per_class[g.label or ""]["with_negated_claim"] += bool(flagged[g.id]["negated"])
        per_class[g.label or ""]["with_hedged_claim"] += bool(flagged[g.id]["hedged"])
        if g.label == positive:
            subs = [m for m in g.mentions if m.type == subject]
            objs = [m for m in g.mentions if m.type == obj]
            found = any(
                any(e.subject_start < s.end and s.start < e.subject_end for s in subs)
                and any(e.object_start < o.end and o.start < e.object_end for o in objs)
                for c in cs for e in c.evidence
            )
            prf.tp += found
            prf.fn += not found
        else:
            found = bool(cs)
            prf.fp += found
        per_class[g.label or ""]["sentences"] += 1
        per_class[g.label or ""]["with_treats_claim"] += found
    return {"kind": "treats_sentence", "relation": positive, **prf.as_dict(),
            "classes": {k: dict(v) for k, v in sorted(per_class.items())}}


def with_tagged_entities(pipeline, annotated: Sequence[AnnotatedDocument], gold: Sequence[GoldDocument],
                         subject: str, obj: str) -> list[Claim]:
    """Claims the extractor makes when the tagged spans are given as the entities: the recognised
    mentions they overlap are replaced by mentions of exactly the tagged spans (a tag starting with
    ``subject`` is a treatment, one starting with ``obj`` a disease), grounded as the recogniser grounded
    the same span, else to a concept minted for the span. This measures the extractor alone."""
    import dataclasses

    from kg.model import Grounding

    by_id = {g.id: g for g in gold}
    treat_types = ("drug", "agent", "procedure", "cell", "therapy")
    claims: list[Claim] = []
    for ad in annotated:
        g = by_id[ad.document.id]
        tagged = [m for m in g.mentions if m.type.startswith((subject, obj))]
        if not tagged:
            claims.extend(pipeline.extractor.extract(ad))
            continue
        kept = [m for m in ad.mentions if not any(m.start < t.end and t.start < m.end for t in tagged)]
        for i, t in enumerate(tagged):
            is_treat = t.type.startswith(subject)
            allowed = treat_types if is_treat else ("disease", "phenotype")
            same = next((m for m in ad.mentions if (m.start, m.end) == (t.start, t.end) and m.concept is not None
                         and m.concept.type in allowed), None)
            if same is not None:
                kept.append(same)
                continue
            near = [m.concept.type for m in ad.mentions if m.start < t.end and t.start < m.end and m.concept is not None]
            typ = (next((x for x in near if x in treat_types), "procedure") if is_treat else "disease")
            concept = Concept(f"kgid:tagged_{i}", t.text, pipeline.grounder.policy.category(typ), typ)
            sent = next((s.index for s in ad.sentences if s.section == t.section and s.start <= t.start < s.end), 0)
            kept.append(Mention(ad.document.id, t.section, "en", sent, t.start, t.end, t.text, typ,
                                (Grounding(concept.curie, t.text, 1.0, "gold", "tagged"),), concept=concept))
        kept.sort(key=lambda m: (m.start, -m.end))
        claims.extend(pipeline.extractor.extract(dataclasses.replace(ad, mentions=tuple(kept))))
    return claims


# ---------------------------------------------------------------- the whole evaluation


HALVES = ("even", "odd")


def half_of(gold: Sequence[GoldDocument], half: str | None) -> list[GoldDocument]:
    """One deterministic half of a split: the documents at even (0, 2, 4, ...) or odd positions in the
    split's file order (``None``: all). Rosario–Hearst has a single file; rules are chosen on its even
    half and its odd half is the held-out figure (EVALUATION.md)."""
    if half is None:
        return list(gold)
    if half not in HALVES:
        raise KgError(f"unknown half {half!r}; expected one of: {', '.join(HALVES)}")
    return [g for i, g in enumerate(gold) if i % 2 == HALVES.index(half)]


def evaluate_corpus(pipeline, name: str, split: str = "dev", root: str | Path | None = None,
                    limit: int = 0, progress: bool = False, half: str | None = None) -> CorpusResult:
    """Run ``pipeline`` (a ``kg.pipeline.Pipeline``) over one corpus split (or one half of it, see
    ``half_of``) and score it."""
    import time

    cfg = corpus_config()["corpus"][name]
    gold = half_of(load_corpus(name, split, root), half)
    if limit:
        gold = gold[:limit]
    t = time.perf_counter()
    kg = pipeline.run([g.document for g in gold], progress=progress)
    seconds = time.perf_counter() - t
    type_map = dict(cfg.get("types", {}))
    result = CorpusResult(name, split if half is None else f"{split} ({half} half)", len(gold), seconds=seconds)
    if type_map:
        result.types = score_mentions(gold, kg.annotated, type_map, cfg.get("normalise", []), kg.lexicon)
        result.kinds = score_kinds(gold, kg.annotated, type_map)
    rel = cfg.get("relation")
    if rel:
        prefixes = cfg.get("normalise", ["MESH"])
        if rel["kind"] == "treats_pairs":
            result.relation = score_treats_pairs(gold, kg.claims, rel["type"], rel["subject"], rel["object"], type_map, prefixes)
        elif rel["kind"] == "not_treats":
            result.relation = score_not_treats(gold, kg.claims, rel["type"], prefixes)
        elif rel["kind"] == "treats_sentence":
            result.relation = score_treats_sentences(gold, kg.claims, rel["positive"], rel["subject"], rel["object"])
            given = with_tagged_entities(pipeline, kg.annotated, gold, rel["subject"], rel["object"])
            result.relation_given = score_treats_sentences(gold, given, rel["positive"], rel["subject"], rel["object"])
        else:
            raise KgError(f"unknown relation kind {rel['kind']!r} for corpus {name}", data_path("corpora.toml"))
    return result


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}"


def format_table(results: Sequence[CorpusResult], markdown: bool = False, kinds: bool = False) -> str:
    """The mention and relation figures as text (or Markdown) tables; ``kinds`` adds the breakdown of
    mentions by how they were found and the sentence classes with treats, negated and hedged claims."""
    head = ["corpus", "split", "type", "gold", "pred", "strict P", "strict R", "strict F1",
            "overlap P", "overlap R", "overlap F1", "norm P", "norm R", "norm F1"]
    rows = []
    for r in results:
        for t, s in r.types.items():
            norm = [_pct(s.normalisation.p), _pct(s.normalisation.r), _pct(s.normalisation.f)] \
                if s.normalisation.tp + s.normalisation.fp + s.normalisation.fn else ["", "", ""]
            rows.append([r.corpus, r.split, t, str(s.gold), str(s.predicted), _pct(s.strict.p), _pct(s.strict.r),
                         _pct(s.strict.f), _pct(s.overlap.p), _pct(s.overlap.r), _pct(s.overlap.f), *norm])
    rel_head = ["corpus", "split", "relation", "measure", "P", "R", "F1", "counts"]
    rel_rows = []
    for r in results:
        x = r.relation
        if not x:
            continue
        if x["kind"] == "not_treats":
            rel_rows.append([r.corpus, r.split, x["relation"], "gold pairs read as treats-like", "", "", "",
                             f"{x['read_as_treats']} of {x['gold_pairs']} ({100 * x['error_rate']:.1f}%); "
                             f"{x['treats_like_claims']} treats-like claims"])
        else:
            measure = "document pairs vs treats-like claims" if x["kind"] == "treats_pairs" else "sentences with a treats claim"
            rel_rows.append([r.corpus, r.split, x["relation"], measure, _pct(x["p"]), _pct(x["r"]), _pct(x["f1"]),
                             f"tp {x['tp']} fp {x['fp']} fn {x['fn']}"])
        if r.relation_given:
            y = r.relation_given
            rel_rows.append([r.corpus, r.split, y["relation"], "same, with the tagged entities given", _pct(y["p"]),
                             _pct(y["r"]), _pct(y["f1"]), f"tp {y['tp']} fp {y['fp']} fn {y['fn']}"])
    kind_head = ["corpus", "split", "found as", "predicted", "strict hits", "strict P", "overlap P"]
    kind_rows = []
    for r in results:
        for kind, k in r.kinds.items():
            n = k.get("predicted", 0)
            kind_rows.append([r.corpus, r.split, kind, str(n), str(k.get("strict", 0)),
                              _pct(k.get("strict", 0) / n if n else 0), _pct(k.get("overlap", 0) / n if n else 0)])
    cls_head = ["corpus", "split", "sentence class", "sentences", "with a treats claim", "with a negated one",
                "with a hedged one"]
    cls_rows = []
    for r in results:
        for x, label in ((r.relation, "end to end"), (r.relation_given, "tagged entities given")):
            for cls, v in ((x or {}).get("classes") or {}).items():
                cls_rows.append([r.corpus, f"{r.split} ({label})", cls, str(v.get("sentences", 0)),
                                 str(v.get("with_treats_claim", 0)), str(v.get("with_negated_claim", 0)),
                                 str(v.get("with_hedged_claim", 0))])
    out = _table(head, rows, markdown) + "\n" + _table(rel_head, rel_rows, markdown)
    if kinds:
        out += "\n" + _table(kind_head, kind_rows, markdown)
        if cls_rows:
            out += "\n" + _table(cls_head, cls_rows, markdown)
    return out


def _table(head: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        lines += ["| " + " | ".join(c.strip() for c in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*head)] + [fmt.format(*row) for row in rows]) + "\n"


def results_json(results: Sequence[CorpusResult]) -> list[dict]:
    out = []
    for r in results:
        out.append({
            "corpus": r.corpus, "split": r.split, "documents": r.documents, "seconds": round(r.seconds, 2),
            "types": {t: {"gold": s.gold, "predicted": s.predicted, "strict": s.strict.as_dict(),
                          "overlap": s.overlap.as_dict(), "normalisation": s.normalisation.as_dict()}
                      for t, s in r.types.items()},
            "relation": r.relation, "relation_given": r.relation_given, "kinds": r.kinds,
        })
    return out


def run_evaluation(corpora: Sequence[str] | None = None, split: str = "dev", root: str | Path | None = None,
                   ontologies: Sequence[str | Path] = (), markdown: str | Path | None = None,
                   json_path: str | Path | None = None, limit: int = 0, progress: bool = False,
                   breakdown: bool = False, half: str | None = None, **pipeline_options) -> str:
    """Evaluate a pipeline on the named corpora (default: every known corpus present under ``root`` that
    has ``split``), or on one half of each split (``half``: "even" or "odd", see ``half_of``); returns the
    table and writes the Markdown / JSON files asked for."""
    import json

    from kg.pipeline import Pipeline
    from kg.rdf import write_atomic

    root = Path(root) if root is not None else default_corpora_dir()
    if half is not None and half not in HALVES:
        raise KgError(f"unknown half {half!r}; expected one of: {', '.join(HALVES)}")
    if not root.is_dir():
        raise KgError("corpora folder not found (pass --corpora or set KG_CORPORA)", root)
    if corpora:
        names = list(corpora)
        for n in names:
            if n not in corpus_config()["corpus"]:
                raise KgError(f"unknown corpus {n!r}; known: {', '.join(corpus_names())}")
    else:
        names = [n for n in corpus_names() if corpus_present(n, split, root)]
        if not names:
            raise KgError(f"no known corpus with a {split!r} split under this folder", root)
    pipeline = Pipeline(ontologies, **pipeline_options)
    results = []
    for n in names:
        log.info("evaluating %s (%s)", n, split)
        results.append(evaluate_corpus(pipeline, n, split, root, limit=limit, progress=progress, half=half))
    table = format_table(results, kinds=breakdown)
    if markdown:
        write_atomic(markdown, format_table(results, markdown=True, kinds=True))
    if json_path:
        write_atomic(json_path, json.dumps(results_json(results), indent=1, sort_keys=True) + "\n")
    return table
