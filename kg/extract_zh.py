"""Stage 4 for Chinese: claims from grounded Chinese sentences, with the rules of ``relations_zh.toml``.

The rule families, claim types and predicates are those of the English extractor (``kg.extract``), and
so is the algorithm (a subject before a trigger in the clause, a coordinated list of objects after it,
negation and hedging from ConText cues); the triggers, list and clause punctuation and word counting
are Chinese and compiled without word boundaries. Chinese adds one treats pattern English lacks: the
object between an opening and a closing phrase ("X对Y有治疗作用", "X在Y治疗中的应用").
"""

from __future__ import annotations

import re
from pathlib import Path

from kg.extract import Extractor, Rules, _hinted, _Sent
from kg.ground import Grounder
from kg.lexicon import Lexicon
from kg.model import Claim, Mention
from kg.resources import data_path


class RulesZh(Rules):
    """The compiled ``relations_zh.toml``."""

    def __init__(self, path: Path | None = None):
        super().__init__(path or data_path("relations_zh.toml"))
        self.modifier_gap = re.compile(self.direction.get("modifier_gap", "(?!)"))
        c = self.cfg["treats"].get("circumfix", {})
        self.circumfix_open = re.compile(c["open"]) if c.get("open") else None
        self.circumfix_close = re.compile("(?:" + c.get("between", "") + ")" + "(?:" + c.get("close", "(?!)") + ")")


class ExtractorZh(Extractor):
    """Finds claims in the Chinese sentences of grounded documents."""

    def __init__(self, lexicon: Lexicon, grounder: Grounder | None = None, rules: Rules | None = None):
        super().__init__(lexicon, grounder, rules or RulesZh())

    def _window(self, st: _Sent, i: int, otypes) -> tuple[int, str] | None:
        """Chinese puts modifiers first: in "降低了急性肝衰竭的死亡率" (lowered the mortality of acute liver
        failure) the trigger governs the head 死亡率, not 急性肝衰竭. A mention joined to a following
        object by a modifier gap (的, 患者的, ...) takes no direction; the head's window reaches back
        over its modifiers."""
        ms = st.mentions
        gap = self.rules.modifier_gap
        if i + 1 < len(ms) and ms[i + 1].concept_of(otypes) is not None and gap.fullmatch(st.text(ms[i].end, ms[i + 1].start)):
            return None
        start, j = ms[i].start, i - 1
        while j >= 0 and gap.fullmatch(st.text(ms[j].end, start)):
            start, j = ms[j].start, j - 1
        floor = max([x.end for x in ms[: j + 1]] + [b for b in st.breaks if b <= start] + [st.sentence.start])
        return floor, st.text(floor, start)

    def _treats(self, st: _Sent, previous: Mention | None) -> list[Claim]:
        return super()._treats(st, previous) + self._treats_circumfix(st, previous)

    def _treats_circumfix(self, st: _Sent, previous: Mention | None) -> list[Claim]:
        """subject ... 对/在 objects 治疗作用/治疗中/疗效: the objects between an opening and a closing phrase."""
        rules = self.rules
        cfg = rules.cfg["treats"]
        stypes, otypes = cfg["subject_types"], cfg["object_types"]
        out: list[Claim] = []
        if getattr(rules, "circumfix_open", None) is None or not st.has(otypes) or not _hinted(st.lower, cfg.get("hints", ())):
            return out
        s = st.sentence
        for m in rules.circumfix_open.finditer(s.text):
            ostart, oend = s.start + m.start(), s.start + m.end()
            objs = self._list_after(st, oend, otypes, st.clause(oend))
            if not objs or st.text(oend, objs[0].start).strip():
                continue  # the first object follows the opening word directly
            close = rules.circumfix_close.match(s.text, objs[-1].end - s.start)
            if not close:
                continue
            subj = self._subject(st, ostart, stypes, previous)
            if subj is None:
                continue
            trigger = m.group(0) + "…" + close.group(0)
            for obj in objs:
                out.extend(self._treat_claim(st, subj, obj, trigger, ostart, stypes, otypes))
        return out
