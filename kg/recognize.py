"""Stage 2, recognise: the spaCy + scispaCy pipeline that finds entity mentions and their context.

This is the only module that imports spaCy. The pipeline is blank English with scispaCy's tokenizer,
the sentencizer and a sentence-boundary fixer, scispaCy's abbreviation detector, ``kg_lexicon_matcher``
(an ontology-backed entity ruler) and medspaCy's ConText for negation and hedging. Its output is plain
``AnnotatedDocument`` records.
"""


import logging
import re
import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

import spacy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.ground import composition_rules
from kg.lexicon import _POSSESSIVE, Lexicon, Normalizer, TypePolicy
from kg.model import AnnotatedDocument, Cue, Document, Grounding, Mention, Sentence
from kg.resources import data_path
from kg.spans import default_rules as default_span_rules
from kg.spans import defined_abbreviations

warnings.filterwarnings("ignore", message=r".*\[W036\].*")
warnings.filterwarnings("ignore", message=r"Possible set union", category=FutureWarning)
log = logging.getLogger(__name__)

SPAN_GROUP = "kg_mentions"
TEXT_SECTIONS = ("title", "abstract", "body")  # the sections read for mentions ("body": a full text)
_LEXICONS: dict[str, Lexicon] = {}
_SPLIT = re.compile(r"([^\W_]+)", re.UNICODE)
_HARD_GAP = re.compile(r"[^\s\-–'’/]")
_CAPITAL = re.compile(r"[A-Z]")
_NO_VOWEL = re.compile(r"^[b-df-hj-np-tv-xz0-9]{3,}$")


class _WordCache(dict):
    """raw word -> normalised word, filled on first use (so a C-level ``map`` can look words up)."""

    def __init__(self, norm: Normalizer):
        super().__init__()
        self.norm = norm

    def __missing__(self, raw: str) -> str:
        letters = self.norm._letters_re
        w = raw
        if letters is not None and letters.search(w):
            w = letters.sub(lambda x: self.norm.letters[x.group(0)], w)
        out = self.norm.word(w)
        if len(self) < 500_000:
            self[raw] = out
        return out

if not Doc.has_extension("kg_matches"):
    Doc.set_extension("kg_matches", default=None)


@dataclass(frozen=True, slots=True)
class Match:
    """What the lexicon matcher found at a span (character offsets in the doc)."""

    start: int
    end: int
    entries: tuple[tuple[str, str], ...]  # (curie, scope)
    factor: float = 1.0  # score multiplier for variant, acronym and "-like" matches
    how: str | None = None  # "acronym", "like", "abbreviation"
    long_form: str | None = None
    composition: str | None = None
    head: tuple[int, int] | None = None
    type: str | None = None  # fixed type (compositions)


def register_lexicon(lexicon: Lexicon, name: str = "default") -> str:
    """Make a lexicon available to ``kg_lexicon_matcher`` components by name."""
    _LEXICONS[name] = lexicon
    return name


# ---------------------------------------------------------------- components


@Language.factory("kg_sentence_fixer")
def make_sentence_fixer(nlp: Language, name: str) -> "SentenceFixer":
    return SentenceFixer()


class SentenceFixer:
    """Undo sentence starts that cannot be sentence starts: a lowercase word or trailing punctuation
    after an abbreviation's full stop ("etc., so to ...", "e.g. in ...")."""

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) < 2:
            return doc
        for i in (doc.to_array(SENT_START)[1:] == 1).nonzero()[0].tolist():
            tok = doc[i + 1]
            if tok.text[:1].islower() or tok.text[:1] in ",;:)]}%":
                tok.is_sent_start = False
        return doc


