"""Negation and hedging: medspaCy's ConText over the lexicon matcher's span group, with the cues of
``context.<lang>.json``."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language

from kg.config import Config
from kg.errors import KgError
from kg.nlp.doc import SPAN_GROUP


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


def add_context(nlp: Language, config: Config, lang: str) -> Language:
    """Add medspaCy's ConText over the lexicon matcher's span group, with the rules of ``context.<lang>.json``."""
    import_medspacy_context()  # registers the medspacy_context factory
    rules = context_rules(config.context_rules(lang), config.sources[f"context.{lang}.json"].path)
    ctx = nlp.add_pipe(
        "medspacy_context",
        config={"rules": None, "input_span_type": "group", "span_group_name": SPAN_GROUP, "span_attrs": None},
    )
    ctx.add(rules)
    return nlp
