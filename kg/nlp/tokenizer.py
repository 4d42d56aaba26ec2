"""The English tokenizer: scispaCy's rule tokenizer, keeping the input text on the Doc."""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

TOKENIZER = "kg.TextKeepingScispacyTokenizer.v1"  # (registered below: what ``build_english`` builds with)


def scispacy_tokenizer(nlp: Language):
    """scispaCy's ``combined_rule_tokenizer`` for ``nlp`` (the tokenisation recognition and training share)."""
    from scispacy.custom_tokenizer import combined_rule_tokenizer

    return combined_rule_tokenizer(nlp)


@registry.tokenizers(TOKENIZER)
def text_keeping_scispacy_tokenizer():
    """The tokenizer factory of ``spacy.blank("en", config=...)`` that builds scispaCy's tokenizer (kept in a
    ``TextKeepingTokenizer``) in place of spaCy's default one: building the default tokenizer only to
    replace it (its special cases, its affix patterns compiled) cost about a quarter of a second of every
    start. scispaCy's rules read only the language's defaults, its vocabulary and the default tokenizer's
    ``token_match`` (the language's ``Defaults.token_match``), which it is handed here."""

    def make(nlp: Language) -> "TextKeepingTokenizer":
        bare = SimpleNamespace(vocab=nlp.vocab, Defaults=nlp.Defaults,
                               tokenizer=SimpleNamespace(token_match=nlp.Defaults.token_match))
        return TextKeepingTokenizer(scispacy_tokenizer(bare))

    return make


class TextKeepingTokenizer:
    """A tokenizer that also keeps the input text on the Doc (``doc.user_data["kg_text"]``): ``Doc.text``
    is rebuilt from the tokens on every access, which cost the matcher a fifth of its time."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc.user_data["kg_text"] = text
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str):
        return getattr(self.tokenizer, name)
