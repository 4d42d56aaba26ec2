"""Systematic chemical names: what a word built by chemical nomenclature names, though no lexicon has it.

All data (``[chemical_names]`` of ``recognition.en.toml``); no spaCy here. Two conventions:

- a **systematic name**: a word (between spaces, without the brackets or punctuation around it) of at least
  ``min_chars`` characters with ``min_morphemes`` morphemes of chemical nomenclature, or one and a locant
  ("3-methyladenine", "N-[4-(5-nitro-2-furyl)-2-thiazolyl]formamide"), is one drug mention with no
  grounding, reaching over a class word after it ("... acid", "... ester") and replacing the matches
  inside it; so is a word ending in "-ic" before "acid" ("lipoic acid"). A word that ends like an enzyme,
  a process or a condition ("methyltransferase", "methylation") is none, nor one before a gene-product word
  ("... reductase", "... receptor"), and a hyphen before a participle ends the word
  ("methylprednisolone-induced");
- a **salt**: a drug match with its anion or cation ("atropine sulfate", "diclofenac sodium", "sodium
  nitroprusside") is one mention with the drug's grounding;
- an **ion**: an element symbol matched as a drug takes in the charge after it ("Ca2+", "Ca(2+)");
- a **locant prefix**: a drug match with only locants and stereo-descriptors glued before it
  ("17beta-estradiol", "5-azacytidine", "D-penicillamine") reaches over them and keeps its grounding.

A name is kept only where every match it overlaps lies inside it and is a drug (or untyped), and where no
match has its very span (the lexicon's term, with its grounding, stays).
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kg.config import Config
from kg.nlp.match import Entries, Match

_WORD_END = re.compile(r"[^\s]*")
_NEXT_WORD = re.compile(r" ([a-z]+)\b")
_ACID = re.compile(r"(?<=\S) acids?\b")
_TRAIL = re.compile(r"[.,;:]+$")
_OPEN, _CLOSE = "([{", ")]}"


@dataclass(frozen=True)
class ChemicalNames:
    """The systematic-name conventions of one language (empty: none)."""

    morphemes: re.Pattern | None = None
    min_morphemes: int = 2
    min_chars: int = 7
    prefix: re.Pattern | None = None  # only locants (the whole string)
    has_locant: re.Pattern | None = None  # a locant somewhere in a word
    not_ending: re.Pattern | None = None
    not_piece: re.Pattern | None = None
    not_before: re.Pattern | None = None
    cut: re.Pattern | None = None
    class_words: frozenset[str] = frozenset()
    acid: re.Pattern | None = None
    series: re.Pattern | None = None
    residues: frozenset[str] = frozenset()
    ion: re.Pattern | None = None
    salt_after: frozenset[str] = frozenset()
    salt_before: frozenset[str] = frozenset()
    charge: re.Pattern | None = None
    residue_after: re.Pattern | None = None
    residue_before: re.Pattern | None = None
    type: str = "drug"

    @classmethod
    def from_config(cls, config: Config, lang: str = "en") -> "ChemicalNames":
        t = config.recognition(lang).table("chemical_names", None)
        if t is None:
            return cls()
        morphemes = t.strings("morphemes")
        locant = t.string("locant")
        return cls(
            morphemes=re.compile(_alternation(morphemes)) if morphemes else None,
            min_morphemes=t.integer("min_morphemes"), min_chars=t.integer("min_chars"),
            prefix=re.compile(f"(?:{locant})+"),
            has_locant=re.compile(f"(?:^|(?<=[-\\[(,]))(?:{locant})"),
            not_ending=t.regex("not_ending", None, re.IGNORECASE),
            not_piece=t.regex("not_piece", None, re.IGNORECASE), not_before=t.regex("not_before", None),
            cut=t.regex("cut", None),
            class_words=frozenset(t.strings("class_words", ())), acid=t.regex("acid", None), series=t.regex("series", None),
            residues=frozenset(t.strings("residues", ())), residue_after=t.regex("residue_after", None),
            residue_before=t.regex("residue_before", None),
            salt_after=frozenset(t.strings("salt_after", ())), salt_before=frozenset(t.strings("salt_before", ())),
            ion=t.regex("ion", None), charge=t.regex("charge", None),
            type=t.string("type", "drug"),
        )

    def __bool__(self) -> bool:
        return self.morphemes is not None

    def find(self, text: str, matches: Sequence[Match],
             types_of: Callable[[Entries], Sequence[str]]) -> list[Match]:
        """The chemical-name matches of ``text`` given the matches found so far (sorted by position); the
        caller drops the matches inside them."""
        if not self or not text:
            return []
        low = text.lower()
        spans: dict[tuple[int, int], Match] = {}
        seen: set[int] = set()
        for hit in self.morphemes.finditer(low):
            start = _word_start(text, hit.start())
            if start in seen:
                continue
            seen.add(start)
            word = self._word(text, start)
            if word is None:
                continue
            s, e = word
            w = low[s:e]
            n = len({m.group() for m in self.morphemes.finditer(w)})
            if n < self.min_morphemes and not (n and self.has_locant.search(text[s:e])):
                continue
            if self.not_ending is not None and self.not_ending.search(w):
                continue
            end = self._class_word(text, e)
            if end == e and self.not_piece is not None and self.not_piece.search(w):
                continue
            e = end
            if self.not_before is not None and self.not_before.match(text, e):
                continue
            spans[(s, e)] = Match(s, e, (), 1.0, "head", type=self.type)
        if self.acid is not None:
            for hit in _ACID.finditer(low):
                start = _word_start(text, hit.start())
                word = self._word(text, start)
                if word is None or word[1] != hit.start() or not self.acid.search(low, word[0], word[1]):
                    continue
                end = self._series(text, hit.end())
                spans.setdefault((word[0], end), Match(word[0], end, (), 1.0, "head", type=self.type))
        drug = self.type
        for m in matches:  # locants glued before a drug match: "17beta-estradiol"
            if m.start == 0 or text[m.start - 1] not in "-]" or _type(m, types_of) != drug:
                continue
            start = _word_start(text, m.start)
            while start < m.start and text[start] in _OPEN and text.count(_CLOSE[_OPEN.index(text[start])], start, m.start) == 0:
                start += 1
            if start < m.start and self.prefix.fullmatch(text, start, m.start) and \
                    not (self.not_piece is not None and self.not_piece.search(text[start:m.end])):
                spans[(start, m.end)] = dataclasses.replace(m, start=start)
        if self.ion is not None and self.charge is not None:  # "Ca2+", "Ca(2+)"
            for m in matches:
                if self.ion.match(text[m.start:m.end]) and _type(m, types_of) == drug:
                    charge = self.charge.match(text, m.end)
                    if charge:
                        spans[(m.start, charge.end())] = dataclasses.replace(m, end=charge.end())
        if self.salt_after or self.salt_before:
            self._salts(text, low, matches, types_of, spans)
        out = []
        exact = {(m.start, m.end) for m in matches}
        starts = [m.start for m in matches]
        for (s, e), c in sorted(spans.items()):
            if (s, e) in exact:
                continue  # a lexicon term already names it ("ascorbic acid")
            lo = max(bisect_left(starts, s) - 1, 0)  # matches do not overlap one another: one may begin before s
            inside = [m for m in matches[lo:bisect_left(starts, e)] if m.start < e and s < m.end]
            if all(s <= m.start and m.end <= e and _type(m, types_of) in (drug, None)
                   for m in inside) and not (out and out[-1].end > s):
                out.append(c)
        return out

    def _salts(self, text: str, low: str, matches: Sequence[Match], types_of: Callable[[Entries], Sequence[str]],
               spans: dict[tuple[int, int], Match]) -> None:
        """Salts: "atropine sulfate", "diclofenac sodium", "sodium nitroprusside" (added to ``spans``)."""
        drugs = [m for m in matches if _type(m, types_of) == self.type]
        by_start = {m.start: m for m in drugs}
        for m in drugs:
            after = _NEXT_WORD.match(low, m.end)
            if after is None:
                continue
            word = after.group(1)
            nxt = by_start.get(m.end + 1)
            if low[m.start:m.end] in self.salt_before and nxt is not None and nxt.end == m.end + 1 + len(word):
                if word in self.salt_after:  # "lithium carbonate": the cation's grounding
                    spans[(m.start, nxt.end)] = dataclasses.replace(m, end=nxt.end)
                else:  # "sodium nitroprusside": the drug's
                    spans[(m.start, nxt.end)] = dataclasses.replace(nxt, start=m.start)
            elif word in self.salt_after and low[m.start:m.end] not in self.salt_before | self.salt_after:
                spans[(m.start, after.end())] = dataclasses.replace(m, end=after.end())
            elif low[m.start:m.end] in self.salt_before and word in self.salt_after:
                spans[(m.start, after.end())] = dataclasses.replace(m, end=after.end())

    def residues_of(self, text: str, matches: Sequence[Match]) -> set[tuple[int, int]]:
        """The spans of the matches that name an amino acid as a residue of a protein ("Cys 23 Ser",
        "Gln/Arg", "His-to-Arg"): no chemical mentions."""
        out = set()
        if not self.residues:
            return out
        for m in matches:
            if text[m.start:m.end].lower() in self.residues and (
                    self.residue_after.match(text[m.end:m.end + 40])
                    or self.residue_before.search(text[max(0, m.start - 20):m.start])):
                out.add((m.start, m.end))
        return out

    def _word(self, text: str, start: int) -> tuple[int, int] | None:
        """The word beginning at ``start``, without brackets that do not close inside it, punctuation after
        it, or what follows a hyphen before a participle; None when too short."""
        end = start + len(_WORD_END.match(text, start).group())
        if self.cut is not None:
            cut = self.cut.search(text, start, end)
            if cut:
                end = cut.start()
        trail = _TRAIL.search(text, start, end)
        if trail:
            end = trail.start()
        while start < end and (text[start] in _OPEN or text[end - 1] in _CLOSE):
            w = text[start:end]
            if w[0] in _OPEN and w[-1] == _CLOSE[_OPEN.index(w[0])] and _closes_at_end(w):
                start, end = start + 1, end - 1  # the whole word in brackets
            elif text[start] in _OPEN and w.count(_CLOSE[_OPEN.index(text[start])]) < w.count(text[start]):
                start += 1
            elif text[end - 1] in _CLOSE and w.count(_OPEN[_CLOSE.index(text[end - 1])]) < w.count(text[end - 1]):
                end -= 1
            else:
                break
        if end - start < self.min_chars or "/" in text[start:end]:
            return None
        return start, end

    def _class_word(self, text: str, end: int) -> int:
        """``end`` moved over one class word after it ("... acid", "... ethyl ester")."""
        m = _NEXT_WORD.match(text, end)
        if m and m.group(1) in self.class_words:
            end = m.end()
            return self._series(text, end) if m.group(1) == "acid" else end
        return end

    def _series(self, text: str, end: int) -> int:
        """``end`` moved over a letter naming one of a series ("salvianolic acid A")."""
        m = self.series.match(text, end) if self.series is not None else None
        return m.end() if m else end


def _word_start(text: str, pos: int) -> int:
    """Where the word holding ``pos`` begins (after the last white space before it)."""
    return max(text.rfind(" ", 0, pos), text.rfind("\n", 0, pos), text.rfind("\t", 0, pos)) + 1


def _type(m: Match, types_of: Callable[[Entries], Sequence[str]]) -> str | None:
    """A match's fixed type, else the best of its entries' (None: untyped)."""
    if m.type:
        return m.type
    types = types_of(m.entries)
    return types[0] if types else None


def _closes_at_end(w: str) -> bool:
    """Whether the bracket that opens ``w`` is the one that closes it."""
    depth = 0
    for i, ch in enumerate(w):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth == 0:
                return i == len(w) - 1
    return False


def _alternation(words: Sequence[str]) -> str:
    """A pattern matching the longest of ``words`` at a position, written as a trie (``re`` tries the
    branches of a flat alternation one by one: this is three times faster on abstracts)."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def branch(node: dict) -> str:
        alts = [re.escape(ch) + branch(node[ch]) for ch in sorted(node) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return branch(root)
