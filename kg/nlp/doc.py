"""What kg's spaCy components write on a ``Doc``: the matches of a lexicon matcher as a span group
(``doc.spans["kg_mentions"]``) and, aligned with it, as ``Match`` records (``doc._.kg_matches``); the
input text the tokenizer kept (``doc.user_data["kg_text"]``)."""

from __future__ import annotations

import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from operator import add

import spacy  # noqa: F401  (imported first: the warning filters below are for what it warns at import and use)
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.tokens import Doc, Span

from kg.nlp.match import Match

warnings.filterwarnings("ignore", message=r".*\[W036\].*")
warnings.filterwarnings("ignore", message=r"Possible set union", category=FutureWarning)

SPAN_GROUP = "kg_mentions"
_BOUNDS = "kg_match_tokens"  # user_data: (the matches written, the token bounds of their spans)
_STARTS, _ENDS, _SENTS = "kg_token_starts", "kg_token_ends", "kg_sentence_starts"  # user_data (see below)

if not Doc.has_extension("kg_matches"):
    Doc.set_extension("kg_matches", default=None)


def doc_text(doc: Doc) -> str:
    """A Doc's text, from the tokenizer's copy when there is one (``Doc.text`` is rebuilt on each access)."""
    return doc.user_data.get("kg_text") or doc.text


def token_starts(doc: Doc) -> list[int]:
    """Each token's first character (``Token.idx``), read from the Doc's array once and kept on the Doc
    (every kg component reads them; tokens never change after the tokenizer)."""
    got = doc.user_data.get(_STARTS)
    if got is None or len(got) != len(doc):
        got = doc.user_data[_STARTS] = doc.to_array(IDX).tolist() if len(doc) else []
    return got


def token_ends(doc: Doc) -> list[int]:
    """Each token's end character (``Token.idx + len(Token)``), kept on the Doc as ``token_starts``."""
    got = doc.user_data.get(_ENDS)
    if got is None or len(got) != len(doc):
        got = doc.user_data[_ENDS] = list(map(add, token_starts(doc), doc.to_array(LENGTH).tolist())) if len(doc) else []
    return got


def keep_token_offsets(doc: Doc, starts: list[int], ends: list[int]) -> None:
    """Keep each token's start and end character on the Doc (read with other arrays: ``kg_sentence_fixer``)."""
    doc.user_data[_STARTS], doc.user_data[_ENDS] = starts, ends


def keep_sentence_starts(doc: Doc, starts: list[int]) -> None:
    """Keep the token index of each sentence's first token on the Doc (the component that sets the
    sentences last does: ``kg_sentence_fixer``)."""
    doc.user_data[_SENTS] = (len(doc), starts)


def sentence_starts(doc: Doc) -> list[int]:
    """The token index of each sentence's first token (``[s.start for s in doc.sents]``; ``[]`` for an
    empty Doc): as the sentence fixer kept them, else read from the Doc's array."""
    got = doc.user_data.get(_SENTS)
    if got is not None and got[0] == len(doc):
        return got[1]
    return [0] + ((doc.to_array(SENT_START)[1:] == 1).nonzero()[0] + 1).tolist() if len(doc) else []


def sentence_start_chars(doc: Doc) -> list[int]:
    """Each sentence's first character (``[s.start_char for s in doc.sents]``), from the kept sentence
    starts when the fixer kept them (else from ``Doc.sents``, which refuses a Doc without sentences)."""
    got = doc.user_data.get(_SENTS)
    if got is not None and got[0] == len(doc):
        starts = token_starts(doc)
        return [starts[t] for t in got[1]]
    return [s.start_char for s in doc.sents]


def write_match_spans(doc: Doc, matches: Sequence[Match]) -> Doc:
    """Write the matches that cover whole tokens to ``doc.spans[SPAN_GROUP]`` and, aligned with it, to
    ``doc._.kg_matches`` (a match is widened to the tokens it touches)."""
    tok_starts = token_starts(doc)
    spans, kept, bounds = [], [], []
    for m in matches:
        first = bisect_right(tok_starts, m.start) - 1
        last = bisect_left(tok_starts, m.end)
        if first < 0 or last <= first:
            continue
        spans.append(Span(doc, first, last))
        kept.append(m)
        bounds.append((first, last))
    doc.spans[SPAN_GROUP] = spans
    doc._.kg_matches = kept
    doc.user_data[_BOUNDS] = (kept, bounds)
    return doc


def match_tokens(doc: Doc) -> list[tuple[int, int]]:
    """The token bounds ``(span.start, span.end)`` of each span of ``doc.spans[SPAN_GROUP]``: as
    ``write_match_spans`` wrote them, while the matches it wrote are still the Doc's (each Span of a group
    is made anew on access, which costs more than the rest of reading a mention); else from the spans."""
    spans = doc.spans[SPAN_GROUP]
    written = doc.user_data.get(_BOUNDS)
    if written is not None and written[0] is doc._.kg_matches and len(written[1]) == len(spans):
        return written[1]
    return [(s.start, s.end) for s in spans]


def matches_of(doc: Doc) -> list[Match]:
    """The matches a lexicon matcher wrote on the Doc."""
    return list(doc._.kg_matches or ())


def abbreviations_of(doc: Doc) -> list:
    """The short forms scispaCy's abbreviation detector found (spans with ``._.long_form``), if it ran."""
    if not Doc.has_extension("abbreviations"):
        return []
    return list(getattr(doc._, "abbreviations", None) or ())