def _abbreviation_detector_class():
    from scispacy.abbreviation import AbbreviationDetector, filter_matches, find_abbreviation

    class FastAbbreviationDetector(AbbreviationDetector):
        """scispaCy's abbreviation detector (Schwartz & Hearst) with the same output, but finding the
        other occurrences of each short form by a scan of the token texts instead of adding a pattern
        to a spaCy Matcher per abbreviation per document (pattern validation dominated its cost)."""

        def __call__(self, doc: Doc) -> Doc:
            # The parenthesis pattern "( + )" of scispaCy's Matcher, found by a scan: every "(" with every
            # ")" at least two tokens later, in (start, end) order, as the Matcher returns them.
            orths = [t.text for t in doc]
            opens = [i for i, t in enumerate(orths) if t == "("]
            if not opens:
                return doc
            closes = [i for i, t in enumerate(orths) if t == ")"]
            matches = [(0, i + 1, j) for i in opens for j in closes if j >= i + 2]
            filtered = filter_matches(matches, doc)
            for long_form, short_forms in self.find_matches_for(filtered, doc, orths):
                for short in short_forms:
                    short._.long_form = long_form
                    doc._.abbreviations.append(short)
            if self.make_serializable:
                doc._.abbreviations = [self.make_short_form_serializable(a) for a in doc._.abbreviations]
            return doc

        def find_matches_for(self, filtered, doc, orths=None):
            all_occurences: dict = {}
            seen_long: set[str] = set()
            seen_short: set[str] = set()
            rules: list[tuple[Span, tuple[str, ...]]] = []
            for long_candidate, short_candidate in filtered:
                short, long = find_abbreviation(long_candidate, short_candidate)
                new_long = long.text not in seen_long if long else False
                new_short = short.text not in seen_short
                if long is not None and new_long and new_short:
                    seen_long.add(long.text)
                    seen_short.add(short.text)
                    all_occurences.setdefault(long, set()).add(short)
                    rules.append((long, tuple(t.text for t in short)))
            if rules:
                orths = orths if orths is not None else [t.text for t in doc]
                for long, pattern in rules:
                    k = len(pattern)
                    first = pattern[0]
                    for i, text in enumerate(orths):
                        if text == first and tuple(orths[i : i + k]) == pattern:
                            all_occurences[long].add(doc[i : i + k])
            return list(all_occurences.items())

    return FastAbbreviationDetector


@Language.factory("kg_abbreviation_detector", default_config={"make_serializable": False})
def make_abbreviation_detector(nlp: Language, name: str, make_serializable: bool):
    return _abbreviation_detector_class()(nlp, name, make_serializable)


@lru_cache(maxsize=1)
def _compositions() -> tuple[dict, ...]:
    """``compositions.toml`` rules with their regular expressions compiled."""
    return tuple(compile_composition(r) for r in composition_rules().values())


def compile_composition(rule: dict) -> dict:
    """A composition rule (``compositions.toml`` or ``zh.toml``) with ``before_rx``, ``after_rx`` and
    ``head_set`` added."""
    r = dict(rule)
    r["before_rx"] = re.compile(r["before"]) if r.get("before") else None
    r["after_rx"] = re.compile(r["after"]) if r.get("after") else None
    r["head_set"] = frozenset(r["head_types"])
    return r


def compose_matches(text: str, matches: list[Match], rules: Sequence[dict], lex: Lexicon,
                    types_cache: dict, window: int = 80) -> list[Match]:
    """Replace each match that heads a composition ("complications after [liver transplantation]") by
    the composed match; the first rule whose ``before`` (searched in the ``window`` characters before the
    match) or ``after`` (matched at the start of the ``window`` characters after it) fits wins."""
    if not rules:
        return matches
    out = []
    for m in matches:
        types = types_cache.get(m.entries)
        if types is None:
            types = types_cache[m.entries] = frozenset(lex.types.get(c) for c, _ in m.entries)
        composed = None
        for r in rules:
            if not types & r["head_set"]:
                continue
            if r["before_rx"] is not None:
                window_start = max(0, m.start - window)
                hit = r["before_rx"].search(text[window_start : m.start])
                if hit:
                    composed = Match(window_start + hit.start(), m.end, _of_types(m.entries, r["head_types"], lex),
                                     m.factor, m.how, m.long_form, r["name"], (m.start, m.end), r["type"])
                    break
            if r["after_rx"] is not None:
                hit = r["after_rx"].match(text[m.end : m.end + window])
                if hit:
                    composed = Match(m.start, m.end + hit.end(), _of_types(m.entries, r["head_types"], lex),
                                     m.factor, m.how, m.long_form, r["name"], (m.start, m.end), r["type"])
                    break
        out.append(composed or m)
    return out


def write_match_spans(doc: Doc, matches: Sequence[Match]) -> Doc:
    """Write the matches that cover whole tokens to ``doc.spans[SPAN_GROUP]`` and, aligned with it, to
    ``doc._.kg_matches`` (a match is widened to the tokens it touches)."""
    tok_starts = doc.to_array(IDX).tolist() if len(doc) else []
    spans, kept = [], []
    for m in matches:
        first = bisect_right(tok_starts, m.start) - 1
        last = bisect_left(tok_starts, m.end)
        if first < 0 or last <= first:
            continue
        spans.append(Span(doc, first, last))
        kept.append(m)
    doc.spans[SPAN_GROUP] = spans
    doc._.kg_matches = kept
    return doc


