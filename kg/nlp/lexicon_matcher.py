"""``kg_lexicon_matcher``: longest-match lookup of the lexicon's terms over the normalised words of English
text (case, plural, hyphen, Greek-letter and derivation variants; "X-like cells"; acronyms), extended by
span conventions (``kg.nlp.conventions``), with abbreviations given their long form's match and
compositions built around head matches. Writes ``doc.spans["kg_mentions"]`` and ``doc._.kg_matches``.
"""

import re
from bisect import bisect_left
from collections.abc import Sequence
from itertools import accumulate

from spacy.language import Language
from spacy.tokens import Doc

from kg.config import Config
from kg.nlp.chemical_names import ChemicalNames
from kg.nlp.conventions import SpanRules, defined_abbreviations, whole_words
from kg.nlp.doc import abbreviations_of, doc_text, sentence_start_chars, write_match_spans
from kg.nlp.heads import HeadRules, absorbed
from kg.nlp.match import Match, abbreviation, compose
from kg.ontology import POSSESSIVE, Lexicon, Normalizer, TypePolicy

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
        out = self.norm.word(self.norm.spell_letters(raw))
        if len(self) < 500_000:
            self[raw] = out
        return out


class _Memo(dict):
    """key -> ``fn(key)``, filled on first use (looked up by a C-level ``map``: gaps and words repeat)."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def __missing__(self, key: str):
        out = self.fn(key)
        if len(self) < 500_000:
            self[key] = out
        return out


def _hard_gap(gap: str) -> int:
    return 1 if _HARD_GAP.search(gap) else 0


def _capitalised(word: str) -> bool:
    return _CAPITAL.match(word) is not None


@Language.factory("kg_lexicon_matcher")
def make_lexicon_matcher(nlp: Language, name: str) -> "LexiconMatcher":
    return LexiconMatcher()


class LexiconMatcher:
    """Longest-match dictionary lookup over normalised words; writes spans to ``doc.spans['kg_mentions']``
    and the matches, in the same order, to ``doc._.kg_matches``. Abbreviations found by scispaCy inherit
    their long form's match."""

    def __init__(self) -> None:
        self.lex: Lexicon | None = None

    def use(self, lexicon: Lexicon, config: Config) -> "LexiconMatcher":
        """Give the matcher its lexicon and policy (the pipeline builder does, right after ``add_pipe``)."""
        self.lex = lexicon
        self.norm = lexicon.normalizer
        self.policy = TypePolicy.from_config(config)
        rec = config.recognition("en")
        self.like_words = tuple(rec.table("like").strings("words"))
        self.window = rec.table("composition").integer("window")
        self.compositions = tuple(config.compositions.values())
        self._word_cache = _WordCache(self.norm)
        self._gap_cache = _Memo(_hard_gap)
        self._caps_cache = _Memo(_capitalised)
        self._variant_cache: dict[tuple[str, ...], bool] = {}
        self._types_cache: dict[tuple, frozenset] = {}
        self._ordered_cache: dict[tuple, tuple[str, ...]] = {}
        self.spans = SpanRules.from_config(config)
        self.heads = HeadRules.from_config(config, "en")
        self.chemicals = ChemicalNames.from_config(config, "en")
        split = rec.table("split", None)
        self.split_whole = frozenset(split.strings("whole")) if split is not None else frozenset()
        self.split_first = frozenset(split.strings("first")) if split is not None else frozenset()
        self.split_rest = frozenset(split.strings("rest")) if split is not None else frozenset()
        return self

    def _split(self, matches: list[Match], words: list[str], starts: list[int], ends: list[int]) -> list[Match]:
        """A term of a ``whole`` type made of a term of a ``first`` type and one of a ``rest`` type names
        both ("cancer chemotherapy": cancer, chemotherapy; [split] of recognition.en.toml)."""
        index = self.lex.index
        out = []
        for m in matches:
            pieces = None
            if m.how is None and not m.type and self._ordered_types(m.entries)[:1] and \
                    self._ordered_types(m.entries)[0] in self.split_whole:
                i, j = bisect_left(starts, m.start), bisect_left(ends, m.end)
                for k in range(i + 1, j + 1) if j < len(ends) and ends[j] == m.end and starts[i] == m.start else ():
                    a, b = index.get(tuple(words[i:k])), index.get(tuple(words[k:j + 1]))
                    if (a and b and set(self._ordered_types(a)[:1]) & self.split_first
                            and set(self._ordered_types(b)[:1]) & self.split_rest):
                        pieces = [Match(starts[i], ends[k - 1], a, m.factor), Match(starts[k], ends[j], b, m.factor)]
                        break
            out.extend(pieces or (m,))
        return out

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
        parts = _SPLIT.split(POSSESSIVE.sub("  ", text))  # gap, word, gap, word, ..., gap
        if len(parts) < 2:
            return [], [], [], [], []
        raw = parts[1::2]
        offsets = list(accumulate(map(len, parts)))
        starts = offsets[0:-1:2]
        ends = offsets[1::2]
        change = list(map(self._gap_cache.__getitem__, parts[0:-1:2]))
        change[0] = 1
        n = len(raw)
        for start_char in sentence_start_chars(doc):  # (kept by the sentence fixer: no Span per sentence)
            k = bisect_left(starts, start_char)
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
        caps = list(map(self._caps_cache.__getitem__, raw))
        lowered = not _CAPITAL.search(text)
        if lowered:  # a text written all in lower case: acronyms without a vowel ("nsclc") can be no English word
            caps = [bool(_NO_VOWEL.match(w)) and w.upper() in acronyms for w in raw]
        variants = self._variant_cache
        like, like_types = self.like_words, self.policy.like_types
        next_free = 0
        for i in [k for k in range(n) if firsts[k] or caps[k]]:
            if i < next_free:
                continue
            found = None
            if firsts[i]:
                # Walk forward while the words so far begin some multi-word term, then take the
                # longest full term among them.
                # (each key is built and looked up once: the longest with entries is kept on the way)
                j = i + 1
                si = seg[i]
                while j < n and seg[j] == si:
                    key = tuple(words[i : j + 1])
                    entries = index.get(key)
                    if entries:
                        found = (j + 1 - i, entries)
                    elif key not in prefixes and key not in index:
                        break
                    j += 1
                if found is None:
                    entries = index.get((words[i],))
                    if entries:
                        found = (1, entries)
            if found is None:
                if caps[i]:
                    surface = raw[i]
                    acr = surface[:-1] if surface.endswith("s") and surface[-2:-1].isupper() else surface
                    acr = acr.upper() if lowered else acr
                    entries = acronyms.get(acr)
                    if entries:
                        out.append(Match(starts[i], ends[i], entries, self.policy.score("acronym"), "acronym"))
                continue
            length, entries = found
            end_i = i + length
            factor, how = 1.0, None
            surface = tuple(raw[i:end_i])
            variant = variants.get(surface)
            if variant is None:
                variant = variants[surface] = [r.lower() for r in surface] != words[i:end_i]
            if variant:  # a plural, derivation or Greek-letter form, not just another case
                factor = self.policy.score("variant")
            # "hepatocyte-like cells": a cell type followed by "like cell(s)" names that cell type, loosely.
            k = len(like)
            if (
                k
                and end_i + k - 1 < n
                and tuple(words[end_i : end_i + k]) == like
                and seg[end_i + k - 1] == seg[i]
                and any(self.lex.types.get(c) in like_types for c, _ in entries)
            ):
                entries = tuple(e for e in entries if self.lex.types.get(e[0]) in like_types)
                factor *= self.policy.score("like")
                how = "like"
                end_i += k
            out.append(Match(starts[i], ends[end_i - 1], entries, factor, how))
            next_free = end_i
        return out

    def _abbreviations(self, doc: Doc, matches: list[Match], text: str = "") -> list[Match]:
        abbrs = abbreviations_of(doc)
        # Short forms scispaCy's Schwartz-Hearst rule misses ("myotonic dystrophy (DM)"): kg/spans.py
        extra = defined_abbreviations(text, matches, {a.text for a in abbrs}) if text and "(" in text else []
        if not abbrs and not extra:
            return matches
        by_span = {(m.start, m.end): m for m in matches}
        factor = self.policy.score("abbreviation")
        out = list(matches)
        for ss, se, long_ in _occurrences(abbrs, text):
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
            out = [m for m in out if m.end <= ss or m.start >= se]
            out.append(abbreviation(best, ss, se, long_.text, factor))
        for ss, se, best in extra:
            out = [m for m in out if m.end <= ss or m.start >= se]
            out.append(abbreviation(best, ss, se, text[best.start:best.end], factor))
        return sorted(out, key=lambda m: (m.start, m.end))

    def _compose(self, text: str, matches: list[Match]) -> list[Match]:
        return compose(text, matches, self.compositions, "en", self.lex, self._types_cache, self.window)

    def __call__(self, doc: Doc) -> Doc:
        if self.lex is None:
            raise RuntimeError("kg_lexicon_matcher has no lexicon: call .use(lexicon, config) after add_pipe")
        text = doc_text(doc)
        parts = self._words(doc, text)
        matches = self._scan(doc, text, parts)
        # span conventions (kg/spans.py): "X-linked thrombocytopenia", "breast and ovarian cancer"
        matches = self.spans.extend(matches, parts[0], parts[2], parts[3], parts[4], text, self._ordered_types, self.lex.index)
        # "von Hippel-Lindau (VHL) disease": a term around a parenthesised short form
        matches = self.spans.bridge(matches, parts[0], parts[2], parts[3], parts[4], text, self._ordered_types, self.lex.index)
        # "Lesch-Nyhan patients": a named disease without its head word before a noun
        matches = self.spans.modifier(matches, parts[0], parts[2], parts[3], parts[4], text, self._ordered_types, self.lex.index)
        if self.split_whole:  # "cancer chemotherapy": a therapy named for the condition it treats names both
            matches = self._split(matches, parts[0], parts[2], parts[3])
        if self.heads:  # drug names by their INN stem, therapy phrases by their head word (kg/nlp/heads.py)
            found = self.heads.find(parts[0], parts[1], parts[2], parts[3], parts[4], matches, text,
                                    self._ordered_types)
            if found:
                matches = sorted(absorbed(matches, found) + found, key=lambda m: (m.start, m.end))
        if self.chemicals:  # systematic chemical names: "3-methyladenine", "17beta-estradiol" (kg/nlp/chemical_names.py)
            residues = self.chemicals.residues_of(text, matches)  # "Cys 23 Ser": residues of a protein, no chemicals
            if residues:
                matches = [m for m in matches if (m.start, m.end) not in residues]
            found = self.chemicals.find(text, matches, self._ordered_types)
            if found:
                matches = sorted(absorbed(matches, found) + found, key=lambda m: (m.start, m.end))
        return write_match_spans(doc, self._compose(text, self._abbreviations(doc, matches, text)))


def _occurrences(abbrs: Sequence, text: str) -> list[tuple[int, int, object]]:
    """(start, end, long form span) of each short form scispaCy resolved, and of its other whole-word
    occurrences the tokenizer kept inside a longer token ("VAL/HCTZ", "5-FU/LV"), which its matcher
    cannot see."""
    out = [(a.start_char, a.end_char, a._.long_form) for a in abbrs if a._.long_form is not None]
    seen = {(s, e) for s, e, _ in out}
    for short, long_ in {text[s:e]: lf for s, e, lf in out}.items():
        out.extend((start, end, long_) for start, end in whole_words(text, short) if (start, end) not in seen)
    return out
