"""What a lexicon matcher found at a span of text, and the steps that refine matches before they become
spans (composition around a head, abbreviations taking their long form's grounding). No spaCy here."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from kg.config import Composition
from kg.ontology import Lexicon

Entries = tuple[tuple[str, str], ...]  # (curie, scope)


@dataclass(frozen=True, slots=True)
class Match:
    """What the lexicon matcher found at a span (character offsets in the doc)."""

    start: int
    end: int
    entries: Entries
    factor: float = 1.0  # score multiplier for variant, acronym and "-like" matches
    how: str | None = None  # "acronym", "like", "abbreviation", "ner"
    long_form: str | None = None
    composition: str | None = None
    head: tuple[int, int] | None = None
    type: str | None = None  # fixed type (compositions, the trained recogniser's spans)


def abbreviation(long: Match, start: int, end: int, long_form: str | None, factor: float) -> Match:
    """A short form defined in the text ("mesenchymal stem cells (MSCs)") at start-end: it takes its long
    form's match, scored ``factor`` times lower. Every matcher defines abbreviations through this."""
    return Match(start, end, long.entries, long.factor * factor, "abbreviation", long_form, type=long.type)


def of_types(entries: Entries, types: Collection[str], lex: Lexicon) -> Entries:
    """The entries whose term has one of ``types``."""
    return tuple(e for e in entries if lex.types.get(e[0]) in types)


def compose(text: str, matches: list[Match], rules: Sequence[Composition], lang: str, lex: Lexicon,
            types_cache: dict, window: int) -> list[Match]:
    """Replace each match that heads a composition ("complications after [liver transplantation]") by
    the composed match; the first rule whose ``before`` (searched in the ``window`` characters before the
    match) or ``after`` (matched at the start of the ``window`` characters after it) fits wins."""
    rules = [r for r in rules if lang in r.languages]
    if not rules:
        return matches
    out = []
    for m in matches:
        types = types_cache.get(m.entries)
        if types is None:
            types = types_cache[m.entries] = frozenset(lex.types.get(c) for c, _ in m.entries)
        composed = None
        for r in rules:
            if not types & r.head_types:
                continue
            p = r.languages[lang]
            if p.before is not None:
                window_start = max(0, m.start - window)
                hit = p.before.search(text[window_start : m.start])
                if hit:
                    composed = dataclasses.replace(m, start=window_start + hit.start(), entries=of_types(m.entries, r.head_types, lex),
                                                   composition=r.name, head=(m.start, m.end), type=r.type)
                    break
            if p.after is not None:
                hit = p.after.match(text[m.end : m.end + window])
                if hit:
                    composed = dataclasses.replace(m, end=m.end + hit.end(), entries=of_types(m.entries, r.head_types, lex),
                                                   composition=r.name, head=(m.start, m.end), type=r.type)
                    break
        out.append(composed or m)
    return out
