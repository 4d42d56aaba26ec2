"""Stage 4, extract: rule-based therapy–disease–mechanism claims from grounded mentions, one sentence at a
time, in any language kg reads.

There is no parser: a claim joins a subject mention and object mentions around a trigger within one
clause; coordinated lists give a claim per item; anaphora ("they") take the previous sentence's subject.
One rule engine reads every language: the rule families (``treats``, ``prevention``, ``adverse``,
``direction``, ``capability``, ``differentiation``, ``secretion``) are the same, and a language is its
trigger file (``relations.<lang>.toml``) beside the language-neutral ``relations.toml``. Negation and
hedging come from the ConText cues of the recognition stage. Where a language has a claim classifier
(``claims.toml``, ``kg.extract.classifier``), it decides the therapy -> condition pairs of the treats,
prevention and adverse families, with the rules' verdicts among its features.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from kg import ids
from kg.config import Config
from kg.extract.adverse import Adverse
from kg.extract.capability import Capability
from kg.extract.classifier import (ClaimClassifier, ClaimModel, Pair, deferred, may_cross, model_path,
                                   thresholds, trigger_gates, trigger_patterns)
from kg.extract.claims import ClaimBuilder
from kg.extract.differentiation import Differentiation, differentiation_processes
from kg.extract.direction import Direction
from kg.extract.prevention import Prevention
from kg.extract.rules import Rules
from kg.extract.secretion import Secretion
from kg.extract.sentence import Reading, SentenceView
from kg.extract.treats import Treats
from kg.ground import Grounder
from kg.model import AnnotatedDocument, Claim, Cue, Mention
from kg.ontology import Lexicon, TypePolicy


class Extractor:
    """Finds claims in the sentences of one language of grounded documents."""

    def __init__(self, lexicon: Lexicon, grounder: Grounder | None = None, config: Config | None = None,
                 lang: str = "en", classifier: bool | str | Path = True):
        self.lex = lexicon
        self.config = config or lexicon.config or Config.default()
        self.grounder = grounder or Grounder(lexicon, self.config)
        self.rules = Rules(self.config, lang)
        self.read = Reading(self.rules)
        self.claims = ClaimBuilder(lexicon, self.grounder, self.rules, self.read, TypePolicy.from_config(self.config))
        parts = (self.rules, self.read, self.claims, lexicon, self.grounder)
        self.treats = Treats(*parts)
        self.differentiation = Differentiation(*parts, processes=differentiation_processes(self.config))
        self.secretion = Secretion(*parts)
        self.direction = Direction(*parts)
        self.capability = Capability(*parts)
        self.prevention = Prevention(*parts)
        self.adverse = Adverse(*parts)
        self._subject_types = frozenset(self.rules.direction.subject_types)  # what an anaphor may stand for
        self.classifier = self._classifier(classifier)

    def _classifier(self, which: bool | str | Path) -> ClaimClassifier | None:
        """The language's claim classifier: ``True`` the model claims.toml names (None where the language
        has none), ``False`` none (the rules decide), a path: that model file."""
        if which is False:
            return None
        path = model_path(self.config, self.lang) if which is True else Path(which)
        return None if path is None else self._pairs(ClaimModel.load(path))

    def pair_reader(self, spec=None) -> ClaimClassifier:
        """A classifier without a model over this extractor's families: what ``kg train claims`` reads
        candidate pairs with (``spec``: the features, default the model's or ``FeatureSpec()``)."""
        return self._pairs(None, spec or (self.classifier.model.spec if self.classifier and self.classifier.model else None))

    def _pairs(self, model: ClaimModel | None, spec=None) -> ClaimClassifier:
        """A classifier (``model``, or none: a pair reader) over the treats, prevention and adverse families."""
        families = {f.name: f for f in (self.treats, self.prevention, self.adverse)}
        return ClaimClassifier(model, thresholds(self.config), families, trigger_patterns(self.rules), spec,
                               deferred=deferred(self.config), clause_break=self.rules.clause_break,
                               may_cross=may_cross(self.config), gates=trigger_gates(self.rules))

    @property
    def lang(self) -> str:
        return self.rules.lang

    def therapy_of(self, concept):
        """The Treatment node a concept becomes as the subject of a treats-family claim."""
        return self.claims.therapy_of(concept)

    def extract(self, ad: AnnotatedDocument) -> list[Claim]:
        """Every claim of the document's sentences in this extractor's language."""
        claims: list[Claim] = []
        for st, found in self._read(ad):
            if self.classifier is not None:
                found = self.classifier.decide(st, found)
            seen: set[tuple] = set()
            for c in found:
                e = c.evidence[0]
                k = (*c.key, e.subject_start, e.object_start)
                if k not in seen:
                    seen.add(k)
                    claims.append(c)
        return self.claims.in_article(claims, ad.document)

    def candidate_pairs(self, ad: AnnotatedDocument, reader: ClaimClassifier) -> Iterator[tuple[SentenceView, list[Pair]]]:
        """Each sentence's candidate pairs with the rules' verdicts and features (``pair_reader``), the
        rules alone having read it: what the classifier is trained on."""
        for st, found in self._read(ad):
            pairs = reader.pairs(st, found)
            if pairs:
                yield st, pairs

    def _read(self, ad: AnnotatedDocument) -> Iterator[tuple[SentenceView, list[Claim]]]:
        """Each sentence of this language that may hold a claim, with the claims of every rule family."""
        by_sent: dict[tuple[str, str, int], list[Mention]] = {}
        for m in ad.mentions:
            # a mention no ontology grounds (the trained recogniser's, kgid:unlinked_) takes no part in claims,
            # unless the language's rules say it may (relations.<lang>.toml unlinked_in_claims), or it is a
            # head-word mention of unlinked_types_in_claims (a drug by its INN stem, a therapy by its head),
            # never a negated one ("no effective medical treatment for X" says that nothing named treats X)
            if m.concept is not None and (self.rules.unlinked_in_claims or not ids.is_unlinked(m.concept.curie)
                                          or (m.concept.type in self.rules.unlinked_types
                                              and m.groundings and m.groundings[0].match == "head"
                                              and not m.context & self.rules.negation)):
                by_sent.setdefault((m.section, m.lang, m.sentence), []).append(m)
        cues_by: dict[tuple[str, str, int], list[Cue]] = {}
        for c in ad.cues:
            cues_by.setdefault((c.section, c.lang, c.sentence), []).append(c)
        previous: dict[tuple[str, str], Mention | None] = {}
        topic = self.topic(ad)
        for s in ad.sentences:
            if s.lang != self.rules.lang:
                continue
            mentions = sorted(by_sent.get((s.section, s.lang, s.index), []), key=lambda m: (m.start, -m.end))
            prev = previous.get((s.section, s.lang))
            if not mentions and prev is None:
                continue
            types = frozenset(t for m in mentions for t in (m.type, *(a.type for a in m.alternatives)))
            st = SentenceView(ad.document.id, s, mentions, cues_by.get((s.section, s.lang, s.index), []),
                              self.rules.clause_break, s.text.lower(), types,
                              topic if topic is not None and topic.section != s.section else None)
            prevented = self.prevention(st, prev)
            found = self.treats(st, prev) + prevented + self.adverse(st, prev)
            found += self.differentiation(st, prev) + self.secretion(st, prev)
            dir_claims, dir_objects = self.direction(st, prev)
            if prevented:
                # a prevented condition is a preventative_for_condition claim, not also one that the subject
                # lowers it (which would read as treating it)
                held = {(c.subject.curie, c.object.curie) for c in prevented}
                dir_claims = [c for c in dir_claims
                              if c.direction != "decreased" or (c.subject.curie, c.object.curie) not in held]
            found += dir_claims + self.capability(st, prev, dir_objects)
            yield st, found
            subjects = [m for m in mentions if m.concept_of(self._subject_types) is not None]
            if subjects:
                previous[(s.section, s.lang)] = subjects[0]

    def topic(self, ad: AnnotatedDocument) -> Mention | None:
        """The document's topic: the disease its title is the name of (a title of ``[topic] sections`` in
        relations.toml, no longer than ``max_chars``, ending with a mention of a treats object type and
        naming no therapy), when the language has statements that take it."""
        rules = self.rules
        if rules.treats_topic is None:
            return None
        otypes, stypes = rules.treats.object_types, rules.treats.subject_types
        for sec in ad.document.sections:
            if sec.lang != rules.lang or sec.kind not in rules.topic_sections:
                continue
            text = sec.text.strip()
            if not text or len(text) > rules.topic_max_chars:
                continue
            ms = [m for m in ad.mentions if m.section == sec.name and m.lang == sec.lang and m.concept is not None]
            if any(m.concept_of(stypes) is not None and m.concept_of(otypes) is None for m in ms):
                continue
            end = len(sec.text.rstrip())
            last = [m for m in ms if m.end == end and m.concept_of(otypes) is not None]
            if last:
                return min(last, key=lambda m: m.start)
        return None


def extract(docs: Iterable[AnnotatedDocument], lexicon: Lexicon, config: Config | None = None,
            lang: str = "en", classifier: bool | str | Path = True) -> list[Claim]:
    """Claims of every grounded document in ``lang``."""
    ex = Extractor(lexicon, config=config, lang=lang, classifier=classifier)
    out: list[Claim] = []
    for d in docs:
        out.extend(ex.extract(d))
    return out
