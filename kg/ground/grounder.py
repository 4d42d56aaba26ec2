"""Stage 3, ground: rank each mention's ontology identifiers and choose the concept that names its node.

Candidates that cross-reference each other (MONDO <-> DOID <-> MeSH <-> HP ...) are one concept; the node
is named by the first prefix of the type's list in ``types.toml`` that the concept has, so the same
disease found as "cirrhosis" (HP label, DOID synonym) and "liver cirrhosis" (DOID, MeSH) is one node.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Sequence
from typing import Protocol

from kg import ids
from kg.config import Config
from kg.curie import curies_of
from kg.model import AnnotatedDocument, Concept, Grounding, Mention
from kg.ontology import Lexicon, TypePolicy

log = logging.getLogger(__name__)


class Candidate(Protocol):
    curie: str
    similarity: float


class FuzzyCandidates(Protocol):
    """What the grounder asks of a fuzzy linker (``kg.nlp.fuzzy.FuzzyLinker``): for each text, its
    candidates among terms of the allowed types, best first."""

    def candidates(self, texts: Sequence[str], types: Sequence[Sequence[str]]) -> list[Sequence[Candidate]]: ...


class Grounder:
    """Turns a mention's raw candidates into ranked groundings and typed concepts.

    A mention that arrives with no candidates (a span of the trained recogniser that no lexicon term
    matches) is grounded by ``fuzzy`` (a ``kg.nlp.fuzzy.FuzzyLinker``) when given; if that finds nothing
    it keeps a concept minted from its text (``kg/data/linking.toml``).
    """

    def __init__(self, lexicon: Lexicon, config: Config | None = None, fuzzy: FuzzyCandidates | None = None):
        self.lex = lexicon
        self.config = config or lexicon.config or Config.default()
        self.policy = TypePolicy.from_config(self.config)
        self._rank = {t: i for i, t in enumerate(self.policy.type_order)}
        self._memo: dict[tuple, tuple] = {}
        # the same, by the identity of the groundings' tuple (the recogniser hands one tuple to every
        # mention matched alike; hashing it runs Python per grounding): (tuple, result), kept small
        self._by_id: dict[int, tuple[tuple, tuple]] = {}
        self.fuzzy = fuzzy
        self.compositions = self.config.compositions
        self.concept_prefixes = curies_of(self.config).concept_prefixes
        linking = self.config.linking
        unlinked = linking.table("unlinked", None)
        self.keep_unlinked = unlinked.boolean("keep", True) if unlinked is not None else True
        fuzzy_cfg = linking.table("fuzzy", None)
        self.fuzzy_types = ({t: fuzzy_cfg.table("types").strings(t) for t in fuzzy_cfg.table("types")}
                            if fuzzy_cfg is not None and "types" in fuzzy_cfg else {})
        self.fuzzy_score = fuzzy_cfg.number("score", 0.95) if fuzzy_cfg is not None else 0.95

    # ------------------------------------------------ concepts

    def _group(self, candidates: Sequence[Grounding]) -> list[list[Grounding]]:
        """Candidates grouped by concept (shared equivalence cluster or direct cross-reference)."""
        groups: list[tuple[set[str], list[Grounding]]] = []
        for g in candidates:
            eq = set(self.lex.equivalents(g.curie)) | {g.curie}
            for members, items in groups:
                if eq & members:
                    members |= eq
                    items.append(g)
                    break
            else:
                groups.append((eq, [g]))
        return [items for _, items in groups]

    def _types_of(self, curies: Iterable[str]) -> list[str]:
        types = self.policy.yielded({self.lex.types[c] for c in curies if c in self.lex.types})
        return sorted(types, key=lambda t: self._rank.get(t, 99))

    def concept_for(self, curies: Sequence[str], type_: str) -> Concept:
        """The concept of type ``type_`` named by the preferred prefix among ``curies`` and their equivalents."""
        members: set[str] = set()
        for c in curies:
            members |= set(self.lex.equivalents(c)) | {c}
        known = sorted(c for c in members if c in self.lex.labels)
        order = self.policy.prefixes.get(type_, ())
        rank = {p: i for i, p in enumerate(order)}
        candidates = [c for c in known if c.split(":", 1)[0] in rank and self.lex.types.get(c) in (type_, None)]
        candidates = candidates or [c for c in known if c.split(":", 1)[0] in rank] or known or sorted(curies)
        canonical = min(candidates, key=lambda c: (rank.get(c.split(":", 1)[0], 99), c))
        label = self.lex.label(canonical)
        equivalents = tuple(sorted(c for c in members if c != canonical and c.split(":", 1)[0] in self.concept_prefixes))
        return Concept(canonical, label, self.policy.category(type_, canonical, label), type_, equivalents)

    def _concepts(self, candidates: Sequence[Grounding], fixed_type: str | None = None) -> list[Concept]:
        """One concept per type the candidates support, the best first."""
        by_type: dict[str, list[tuple[float, int, list[Grounding]]]] = {}
        for items in self._group(candidates):
            curies = [g.curie for g in items]
            members = set(curies)
            for c in curies:
                members |= set(self.lex.equivalents(c))
            types = self._types_of(members)
            if fixed_type:
                types = [t for t in types if t == fixed_type] or types[:1]
            if not types:
                continue
            typ = types[0]
            score = max(g.score for g in items)
            order = self.policy.prefixes.get(typ, ())
            prefix_rank = min((order.index(c.split(":", 1)[0]) for c in members if c.split(":", 1)[0] in order), default=99)
            by_type.setdefault(typ, []).append((score, prefix_rank, items))
        chosen: list[tuple[float, int, Concept]] = []
        for typ, groups in by_type.items():
            best = max(s for s, _, _ in groups)
            near = [g for g in groups if g[0] >= best - self.policy.prefer_within - 1e-9]
            score, _, items = min(near, key=lambda g: (g[1], -g[0]))
            chosen.append((score, self._rank.get(typ, 99), self.concept_for([g.curie for g in items], typ)))
        chosen.sort(key=lambda x: (-round(x[0], 6), x[1]))
        return [c for _, _, c in chosen]

    # ------------------------------------------------ mentions

    def ranked(self, candidates: Sequence[Grounding]) -> tuple[Grounding, ...]:
        """The candidates and their cross-referenced equivalents, best first, above the minimum score."""
        out: dict[str, Grounding] = {}
        factor = self.policy.score("xref")
        for g in candidates:
            if g.curie not in out or g.score > out[g.curie].score:
                out[g.curie] = g
        for g in candidates:
            for e in self.lex.equivalents(g.curie):
                if e not in out and e in self.lex.labels:
                    out[e] = Grounding(e, self.lex.label(e), round(g.score * factor, 4), e.split(":", 1)[0].lower(), "xref")
        ranked = sorted(out.values(), key=lambda g: (-g.score, g.curie))
        return tuple(g for g in ranked if g.score >= self.policy.min_score)

    def ground(self, m: Mention) -> Mention | None:
        """The mention with ranked groundings and its concept (None when nothing grounds it)."""
        if m.composition:
            return self._compose(m)
        if not m.groundings:
            return self._unlinked(m)
        gs = m.groundings
        seen = self._by_id.get(id(gs))
        if seen is not None and seen[0] is gs:
            found = seen[1]
        else:
            found = self._memo.get(gs)
            if found is None:
                concepts = self._concepts(gs)
                found = (tuple(concepts), self.ranked(gs)) if concepts else ((), ())
                if len(self._memo) < 100_000:
                    self._memo[gs] = found
            if len(self._by_id) >= 20_000:
                self._by_id.clear()
            self._by_id[id(gs)] = (gs, found)
        concepts, ranked = found
        if not concepts:
            return self._given(m)
        best = concepts[0]
        # (positional construction: dataclasses.replace is several times slower on this hot path)
        return Mention(m.doc_id, m.section, m.lang, m.sentence, m.start, m.end, m.text, best.type, ranked,
                       m.long_form, m.context, m.composition, m.head, best, concepts[1:])

    def _compose(self, m: Mention) -> Mention | None:
        rule = self.compositions.get(m.composition or "")
        if rule is None:
            return None
        heads = self._concepts(m.groundings)
        heads = [h for h in heads if h.type in rule.head_types]
        if not heads:
            return None
        head = heads[0]
        curie = ids.composed(rule.name, head.curie)
        label = rule.label(head.label)
        typ = rule.type
        concept = Concept(curie, label, self.policy.category(typ), typ, (), composed_of=head.curie,
                          broader=rule.broader)
        g = Grounding(curie, label, max(x.score for x in m.groundings), "kg", f"composed:{rule.name}")
        return dataclasses.replace(m, type=typ, groundings=(g,) + self.ranked(m.groundings), concept=concept,
                                   alternatives=(head,))

    def _given(self, m: Mention) -> Mention | None:
        """A mention given with its document (``--use-annotations``) whose identifiers no lexicon knows, or a
        head-word mention with its minted ``kgid:unlinked_`` identifier: a concept named by its first
        identifier, of the type its annotation or head gives."""
        if not m.type or m.type not in self.policy.categories or not any(g.match in ("given", "head") for g in m.groundings):
            return None
        if m.groundings[0].match == "head" and not self.keep_unlinked:  # a head-word mention's minted identifier
            return None
        curie = m.groundings[0].curie
        concept = Concept(curie, " ".join(m.text.split()), self.policy.category(m.type, curie, m.text), m.type,
                          tuple(sorted(g.curie for g in m.groundings[1:])))
        return dataclasses.replace(m, concept=concept)

    def _unlinked(self, m: Mention) -> Mention | None:
        """A typed mention with no grounding: a concept minted from its text, if the policy keeps it."""
        if not m.type or not self.keep_unlinked or m.type not in self.policy.categories:
            return None
        label = " ".join((m.long_form or m.text).split())
        concept = Concept(ids.unlinked(self.lex.normalizer.key(m.long_form or m.text)), label,
                          self.policy.category(m.type), m.type)
        return dataclasses.replace(m, concept=concept)

    def link_fuzzy(self, mentions: Sequence[Mention]) -> dict[int, tuple[Grounding, ...]]:
        """Fuzzy candidates for the mentions that have none, by position in ``mentions``."""
        if self.fuzzy is None:
            return {}
        allowed = self.fuzzy_types
        todo = [(i, m) for i, m in enumerate(mentions) if not m.groundings and not m.composition and m.type]
        if not todo:
            return {}
        texts = [m.long_form or m.text for _, m in todo]
        cands = self.fuzzy.candidates(texts, [allowed.get(m.type, [m.type]) for _, m in todo])
        factor = self.fuzzy_score
        out = {}
        for (i, m), cs in zip(todo, cands):
            if cs:
                out[i] = tuple(Grounding(c.curie, self.lex.label(c.curie), round(c.similarity * factor, 4),
                                         c.curie.split(":", 1)[0].lower(), "fuzzy") for c in cs[:5])
        return out

    def ground_document(self, ad: AnnotatedDocument) -> AnnotatedDocument:
        return self.ground_documents([ad])[0]

    def ground_documents(self, ads: Sequence[AnnotatedDocument]) -> list[AnnotatedDocument]:
        """Ground every mention of the documents (the fuzzy linker is asked once for all of them)."""
        self._by_id.clear()
        flat = [m for ad in ads for m in ad.mentions]
        linked = self.link_fuzzy(flat)
        out, k = [], 0
        for ad in ads:
            mentions = []
            for m in ad.mentions:
                if k in linked:
                    m = dataclasses.replace(m, groundings=linked[k])
                k += 1
                g = self.ground(m)
                if g is not None:
                    mentions.append(g)
            out.append(dataclasses.replace(ad, mentions=tuple(mentions)))
        return out


def ground(docs: Iterable[AnnotatedDocument], lexicon: Lexicon, config: Config | None = None) -> list[AnnotatedDocument]:
    """Ground every mention of every document."""
    return Grounder(lexicon, config).ground_documents(list(docs))