@Language.factory("kg_lexicon_matcher", default_config={"lexicon": "default"})
def make_lexicon_matcher(nlp: Language, name: str, lexicon: str) -> "LexiconMatcher":
    if lexicon not in _LEXICONS:
        raise ValueError(f"no lexicon registered as {lexicon!r}; call kg.recognize.register_lexicon first")
    return LexiconMatcher(_LEXICONS[lexicon])


class LexiconMatcher:
    """Longest-match dictionary lookup over normalised words; writes spans to ``doc.spans['kg_mentions']``
    and the matches, in the same order, to ``doc._.kg_matches``. Abbreviations found by scispaCy inherit
    their long form's match."""

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon
        self.norm = Normalizer.default()
        self.policy = TypePolicy.load()
        self._word_cache = _WordCache(self.norm)
        self._variant_cache: dict[tuple[str, ...], bool] = {}
        self._types_cache: dict[tuple, frozenset] = {}
        self._ordered_cache: dict[tuple, tuple[str, ...]] = {}
        self.spans = default_span_rules()

    def _ordered_types(self, entries: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
        """The kg types of a match's entries, best scored first, ties in the policy's type order."""
        out = self._ordered_cache.get(entries)
        if out is None:
            scores, rank = self.policy.scores, self.policy.type_rank
            typed = sorted({(-scores.get(s, 0.7), rank.get(self.lex.types.get(c), 99), self.lex.types.get(c))
                            for c, s in entries if self.lex.types.get(c)})
            out = self._ordered_cache[entries] = tuple(dict.fromkeys(t for _, _, t in typed))
        return out

    def _words(self, doc: Doc, text: str) -> tuple[list[str], list[str], list[int], list[int], list[int]]:
        """Normalised words with character offsets and, per word, the index of the segment it is in:
        a segment ends at a sentence boundary or at punctuation other than a hyphen, slash or
        apostrophe, and no match crosses it. Vectorised over the text (no Python loop per token)."""
        parts = _SPLIT.split(_POSSESSIVE.sub("  ", text))  # gap, word, gap, word, ..., gap
        if len(parts) < 2:
            return [], [], [], [], []
        raw = parts[1::2]
        offsets = list(accumulate(map(len, parts)))
        starts = offsets[0:-1:2]
        ends = offsets[1::2]
        change = [1 if h else 0 for h in map(_HARD_GAP.search, parts[0:-1:2])]
        change[0] = 1
        n = len(raw)
        for sent in doc.sents:
            k = bisect_left(starts, sent.start_char)
            if k < n:
                change[k] = 1
        seg = list(accumulate(change))
        words = list(map(self._word_cache.__getitem__, raw))
        return words, raw, starts, ends, seg

    def _scan(self, doc: Doc, text: str, parts=None) -> list[Match]:
        words, raw, starts, ends, seg = parts if parts is not None else self._words(doc, text)
        index, max_len, acronyms = self.lex.index, self.lex.max_len, self.lex.acronyms
        prefixes = self.lex.prefixes
        out: list[Match] = []
        n = len(words)
        # Only words that begin a term, or start with a capital (abbreviations), can start a match.
        firsts = list(map(max_len.__contains__, words))
        caps = list(map(_CAPITAL.match, raw))
        lowered = not _CAPITAL.search(text)
        if lowered:  # a text written all in lower case: acronyms without a vowel ("nsclc") can be no English word
            caps = [bool(_NO_VOWEL.match(w)) and w.upper() in acronyms for w in raw]
        variants = self._variant_cache
        next_free = 0
        for i in [k for k in range(n) if firsts[k] or caps[k]]:
            if i < next_free:
                continue
            found = None
            if firsts[i]:
                # Walk forward while the words so far begin some multi-word term, then take the
                # longest full term among them.
                j = i + 1
                si = seg[i]
                while j < n and seg[j] == si and (tuple(words[i : j + 1]) in prefixes or tuple(words[i : j + 1]) in index):
                    j += 1
                for length in range(j - i, 0, -1):
                    entries = index.get(tuple(words[i : i + length]))
                    if entries:
                        found = (length, entries)
                        break
            if found is None:
                if caps[i]:
                    surface = raw[i]
                    acr = surface[:-1] if surface.endswith("s") and surface[-2:-1].isupper() else surface
                    acr = acr.upper() if lowered else acr
                    entries = acronyms.get(acr)
                    if entries:
                        out.append(Match(starts[i], ends[i], entries, self.policy.scores["acronym"], "acronym"))
                continue
            length, entries = found
            end_i = i + length
            factor, how = 1.0, None
            surface = tuple(raw[i:end_i])
            variant = variants.get(surface)
            if variant is None:
                variant = variants[surface] = [r.lower() for r in surface] != words[i:end_i]
            if variant:  # a plural, derivation or Greek-letter form, not just another case
                factor = self.policy.scores["variant"]
            # "hepatocyte-like cells": a cell type followed by "like cell(s)" names that cell type, loosely.
            if (
                end_i + 1 < n
                and words[end_i] == "like"
                and words[end_i + 1] == "cell"
                and seg[end_i + 1] == seg[i]
                and any(self.lex.types.get(c) == "cell" for c, _ in entries)
            ):
                entries = tuple(e for e in entries if self.lex.types.get(e[0]) == "cell")
                factor *= self.policy.scores["like"]
                how = "like"
                end_i += 2
            out.append(Match(starts[i], ends[end_i - 1], entries, factor, how))
            next_free = end_i
        return out

    def _abbreviations(self, doc: Doc, matches: list[Match], text: str = "") -> list[Match]:
        abbrs = getattr(doc._, "abbreviations", None) if Doc.has_extension("abbreviations") else None
        abbrs = list(abbrs or ())
        # Short forms scispaCy's Schwartz-Hearst rule misses ("myotonic dystrophy (DM)"): kg/spans.py
        extra = defined_abbreviations(text, matches, {a.text for a in abbrs}) if text and "(" in text else []
        if not abbrs and not extra:
            return matches
        by_span = {(m.start, m.end): m for m in matches}
        out = list(matches)
        for short in abbrs:
            long_ = short._.long_form
            if long_ is None:
                continue
            ls, le = long_.start_char, long_.end_char
            inside = [m for m in matches if m.start >= ls and m.end <= le and m.how != "acronym"]
            if not inside:
                # a match that holds the long form and begins before it: "[Hereditary hemochromatosis] (HH)"
                inside = [m for m in matches if m.start < ls < m.end and le - 1 <= m.end <= le and m.how != "acronym"
                          and " " not in text[m.start:ls].strip()]  # one word before it
            if not inside:
                continue
            best = by_span.get((ls, le)) or max(inside, key=lambda m: (m.end - m.start, -m.start))
            if best.end < le and text and text[best.end:le].strip():
                continue  # a modifier of the long form ("[interferon] regulatory factor 5 (IRF5)") is not what it names
            ss, se = short.start_char, short.end_char
            out = [m for m in out if m.end <= ss or m.start >= se]
            out.append(Match(ss, se, best.entries, best.factor * 0.98, "abbreviation", long_.text))
        for ss, se, best in extra:
            out = [m for m in out if m.end <= ss or m.start >= se]
            out.append(Match(ss, se, best.entries, best.factor * 0.98, "abbreviation", text[best.start:best.end]))
        return sorted(out, key=lambda m: (m.start, m.end))

    def _compose(self, text: str, matches: list[Match]) -> list[Match]:
        return compose_matches(text, matches, _compositions(), self.lex, self._types_cache)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        parts = self._words(doc, text)
        matches = self._scan(doc, text, parts)
        # span conventions (kg/spans.py): "X-linked thrombocytopenia", "breast and ovarian cancer"
        matches = self.spans.extend(matches, parts[0], parts[2], parts[3], parts[4], text, self._ordered_types, self.lex.index)
        return write_match_spans(doc, self._compose(text, self._abbreviations(doc, matches, text)))


def _of_types(entries: tuple[tuple[str, str], ...], types: Sequence[str], lex: Lexicon) -> tuple[tuple[str, str], ...]:
    return tuple(e for e in entries if lex.types.get(e[0]) in types)


# ---------------------------------------------------------------- the pipeline


def add_context(nlp: Language, rules: list) -> Language:
    """Add medspaCy's ConText over the lexicon matcher's span group, with ``rules``."""
    ctx = nlp.add_pipe(
        "medspacy_context",
        config={"rules": None, "input_span_type": "group", "span_group_name": SPAN_GROUP, "span_attrs": None},
    )
    ctx.add(rules)
    return nlp


def _import_medspacy_context():
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


def context_rules() -> list:
    """medspaCy ConTextRules from ``kg/data/context_rules.json``."""
    return _import_medspacy_context().ConTextRule.from_json(str(data_path("context_rules.json")))


class _TextKeepingTokenizer:
    """scispaCy's tokenizer, also keeping the input text on the Doc (``doc.user_data["kg_text"]``):
    ``Doc.text`` is rebuilt from the tokens on every access, which cost the matcher a fifth of its time."""

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


def doc_text(doc: Doc) -> str:
    """A Doc's text, from the tokenizer's copy when there is one."""
    return doc.user_data.get("kg_text") or doc.text


def build_pipeline(lexicon: Lexicon, lexicon_name: str = "default") -> Language:
    """The English recognition pipeline over ``lexicon``."""
    from scispacy.custom_tokenizer import combined_rule_tokenizer

    _import_medspacy_context()  # registers the medspacy_context factory

    register_lexicon(lexicon, lexicon_name)
    nlp = spacy.blank("en")
    nlp.tokenizer = _TextKeepingTokenizer(combined_rule_tokenizer(nlp))
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kg_sentence_fixer")
    nlp.add_pipe("kg_abbreviation_detector")
    nlp.add_pipe("kg_lexicon_matcher", config={"lexicon": lexicon_name})
    return add_context(nlp, context_rules())


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
    progress=None,
    batch_size: int = 64,
    lang: str = "en",
) -> list[AnnotatedDocument]:
    """Recognise mentions, sentences and ConText cues in the sections of each document in ``lang``
    (``nlp`` is the pipeline for that language: this module's, or ``kg.recognize_zh``'s for "zh")."""
    policy = TypePolicy.load()
    memo: dict = {}
    docs = list(documents)
    jobs = [(d, s) for d in docs for s in d.sections if s.lang == lang and s.name in TEXT_SECTIONS and s.text.strip()]
    results: dict[str, tuple[list[Sentence], list[Mention], list[Cue]]] = {d.id: ([], [], []) for d in docs}
    texts = (s.text for _, s in jobs)
    for (doc, section), sdoc in zip(jobs, nlp.pipe(texts, batch_size=batch_size)):
        sents, mentions, cues = results[doc.id]
        # token offsets from arrays (creating a Token or Span per sentence and cue costs more than the rest)
        n = len(sdoc)
        idx = sdoc.to_array(IDX)
        tok_start = idx.tolist()
        tok_end = (idx + sdoc.to_array(LENGTH)).tolist()
        # token index where each sentence starts
        starts = [0] + ((sdoc.to_array(SENT_START)[1:] == 1).nonzero()[0] + 1).tolist() if n else []
        for i, a_tok in enumerate(starts):
            b_tok = starts[i + 1] if i + 1 < len(starts) else n
            a, b = tok_start[a_tok], tok_end[b_tok - 1]
            sents.append(Sentence(section.name, section.lang, i, a, b, section.text[a:b]))

        def chars(a_tok: int, b_tok: int, tok_start=tok_start, tok_end=tok_end, size=len(section.text)) -> tuple[int, int]:
            """Character offsets of tokens [a_tok, b_tok), as ``Span.start_char``/``end_char`` give them."""
            if b_tok > a_tok:
                return tok_start[a_tok], tok_end[b_tok - 1]
            at = tok_start[a_tok] if a_tok < len(tok_start) else size
            return at, at

        def sent_of(token_i: int) -> int:
            return max(bisect_right(starts, token_i) - 1, 0)

        graph = getattr(sdoc._, "context_graph", None)
        modified: dict[tuple[int, int], set[str]] = {}
        for target, mod in getattr(graph, "edges", ()) or ():
            modified.setdefault((target.start, target.end), set()).add(mod.category)
        for span, m in zip(sdoc.spans[SPAN_GROUP], sdoc._.kg_matches or ()):
            gs = _groundings(m, lexicon, policy, memo)
            typ = memo.get(("type", gs, m.type))
            if typ is None:
                typ = memo[("type", gs, m.type)] = _mention_type(gs, lexicon, policy, m.type) or ""
            if not typ:
                continue
            context = frozenset(modified.get((span.start, span.end), ()))
            mentions.append(
                Mention(
                    doc_id=doc.id, section=section.name, lang=section.lang,
                    sentence=sent_of(span.start), start=m.start, end=m.end,
                    text=section.text[m.start : m.end], type=typ, groundings=gs, long_form=m.long_form,
                    context=context, composition=m.composition, head=m.head,
                )
            )
        for mod in getattr(graph, "modifiers", ()) or ():
            ma, mb = mod.modifier_span
            a, b = chars(ma, mb)
            sa, sb = chars(*mod.scope_span) if mod.scope_span else (a, b)
            cues.append(Cue(section.name, sent_of(ma), a, b, section.text[a:b], mod.category, sa, sb, section.lang))
        if progress is not None:
            progress.update(1)
    out = []
    for d in docs:
        sents, mentions, cues = results[d.id]
        out.append(AnnotatedDocument(d, tuple(sents), tuple(mentions), tuple(sorted(set(cues), key=lambda c: (c.section, c.start, c.category)))))
    return out
