"""Head-word mentions of English text: what a word or phrase no lexicon term matches names by its form.

Two conventions, both data (``[heads]`` of ``recognition.en.toml``), both for words that no lexicon match
covers, both giving a typed match with no entries (grounded to no identifier: a ``kgid:unlinked_``
concept, which the claim rules may take as a subject, ``unlinked_types_in_claims`` of relations.en.toml):

- a **drug name by its INN stem**: one word of at least ``drug_min_chars`` letters ending in a stem of the
  international nonproprietary names (alteplase: -teplase; fludarabine: -arabine; praziquantel: -antel);
- a **therapy phrase**: a therapy head word ("therapy", "treatment", "management") after one to
  ``max_modifiers`` modifier words ("medical treatment", "curative therapy", "ropinirole monotherapy"),
  or one word ending in a procedure suffix ("electrotherapy", "urethroplasty"). A modifier is a word of
  the same segment that no match covers and that is no function or evaluative word (``not_modifiers``:
  "the", "effective", "new", ...), so "the treatment" and "effective therapy" name nothing.

Everything here works on the lexicon matcher's normalised words and character offsets (no spaCy).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, compress
from operator import or_

from kg.config import Config
from kg.nlp.match import Match

_LETTERS = re.compile(r"^[^\W\d_]+$")


@dataclass(frozen=True)
class HeadRules:
    """The head-word conventions of one language (empty: none)."""

    drug_stems: tuple[str, ...] = ()
    drug_min_chars: int = 7
    drug_not: re.Pattern | None = None
    therapy_heads: frozenset[str] = frozenset()
    therapy_suffixes: tuple[str, ...] = ()
    suffix_min_chars: int = 9
    therapy_not: re.Pattern | None = None
    not_modifiers: frozenset[str] = frozenset()
    max_modifiers: int = 3
    therapy_type: str = "procedure"
    drug_type: str = "drug"

    @classmethod
    def from_config(cls, config: Config, lang: str = "en") -> "HeadRules":
        rec = config.recognition(lang)
        t = rec.table("heads", None)
        if t is None:
            return cls()
        return cls(
            drug_stems=tuple(sorted(t.strings("drug_stems"), key=len, reverse=True)),
            drug_min_chars=t.integer("drug_min_chars"), drug_not=t.regex("drug_not", None),
            therapy_heads=frozenset(t.strings("therapy_heads")),
            therapy_suffixes=tuple(sorted(t.strings("therapy_suffixes"), key=len, reverse=True)),
            suffix_min_chars=t.integer("suffix_min_chars"), therapy_not=t.regex("therapy_not", None),
            not_modifiers=frozenset(t.strings("not_modifiers")), max_modifiers=t.integer("max_modifiers"),
            therapy_type=t.string("therapy_type"), drug_type=t.string("drug_type"))

    def __bool__(self) -> bool:
        return bool(self.drug_stems or self.therapy_heads or self.therapy_suffixes)

    def _drug(self, low: str) -> bool:
        if len(low) < self.drug_min_chars or not _LETTERS.match(low):
            return False
        if self.drug_not is not None and self.drug_not.search(low):
            return False
        return low.endswith(self.drug_stems)

    def _suffixed(self, low: str) -> bool:
        if len(low) < self.suffix_min_chars or not _LETTERS.match(low) or not low.endswith(self.therapy_suffixes):
            return False
        return self.therapy_not is None or not self.therapy_not.search(low)

    def _modifier(self, word: str, raw: str) -> bool:
        return word not in self.not_modifiers and not raw.isdigit() and word not in self.therapy_heads

    def __post_init__(self) -> None:
        # raw word -> 1 a drug by its stem, 2 a procedure by its suffix, 0 neither (words repeat: a memo)
        object.__setattr__(self, "_kinds", _Kinds(self._kind))

    def _kind(self, raw: str) -> int:
        low = raw.lower()
        if self.drug_stems and self._drug(low):
            return 1
        if self.therapy_suffixes and self._suffixed(low):
            return 2
        return 0

    def find(self, words: Sequence[str], raw: Sequence[str], starts: Sequence[int], ends: Sequence[int],
             seg: Sequence[int], matches: Sequence[Match]) -> list[Match]:
        """The head-word matches among words no match in ``matches`` covers (sorted by position). Only the
        words that may head one are visited: a drug or procedure word (a memo by raw word) or a therapy
        head; whether a match covers a word is found by bisection over the matches."""
        if not self or not words:
            return []
        kinds = list(map(self._kinds.__getitem__, raw))
        heads = self.therapy_heads
        candidates = list(compress(range(len(words)), map(or_, kinds, map(heads.__contains__, words))))
        if not candidates:
            return []
        spans = sorted((m.start, m.end) for m in matches)
        span_starts = [a for a, _ in spans]
        reach = [0, *accumulate((b for _, b in spans), max)]  # reach[k]: the furthest end of the first k spans

        def taken(i: int) -> bool:  # some match overlaps word i
            return reach[bisect_left(span_starts, ends[i])] > starts[i]

        out: list[Match] = []
        drugs: list[int] = []
        for i in candidates:
            if taken(i):
                continue
            if kinds[i] == 1:
                out.append(Match(starts[i], ends[i], (), 1.0, "head", type=self.drug_type))
                drugs.append(i)
            elif kinds[i] == 2:
                out.append(Match(starts[i], ends[i], (), 1.0, "head", type=self.therapy_type))
            elif words[i] in heads:
                first = i
                while (first > 0 and i - first < self.max_modifiers and not taken(first - 1)
                       and seg[first - 1] == seg[i] and first - 1 not in drugs
                       and self._modifier(words[first - 1], raw[first - 1])):
                    first -= 1
                if first < i:
                    out.append(Match(starts[first], ends[i], (), 1.0, "head", type=self.therapy_type))
        return out


class _Kinds(dict):
    """raw word -> ``fn(word)``, filled on first use (looked up by a C-level ``map``)."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def __missing__(self, raw: str) -> int:
        out = self.fn(raw)
        if len(self) < 500_000:
            self[raw] = out
        return out
