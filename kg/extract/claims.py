"""Building claims: the evidence of a sentence, negation and hedging, the confidence score, the predicate
of a treats-family claim, and the therapy node a cell type becomes when it is a treats subject."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from kg import ids
from kg.extract.article import article_policy, in_article
from kg.extract.rules import Rules
from kg.extract.sentence import Reading, SentenceView
from kg.ground import Grounder
from kg.model import Claim, Concept, Document, Evidence, Mention
from kg.ontology import Lexicon, TypePolicy


class ClaimBuilder:
    """Turns what a rule found (a subject and object mention, a trigger) into a ``Claim``."""

    def __init__(self, lexicon: Lexicon, grounder: Grounder, rules: Rules, reading: Reading, policy: TypePolicy):
        self.lex = lexicon
        self.grounder = grounder
        self.rules = rules
        self.read = reading
        self.policy = policy
        self.therapy_cfg = policy.therapy
        self._therapy_cache: dict[str, Concept] = {}

    def score(self, m: Mention, concept: Concept) -> float:
        """The mention's best grounding score among the concept's identifiers."""
        names = {concept.curie, *concept.equivalents}
        scores = [g.score for g in m.groundings if g.curie in names]
        return max(scores) if scores else (m.groundings[0].score if m.groundings else self.rules.ungrounded)

    def therapy_of(self, concept: Concept) -> Concept:
        """The Treatment node for a concept that is the subject of a treats-family claim."""
        cfg = self.therapy_cfg
        category = self.policy.categories[cfg.type]
        if concept.type in cfg.treatment_types:
            return dataclasses.replace(concept, category=category)
        if concept.type not in cfg.lift_types:
            return concept
        if concept.curie in self._therapy_cache:
            return self._therapy_cache[concept.curie]
        labels = [concept.label] + [self.lex.label(e) for e in concept.equivalents if e in self.lex.labels]
        found = None
        for pattern in cfg.names:
            for label in labels:
                hits = [c for c, _ in self.lex.find_by_name(pattern.format(label=label)) if self.lex.types.get(c) == cfg.name_type]
                if hits:
                    found = sorted(hits)[0]
                    break
            if found:
                break
        if found:
            base = self.grounder.concept_for([found], cfg.type)
            therapy = dataclasses.replace(base, category=category, type=cfg.type, agent=concept.curie)
        else:
            label = cfg.minted_labels.get("en", "{label}").format(label=concept.label)
            therapy = Concept(ids.therapy(concept.curie), label, category, cfg.type, (), agent=concept.curie)
        self._therapy_cache[concept.curie] = therapy
        return therapy

    def treats_predicate(self, text: str, negated: bool, hedged: bool) -> str:
        """The treats-family predicate (a predicates.tsv row) a sentence's cues choose."""
        ch, cues = self.rules.treats_choice, self.rules.treats_cues
        if negated:
            return ch["negated"]
        if cues["clinical_trial"].search(text):
            return ch["if_clinical_trial"]
        if cues["preclinical"].search(text):
            return ch["if_preclinical"]
        if hedged:
            return ch["if_hedged"]
        if cues["study"].search(text):
            return ch["if_study"]
        if cues["applied"].search(text):
            return ch["if_applied"]
        return ch["otherwise"]

    def in_article(self, claims: Sequence[Claim], document: Document) -> list[Claim]:
        """The claims as their article reads them (``articles.toml``): a trial article's treats-family
        predicate unless the sentence states an established use; prior knowledge in reviews and background
        sections."""
        if not claims:
            return []
        return in_article(claims, document, article_policy(self.rules.config), self.rules.treats_cues["established"])

    def evidence(self, st: SentenceView, subj: Mention, obj_start: int, obj_end: int, trigger: str, hedges,
                 negs, object_section: str = "") -> Evidence:
        s = st.sentence
        return Evidence(st.doc_id, s.section, s.lang, s.text, s.start, s.end, subj.start, subj.end, obj_start, obj_end,
                        trigger, hedges, negs, object_section=object_section)

    def claim(self, st: SentenceView, subj: Mention, subject: Concept, obj: Mention | None, object_: Concept, pred: str,
              claim_type: str, trigger: str, positions: Sequence[int], weight: float | None = None,
              mediators: tuple[str, ...] = (), qualifiers: tuple[tuple[str, str], ...] = ()) -> Claim | None:
        """A claim of predicate ``pred`` (a predicates.tsv row) from ``subj`` to ``obj`` (None: a claim with no
        object mention), negated or hedged by the cues whose scope holds ``positions``."""
        if subject is None or object_ is None or subject.curie == object_.curie:
            return None
        rules = self.rules
        neg, hedge, hedges, negs = self.read.flags(st, positions)
        if obj is not None:
            neg = neg or bool(obj.context & rules.negation)
            hedge = hedge or bool(obj.context & rules.hedge)
        p = rules.predicate(pred)
        score = min(self.score(subj, subject.agent and self._agent_concept(subj, subject) or subject),
                    self.score(obj, object_) if obj is not None else rules.no_object)
        elsewhere = obj.section if obj is not None and obj.section != st.sentence.section else ""
        ev = self.evidence(st, subj, obj.start if obj else positions[0], obj.end if obj else positions[-1], trigger,
                           hedges, negs, elsewhere)
        weight = rules.weight if weight is None else weight
        return Claim(subject, p.biolink, object_, p.relation, claim_type, (ev,), p.direction, neg, hedge,
                     round(score * weight * (rules.hedge_factor if hedge else 1.0), 3), mediators, qualifiers)

    def _agent_concept(self, subj: Mention, therapy: Concept) -> Concept:
        return subj.concept if subj.concept is not None and subj.concept.curie == therapy.agent else therapy
