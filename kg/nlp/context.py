"""``kg_context``: negation and hedging by medspaCy's ConText over the lexicon matcher's span group, with
the cues of ``context.<lang>.json``, in time linear in the length of the text.

medspaCy compares every modifier with every other and with every target of the whole Doc: a 400 KB text
took minutes in those loops. A modifier's scope lies within its sentence, and neither comparison can
change anything across sentences, so ``kg_context`` makes the same comparisons, in the same order, within
each sentence only: the same modifiers, scopes and edges as medspaCy's component.
"""

from bisect import bisect_right
from collections.abc import Sequence

from spacy.language import Language

from kg.config import Config
from kg.errors import KgError
from kg.nlp.doc import SPAN_GROUP, match_tokens, sentence_starts


def import_medspacy_context():
    """Import ``medspacy.context`` without QuickUMLS.

    medspaCy's package ``__init__`` imports QuickUMLS (for a UMLS-linking component kg does not use),
    which imports NLTK and SciPy's statistics: 1.1-1.5 s of start-up for nothing. A placeholder module
    stands in for ``quickumls`` during that import only and is removed afterwards, so a real
    ``import quickumls`` later still loads the real package.
    """
    import sys
    import types

    if "medspacy.context" in sys.modules or "quickumls" in sys.modules:
        import medspacy.context

        return medspacy.context
    stub = types.ModuleType("quickumls")
    stub.spacy_component = types.ModuleType("quickumls.spacy_component")
    sys.modules["quickumls"] = stub
    sys.modules["quickumls.spacy_component"] = stub.spacy_component
    try:
        import medspacy.context
    finally:
        for name in ("quickumls", "quickumls.spacy_component"):
            if sys.modules.get(name) is stub or sys.modules.get(name) is stub.spacy_component:
                del sys.modules[name]
    return medspacy.context


def context_rules(rules: Sequence[dict], source: str = "context rules") -> list:
    """medspaCy ``ConTextRule``s from rule dicts (``Config.context_rules``); a rule medspaCy refuses is a
    ``KgError`` naming ``source`` and the rule."""
    rule = import_medspacy_context().ConTextRule
    out = []
    for i, r in enumerate(rules):
        try:
            out.append(rule.from_dict(r))
        except Exception as exc:  # medspaCy raises ValueError, KeyError, TypeError for a bad rule
            raise KgError(f"context_rules[{i}] ({r.get('literal', '?')!r}): not a ConText rule: {exc}", source) from None
    return out


def _context_class():
    mc = import_medspacy_context()
    from medspacy.context.context_graph import ConTextGraph
    from medspacy.context.context_modifier import ConTextModifier

    class SentenceGraph(ConTextGraph):
        """medspaCy's ConTextGraph, comparing only modifiers and targets that share a sentence."""

        def __init__(self, sentence_starts: list[int], bounds: Sequence[tuple[int, int]] | None = None, **kwargs):
            super().__init__(**kwargs)
            self.sentence_starts = sentence_starts
            self.bounds = bounds  # (start, end) token bounds of the targets, when known (``match_tokens``)

        def _sentence(self, token: int) -> int:
            return bisect_right(self.sentence_starts, token) - 1

        def _by_sentence(self) -> dict[int, list[int]]:
            out: dict[int, list[int]] = {}
            for i, m in enumerate(self.modifiers):
                out.setdefault(self._sentence(m.modifier_span[0]), []).append(i)
            return out

        def update_scopes(self):
            for group in self._by_sentence().values():
                for a, i in enumerate(group[:-1]):
                    m1 = self.modifiers[i]
                    for j in group[a + 1:]:
                        m2 = self.modifiers[j]
                        m1.limit_scope(m2)
                        m2.limit_scope(m1)

        def apply_modifiers(self):
            if self.prune_on_modifier_overlap:  # kg never asks for it; medspaCy's loops then
                return super().apply_modifiers()
            if not self.modifiers:  # no cue in the Doc (many titles): no target need be made a Span
                self.edges = []
                return None
            groups = self._by_sentence()
            bounds = self.bounds if self.bounds is not None else [(t.start, t.end) for t in self.targets]
            for k, (start, end) in enumerate(bounds):
                first, last = self._sentence(start), self._sentence(max(end - 1, start))
                near = sorted(i for s in range(first, last + 1) for i in groups.get(s, ()))
                if not near:
                    continue
                target = self.targets[k]  # a Span only for a target with modifiers in its sentences
                for i in near:
                    modifier = self.modifiers[i]
                    if modifier.modifies(target):
                        modifier.modify(target)
            edges = []
            for modifier in self.modifiers:
                modifier.reduce_targets()
                for target in modifier._targets:
                    edges.append((target, modifier))
            self.edges = edges

    class SentenceContext(mc.ConText):
        """medspaCy's ConText with ``SentenceGraph``: the same result in linear time."""

        def __call__(self, doc, targets: str = None):
            if self.max_scope or targets or self.input_span_type != "group":
                return super().__call__(doc, targets)  # windows across sentences: medspaCy's own loops
            matcher = self._ConText__matcher
            modifiers = [ConTextModifier(matcher.rule_map[self.nlp.vocab[match_id].text], start, end, doc,
                                         max_scope=self.max_scope) for match_id, start, end in matcher(doc)]
            starts = sentence_starts(doc) if modifiers and len(doc) else [0]  # read only to compare modifiers
            graph = SentenceGraph(starts, match_tokens(doc) if modifiers and self.span_group_name == SPAN_GROUP else None,
                                  prune_on_modifier_overlap=self.prune_on_target_overlap)
            graph.targets = doc.spans[self.span_group_name]
            graph.modifiers.extend(modifiers)
            graph.update_scopes()
            graph.apply_modifiers()
            for target, modifier in graph.edges:
                target._.modifiers += (modifier,)
            if self.context_attributes_mapping:
                self.set_context_attributes(graph.edges)
            doc._.context_graph = graph
            return doc

    return SentenceContext


@Language.factory(
    "kg_context",
    default_config={"input_span_type": "group", "span_group_name": SPAN_GROUP},
)
def make_context(nlp: Language, name: str, input_span_type: str, span_group_name: str):
    return _context_class()(nlp, name, rules=None, input_span_type=input_span_type,
                            span_group_name=span_group_name, span_attrs=None)


def add_context(nlp: Language, config: Config, lang: str) -> Language:
    """Add ``kg_context`` over the lexicon matcher's span group, with the rules of ``context.<lang>.json``."""
    rules = context_rules(config.context_rules(lang), config.sources[f"context.{lang}.json"].path)
    nlp.add_pipe("kg_context").add(rules)
    return nlp
