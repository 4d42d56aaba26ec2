"""The direction family: a therapy raises or lowers a process, a measure or a condition (a mechanism
claim), or an outcome it leads to (an outcome claim, with the mechanisms named before it as mediators)."""

from __future__ import annotations

from kg.extract.family import RuleFamily
from kg.extract.rules import hinted
from kg.extract.sentence import SentenceView
from kg.model import Claim, Concept, Mention


class Direction(RuleFamily):
    """Therapy -> process / outcome claims with Biolink's object direction (increased, decreased)."""

    def __call__(self, st: SentenceView, previous: Mention | None) -> tuple[list[Claim], set[tuple[int, int]]]:
        """The claims, and the spans of their objects (a capability rule does not claim them again)."""
        rules, read = self.rules, self.read
        stypes, otypes = rules.direction.subject_types, rules.direction.object_types
        s = st.sentence
        if not st.has(otypes) or not (st.has(stypes) or previous is not None):
            return [], set()
        effects: list[int] | None = None  # where effects lists open (found when first needed)
        found: list[tuple[Mention, Concept, str | None, str, int]] = []  # mention, concept, direction, trigger, trigger pos
        prev_item: tuple[Mention, str | None] | None = None
        for i, m in enumerate(st.mentions):
            obj = m.concept_of(otypes)
            if obj is None or rules.measured.match(s.text, m.end - s.start):
                prev_item = None
                continue
            span = read.window(st, i, otypes)
            if span is None:
                prev_item = None
                continue
            floor, window = span
            direction, trig, tpos = self._trigger_in(window, obj.type)
            if direction:
                tpos += floor
            elif prev_item is not None and prev_item[1] and rules.same_direction.fullmatch(st.text(prev_item[0].end, m.start)):
                direction, trig, tpos = prev_item[1], "(coordinated)", m.start
            elif obj.type in rules.effects_types:
                if effects is None:
                    effects = ([s.start + x.end() for x in rules.effects_list.finditer(s.text)]
                               if hinted(st.lower, rules.effects_hints) else [])
                if self._in_effects_list(st, m, effects):
                    direction, trig, tpos = "increases", "(effect listed)", m.start
            prev_item = (m, direction)
            if direction:
                found.append((m, obj, direction, trig, tpos))
        claims, objects = [], set()
        if not found:
            return claims, objects
        connector = rules.result_connector.search(s.text)
        connector_at = s.start + connector.start() if connector else None
        mediators: list[str] = []
        for m, obj, direction, trig, tpos in found:
            subj = read.subject(st, min(tpos, m.start), stypes, previous)
            if subj is None or subj is m:
                continue
            subject = subj.concept_of(stypes)
            after_connector = connector_at is not None and m.start > connector_at and subj.start < connector_at
            claim_type = "outcome" if after_connector or obj.type in rules.outcome_types else "mechanism"
            c = self.claims.claim(st, subj, subject, m, obj, direction, claim_type, trig, (tpos, m.start),
                                  weight=rules.weight if not trig.startswith("(") else rules.inferred_weight,
                                  mediators=tuple(dict.fromkeys(mediators)) if claim_type == "outcome" else ())
            if c:
                claims.append(c)
                objects.add((m.start, m.end))
                if claim_type == "mechanism":
                    mediators.append(obj.curie)
        return claims, objects

    def _trigger_in(self, window: str, obj_type: str) -> tuple[str | None, str, int]:
        """The direction a trigger at the end of ``window`` gives (with the trigger and its offset)."""
        rules = self.rules
        n = rules.window_words
        best = None
        for name, rx in (("decreases", rules.decreases), ("increases", rules.increases)):
            for m in rx.finditer(window):
                tail = window[m.end() :]
                if len(rules.word.findall(tail)) > n or rules.tail_stop.search(tail):
                    continue
                if best is None or m.start() > best[2]:
                    best = (name, m.group(0), m.start())
        if best is None:
            return None, "", -1
        name, text, pos = best
        if name == "increases" and obj_type in rules.invert_improve_for and rules.improve.fullmatch(text):
            name = "decreases"
        return name, text, pos

    def _in_effects_list(self, st: SentenceView, m: Mention, effects: list[int]) -> bool:
        """Whether ``m`` is an item of a list opened by an effects phrase ("achieve goals such as")."""
        opened = [e for e in effects if e <= m.start]
        if not opened:
            return False
        start = max(opened)
        items = [x for x in st.mentions if start <= x.start <= m.start]
        prev_end = start
        for x in items:
            gap = st.text(prev_end, x.start)
            if prev_end != start and not self.rules.effects_gap.fullmatch(gap):
                return False
            if prev_end == start and len(gap) > self.rules.max_gap:
                return False
            prev_end = x.end
        return True
