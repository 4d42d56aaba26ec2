"""The English tokenizer: scispaCy's rule tokenizer, keeping the input text on the Doc."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc


def scispacy_tokenizer(nlp: Language):
    """scispaCy's ``combined_rule_tokenizer`` for ``nlp`` (the tokenisation recognition and training share)."""
    from scispacy.custom_tokenizer import combined_rule_tokenizer

    return combined_rule_tokenizer(nlp)


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
