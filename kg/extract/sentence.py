"""Reading one sentence: its mentions and cues, its clauses, and the primitives every rule family uses (the
subject before a trigger, a coordinated list of objects after it, negation and hedging around it)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.extract.rules import NEVER, Rules
from kg.model import Cue, Mention, Sentence


@dataclass
class SentenceView:
    """A sentence being read: its mentions and cues, and the clause each character offset is in."""

    doc_id: str
    sentence: Sentence
    mentions: list[Mention]
    cues: list[Cue]
    clause_break: re.Pattern | list[int]  # the clause-break pattern, or the offsets where clauses end
    lower: str = ""
    types: frozenset[str] = frozenset()
    topic: Mention | None = None  # the document's topic (its title names it), for statements that name no object
    _found: dict = field(default_factory=dict, repr=False)  # id(pattern) -> its matches in the sentence
    masks: dict = field(default_factory=dict, repr=False)  # the sentence masked for templates (``Templates.masked``)

    def matches(self, rx: re.Pattern) -> list[re.Match]:
        """Every match of ``rx`` in the sentence's text, found once: the rule families and the claim
        classifier look for the same trigger patterns. (Keyed by identity: a pattern's hash is computed
        from its compiled code on every call, microseconds for the long trigger patterns.)"""
        found = self._found.get(id(rx))
        if found is None:
            found = self._found[id(rx)] = list(rx.finditer(self.sentence.text))
        return found

    @property
    def breaks(self) -> list[int]:
        """Section offsets where a clause ends (found on first use: most sentences never need them)."""
        if not isinstance(self.clause_break, list):
            s = self.sentence
            self.clause_break = [s.start + b.start() for b in self.clause_break.finditer(s.text)]
        return self.clause_break

    def has(self, types: Sequence[str]) -> bool:
        return not self.types.isdisjoint(types)

    def clause(self, pos: int) -> int:
        """How many clause breaks end at or before ``pos`` (the breaks are in ascending order)."""
        return bisect_right(self.breaks, pos)

    def text(self, start: int, end: int) -> str:
        s = self.sentence
        return s.text[start - s.start : end - s.start]


class Reading:
    """The reading primitives of one language's rules."""

    def __init__(self, rules: Rules):
        self.rules = rules

    def flags(self, st: SentenceView, positions: Sequence[int]) -> tuple[bool, bool, tuple[str, ...], tuple[str, ...]]:
        """Negated, hedged, and the cue words, for a claim whose trigger/object sit at ``positions``."""
        neg, hedge = [], []
        for c in st.cues:
            if c.scope_start < 0:
                continue
            if any(c.scope_start <= p < c.scope_end for p in positions):
                if c.category in self.rules.negation:
                    neg.append(c.text)
                elif c.category in self.rules.hedge:
                    hedge.append(c.text)
        return bool(neg), bool(hedge), tuple(dict.fromkeys(hedge)), tuple(dict.fromkeys(neg))

    def subject(self, st: SentenceView, pos: int, types: Sequence[str], previous: Mention | None) -> Mention | None:
        """The first mention of an allowed type in the clause before ``pos``; else the previous
        sentence's subject when the clause opens with an anaphor ("they", "these cells")."""
        clause = st.clause(pos)
        for m in st.mentions:
            if m.start >= pos:
                break
            if st.clause(m.start) == clause and m.concept_of(types) is not None:
                return m
        start = max([b for b in st.breaks if b <= pos], default=st.sentence.start)
        opening = st.text(start, pos).lstrip(" ,;:")
        if previous is not None and previous.concept_of(types) is not None and self.rules.anaphora.match(opening):
            return previous
        return None

    def list_after(self, st: SentenceView, pos: int, types: Sequence[str], clause: int) -> list[Mention]:
        """Mentions of the allowed types forming a coordinated list that starts soon after ``pos``."""
        out: list[Mention] = []
        last_end = pos
        for m in st.mentions:
            if m.start < pos or st.clause(m.start) != clause:
                continue
            if m.concept_of(types) is None:
                continue
            gap = st.text(last_end, m.start)
            if not out:
                if len(gap) > self.rules.max_gap:
                    break
            elif not self.rules.coordination.match(gap):
                break
            out.append(m)
            last_end = m.end
        return out

    def list_before(self, st: SentenceView, pos: int, types: Sequence[str], clause: int, tight: bool = False) -> list[Mention]:
        """Mentions of the allowed types forming a coordinated list that ends just before ``pos``."""
        out: list[Mention] = []
        first_start = pos
        for m in reversed(st.mentions):
            if m.end > pos or st.clause(m.start) != clause:
                continue
            if m.concept_of(types) is None:
                continue
            gap = st.text(m.end, first_start)
            if not out:
                if (tight and gap.strip(" -")) or len(gap) > self.rules.max_gap:
                    break
            elif not self.rules.coordination.match(gap):
                break
            out.append(m)
            first_start = m.start
        return list(reversed(out))

    def window(self, st: SentenceView, i: int, otypes: Sequence[str]) -> tuple[int, str] | None:
        """Where a direction trigger for the ``i``-th mention may be: from the end of the mention or clause
        before it up to it (None: the mention takes no direction of its own).

        Where the language puts modifiers first ("降低了急性肝衰竭的死亡率", lowered the mortality of acute
        liver failure: the trigger governs the head 死亡率, not 急性肝衰竭), a mention joined to a following
        object by the modifier gap takes no direction, and the head's window reaches back over its
        modifiers."""
        ms = st.mentions
        gap = self.rules.modifier_gap
        if gap is NEVER:  # no modifier gap in this language: the window opens after the mention before
            m = ms[i]
            floor = max([x.end for x in ms[:i]] + [b for b in st.breaks if b <= m.start] + [st.sentence.start])
            return floor, st.text(floor, m.start)
        if i + 1 < len(ms) and ms[i + 1].concept_of(otypes) is not None and gap.fullmatch(st.text(ms[i].end, ms[i + 1].start)):
            return None
        start, j = ms[i].start, i - 1
        while j >= 0 and gap.fullmatch(st.text(ms[j].end, start)):
            start, j = ms[j].start, j - 1
        floor = max([x.end for x in ms[: j + 1]] + [b for b in st.breaks if b <= start] + [st.sentence.start])
        return floor, st.text(floor, start)
