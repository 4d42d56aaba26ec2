"""The capability family: what a therapy or cell is capable of ("by their X and Y abilities")."""

from __future__ import annotations

from kg.extract.family import RuleFamily
from kg.extract.rules import hinted
from kg.extract.sentence import SentenceView
from kg.model import Claim, Mention


class Capability(RuleFamily):
    """A list of processes directly followed by a capability noun is what the subject is capable of."""

    def __call__(self, st: SentenceView, previous: Mention | None, skip: set[tuple[int, int]]) -> list[Claim]:
        """Claims of the sentence; objects in ``skip`` (already the object of a direction claim) are left out."""
        rules, read = self.rules, self.read
        stypes, otypes = rules.capability.subject_types, rules.capability.object_types
        out: list[Claim] = []
        if not st.has(otypes) or not (st.has(stypes) or previous is not None) or not hinted(st.lower, rules.capability.hints):
            return out
        for m in st.mentions:
            tail = st.text(m.end, st.sentence.end)
            hit = rules.capability_suffix.match(tail)
            if not hit or m.concept_of(otypes) is None:
                continue
            items = read.list_before(st, m.end, otypes, st.clause(m.start), tight=True)
            if not items:
                continue
            subj = read.subject(st, items[0].start, stypes, previous)
            if subj is None:
                continue
            subject = subj.concept_of(stypes)
            for obj in items:
                if (obj.start, obj.end) in skip:
                    continue
                c = self.claims.claim(st, subj, subject, obj, obj.concept_of(otypes), rules.capability_predicate,
                                      "capability", hit.group(0).strip(" -"), (obj.start, m.end))
                if c:
                    out.append(c)
        return out
