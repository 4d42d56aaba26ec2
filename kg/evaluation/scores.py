"""Scores of recognition and normalisation against gold mentions: strict (same span and type) and overlap
(a shared character and the same type) precision, recall and F1 per type, and normalisation as document-level
sets of (type, identifier), as in the BioCreative/NCBI-disease evaluations. A mention's identifier is the
one ``kg.ground.Identifiers`` writes for it; a concept kg minted claims no identifier."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kg import ids
from kg.corpora import GoldDocument
from kg.ground import Identifiers
from kg.model import AnnotatedDocument, Mention
from kg.ontology import Normalizer


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
    relations: list[dict] = field(default_factory=list)  # one per relation of the corpus (corpora.toml)
    relations_given: list[dict] = field(default_factory=list)  # the same with the corpus's tagged entities given
    kinds: dict = field(default_factory=dict)  # predicted mentions by how they were found (score_kinds)
    seconds: float = 0.0


def predicted_mentions(ad: AnnotatedDocument, types: Iterable[str], identifiers: Identifiers) -> list[tuple[Mention, str]]:
    """The document's grounded mentions with a PubTator type among ``types``."""
    wanted = set(types)
    out = []
    for m in ad.mentions:
        t = identifiers.type_of(m.concept)
        if t in wanted:
            out.append((m, t))
    return out


def score_mentions(gold: Sequence[GoldDocument], annotated: Sequence[AnnotatedDocument], type_map: dict[str, str],
                   normalise: Sequence[str], identifiers: Identifiers) -> dict[str, TypeScores]:
    """Strict, overlap and normalisation scores per evaluated type (``identifiers``: over the pipeline's
    lexicon, they choose each mention's identifier)."""
    by_id = {a.document.id: a for a in annotated}
    scores: dict[str, TypeScores] = {t: TypeScores() for t in dict.fromkeys(type_map.values())}
    for g in gold:
        ad = by_id.get(g.id)
        preds = predicted_mentions(ad, scores, identifiers) if ad is not None else []
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
                    found = identifiers.of(m, normalise)
                    curie = found[0] if found else (m.concept.curie if m.concept else "")
                    if curie and not ids.is_minted(curie):  # a minted concept claims no identifier
                        pred_ids.add(curie)
                s.normalisation.tp += len(gold_ids & pred_ids)
                s.normalisation.fp += len(pred_ids - gold_ids)
                s.normalisation.fn += len(gold_ids - pred_ids)
    return scores


def mention_kind(m: Mention, norm: Normalizer) -> str:
    """How a mention was found, for the breakdown: abbreviation (a short form defined in the text),
    acronym (an upper-case name known to the lexicon), fuzzy (the fuzzy linker), unlinked (recognised but
    not grounded), variant (matched after plural/derivation/Greek-letter normalisation), hyphenated
    (written with a hyphen), composed, or exact (the lexicon term's words, any case)."""
    top = m.groundings[0].match if m.groundings else ""
    if m.composition:
        return "composed"
    if m.long_form or top == "abbreviation":
        return "abbreviation"
    if top == "acronym":
        return "acronym"
    if m.concept is not None and ids.is_unlinked(m.concept.curie):
        return "unlinked"
    if any(g.match == "fuzzy" for g in m.groundings[:1]):
        return "fuzzy"
    words = tuple(w.lower() for w in re.findall(r"[^\W_]+", m.text))
    if norm.key(m.text) != words:
        return "variant"
    if "-" in m.text:
        return "hyphenated"
    return "exact"


def score_kinds(gold: Sequence[GoldDocument], annotated: Sequence[AnnotatedDocument], type_map: dict[str, str],
                identifiers: Identifiers) -> dict:
    """Per kind of predicted mention (``mention_kind``): how many, and how many are strict and overlap hits."""
    by_id = {a.document.id: a for a in annotated}
    out: dict[str, Counter] = defaultdict(Counter)
    for g in gold:
        ad = by_id.get(g.id)
        if ad is None:
            continue
        gs = [(m, type_map[m.type]) for m in g.mentions if m.type in type_map]
        spans = {(m.section, m.start, m.end, t) for m, t in gs}
        for m, t in predicted_mentions(ad, set(type_map.values()), identifiers):
            k = out[mention_kind(m, identifiers.lex.normalizer)]
            k["predicted"] += 1
            k["strict"] += (m.section, m.start, m.end, t) in spans
            k["overlap"] += any(_overlaps(m, x) and tt == t for x, tt in gs)
    return {k: dict(v) for k, v in sorted(out.items())}


def _overlaps(a, b) -> bool:
    return a.section == b.section and a.start < b.end and b.start < a.end
