"""Scores of relations, by the ``kind`` of each of a corpus's ``relations`` in ``corpora.toml``; ``family``
names the predicate family of relations.toml ``[families]`` whose claims are read (default ``treats``):

- ``treats_pairs``: document-level (chemical, disease) identifier pairs of the gold relation type against
  the pairs of the family's claims (for treats, treats-like claims: a treats-family claim, or a drug
  lowering a disease);
- ``not_treats``: how many gold pairs of the relation (BC5CDR's chemical-induced disease) the extractor
  reads as treats-like, and how many treats-like claims it makes at all;
- ``treats_strings``: CMeIE's (disease, therapy) string pairs of the given predicates against treats-like
  claims: a gold pair is found when a claim's object overlaps an occurrence of the disease string and its
  subject an occurrence of the therapy string in the same document (the format gives strings, no offsets);
  a predicted pair (the claim's subject and object texts) is right when it finds a gold pair;
- ``treats_sentence``: sentence classification (Rosario–Hearst): a sentence is predicted positive when an
  unnegated claim of the family joins a mention overlapping the tagged subject to one overlapping the
  tagged object (in sentences of the positive class) or joins any two mentions (in the other classes);
  measured end to end (the recogniser's mentions) and with the tagged spans given as the entities (the
  extractor alone).
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from kg.config import Config
from kg.corpora import GoldDocument, with_tagged_spans
from kg.errors import KgError
from kg.evaluation.scores import PRF
from kg.model import AnnotatedDocument, Claim, Concept


@dataclass(frozen=True)
class Reading:
    """How the evaluation reads claims (``[evaluation]`` of corpora.toml): which are treats-like, which
    subjects are chemicals, and the types of the entities a corpus tags."""

    treats_family: frozenset[str]  # Biolink predicates of the treats family
    lowered: frozenset[str]  # categories whose decrease is treats-like
    chemicals: frozenset[str]  # categories of a chemical subject
    treatment_types: tuple[str, ...]  # kg types of a tagged treatment (the treats rule's subject types)
    disease_types: tuple[str, ...]  # kg types of a tagged disease (its object types)
    tagged_treatment: str  # the type of a tagged treatment the recogniser did not type
    tagged_disease: str

    @classmethod
    def from_config(cls, config: Config) -> "Reading":
        t = config.corpora.table("evaluation")
        family = t.string("treats_family")
        if family not in config.families:
            raise t.error("treats_family", f"no predicate family {family!r} in relations.toml [families]")
        treats = config.relations.table("treats")
        return cls(frozenset(config.families[family]), frozenset(t.strings("lowered_categories")),
                   frozenset(t.strings("chemical_categories")), treats.strings("subject_types"),
                   treats.strings("object_types"), t.string("tagged_treatment_type"), t.string("tagged_disease_type"))

    families: dict[str, frozenset[str]] = dataclasses.field(default_factory=dict)  # family -> Biolink predicates

    @classmethod
    def with_families(cls, config: Config) -> "Reading":
        r = cls.from_config(config)
        return dataclasses.replace(r, families={k: frozenset(v) for k, v in config.families.items()})

    def treats_like(self, c: Claim) -> bool:
        """A claim that says the subject makes the disease better: treats family, or lowers a disease."""
        if c.negated:
            return False
        if c.predicate in self.treats_family:
            return True
        return c.direction == "decreased" and c.object.category in self.lowered

    def reads(self, family: str):
        """Whether an unnegated claim is of ``family`` (for treats: treats-like, ``treats_like``)."""
        if family == "treats":
            return self.treats_like
        if family not in self.families:
            raise KgError(f"no predicate family {family!r} in relations.toml [families]")
        preds = self.families[family]
        return lambda c: not c.negated and c.predicate in preds


def _concept_ids(concept: Concept, prefixes: Sequence[str]) -> list[str]:
    members = [concept.curie, *sorted(concept.equivalents)]
    if concept.agent:
        members.append(concept.agent)
    return [c for p in prefixes for c in members if c.split(":", 1)[0] == p]


def score_treats_pairs(gold: Sequence[GoldDocument], claims: Sequence[Claim], rel_type: str, subject_type: str,
                       object_type: str, type_map: dict[str, str], prefixes: Sequence[str], reading: Reading,
                       family: str = "treats") -> dict:
    """Document-level (subject id, object id) pairs of ``rel_type`` against the claims of ``family``
    (treats: treats-like claims)."""
    prf = PRF()
    by_doc: dict[str, set[tuple[str, str]]] = defaultdict(set)
    like = reading.reads(family)
    for c in claims:
        if not like(c) or c.subject.category not in reading.chemicals:
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
    return {"kind": "treats_pairs", "relation": rel_type, "family": family, **prf.as_dict()}


def score_not_treats(gold: Sequence[GoldDocument], claims: Sequence[Claim], rel_type: str, prefixes: Sequence[str],
                     reading: Reading) -> dict:
    """How many gold ``rel_type`` pairs (e.g. chemical-induced disease) are read as treats-like claims."""
    pred: dict[str, set[tuple[str, str]]] = defaultdict(set)
    n_claims = 0
    for c in claims:
        if reading.treats_like(c):
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


def _claim_spans(claims: Sequence[Claim], reading: Reading) -> dict[str, set[tuple[str, int, int, str, int, int]]]:
    """Per document, the (section, subject start, end, object section, start, end) of every treats-like
    claim (the object's section is the sentence's unless the object is implied: the document's topic)."""
    out: dict[str, set[tuple[str, int, int, str, int, int]]] = defaultdict(set)
    for c in claims:
        if reading.treats_like(c):
            for e in c.evidence:
                out[e.doc_id].add((e.section, e.subject_start, e.subject_end, e.object_section or e.section,
                                   e.object_start, e.object_end))
    return out


def score_treats_strings(gold: Sequence[GoldDocument], claims: Sequence[Claim], types: Sequence[str],
                         reading: Reading) -> dict:
    """Gold (disease, therapy) string pairs of the ``types`` predicates (subject: the disease, object: the
    therapy, as CMeIE writes them) against the spans of treats-like claims (subject: the therapy)."""
    wanted = set(types)
    spans = _claim_spans(claims, reading)
    prf = PRF(ptp=0)
    for g in gold:
        occ: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
        for m in g.mentions:
            occ[m.text].append((m.section, m.start, m.end))
        pairs = {(r.arg1, r.arg2) for r in g.relations if r.type in wanted}
        texts = {s.name: s.text for s in g.document.sections}
        found: set[tuple[str, str]] = set()
        predicted: dict[tuple[str, str], bool] = {}
        for sec, ss, se, osec, os_, oe in spans.get(g.id, ()):
            hits = {(d, t) for d, t in pairs
                    if any(x == osec and s < oe and os_ < e for x, s, e in occ[d])
                    and any(x == sec and s < se and ss < e for x, s, e in occ[t])}
            found |= hits
            key = (texts.get(sec, "")[ss:se], texts.get(osec, "")[os_:oe])
            predicted[key] = predicted.get(key, False) or bool(hits)
        prf.tp += len(found)
        prf.fn += len(pairs - found)
        prf.ptp += sum(predicted.values())
        prf.fp += sum(not v for v in predicted.values())
    return {"kind": "treats_strings", "relation": "+".join(types), **prf.as_dict()}


def score_treats_sentences(gold: Sequence[GoldDocument], claims: Sequence[Claim], positive: str, subject: str,
                           obj: str, predicates: frozenset[str] | None = None, family: str = "treats") -> dict:
    """Sentence classification: the positive class must get a claim of the family (``predicates``, its
    Biolink predicates; default: the treats rules' claims) joining the tagged subject and object; other
    sentences must get no such claim at all."""
    by_doc: dict[str, list[Claim]] = defaultdict(list)
    flagged: dict[str, Counter] = defaultdict(Counter)  # doc -> negated / hedged claims of the family
    for c in claims:
        if (c.predicate in predicates) if predicates is not None else c.claim_type == "treats":
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
    return {"kind": "treats_sentence", "relation": positive, "family": family, **prf.as_dict(),
            "classes": {k: dict(v) for k, v in sorted(per_class.items())}}


def with_tagged_entities(pipeline, annotated: Sequence[AnnotatedDocument], gold: Sequence[GoldDocument],
                         subject: str, obj: str, reading: Reading) -> list[Claim]:
    """Claims the extractor makes when the tagged spans are given as the entities (``with_tagged_spans``
    of ``kg.corpora``: a tag starting with ``subject`` is a treatment, one starting with ``obj`` a
    disease). This measures the extractor alone."""
    by_id = {g.id: g for g in gold}
    claims: list[Claim] = []
    for ad in annotated:
        given = with_tagged_spans(ad, by_id[ad.document.id], subject, obj, reading.treatment_types,
                                  reading.disease_types, reading.tagged_treatment, reading.tagged_disease,
                                  pipeline.grounder.policy.category)
        claims.extend(pipeline.extractor.extract(given))
    return claims
