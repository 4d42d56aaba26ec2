"""spaCy Docs to kg's records: the sentences, mentions (with their raw groundings and ConText categories)
and cues of each section, as ``AnnotatedDocument``s (``kg.model``). Nothing past this module sees a Doc."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence

from spacy.language import Language

from kg import ids
from kg.config import Config
from kg.model import AnnotatedDocument, Cue, Document, Grounding, Mention, Section, Sentence
from kg.nlp.doc import doc_text, match_tokens, sentence_starts, token_ends, token_starts
from kg.nlp.match import Match
from kg.ontology import Lexicon, TypePolicy


def _groundings(m: Match, lex: Lexicon, policy: TypePolicy, memo: dict | None = None) -> tuple[Grounding, ...]:
    key = (m.entries, m.factor, m.how)
    if memo is not None and key in memo:
        return memo[key]
    out = []
    for curie, scope in m.entries:
        score = round(policy.scores.get(scope, 0.7) * m.factor, 4)
        match = m.how or scope
        out.append(Grounding(curie, lex.label(curie), score, curie.split(":", 1)[0].lower(), match))
    result = tuple(sorted(out, key=lambda g: (-g.score, g.curie)))
    if memo is not None:
        memo[key] = result
    return result


def _head_grounding(text: str, lex: Lexicon) -> tuple[Grounding, ...]:
    """A head-word mention's grounding (kg/nlp/heads.py, the Chinese matcher's heads): the ``kgid:unlinked_``
    identifier of its words, which the grounder takes as given (no ontology names it; the fuzzy linker is
    not asked: a drug name by its stem is no misspelling of another drug's)."""
    return (Grounding(ids.unlinked(lex.normalizer.key(text)), " ".join(text.split()), 1.0, "kg", "head"),)


def _mention_type(gs: Sequence[Grounding], lex: Lexicon, policy: TypePolicy, fixed: str | None) -> str | None:
    if fixed:
        return fixed
    order = policy.type_rank
    typed = [(g, lex.types.get(g.curie)) for g in gs]
    typed = [(g, t) for g, t in typed if t]
    if not typed:
        return None
    best = max(g.score for g, _ in typed)
    near = [t for g, t in typed if g.score >= best - 1e-9]
    return min(near, key=lambda t: order.get(t, 99))


def annotate(
    documents: Iterable[Document],
    nlp: Language,
    lexicon: Lexicon,
    config: Config,
    progress=None,
    batch_size: int = 64,
    lang: str = "en",
    given: bool = False,
) -> list[AnnotatedDocument]:
    """Recognise mentions, sentences and ConText cues in the sections of each document in ``lang``
    (``nlp`` is the pipeline for that language: ``build_english``'s, or ``build_chinese``'s for "zh");
    the sections read are ``Config.sections``. ``given``: the mentions are the documents' own annotations
    (``nlp`` built with ``given=True``)."""
    policy = TypePolicy.from_config(config)
    sections = frozenset(config.sections)
    memo: dict = {}
    docs = list(documents)
    limit = config.piece_chars
    jobs = [(d, s, at, piece) for d in docs for s in d.sections if s.lang == lang and s.kind in sections and s.text.strip()
            for at, piece in pieces(s.text, limit)]
    results: dict[str, tuple[list[Sentence], list[Mention], list[Cue]]] = {d.id: ([], [], []) for d in docs}
    if given:
        from kg.nlp.given import given_docs

        texts = given_docs(nlp, jobs, config)
    else:
        texts = (piece for *_, piece in jobs)
    base: dict[tuple[str, str], int] = {}  # sentences read so far in each (document, section)
    for (doc, section, at, _), sdoc in zip(jobs, nlp.pipe(texts, batch_size=batch_size)):
        sents = results[doc.id][0]
        before = len(sents)
        _read_section(doc.id, section, sdoc, lexicon, policy, memo, *results[doc.id], offset=at,
                      first_sentence=base.get((doc.id, section.name), 0))
        base[(doc.id, section.name)] = base.get((doc.id, section.name), 0) + len(sents) - before
        if progress is not None and at == 0:
            progress.update(1)
    out = []
    for d in docs:
        sents, mentions, cues = results[d.id]
        out.append(AnnotatedDocument(d, tuple(sents), tuple(mentions), tuple(sorted(set(cues), key=lambda c: (c.section, c.start, c.category)))))
    return out


class _Tokens:
    """Token and sentence offsets of one Doc, from its arrays (creating a Token or Span per sentence and
    cue costs more than the rest)."""

    def __init__(self, sdoc, size: int):
        self.n = len(sdoc)
        self.start = token_starts(sdoc)
        self.end = token_ends(sdoc)
        self.size = size
        self.sentences = sentence_starts(sdoc)  # token index where each sentence starts

    def chars(self, a_tok: int, b_tok: int) -> tuple[int, int]:
        """Character offsets of tokens [a_tok, b_tok), as ``Span.start_char``/``end_char`` give them."""
        if b_tok > a_tok:
            return self.start[a_tok], self.end[b_tok - 1]
        at = self.start[a_tok] if a_tok < len(self.start) else self.size
        return at, at

    def sentence_of(self, token_i: int) -> int:
        return max(bisect_right(self.sentences, token_i) - 1, 0)


def pieces(text: str, limit: int) -> list[tuple[int, str]]:
    """``text`` as ``(offset, piece)``s of at most ``limit`` characters that join to it again, each cut
    at the last paragraph break in the second half of its window (else line break, sentence end, space;
    else at the limit); the white space of a break begins the next piece, as it begins the next sentence."""
    if len(text) <= limit:
        return [(0, text)]
    out, at = [], 0
    while len(text) - at > limit:
        window = text[at : at + limit]
        # cut before the white space that follows a sentence (a Doc gives it to the next sentence)
        cut = next((i + keep for sep, keep in (("\n\n", 0), ("\n", 0), (". ", 1), ("。", 1), (" ", 0))
                    for i in [window.rfind(sep)] if i >= limit // 2), limit)
        out.append((at, window[:cut]))
        at += cut
    out.append((at, text[at:]))
    return out


def _read_section(doc_id: str, section: Section, sdoc, lexicon: Lexicon, policy: TypePolicy, memo: dict,
                  sents: list[Sentence], mentions: list[Mention], cues: list[Cue], offset: int = 0,
                  first_sentence: int = 0) -> None:
    """The sentences, mentions and cues of one section's Doc (of the piece of its text at ``offset``, whose
    first sentence is the section's ``first_sentence``-th), appended to the lists."""
    tokens = _Tokens(sdoc, len(doc_text(sdoc)))  # (Doc.text is rebuilt from the tokens on each access)
    starts, n = tokens.sentences, tokens.n
    for i, a_tok in enumerate(starts):
        b_tok = starts[i + 1] if i + 1 < len(starts) else n
        a, b = tokens.start[a_tok] + offset, tokens.end[b_tok - 1] + offset
        sents.append(Sentence(section.name, section.lang, first_sentence + i, a, b, section.text[a:b]))
    graph = getattr(sdoc._, "context_graph", None)
    modified: dict[tuple[int, int], set[str]] = {}
    for target, mod in getattr(graph, "edges", ()) or ():
        modified.setdefault((target.start, target.end), set()).add(mod.category)
    for (span_start, span_end), m in zip(match_tokens(sdoc), sdoc._.kg_matches or ()):
        # one lookup per mention, keyed by the match (hashing the groundings runs Python per grounding)
        key = (m.entries, m.factor, m.how, m.type)
        typed = memo.get(key)
        if typed is None:
            gs = _groundings(m, lexicon, policy, memo)
            typed = memo[key] = (gs, _mention_type(gs, lexicon, policy, m.type) or "")
        gs, typ = typed
        if not gs and m.type and not m.entries and m.how in ("head", "abbreviation"):
            # a head-word mention (or a short form defined by one): its minted identifier, never a fuzzy one
            gs = _head_grounding(m.long_form or section.text[m.start + offset : m.end + offset], lexicon)
            typ = memo.get(("type", gs, m.type))
            if typ is None:
                typ = memo[("type", gs, m.type)] = _mention_type(gs, lexicon, policy, m.type) or ""
        if not typ:
            continue
        context = frozenset(modified.get((span_start, span_end), ()))
        head = (m.head[0] + offset, m.head[1] + offset) if m.head and offset else m.head
        # (positional: doc_id, section, lang, sentence, start, end, text, type, groundings, long_form, context,
        # composition, head; keywords cost more to pass on this hot path)
        mentions.append(Mention(doc_id, section.name, section.lang, first_sentence + tokens.sentence_of(span_start),
                                m.start + offset, m.end + offset, section.text[m.start + offset : m.end + offset], typ,
                                gs, m.long_form, context, m.composition, head))
    for mod in getattr(graph, "modifiers", ()) or ():
        ma, mb = mod.modifier_span
        a, b = tokens.chars(ma, mb)
        sa, sb = tokens.chars(*mod.scope_span) if mod.scope_span else (a, b)
        a, b, sa, sb = a + offset, b + offset, sa + offset, sb + offset
        cues.append(Cue(section.name, first_sentence + tokens.sentence_of(ma), a, b, section.text[a:b], mod.category,
                        sa, sb, section.lang))
