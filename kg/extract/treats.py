"""The treats family: a therapy (drug, procedure, cell therapy) and the disease it is said to treat, with
the treats-family predicate its sentence's cues choose (treats, applied to, studied to, in trials for)."""

from __future__ import annotations

from kg.extract.family import RuleFamily
from kg.extract.rules import hinted
from kg.extract.sentence import SentenceView
from kg.model import Claim, Mention


class Treats(RuleFamily):
    """Therapy -> disease claims: forward and backward triggers, "X for Y" with both close to "for",
    "efficacy of X in Y", verbless templates ("X treatment of Y"), and objects between an opening and a
    closing phrase where the language has them ("X对Y有治疗作用")."""

    name = "treats"

    @property
    def subject_types(self) -> tuple[str, ...]:
        return self.rules.treats.subject_types

    @property
    def object_types(self) -> tuple[str, ...]:
        return self.rules.treats.object_types

    def __call__(self, st: SentenceView, previous: Mention | None) -> list[Claim]:
        out = self._triggered(st, previous)
        if self.rules.circumfix_open is not None:
            out += self._circumfix(st, previous)
        if self.rules.treats_topic is not None and (out or st.topic is not None):
            named = {c.evidence[0].subject_start for c in out}  # a subject whose treated disease is named
            out += [c for c in self._topical(st, out) if c.evidence[0].subject_start not in named]
            if self.rules.treats_topic_cue is not None and st.topic is not None:
                out += self._cued(st, {c.evidence[0].subject_start for c in out})
        return out

    def _cued(self, st: SentenceView, done: set[int]) -> list[Claim]:
        """In a document whose title names a disease, a sentence that names no other disease but speaks of its
        treatment ([treats.topic] cue: 治疗, 一线, 首选 …): each therapy it names treats the title's disease
        ("二线治疗药物为拉贝洛尔或呋塞米"; a kind of it named, 转移性乳腺癌 on a page on 乳腺癌, is no other disease),
        unless the words around it say it is no treatment (避免, 慎用) or the sentence is of another matter
        ([treats.topic] cue_not: 危险因素, 检查, 不良反应); its therapies are of ``cue_types``, and not bare
        class words (``cue_not_subject``: 手术, 抑制剂, 安慰剂)."""
        rules = self.rules
        stypes, otypes = rules.treats.subject_types, rules.treats.object_types
        subjects = [m for m in st.mentions if m.start not in done and m.concept_of(rules.topic_cue_types) is not None
                    and not rules.topic_cue_not_subject.match(st.text(m.start, m.end))]
        if not subjects:
            return []
        topic = st.topic.concept_of(otypes)
        title = st.topic.text
        for m in st.mentions:
            d = m.concept_of(otypes)
            if d is None or m.concept_of(stypes) is not None:
                continue
            if not ((topic is not None and d.curie == topic.curie) or title in st.text(m.start, m.end)):
                return []
        s, out = st.sentence, []
        cue = rules.treats_topic_cue.search(s.text)
        if cue is None or rules.topic_cue_not.search(s.text):
            return []
        tstart = s.start + cue.start()
        blocker = rules.treats_not_between
        for subj in subjects:
            lead = st.text(max(s.start, subj.start - rules.max_gap), subj.start)
            if (blocker is not None and blocker.search(lead)) or self._not_given(st, subj):
                continue
            out.extend(self.claim(st, subj, st.topic, cue.group(0), tstart, weight=rules.topic_cue_weight))
        return out

    def _not_given(self, st: SentenceView, subj: Mention) -> bool:
        """Whether the words of a therapy, or those just around it, say it is not given as a treatment there: a
        bare class word (``cue_not_subject``), resistance or exposure before it (``cue_before_not``: 耐…, 暴露于…),
        caution after it (``cue_after_not``: …慎用)."""
        rules, s = self.rules, st.sentence
        return bool(rules.topic_cue_not_subject.match(st.text(subj.start, subj.end))
                    or rules.topic_cue_before_not.search(st.text(max(s.start, subj.start - 4), subj.start))
                    or rules.topic_cue_after_not.match(st.text(subj.end, min(s.end, subj.end + rules.max_gap))))

    def _topical(self, st: SentenceView, found: list[Claim]) -> list[Claim]:
        """Statements that name no disease ("首选X", "可用X治疗"): their object is the disease a treats claim
        of an earlier clause of the sentence named ("Y可用A，耐药者可选用B"), else the document's topic (its
        title names it), marked as implied in the evidence (``object_section``)."""
        rules = self.rules
        stypes, otypes = rules.treats.subject_types, rules.treats.object_types
        if rules.treats_topic is None or not hinted(st.lower, rules.treats_topic_hints) \
                or rules.topic_cue_not.search(st.sentence.text):
            return []
        s, out = st.sentence, []
        fwd = rules.treats_not_between
        objects = {m.start: m for m in st.mentions}
        for t in rules.treats_topic.find(s.text, s.start, st.mentions, stypes, otypes, st.masks):
            # "避免使用X" (avoid using X), "禁用X": the words just before the statement say it is no treatment
            lead = st.text(max(s.start, t.trigger_start - rules.max_gap // 2), t.trigger_start)
            if fwd is not None and fwd.search(lead + t.trigger):
                continue
            earlier = [c.evidence[0] for c in found if not c.evidence[0].object_section
                       and c.evidence[0].object_end <= t.trigger_start and c.evidence[0].subject_end <= t.trigger_start]
            obj = objects.get(max(earlier, key=lambda e: e.object_end).object_start) if earlier else st.topic
            if obj is None:
                continue
            for subj in t.subjects:
                if self._not_given(st, subj):
                    continue
                out.extend(self.claim(st, subj, obj, t.trigger, t.trigger_start,
                                      weight=rules.topic_weight if obj is st.topic else rules.inferred_weight))
        return out

    def _triggered(self, st: SentenceView, previous: Mention | None) -> list[Claim]:
        rules, read = self.rules, self.read
        stypes, otypes = rules.treats.subject_types, rules.treats.object_types
        out: list[Claim] = []
        if not st.has(otypes) or not (st.has(stypes) or previous is not None):
            return out
        s = st.sentence
        if rules.treats_tight is not None and hinted(st.lower, rules.treats_tight_hints):
            out.extend(self._tight(st, stypes, otypes))
        if rules.treats_templates and hinted(st.lower, rules.treats_template_hints):
            out.extend(self._templated(st, stypes, otypes))
        if not hinted(st.lower, rules.treats.hints):
            return out
        blocker, forward_blocker = rules.treats_not_between, rules.treats_forward_not_between
        for m in st.matches(rules.treats_forward):
            tstart, tend = s.start + m.start(), s.start + m.end()
            subj = read.subject(st, tstart, stypes, previous)
            if subj is None:
                continue
            objs = read.list_after(st, tend, otypes, st.clause(tend))
            if objs and ((blocker is not None and blocker.search(between := st.text(tend, objs[0].start)))
                         or (forward_blocker is not None and forward_blocker.search(between))):
                continue
            for obj in objs:
                out.extend(self.claim(st, subj, obj, m.group(0), tstart))
        if rules.treats_of is not None:
            out.extend(self._of_subject(st, stypes, otypes))
        back_blocker = rules.treats_backward_not_between
        for m in st.matches(rules.treats_backward):
            tstart, tend = s.start + m.start(), s.start + m.end()
            after = read.list_after(st, tend, stypes, st.clause(tend))
            if not after:
                continue
            subj = after[0]
            for obj in read.list_before(st, tstart, otypes, st.clause(tstart)):
                if back_blocker is not None and back_blocker.search(st.text(obj.end, tstart)):
                    continue
                out.extend(self.claim(st, subj, obj, m.group(0), tstart))
        return out

    def _of_subject(self, st: SentenceView, stypes, otypes) -> list[Claim]:
        """trigger ... subjects ... connector ... objects: "the efficacy of X in patients with Y"."""
        rules, read, s = self.rules, self.read, st.sentence
        blocker = rules.treats_not_between
        out: list[Claim] = []
        for m in rules.treats_of.finditer(s.text):
            tend = s.start + m.end()
            clause = st.clause(tend)
            subjects = read.list_after(st, tend, stypes, clause)
            if not subjects or subjects[0].start - tend > rules.treats_of_gap:
                continue
            conn = rules.treats_of_connector.match(st.text(subjects[-1].end, s.end))
            if not conn:
                continue
            cend = subjects[-1].end + conn.end()
            objs = read.list_after(st, cend, otypes, st.clause(cend))
            if objs and blocker is not None and blocker.search(st.text(cend, objs[0].start)):
                continue
            for subj in subjects:
                for obj in objs:
                    out.extend(self.claim(st, subj, obj, m.group(0), s.start + m.start()))
        return out

    def _templated(self, st: SentenceView, stypes, otypes) -> list[Claim]:
        """Treats constructions without a verb between therapy and disease (``[treats.templates]``); the
        words between the two lists must hold no clause break and pass the forward blocker (and the
        backward one when the disease comes first: "hepatitis in patients receiving X" is an adverse event)."""
        rules = self.rules
        out: list[Claim] = []
        s = st.sentence
        fwd, bwd = rules.treats_not_between, rules.treats_backward_not_between
        for t in rules.treats_templates.find(s.text, s.start, st.mentions, stypes, otypes, st.masks):
            if rules.clause_break.search(t.between):
                continue
            if fwd is not None and fwd.search(t.between):
                continue
            if t.object_first and bwd is not None and bwd.search(t.between):
                continue
            for subj in t.subjects:
                for obj in t.objects:
                    out.extend(self.claim(st, subj, obj, t.trigger, t.trigger_start))
        return out

    def _tight(self, st: SentenceView, stypes, otypes) -> list[Claim]:
        """subject trigger object, each within a few words of the trigger ("Celecoxib for arthritis")."""
        rules, s, out = self.rules, st.sentence, []
        near = rules.treats_tight_near
        for m in rules.treats_tight.finditer(s.text):
            tstart, tend = s.start + m.start(), s.start + m.end()
            before = [x for x in st.mentions if x.end <= tstart and x.concept_of(stypes) is not None
                      and st.clause(x.start) == st.clause(tstart)]
            after = [x for x in st.mentions if x.start >= tend and x.concept_of(otypes) is not None]
            if not before or not after or not near.match(st.text(before[-1].end, tstart)) \
                    or not near.match(st.text(tend, after[0].start) + " "):
                continue
            blocker = rules.treats_not_between
            if blocker is not None and blocker.search(st.text(tend, after[0].start)):
                continue
            for obj in self.read.list_after(st, tend, otypes, st.clause(tend)):
                out.extend(self.claim(st, before[-1], obj, m.group(0), tstart))
        return out

    def _circumfix(self, st: SentenceView, previous: Mention | None) -> list[Claim]:
        """subject ... 对/在 objects 治疗作用/治疗中/疗效: the objects between an opening and a closing phrase."""
        rules, read = self.rules, self.read
        stypes, otypes = rules.treats.subject_types, rules.treats.object_types
        out: list[Claim] = []
        if not st.has(otypes) or not hinted(st.lower, rules.treats.hints):
            return out
        s = st.sentence
        for m in rules.circumfix_open.finditer(s.text):
            ostart, oend = s.start + m.start(), s.start + m.end()
            objs = read.list_after(st, oend, otypes, st.clause(oend))
            if not objs or st.text(oend, objs[0].start).strip():
                continue  # the first object follows the opening word directly
            close = rules.circumfix_close.match(s.text, objs[-1].end - s.start)
            if not close:
                continue
            subj = read.subject(st, ostart, stypes, previous)
            if subj is None:
                continue
            trigger = m.group(0) + "…" + close.group(0)
            for obj in objs:
                out.extend(self.claim(st, subj, obj, trigger, ostart))
        return out

    def claim(self, st: SentenceView, subj: Mention, obj: Mention, trigger: str, tstart: int,
              weight: float | None = None) -> list[Claim]:
        """The treats-family claim from a therapy mention to a disease mention (the document's topic, named
        in another section: the cues around the trigger and the subject decide negation and hedging)."""
        stypes, otypes = self.rules.treats.subject_types, self.rules.treats.object_types
        subject = subj.concept_of(stypes)
        object_ = obj.concept_of(otypes)
        if subject is None or object_ is None or subj is obj:
            return []
        claims = self.claims
        therapy = claims.therapy_of(subject)
        positions = (tstart, obj.start) if obj.section == st.sentence.section else (tstart, subj.start)
        neg, hedge, _, _ = self.read.flags(st, positions)
        neg = neg or bool(obj.context & self.rules.negation)
        hedge = hedge or bool(obj.context & self.rules.hedge)
        pred = claims.treats_predicate(st.sentence.text, neg, hedge)
        c = claims.claim(st, subj, therapy, obj, object_, pred, "treats", trigger, positions, weight=weight)
        return [c] if c else []
