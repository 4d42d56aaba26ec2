"""What every rule family is given: the compiled rules of its language, the reading primitives and the
claim builder; and the reading shared by the families that join a therapy to a condition by triggers and
templates alone (``PairFamily``: prevention, adverse effects)."""

from __future__ import annotations

from kg.extract.claims import ClaimBuilder
from kg.extract.rules import PairRules, Rules, hinted
from kg.extract.sentence import Reading, SentenceView
from kg.ground import Grounder
from kg.model import Claim, Mention
from kg.ontology import Lexicon


class RuleFamily:
    """A family of claim rules (treats, direction, capability, differentiation, secretion, ...)."""

    def __init__(self, rules: Rules, read: Reading, claims: ClaimBuilder, lexicon: Lexicon, grounder: Grounder):
        self.rules = rules
        self.read = read
        self.claims = claims
        self.lex = lexicon
        self.grounder = grounder


class PairFamily(RuleFamily):
    """Therapy -> condition claims of one predicate, read from the family's forward and backward triggers
    and templates (``PairRules``). A subclass names its family (``name``: its section of the relations
    files and its claim type); a language without that section has no such rules."""

    name = ""

    @property
    def compiled(self) -> PairRules | None:
        return getattr(self.rules, self.name)

    @property
    def subject_types(self) -> tuple[str, ...]:
        c = self.compiled
        return c.family.subject_types if c is not None else ()

    @property
    def object_types(self) -> tuple[str, ...]:
        c = self.compiled
        return c.family.object_types if c is not None else ()

    def __call__(self, st: SentenceView, previous: Mention | None) -> list[Claim]:
        c = self.compiled
        if c is None:
            return []
        stypes, otypes = c.family.subject_types, c.family.object_types
        if not st.has(otypes) or not (st.has(stypes) or previous is not None):
            return []
        out: list[Claim] = []
        if c.templates and hinted(st.lower, c.template_hints):
            out.extend(self._templated(st, c))
        if hinted(st.lower, c.family.hints):
            out.extend(self._forward(st, c, previous))
            out.extend(self._backward(st, c))
        return out

    def _forward(self, st: SentenceView, c: PairRules, previous: Mention | None) -> list[Claim]:
        """subject ... trigger ... objects: no condition between the subject and the trigger (the verb
        would be the condition's), no blocker between the trigger and the first object."""
        read, s, out = self.read, st.sentence, []
        otypes = c.family.object_types
        for m in st.matches(c.forward):
            tstart, tend = s.start + m.start(), s.start + m.end()
            subj = read.subject(st, tstart, c.family.subject_types, previous)
            if subj is None:
                continue
            if any(subj.end <= x.start and x.end <= tstart and x.concept_of(otypes) is not None for x in st.mentions):
                continue
            objs = read.list_after(st, tend, c.family.object_types, st.clause(tend))
            if objs and c.not_between is not None and c.not_between.search(st.text(tend, objs[0].start)):
                continue
            for obj in objs:
                out.extend(self.claim(st, subj, obj, m.group(0), tstart))
        return out

    def _backward(self, st: SentenceView, c: PairRules) -> list[Claim]:
        """objects ... trigger ... subject: the subject follows the trigger, the objects end before it."""
        read, s, out = self.read, st.sentence, []
        for m in st.matches(c.backward):
            tstart, tend = s.start + m.start(), s.start + m.end()
            after = read.list_after(st, tend, c.family.subject_types, st.clause(tend))
            if not after:
                continue
            for obj in read.list_before(st, tstart, c.family.object_types, st.clause(tstart)):
                out.extend(self.claim(st, after[0], obj, m.group(0), tstart))
        return out

    def _templated(self, st: SentenceView, c: PairRules) -> list[Claim]:
        s, out = st.sentence, []
        for t in c.templates.find(s.text, s.start, st.mentions, c.family.subject_types, c.family.object_types, st.masks):
            if self.rules.clause_break.search(t.between):
                continue
            for subj in t.subjects:
                for obj in t.objects:
                    out.extend(self.claim(st, subj, obj, t.trigger, t.trigger_start))
        return out

    def claim(self, st: SentenceView, subj: Mention, obj: Mention, trigger: str, tstart: int) -> list[Claim]:
        """The family's claim from a therapy mention to a condition mention (a cell type becomes its
        therapy node, as for treats: Biolink's domain is a chemical, drug or treatment)."""
        c = self.compiled
        if c is None or subj is obj:
            return []
        subject = subj.concept_of(c.family.subject_types)
        object_ = obj.concept_of(c.family.object_types)
        if subject is None or object_ is None:
            return []
        therapy = self.claims.therapy_of(subject)
        made = self.claims.claim(st, subj, therapy, obj, object_, c.predicate, self.name, trigger, (tstart, obj.start))
        return [made] if made else []
