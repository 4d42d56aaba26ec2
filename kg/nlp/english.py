"""The English recognition pipeline: blank English with scispaCy's tokenizer, ``kg_sentencizer`` (spaCy's
sentencizer and ``kg_sentence_fixer`` in one), ``kg_abbreviation_detector``, ``kg_lexicon_matcher`` and
medspaCy's ConText (negation, hedging); with the trained recogniser when asked (``kg.nlp.ner``)."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

import kg.nlp.abbreviations  # noqa: F401  (registers kg_abbreviation_detector)
import kg.nlp.sentences  # noqa: F401  (registers kg_sentencizer)
from kg.config import Config
from kg.nlp.context import add_context
from kg.nlp.lexicon_tags import add_lexicon_tags
from kg.nlp.lexicon_matcher import LexiconMatcher
from kg.nlp.tokenizer import TOKENIZER
from kg.ontology import Lexicon


def build_english(lexicon: Lexicon, config: Config, ner: bool | str | Path = False, given: bool = False,
                  lexicon_tags: bool = False) -> Language:
    """The English recognition pipeline over ``lexicon``; ``ner``: also the trained recogniser (True: the
    shipped model; a path: that model; with the lexicon tags it was trained on, when it was); ``given``: the
    entities given with the documents (``kg.nlp.given``) in place of the recognisers; ``lexicon_tags``: also
    ``kg_lexicon_tags`` after the lexicon matcher (what such a model reads)."""
    # scispaCy's tokenizer, kept text and all (``kg.nlp.tokenizer``), built in place of spaCy's default one
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    nlp.add_pipe("kg_sentencizer")  # spaCy's sentencizer and kg_sentence_fixer in one pass (kg.nlp.sentences)
    if given:
        import kg.nlp.given  # noqa: F401  (registers kg_given_matcher)

        nlp.add_pipe("kg_given_matcher")
        add_context(nlp, config, "en")
        return nlp
    nlp.add_pipe("kg_abbreviation_detector")
    matcher: LexiconMatcher = nlp.add_pipe("kg_lexicon_matcher")
    matcher.use(lexicon, config)
    if lexicon_tags:
        add_lexicon_tags(nlp, lexicon, config)
    add_context(nlp, config, "en")
    if ner:
        from kg.nlp.ner import add_ner

        add_ner(nlp, lexicon, config, None if ner is True else ner)
    return nlp
