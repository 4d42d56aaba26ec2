"""Claim templates: regular expressions over a sentence whose mentions are written as typed slots.

Some treats constructions have no verb between the therapy and the disease ("interferon treatment of renal
cell carcinoma", "treatment of hypertension with ascorbic acid", "steroids in De Quervain's tenosynovitis",
"X versus Y for Z"). A template says such a construction once, over a *masked* sentence in which every
subject mention is replaced by ``⟪S<i>⟫`` and every object mention by ``⟪O<i>⟫`` (``i``: the mention's index).
In a template, ``{S}`` and ``{O}`` stand for a coordinated list of such slots ("X, Y and Z"); ``{G}`` for a
gap of up to a few plain words (never a slot, a clause break or a sentence stop); ``{P}`` for an optional
population ("patients with"); ``{A}`` for any one slot, of either kind (a mention that is neither the
subject nor the object: "X against [Y]-induced Z"). Templates, list joiners and the population are data (``[treats.templates]``
of ``relations.<lang>.toml``); this module only compiles and matches them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kg.model import Mention

_OPEN, _CLOSE = "\u27ea", "\u27eb"  # ⟪ ⟫: never in the corpora's text, not word characters
_SLOT = re.compile(_OPEN + r"([SO])(\d+)" + _CLOSE)
_LOOKBEHINDS = re.compile(r"^(?:\(\?<!(?:[^()]|\([^()]*\))*\))+")


def _list(kind: str, joiners: str, after_comma: str, comma: str = ",", space: str = r"\s+") -> str:
    item = f"{_OPEN}{kind}\\d+{_CLOSE}"
    return (f"(?P<{kind}>{item}(?:(?:\\s*(?:{comma})\\s*(?:(?:{after_comma}){space})?|{space}(?:{joiners}){space}){item})*)")


@dataclass(frozen=True)
class Match:
    """One template match: the subject and object mentions it joins, the trigger words and where they start."""

    subjects: tuple[Mention, ...]
    objects: tuple[Mention, ...]
    trigger: str  # the template's words, slots left out
    trigger_start: int  # section offset of the match
    between: str  # the words between the subject list and the object list
    object_first: bool  # the objects come before the subjects


class Templates:
    """Compiled templates of one rule family."""

    def __init__(self, patterns: Sequence[str], subject_joiners: str = "and|or", object_joiners: str = "and|or",
                 after_comma: str = "and|or", population: str = "", gap_words: int = 3, gap: str | None = None,
                 comma: str = ",", space: str = r"\s+"):
        """``gap``: the regex of ``{G}`` (default: up to ``gap_words`` words); ``comma`` and ``space``: what
        separates the items of a list besides the joiners (Chinese: 、 and ，, with no spaces)."""
        gap = gap if gap is not None else r"(?:[\w'./%-]+\s+){0," + str(int(gap_words)) + "}?"
        self.patterns: list[re.Pattern] = []
        self.leads: list[str | None] = []  # the slot kind a template starts with (None: it starts with words)
        for p in patterns:
            body = (p.replace("{G}", gap).replace("{A}", f"{_OPEN}[SO]\\d+{_CLOSE}").replace("{P}", population).replace("{S}", _list("S", subject_joiners, after_comma, comma, space))
                    .replace("{O}", _list("O", object_joiners, after_comma, comma, space)))
            self.patterns.append(re.compile(body, re.IGNORECASE))
            head = _LOOKBEHINDS.sub("", p)
            self.leads.append(head[1] if head[:3] in ("{S}", "{O}") else None)

    def __bool__(self) -> bool:
        return bool(self.patterns)

    @staticmethod
    def mask(text: str, offset: int, mentions: Sequence[Mention], subject_types, object_types
             ) -> tuple[str, list[int], list[Mention]]:
        """The masked sentence, the section offset of each of its characters, and the mentions by slot index.
        A mention of both kinds is an object when its own type is an object type."""
        out: list[str] = []
        where: list[int] = []
        slots: list[Mention] = []
        pos = offset
        end_of_last = offset
        for m in mentions:
            if m.start < end_of_last:
                continue
            s, o = m.concept_of(subject_types), m.concept_of(object_types)
            if s is None and o is None:
                continue
            kind = "O" if o is not None and (s is None or m.type in object_types) else "S"
            chunk = text[pos - offset : m.start - offset]
            out.append(chunk)
            where.extend(range(pos, m.start))
            token = f"{_OPEN}{kind}{len(slots)}{_CLOSE}"
            out.append(token)
            where.extend([m.start] * len(token))
            slots.append(m)
            pos = end_of_last = m.end
        out.append(text[pos - offset :])
        where.extend(range(pos, offset + len(text)))
        return "".join(out), where, slots

    @staticmethod
    def _at(rx: re.Pattern, masked: str, positions: list[int]):
        """Matches of a template that starts with a slot, tried only where such a slot starts (the same
        matches as ``finditer``, without scanning every character)."""
        end = -1
        for pos in positions:
            if pos < end:
                continue
            m = rx.match(masked, pos)
            if m is not None:
                end = m.end()
                yield m

    def masked(self, text: str, offset: int, mentions: Sequence[Mention], subject_types, object_types,
               cache: dict | None = None) -> tuple[str, list[int], list[Mention], dict[str, list[int]]]:
        """``mask`` and where each kind of slot starts in the masked sentence; kept in ``cache`` (one per
        sentence: the families that join the same types mask it alike) under the types."""
        key = (tuple(subject_types), tuple(object_types))
        found = cache.get(key) if cache is not None else None
        if found is None:
            masked, where, slots = self.mask(text, offset, mentions, subject_types, object_types)
            starts: dict[str, list[int]] = {"S": [], "O": []}
            for x in _SLOT.finditer(masked):
                starts[x.group(1)].append(x.start())
            found = (masked, where, slots, starts)
            if cache is not None:
                cache[key] = found
        return found

    def find(self, text: str, offset: int, mentions: Sequence[Mention], subject_types, object_types,
             cache: dict | None = None) -> list[Match]:
        """Every template match in one sentence (``text`` starting at section offset ``offset``). A template
        without ``{O}`` (a statement that names no object: the document's topic is its object) matches with
        no objects. ``cache``: the sentence's masks (``masked``)."""
        masked, where, slots, starts = self.masked(text, offset, mentions, subject_types, object_types, cache)
        if _OPEN + "S" not in masked or (_OPEN + "O" not in masked and all("O" in rx.groupindex for rx in self.patterns)):
            return []
        out = []
        for rx, lead in zip(self.patterns, self.leads):
            for m in (rx.finditer(masked) if lead is None else self._at(rx, masked, starts[lead])):
                subs = tuple(slots[int(i)] for k, i in _SLOT.findall(m.group("S")) if k == "S")
                if "O" not in rx.groupindex:  # no object named: the words after the subjects are the trigger's
                    if subs:
                        words = re.sub(r"\s+", " ", _SLOT.sub(" ", masked[m.start():m.end()])).strip(" ,")
                        out.append(Match(subs, (), words, where[m.start()], "", False))
                    continue
                objs = tuple(slots[int(i)] for k, i in _SLOT.findall(m.group("O")) if k == "O")
                if not subs or not objs:
                    continue
                words = re.sub(r"\s+", " ", _SLOT.sub(" ", masked[m.start():m.end()])).strip(" ,") or "(juxtaposed)"
                s_lo, o_lo = m.start("S"), m.start("O")
                lo, hi = (m.end("S"), o_lo) if s_lo < o_lo else (m.end("O"), s_lo)
                between = _SLOT.sub(" ", masked[lo:hi]) if lo < hi else ""
                out.append(Match(subs, objs, words, where[m.start()], between, o_lo < s_lo))
        return out
