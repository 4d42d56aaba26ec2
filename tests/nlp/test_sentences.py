"""kg_sentencizer: the sentence starts of spaCy's sentencizer followed by kg_sentence_fixer, in one pass."""

from __future__ import annotations

import spacy
from spacy.attrs import SENT_START

import kg.nlp.sentences  # noqa: F401  (registers kg_sentencizer and kg_sentence_fixer)
from kg.nlp.tokenizer import TOKENIZER
from tests.conftest import ROOT, SEED, SHARED


def _nlp(one_pass: bool):
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    if one_pass:
        nlp.add_pipe("kg_sentencizer")
    else:
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("kg_sentence_fixer")
    return nlp


def test_one_pass_sentencizer_gives_the_sentencizer_and_fixers_starts():
    from kg.ingest import read_documents

    texts = ["", "x", ".", "Hello.", "etc., so to say. e.g. in the end.) (X", ". . .", "One.\n\nTwo.  three! Four?",
             SEED.read_text(encoding="utf-8"), (ROOT / "examples/paper.txt").read_text(encoding="utf-8")]
    texts += [s.text for d in read_documents(ROOT / "examples/abstracts.pubtator") for s in d.sections]
    bc5cdr = SHARED / "corpora/bc5cdr/CDR_TrainingSet.PubTator.txt"
    if bc5cdr.is_file():
        texts += [s.text for d in list(read_documents(bc5cdr))[:200] for s in d.sections]
    starts = 0
    for a, b in zip(_nlp(False).pipe(texts), _nlp(True).pipe(texts)):
        assert b.to_array([SENT_START]).tolist() == a.to_array([SENT_START]).tolist()
        assert b.user_data == a.user_data  # the token offsets and sentence starts later components read
        starts += sum(1 for _ in b.sents) if len(b) else 0
    assert starts > 20
