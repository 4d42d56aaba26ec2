"""Stage 2, recognise: the spaCy + scispaCy + medspaCy + jieba pipelines that find entity mentions and their
negation and hedging. This package is the only one (with ``kg.training``) that imports them.

One spaCy component per module, each a registered factory writing to the Doc (``doc.spans["kg_mentions"]``,
``doc._.kg_matches``, ``doc._.abbreviations``): ``sentences`` (kg_sentence_fixer), ``abbreviations``
(kg_abbreviation_detector), ``lexicon_matcher`` (kg_lexicon_matcher), ``zh_matcher`` (kg_zh_lexicon_matcher),
``ner`` (kg_ner_merger), ``context`` (medspaCy's ConText). Resources are given to a component after
``add_pipe`` (``.use(lexicon, config)``), never looked up in a registry. ``english`` and ``chinese`` build the
pipelines; ``records`` turns Docs into ``AnnotatedDocument``s; ``fuzzy`` is scispaCy's candidate
generator over kg's lexicons; ``match`` and ``conventions`` are plain Python (no spaCy).

The names below are imported on first use, so ``import kg.nlp`` alone loads no spaCy.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "build_english": "kg.nlp.english",
    "build_chinese": "kg.nlp.chinese",
    "annotate": "kg.nlp.records",
    "FuzzyLinker": "kg.nlp.fuzzy",
    "add_ner": "kg.nlp.ner",
    "model_path": "kg.nlp.ner",
    "Match": "kg.nlp.match",
    "SpanRules": "kg.nlp.conventions",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kg.nlp' has no attribute {name!r}")
