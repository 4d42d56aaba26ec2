"""The secretion family: a cell secretes, releases or produces a substance (or, where no substance is
recognised, is capable of secretion, with the secreted words kept as the product)."""

from __future__ import annotations

import dataclasses

from kg.extract.family import RuleFamily
from kg.extract.rules import hinted
from kg.extract.sentence import SentenceView
from kg.model import Claim, Mention


class Secretion(RuleFamily):
    """Cell -> substance claims (``produces``), and secretion capability with a product."""

    def __call__(self, st: SentenceView, previous: Mention | None) -> list[Claim]:
        rules, read = self.rules, self.read
        stypes, otypes = rules.secretion.subject_types, rules.secretion.object_types
        out: list[Claim] = []
        if not (st.has(stypes) or previous is not None) or not hinted(st.lower, rules.secretion.hints):
            return out
        s = st.sentence
        for m in rules.secretion_forward.finditer(s.text):
            tstart, tend = s.start + m.start(), s.start + m.end()
            subj = read.subject(st, tstart, stypes, previous)
            if subj is None:
                continue
            subject = subj.concept_of(stypes)
            objs = [o for o in read.list_after(st, tend, otypes, st.clause(tend))
                    if len(rules.word.findall(st.text(tend, o.start))) <= rules.product_words]
            for obj in objs:
                c = self.claims.claim(st, subj, subject, obj, obj.concept_of(otypes), rules.secretion_predicate,
                                      "secretion", m.group(0), (tstart, obj.start))
                if c:
                    out.append(c)
            if not objs and rules.secretion_process.fullmatch(m.group(0)) and rules.secretion_process_id in self.lex.labels:
                c = self._process(st, subj, subject, m, tstart, tend)
                if c:
                    out.append(c)
        return out

    def _process(self, st: SentenceView, subj: Mention, subject, m, tstart: int, tend: int) -> Claim | None:
        """The subject is capable of secretion; the words after the trigger are the product."""
        rules = self.rules
        words = rules.product.match(st.sentence.text[m.end():])
        product = words.group(1).strip() if words else ""
        proc = self.grounder.concept_for([rules.secretion_process_id], rules.secretion_process_type)
        end = tend + (words.end() if words else 0)
        c = self.claims.claim(st, subj, subject, None, proc, rules.capability_predicate, "secretion", m.group(0),
                              (tstart, end), qualifiers=(("product", product),) if product else ())
        if c is None:
            return None
        start = tend + (len(words.group(0)) - len(words.group(0).lstrip())) if words else tend
        return dataclasses.replace(c, evidence=tuple(dataclasses.replace(e, object_start=start, object_end=end)
                                                     for e in c.evidence))
