"""Span conventions: extend lexicon matches over the neighbouring words that annotated text includes.

A lexicon finds "thrombocytopenia" in "X-linked recessive thrombocytopenia", "ovarian cancer" in "breast
and ovarian cancer" and "arginine" in "L-arginine"; the mention is the whole phrase. The words that may be
taken in are learned from the gold mentions of annotated corpora (``ontologies/corpus_spans.tsv``, written
by ``scripts/build_corpus_lexicon.py`` from train splits only); the thresholds, the function words that
are never taken in and the coordination rule are data (``kg/data/spans.toml``).

Everything here works on plain words and character offsets (no spaCy): the lexicon matcher
(``kg.nlp.lexicon_matcher.LexiconMatcher``) calls ``SpanRules.extend`` with its matches and the words it
matched on.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kg.config import Config
from kg.nlp.match import Match

log = logging.getLogger(__name__)

NUMBER = "#"  # the word class of numbers and Roman numerals in the learned counts


def spans_path(config: Config) -> Path:
    """The learned span-convention counts (may be absent: then no word is taken in)."""
    return config.ontologies / "corpus_spans.tsv"


def number_pattern(config: Config) -> re.Pattern:
    """What counts as a number in the learned counts (``number`` of spans.toml)."""
    return config.spans.regex("number")


def word_class(word: str, number: re.Pattern) -> str:
    """A normalised word as counted in ``corpus_spans.tsv``: numbers and Roman numerals are one class."""
    return NUMBER if number.match(word) else word


@dataclass(frozen=True)
class SpanRules:
    """Which words extend a match of each type, on each side, and how coordinations join."""

    table: dict[tuple[str, str, str], frozenset[str]]  # (kg type, side, gap) -> words taken in
    firsts: dict[str, frozenset[str]]  # kg type -> words that may begin an extended mention
    lasts: dict[str, frozenset[str]]  # kg type -> words that may end one
    never: frozenset[str]
    number: re.Pattern
    coord_types: frozenset[str]
    conjunctions: frozenset[str]
    group_of: dict[str, str]  # kg type -> group name
    coord_modifiers: bool = False  # coordination also when A is a word the left counts take in
    bridge_types: frozenset[str] = frozenset()  # types whose terms may hold a parenthesised short form
    bridge_before: int = 0
    bridge_after: int = 0
    modifier_types: frozenset[str] = frozenset()  # types of the terms a modifier short form may name
    modifier_heads: tuple[str, ...] = ()
    modifier_nouns: frozenset[str] = frozenset()
    modifier_words: int = 0
    modifier_not: frozenset[str] = frozenset()
    _classes: dict[str, str] = field(default_factory=dict, compare=False, repr=False)  # word -> its class (cache)

    @classmethod
    def from_config(cls, config: Config, path: Path | None = None) -> "SpanRules":
        """The conventions of spans.toml over the counts of ``path`` (default: the ontologies folder's)."""
        cfg = config.spans
        groups_t = cfg.table("groups", {})
        groups: dict[str, tuple[str, ...]] = {g: groups_t.strings(g) for g in groups_t}
        min_docs, min_share = cfg.integer("min_documents", 3), cfg.number("min_share", 0.6)
        min_boundary = cfg.number("min_boundary_share", 0.2)
        never = frozenset(cfg.strings("never", ()))
        counts: dict[tuple[str, str, str, str], list[tuple[int, int]]] = {}
        path = path or spans_path(config)
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines()[1:]:
                cols = line.split("\t")
                if len(cols) >= 7:
                    counts.setdefault(tuple(cols[:4]), []).append((int(cols[5]), int(cols[6])))
        # A word's share inside is the mean of its shares in the corpora that saw it (each corpus counts
        # once, whatever its size); its documents inside are summed.
        sides: dict[tuple[str, str, str], set[str]] = {}
        bounds: dict[tuple[str, str], dict[str, float]] = {}
        how = cfg.choice("share", ("mean", "pooled", "min"), "mean")
        min_seen = cfg.integer("min_corpus_documents", 3)
        for (group, side, gap, word), per_corpus in counts.items():
            if how == "pooled" or side in ("first", "last"):
                share = sum(i for i, _ in per_corpus) / sum(i + o for i, o in per_corpus)
            elif how == "min":
                seen = [i / (i + o) for i, o in per_corpus if i + o >= min_seen]
                share = min(seen) if seen else 0.0
            else:
                share = sum(i / (i + o) for i, o in per_corpus) / len(per_corpus)
            if side in ("first", "last"):
                bounds.setdefault((group, side), {})[word] = share
            elif word not in never and sum(i for i, _ in per_corpus) >= min_docs and share >= min_share:
                sides.setdefault((group, side, gap), set()).add(word)
        # a word may end an extension when it begins (left) / ends (right) a gold mention often enough
        ends = {(g, side): frozenset(w for w, share in bounds.get((g, side), {}).items() if share >= min_boundary)
                for g in groups for side in ("first", "last")}
        table = {(t, side, gap): frozenset(sides.get((g, side, gap), ()))
                 for g, ts in groups.items() for t in ts for side in ("left", "right") for gap in ("space", "joined")}
        coord = cfg.table("coordination", {})
        coord_types = frozenset(t for g in coord.strings("groups", ()) for t in groups.get(g, ()))
        group_of = {t: g for g, ts in groups.items() for t in ts}
        bridge = cfg.table("bridge", {})
        bridge_types = frozenset(t for g in bridge.strings("groups", ()) for t in groups.get(g, ())) if bridge else frozenset()
        mod = cfg.table("modifier", {})
        return cls(table, {t: ends[(g, "first")] for t, g in group_of.items()}, {t: ends[(g, "last")] for t, g in group_of.items()},
                   never, number_pattern(config), coord_types, frozenset(coord.strings("conjunctions", ())), group_of,
                   coord.boolean("modifier_words", False), bridge_types,
                   bridge.integer("max_before", 6) if bridge else 0, bridge.integer("max_after", 2) if bridge else 0,
                   frozenset(t for g in mod.strings("groups", ()) for t in groups.get(g, ())) if mod else frozenset(),
                   mod.strings("heads", ()) if mod else (), frozenset(mod.strings("nouns", ())) if mod else frozenset(),
                   mod.integer("max_words", 3) if mod else 0,
                   frozenset(mod.strings("not_words", ())) if mod else frozenset())

    def _class(self, word: str) -> str:
        c = self._classes.get(word)
        if c is None:
            c = NUMBER if self.number.match(word) else word
            if len(self._classes) < 200_000:
                self._classes[word] = c
        return c

    def _either_gap(self, side: str) -> dict[str, frozenset[str]]:
        return {t: self.table.get((t, side, "space"), frozenset()) | self.table.get((t, side, "joined"), frozenset())
                for t in self.group_of}

    @cached_property
    def any_left(self) -> dict[str, frozenset[str]]:
        """kg type -> every word the counts take in on the left (either gap)."""
        return self._either_gap("left")

    @cached_property
    def any_right(self) -> dict[str, frozenset[str]]:
        return self._either_gap("right")

    @cached_property
    def all_left(self) -> frozenset[str]:
        """Every word the counts take in on the left for any type."""
        return frozenset().union(*self.any_left.values())

    @cached_property
    def all_right(self) -> frozenset[str]:
        return frozenset().union(*self.any_right.values())

    def extend(self, matches: list, words: Sequence[str], starts: Sequence[int], ends: Sequence[int],
               seg: Sequence[int], text: str, types_of, index: dict) -> list:
        """Matches (``kg.nlp.match.Match``, in text order, not overlapping) extended by the conventions.

        ``types_of(match)`` gives the kg types of a match's entries; ``index`` is the lexicon's key ->
        entries map, and ``types_of`` applies to its entries as well. A match taken in whole by another's
        extension is dropped; an extension never cuts another match in two.
        """
        if not matches or not self.table:
            return matches
        n = len(words)
        spans: list = []  # (first word, last word) per match
        cand: list[int] = []  # matches with a neighbour that may be taken in
        all_left, all_right, cls = self.all_left, self.all_right, self._class
        for k, m in enumerate(matches):
            a = bisect_left(starts, m.start)
            b = bisect_left(ends, m.end)
            if a >= n or b >= n or starts[a] != m.start or ends[b] != m.end:
                spans.append(None)
                continue
            spans.append((a, b))
            if (a and seg[a - 1] == seg[a] and (cls(words[a - 1]) in all_left or words[a - 1] in ("and", "or")
                                                or "/" in text[ends[a - 1] : starts[a]])) \
                    or (b + 1 < n and seg[b + 1] == seg[b] and cls(words[b + 1]) in all_right):
                cand.append(k)
        if not cand:
            return matches
        owner = [-1] * n
        for k, ab in enumerate(spans):
            if ab is not None:
                for w in range(ab[0], ab[1] + 1):
                    owner[w] = k
        entries_of = [m.entries for m in matches]
        joined = _Joined(text, starts, ends)
        out = list(matches)
        dropped: set[int] = set()
        for k in cand:
            m = matches[k]
            if k in dropped or m.how in ("acronym", "abbreviation") or m.composition:
                continue
            types = types_of(m.entries)
            typ = types[0] if types else None
            if typ not in self.group_of:
                continue
            a0, b0 = spans[k]
            a, b = a0, b0
            if typ in self.coord_types and b > a and a >= 1 and seg[a - 1] == seg[a] and \
                    (words[a - 1] in ("and", "or") or text[ends[a - 1] : starts[a]].strip() == "/"):
                a = self._coordinate(a, b, words, starts, ends, seg, text, owner, entries_of, typ, types_of, index)
            same = lambda j: typ in types_of(entries_of[j])  # noqa: E731
            if a >= 1 and seg[a - 1] == seg[a] and self._class(words[a - 1]) in self.any_left.get(typ, ()):
                a = self._walk(a, -1, typ, words, seg, joined, owner, spans, k, same, self.firsts[typ])
            if b + 1 < n and seg[b + 1] == seg[b] and self._class(words[b + 1]) in self.any_right.get(typ, ()):
                b = self._walk(b, +1, typ, words, seg, joined, owner, spans, k, same, self.lasts[typ])
            if (a, b) == (a0, b0):
                continue
            for j in {owner[w] for w in range(a, b + 1)} - {k, -1}:
                dropped.add(j)
            for w in range(a, b + 1):
                owner[w] = k
            out[k] = dataclasses.replace(m, start=starts[a], end=ends[b])
            spans[k] = (a, b)
        return [m for k, m in enumerate(out) if k not in dropped]

    def bridge(self, matches: list, words: Sequence[str], starts: Sequence[int], ends: Sequence[int],
               seg: Sequence[int], text: str, types_of, index: dict) -> list:
        """Matches (in text order) with each term written around a parenthesised short form of its first
        words ("von Hippel-Lindau (VHL) disease") made one match ([bridge] of spans.toml); a match that
        reaches out of such a phrase keeps it from forming."""
        if not self.bridge_types or "(" not in text:
            return matches
        n = len(words)
        found = []
        for p in _OPEN.finditer(text):
            s = bisect_left(starts, p.end())
            if not 1 <= s < n - 1 or text[ends[s - 1] : starts[s]].strip() != "(":
                continue
            t = s  # the short form: up to three words joined by nothing, a hyphen or a slash
            while t + 1 < n and t - s < 2 and text[ends[t] : starts[t + 1]] in ("", "-", "/"):
                t += 1
            if t + 1 >= n or text[ends[t] : starts[t + 1]].strip() != ")":
                continue
            first = text[starts[s]].lower()
            best = None
            for kb in range(min(self.bridge_after, n - t - 1), 0, -1):
                if seg[t + kb] != seg[t + 1]:
                    continue
                for ka in range(min(self.bridge_before, s), 0, -1):
                    if seg[s - ka] != seg[s - 1] or text[starts[s - ka]].lower() != first:
                        continue
                    entries = index.get((*words[s - ka : s], *words[t + 1 : t + 1 + kb]))
                    if entries and types_of(entries)[:1] and types_of(entries)[0] in self.bridge_types:
                        best = (s - ka, t + kb, entries)
                        break
                if best:
                    break
            if best:
                found.append(best)
        if not found:
            return matches
        out = list(matches)
        for a, b, entries in found:
            lo, hi = starts[a], ends[b]
            if any(m.start < lo < m.end or m.start < hi < m.end for m in out):
                continue
            out = [m for m in out if m.end <= lo or m.start >= hi]
            out.append(Match(lo, hi, entries))
        return sorted(out, key=lambda m: (m.start, m.end))

    def modifier(self, matches: list, words: Sequence[str], starts: Sequence[int], ends: Sequence[int],
                 seg: Sequence[int], text: str, types_of, index: dict) -> list:
        """Matches (in text order) with the named diseases written without their head word before a noun
        added ("Lesch-Nyhan patients": Lesch-Nyhan syndrome; [modifier] of spans.toml)."""
        if not self.modifier_types:
            return matches
        nouns = self.modifier_nouns
        hits = [k for k, w in enumerate(words) if w in nouns]
        if not hits:
            return matches
        covered = [False] * len(words)
        for m in matches:
            for j in range(bisect_left(starts, m.start), bisect_left(starts, m.end)):
                covered[j] = True
        found = []
        for k in hits:
            if covered[k]:
                continue
            for size in range(min(self.modifier_words, k), 0, -1):
                i = k - size
                if seg[i] != seg[k] or any(covered[i:k]):
                    continue
                if not _name_like(text[starts[i]:ends[k - 1]], self.modifier_not):
                    continue
                for head in self.modifier_heads:
                    entries = index.get((*words[i:k], head))
                    if entries and types_of(entries)[:1] and types_of(entries)[0] in self.modifier_types:
                        found.append(Match(starts[i], ends[k - 1], entries))
                        break
                else:
                    continue
                break
        return sorted(matches + found, key=lambda m: (m.start, m.end)) if found else matches

    def _walk(self, i: int, step: int, typ: str, words, seg, joined, owner, spans, k, same, boundary) -> int:
        """The farthest word index from ``i`` in direction ``step`` reached through words the counts take
        in, in the same segment, ending on a word that may end a mention there; another match on the way
        is taken in whole or not at all, and one of the same type only when it is one such word ("inherited",
        a qualifier class of an ontology, before "bleeding disorder")."""
        side = "left" if step < 0 else "right"
        space, tight = self.table.get((typ, side, "space"), frozenset()), self.table.get((typ, side, "joined"), frozenset())
        n = len(words)
        start = i
        best = i
        j = i + step
        while 0 <= j < n and seg[j] == seg[i]:
            w = words[j]
            if w in self.never:
                break
            table = tight if joined[min(j, j - step)] else space
            if self._class(w) not in table:
                break
            other = owner[j]
            if other not in (-1, k):
                oa, ob = spans[other]
                far = oa if step < 0 else ob
                if (same(other) and oa != ob) or any(words[x] in self.never or self._class(words[x]) not in
                                      (tight if joined[min(x, x - step)] else space) for x in range(min(j, far), max(j, far) + 1)):
                    break
                j = far
            i = j
            if self._class(words[i]) in boundary:
                best = i
            j += step
        return best if best != start else start

    def _coordinate(self, a: int, b: int, words, starts, ends, seg, text, owner, entries_of, typ, types_of,
                    index) -> int:
        """The first word of "A and B head" ("A or", "A and/or", "A/", "A, B and") when the match is
        "B head" and each A modifies the same head."""
        head = tuple(words[a + 1 : b + 1])

        def gap(i: int) -> str:  # the text between word i and word i + 1
            return text[ends[i] : starts[i + 1]].strip()

        def modifies(i: int) -> bool:
            w = words[i]
            if w in self.never or w in self.conjunctions:
                return False
            entries = index.get((w, *head))
            if entries and typ in types_of(entries):
                return True
            other = owner[i]
            if other != -1:
                # another match: only a one-word match of another group ("breast" the organ) may modify
                if (i > 0 and owner[i - 1] == other) or (i + 1 < len(owner) and owner[i + 1] == other):
                    return False
                if typ in types_of(entries_of[other]):
                    return False
            return self.coord_modifiers and self._class(w) in self.table.get((typ, "left", "space"), frozenset())

        first = a
        if a >= 1 and seg[a - 1] == seg[a] and gap(a - 1) == "/":
            while first >= 1 and seg[first - 1] == seg[first] and gap(first - 1) == "/" and modifies(first - 1):
                first -= 1
            return first
        j = a - 1
        if j >= 1 and words[j] in ("and", "or") and seg[j] == seg[a] and gap(j) == "":
            if words[j] == "or" and j >= 2 and words[j - 1] == "and" and gap(j - 1) == "/":
                j -= 1
            cand = j - 1
            if gap(cand) in ("", ",") and modifies(cand):
                first = cand
                while first >= 1 and gap(first - 1) == "," and modifies(first - 1):
                    first -= 1
        return first


class _Joined:
    """``joined[i]``: whether word i and word i + 1 are written without a space between them (computed
    on first use: only words next to a match are asked about)."""

    __slots__ = ("text", "starts", "ends")

    def __init__(self, text: str, starts: Sequence[int], ends: Sequence[int]):
        self.text, self.starts, self.ends = text, starts, ends

    def __getitem__(self, i: int) -> bool:
        gap = self.text[self.ends[i] : self.starts[i + 1]]
        return not gap or not (gap.isspace() or " " in gap or "\n" in gap or "\t" in gap)


_OPEN = re.compile(r"\(")
_PAREN = re.compile(r"\(\s*([A-Z][A-Za-z0-9\-]{1,9})\s*\)")
_INITIALS = re.compile(r"(?:^|[\s\-/])([A-Za-z])")


def defined_abbreviations(text: str, matches: Sequence, known: set[str] | frozenset[str] = frozenset()) -> list[tuple[int, int, object]]:
    """Short forms defined right after a match whose word initials hold the short form's letters in any
    order ("myotonic dystrophy (DM)", "hereditary hemochromatosis (HH)"), which the Schwartz-Hearst rule
    (letters in order) misses: every whole-word occurrence of the short form, as (start, end, match).
    Short forms in ``known`` (already resolved) are skipped; a short form needs two capitals."""
    out: list[tuple[int, int, object]] = []
    if not matches:
        return out
    by_end = {}
    for m in matches:
        if getattr(m, "how", None) not in ("acronym", "abbreviation"):
            by_end[m.end] = m
    done = set(known)
    for p in _PAREN.finditer(text):
        short = p.group(1)
        if short in done or sum(c.isupper() for c in short) < 2:
            continue
        head = text[: p.start()].rstrip()
        m = by_end.get(len(head))
        if m is None:
            continue
        letters = sorted(c.lower() for c in short if c.isalpha())
        initials = [c.lower() for c in _INITIALS.findall(text[m.start : m.end])]
        if len(letters) < 2 or any(letters.count(c) > initials.count(c) for c in set(letters)):
            continue
        done.add(short)
        out.extend((start, end, m) for start, end in whole_words(text, short))
    return out


def whole_words(text: str, word: str) -> list[tuple[int, int]]:
    """(start, end) of each occurrence of ``word`` in ``text`` with no letter, digit or hyphen on either
    side (a short form's occurrences: "DM", "HCTZ" in "VAL/HCTZ")."""
    return [(occ.start(), occ.end()) for occ in re.finditer(rf"(?<![\w\-]){re.escape(word)}(?![\w\-])", text)]


def _name_like(surface: str, not_words: frozenset[str]) -> bool:
    """Whether words have the form of a disease's name without its head word: two words or a hyphenated
    one ("fragile X", "Lesch-Nyhan") or a capital inside a word ("McLeod"); not all capitals, not one of
    ``not_words``."""
    parts = surface.split()
    if surface.isupper() or any(p.lower() in not_words for p in parts):
        return False
    return len(parts) > 1 or "-" in surface or any(c.isupper() for c in surface[1:])
