"""The prevention family: a therapy and a condition it prevents or makes less likely ("X prevents Y",
"prophylaxis of Y with X", "X for the prevention of Y"), as ``biolink:preventative_for_condition``; and
subjects that name what they prevent ("typhoid vaccine", "vaccination against influenza")."""

from __future__ import annotations

from kg.extract.family import PairFamily
from kg.extract.rules import PairRules
from kg.extract.sentence import SentenceView
from kg.model import Claim, Mention


class Prevention(PairFamily):
    """Therapy -> prevented condition, from ``[prevention]`` of the relations files."""

    name = "prevention"

    def __call__(self, st: SentenceView, previous: Mention | None) -> list[Claim]:
        out = super().__call__(st, previous)
        c = self.compiled
        if c is not None and c.named is not None and c.named.hints.found_in(st.lower):
            out.extend(self._named(st, c))
        return out

    def _named(self, st: SentenceView, c: PairRules) -> list[Claim]:
        """A subject whose last word names the relation ("vaccine"), with the condition right before it or
        the conditions listed after its ``after`` words ("against")."""
        named, s, out = c.named, st.sentence, []
        stypes, otypes = c.family.subject_types, c.family.object_types
        if not st.has(otypes) or not st.has(stypes):
            return out
        for m in st.mentions:
            if m.concept_of(stypes) is None or not named.subject.fullmatch(st.text(m.start, m.end).rsplit(None, 1)[-1]):
                continue
            before = [x for x in st.mentions if x.end <= m.start]
            if before:
                x = max(before, key=lambda x: (x.end, -x.start))
                if x.concept_of(otypes) is not None and named.before.fullmatch(st.text(x.end, m.start)):
                    out.extend(self.claim(st, m, x, "(named)", x.start))
            after = named.after.match(s.text, m.end - s.start)
            if after:
                end = s.start + after.end()
                for obj in self.read.list_after(st, end, otypes, st.clause(end)):
                    out.extend(self.claim(st, m, obj, after.group(0).strip(), m.end))
        return out
