"""``kg_sentencizer``: spaCy's rule sentencizer and ``kg_sentence_fixer`` in one pass over the Doc's arrays;
``kg_sentence_fixer``: undo sentence starts the sentencizer puts where no sentence can start."""

import re

import numpy
from spacy.attrs import IDX, IS_PUNCT, LENGTH, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.doc import keep_sentence_starts, keep_token_offsets

_NO_START = ",;:)]}%"  # what a sentence cannot begin with, beside a lowercase letter
# a sentence starts at the first token that is neither punctuation nor a sentence-final character after one
# that is ("2": a sentence-final character, "1": other punctuation, "0": anything else): spaCy's rule
_STARTS = re.compile(r"2[12]*0")
_MEMO_LIMIT = 500_000


@Language.factory("kg_sentencizer")
def make_sentencizer(nlp: Language, name: str) -> "Sentencizer":
    return Sentencizer()


def _cannot_start(text: str) -> bool:
    return text[:1].islower() or text[:1] in _NO_START


class Sentencizer:
    """spaCy's ``sentencizer`` (its default sentence-final characters) followed by ``kg_sentence_fixer``,
    with the same sentence starts: read from the Doc's arrays, with each distinct word's kind remembered,
    instead of a Token made per token (the sentencizer's loop was about 2% of the pipeline's instructions)."""

    def __init__(self) -> None:
        from spacy.pipeline.sentencizer import Sentencizer as SpacySentencizer

        self.punct_chars = frozenset(SpacySentencizer.default_punct_chars)
        self._kind: dict[int, str] = {}  # orth -> "2", "1" or "0" (see _STARTS)
        self._no_start: dict[int, bool] = {}  # orth -> whether a sentence cannot start with it

    def _kinds(self, doc: Doc, orths: list[int], punct: list[int]) -> str:
        kind, strings = self._kind, doc.vocab.strings
        out = []
        for o, p in zip(orths, punct):
            k = kind.get(o)
            if k is None:
                k = "2" if strings[o] in self.punct_chars else "1" if p else "0"
                if len(kind) < _MEMO_LIMIT:
                    kind[o] = k
            out.append(k)
        return "".join(out)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        arr = doc.to_array([IDX, LENGTH, ORTH, IS_PUNCT])
        orths = arr[:, 2].tolist()
        found = [m.end() - 1 for m in _STARTS.finditer(self._kinds(doc, orths, arr[:, 3].tolist()))]
        starts = [0]
        if n >= 2:  # (the fixer leaves a one-token Doc alone)
            keep_token_offsets(doc, arr[:, 0].tolist(), (arr[:, 0] + arr[:, 1]).tolist())
            no_start, strings = self._no_start, doc.vocab.strings
            for i in found:
                o = orths[i]
                bad = no_start.get(o)
                if bad is None:
                    bad = _cannot_start(strings[o])
                    if len(no_start) < _MEMO_LIMIT:
                        no_start[o] = bad
                if not bad:
                    starts.append(i)
        else:
            starts += found
        values = numpy.full((n, 1), -1, dtype="int64")  # -1: not a sentence start, as the sentencizer sets
        values[starts, 0] = 1
        doc.from_array([SENT_START], values.astype("uint64"))
        if n >= 2:
            keep_sentence_starts(doc, starts)  # the later components read them from here
        return doc


@Language.factory("kg_sentence_fixer")
def make_sentence_fixer(nlp: Language, name: str) -> "SentenceFixer":
    return SentenceFixer()


class SentenceFixer:
    """Undo sentence starts that cannot be sentence starts: a lowercase word or trailing punctuation
    after an abbreviation's full stop ("etc., so to ...", "e.g. in ...")."""

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) < 2:
            return doc
        arr = doc.to_array([IDX, LENGTH, SENT_START])  # one read of the arrays for every later component
        keep_token_offsets(doc, arr[:, 0].tolist(), (arr[:, 0] + arr[:, 1]).tolist())
        starts = [0]
        for i in (arr[1:, 2] == 1).nonzero()[0].tolist():
            tok = doc[i + 1]
            if tok.text[:1].islower() or tok.text[:1] in ",;:)]}%":
                tok.is_sent_start = False
            else:
                starts.append(i + 1)
        keep_sentence_starts(doc, starts)  # the later components read them from here
        return doc
