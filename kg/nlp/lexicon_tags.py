"""``kg_lexicon_tags``: the lexicon matcher's matches as one tag per token (``B-disease``, ``I-disease``,
``B-drug``, ..., ``O``), written to the token's ``TAG`` attribute, which no other kg component uses. The
recogniser trained with lexicon features (``kg train ner``, ``kg.training.ner``) embeds this tag beside the
word's norm, prefix, suffix and shape (spaCy's ``MultiHashEmbed``), so it learns where the lexicon is right
and where the corpora annotate otherwise; it runs between the lexicon matcher and that recogniser."""


import numpy
from spacy.attrs import TAG
from spacy.language import Language
from spacy.tokens import Doc

from kg.config import Config
from kg.nlp.doc import SPAN_GROUP, matches_of
from kg.ontology import Lexicon, TypePolicy

OUTSIDE = "O"


@Language.factory("kg_lexicon_tags")
def make_lexicon_tags(nlp: Language, name: str) -> "LexiconTags":
    return LexiconTags()


class LexiconTags:
    """Writes the BIO tag of each token's lexicon match (its kg type) to ``token.tag_``."""

    def __init__(self) -> None:
        self.lex: Lexicon | None = None
        self._types: dict[tuple, str] = {}

    def use(self, lexicon: Lexicon, config: Config) -> "LexiconTags":
        """Give the component the lexicon whose types name the tags (right after ``add_pipe``)."""
        self.lex = lexicon
        self.rank = TypePolicy.from_config(config).type_rank
        return self

    def type_of(self, match) -> str:
        """The kg type a match is tagged with: its fixed type, else its entries' best-ranked type."""
        if match.type:
            return match.type
        found = self._types.get(match.entries)
        if found is None:
            types = {self.lex.types.get(c) for c, _ in match.entries} - {None}
            found = min(types, key=lambda t: (self.rank.get(t, 99), t)) if types else "term"
            self._types[match.entries] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        if self.lex is None:
            raise RuntimeError("kg_lexicon_tags has no lexicon: call .use(lexicon, config) after add_pipe")
        if not len(doc):
            return doc
        strings = doc.vocab.strings
        tags = numpy.full((len(doc), 1), strings.add(OUTSIDE), dtype="uint64")
        spans = doc.spans[SPAN_GROUP] if SPAN_GROUP in doc.spans else []
        for span, m in zip(spans, matches_of(doc)):
            t = self.type_of(m)
            tags[span.start, 0] = strings.add("B-" + t)
            for i in range(span.start + 1, span.end):
                tags[i, 0] = strings.add("I-" + t)
        doc.from_array([TAG], tags)
        return doc


def add_lexicon_tags(nlp: Language, lexicon: Lexicon, config: Config) -> LexiconTags:
    """Add ``kg_lexicon_tags`` right after the lexicon matcher (once)."""
    if "kg_lexicon_tags" in nlp.pipe_names:
        return nlp.get_pipe("kg_lexicon_tags")
    tags: LexiconTags = nlp.add_pipe("kg_lexicon_tags", after="kg_lexicon_matcher")
    return tags.use(lexicon, config)
