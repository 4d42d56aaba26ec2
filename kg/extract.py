"""Stage 4, extract: rule-based therapy–disease–mechanism claims from grounded mentions.

The rules (triggers, entity types, list and clause handling) are data in ``kg/data/relations.toml`` and the
predicates they yield are rows of ``kg/data/predicates.tsv``. There is no parser: a claim joins a subject
mention and object mentions around a trigger within one clause; coordinated lists give a claim per item.
Negation and hedging come from the ConText cues found by the recognition stage.
"""

from __future__ import annotations

import csv
import dataclasses
import logging
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.ground import Grounder
from kg.lexicon import Lexicon, TypePolicy
from kg.model import AnnotatedDocument, Claim, Concept, Cue, Evidence, Mention, Sentence
from kg.resources import data_path, ontologies_dir
from kg.templates import Templates

log = logging.getLogger(__name__)

HEDGE = {"POSSIBLE_EXISTENCE", "HYPOTHETICAL"}
NEGATION = {"NEGATED_EXISTENCE"}


@dataclass(frozen=True)
class Predicate:
    name: str
    biolink: str
    relation: str
    direction: str | None


def _rx(patterns: Sequence[str] | str, word_boundaries: bool = True) -> re.Pattern:
    """One alternation of trigger patterns; matched on word boundaries unless the language has none
    (Chinese: every CJK character is a ``\w`` character, so a boundary test would never pass)."""
    if isinstance(patterns, str):
        patterns = [patterns]
    body = "(?:" + "|".join(f"(?:{p})" for p in patterns) + ")"
    return re.compile(r"(?<![\w-])" + body + r"(?!\w)" if word_boundaries else body, re.IGNORECASE)


@lru_cache(maxsize=1)
def load_predicates(path: str | None = None) -> dict[str, Predicate]:
    """The predicate map (``kg/data/predicates.tsv``)."""
    p = Path(path) if path else data_path("predicates.tsv")
    with open(p, encoding="utf-8") as fh:
        rows = csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t")
        return {
            r["name"]: Predicate(r["name"], r["biolink_predicate"], r["ro_relation"] or "", r["direction"] or None)
            for r in rows
        }


@lru_cache(maxsize=1)
def _differentiation_processes() -> dict[str, str]:
    path = ontologies_dir() / "mappings" / "go_cell_differentiation.tsv"
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8") as fh:
        return {r["cell_type"]: r["differentiation_process"] for r in csv.DictReader(fh, delimiter="\t")}


_HINTS: dict[tuple[str, ...], re.Pattern] = {}


def _hinted(lower: str, hints: Sequence[str]) -> bool:
    """Whether a lowercased sentence contains any of the hint words (empty hints: always)."""
    if not hints:
        return True
    key = tuple(hints)
    rx_ = _HINTS.get(key)
    if rx_ is None:
        rx_ = _HINTS[key] = re.compile("|".join(re.escape(h) for h in hints))
    return rx_.search(lower) is not None


class Rules:
    """The compiled ``relations.toml``."""

    def __init__(self, path: Path | None = None):
        with open(path or data_path("relations.toml"), "rb") as fh:
            cfg = tomllib.load(fh)
        self.cfg = cfg
        self.lang = cfg.get("lang")  # sentences of other languages are skipped (none given: all)
        wb = bool(cfg.get("word_boundaries", True))
        rx = lambda p: _rx(p, wb)  # noqa: E731
        # How a language counts words (trigger windows, product lengths) and punctuates; English defaults.
        self.word = re.compile(cfg.get("word", r"[^\W_]+"))
        self.clause_break = re.compile(cfg["clause_break"], re.IGNORECASE)
        self.coordination = re.compile(cfg["coordination"], re.IGNORECASE)
        self.anaphora = re.compile(cfg["anaphora"], re.IGNORECASE)
        self.max_gap = int(cfg.get("max_gap", 60))
        t = cfg["treats"]
        self.treats_forward = rx(t["forward"])
        self.treats_backward = rx(t["backward"])
        self.treats_not_between = re.compile(t["not_between"], re.IGNORECASE) if t.get("not_between") else None
        self.treats_tight = _rx(t["tight"]) if t.get("tight") else None
        self.treats_tight_near = re.compile(r"^\s*(?:[\w-]+\s+){0,%d}$" % int(t.get("tight_words", 2)))
        self.treats_of = _rx(t["of_subject"]) if t.get("of_subject") else None
        self.treats_of_connector = re.compile(t.get("of_connector", "^$"), re.IGNORECASE)
        self.treats_backward_not_between = (re.compile(t["backward_not_between"], re.IGNORECASE)
                                            if t.get("backward_not_between") else None)
        tt = t.get("templates", {})
        self.treats_templates = Templates(tt.get("patterns", []), gap_words=int(tt.get("gap_words", 3)))
        self.treats_template_hints = tuple(tt.get("hints", ()))
        tp = t["predicate"]
        self.treats_cues = {k: re.compile(tp[k], re.IGNORECASE) for k in ("clinical_trial", "preclinical", "study", "applied")}
        self.treats_choice = tp
        d = cfg["direction"]
        self.direction = d
        self.decreases = rx(d["decreases"])
        self.increases = rx(d["increases"])
        self.improve = re.compile(d["improve"], re.IGNORECASE)
        self.effects_list = re.compile(d["effects_list"], re.IGNORECASE)
        self.result_connector = re.compile(d["result_connector"], re.IGNORECASE)
        self.tail_stop = re.compile(d.get("tail_stop", r"[,;:()]"))
        self.same_direction = re.compile(d.get("same_direction", r"\s+(?:and|or|and/or)\s+"), re.IGNORECASE)
        self.effects_gap = re.compile(d.get("effects_gap", r"[^;:.]{0,40}?(?:,\s*(?:and|or)?\s*|\s+(?:and|or)\s+)"), re.IGNORECASE)
        self.capability = cfg["capability"]
        self.capability_suffix = re.compile(r"^" + cfg["capability"]["suffix"], re.IGNORECASE)
        self.differentiation = cfg["differentiation"]
        self.differentiation_forward = rx(cfg["differentiation"]["forward"])
        self.secretion = cfg["secretion"]
        self.secretion_forward = rx(cfg["secretion"]["forward"])
        self.secretion_process = re.compile(cfg["secretion"]["process_trigger"], re.IGNORECASE)
        self.product = re.compile(cfg["secretion"].get("product", r"\s*((?:(?!to\b|and\b|in\b|into\b|for\b|from\b|by\b|with\b|that\b|which\b)[^\W_][\w-]*\s*){1,%d})"
                                                       % int(cfg["secretion"].get("product_words", 5))), re.IGNORECASE)


@dataclass
class _Sent:
    """A sentence being read: its mentions and cues, and the clause each character offset is in."""

    doc_id: str
    sentence: Sentence
    mentions: list[Mention]
    cues: list[Cue]
    clause_break: re.Pattern | list[int]  # the clause-break pattern, or the offsets where clauses end
    lower: str = ""
    types: frozenset[str] = frozenset()

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
        return sum(1 for b in self.breaks if b <= pos)

    def text(self, start: int, end: int) -> str:
        s = self.sentence
        return s.text[start - s.start : end - s.start]


class Extractor:
    """Finds claims in grounded documents."""

    def __init__(self, lexicon: Lexicon, grounder: Grounder | None = None, rules: Rules | None = None):
        self.lex = lexicon
        self.grounder = grounder or Grounder(lexicon)
        self.rules = rules or Rules()
        self.preds = load_predicates()
        self.policy = TypePolicy.load()
        with open(data_path("types.toml"), "rb") as fh:
            self.therapy_cfg = tomllib.load(fh).get("therapy", {})
        self._therapy_cache: dict[str, Concept] = {}

    # ------------------------------------------------ helpers

    def _score(self, m: Mention, concept: Concept) -> float:
        names = {concept.curie, *concept.equivalents}
        scores = [g.score for g in m.groundings if g.curie in names]
        return max(scores) if scores else (m.groundings[0].score if m.groundings else 0.5)

    def therapy_of(self, concept: Concept) -> Concept:
        """The Treatment node for a concept that is the subject of a treats-family claim."""
        if concept.type in self.therapy_cfg.get("treatment_types", []):
            return dataclasses.replace(concept, category=self.policy.categories["therapy"])
        if concept.type not in self.therapy_cfg.get("lift_types", []):
            return concept
        if concept.curie in self._therapy_cache:
            return self._therapy_cache[concept.curie]
        labels = [concept.label] + [self.lex.label(e) for e in concept.equivalents if e in self.lex.labels]
        found = None
        for pattern in self.therapy_cfg.get("names", []):
            for label in labels:
                hits = [c for c, _ in self.lex.find_by_name(pattern.format(label=label)) if self.lex.types.get(c) == "procedure"]
                if hits:
                    found = sorted(hits)[0]
                    break
            if found:
                break
        if found:
            base = self.grounder.concept_for([found], "therapy")
            therapy = dataclasses.replace(base, category=self.policy.categories["therapy"], type="therapy", agent=concept.curie)
        else:
            label = self.therapy_cfg.get("minted_label", "{label} therapy").format(label=concept.label)
            therapy = Concept(f"kgid:therapy_{concept.curie.replace(':', '_')}", label, self.policy.categories["therapy"],
                              "therapy", (), agent=concept.curie)
        self._therapy_cache[concept.curie] = therapy
        return therapy

    def _flags(self, st: _Sent, positions: Sequence[int]) -> tuple[bool, bool, tuple[str, ...], tuple[str, ...]]:
        """Negated, hedged, and the cue words, for a claim whose trigger/object sit at ``positions``."""
        neg, hedge = [], []
        for c in st.cues:
            if c.scope_start < 0:
                continue
            if any(c.scope_start <= p < c.scope_end for p in positions):
                if c.category in NEGATION:
                    neg.append(c.text)
                elif c.category in HEDGE:
                    hedge.append(c.text)
        return bool(neg), bool(hedge), tuple(dict.fromkeys(hedge)), tuple(dict.fromkeys(neg))

    def _subject(self, st: _Sent, pos: int, types: Sequence[str], previous: Mention | None) -> Mention | None:
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

    def _list_after(self, st: _Sent, pos: int, types: Sequence[str], clause: int) -> list[Mention]:
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

    def _list_before(self, st: _Sent, pos: int, types: Sequence[str], clause: int, tight: bool = False) -> list[Mention]:
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

    def _evidence(self, st: _Sent, subj: Mention, obj_start: int, obj_end: int, trigger: str, hedges, negs) -> Evidence:
        s = st.sentence
        return Evidence(st.doc_id, s.section, s.lang, s.text, s.start, s.end, subj.start, subj.end, obj_start, obj_end,
                        trigger, hedges, negs)

    def _claim(self, st: _Sent, subj: Mention, subject: Concept, obj: Mention | None, object_: Concept, pred: str,
               claim_type: str, trigger: str, positions: Sequence[int], weight: float = 0.9,
               mediators: tuple[str, ...] = (), qualifiers: tuple[tuple[str, str], ...] = ()) -> Claim | None:
        if subject is None or object_ is None or subject.curie == object_.curie:
            return None
        neg, hedge, hedges, negs = self._flags(st, positions)
        if obj is not None:
            neg = neg or bool(obj.context & NEGATION)
            hedge = hedge or bool(obj.context & HEDGE)
        p = self.preds[pred]
        score = min(self._score(subj, subject.agent and self._agent_concept(subj, subject) or subject),
                    self._score(obj, object_) if obj is not None else 0.9)
        ev = self._evidence(st, subj, obj.start if obj else positions[0], obj.end if obj else positions[-1], trigger, hedges, negs)
        return Claim(subject, p.biolink, object_, p.relation, claim_type, (ev,), p.direction, neg, hedge,
                     round(score * weight * (0.9 if hedge else 1.0), 3), mediators, qualifiers)

    def _agent_concept(self, subj: Mention, therapy: Concept) -> Concept:
        return subj.concept if subj.concept is not None and subj.concept.curie == therapy.agent else therapy

    # ------------------------------------------------ rule families

    def _treats(self, st: _Sent, previous: Mention | None) -> list[Claim]:
        cfg = self.rules.cfg["treats"]
        stypes, otypes = cfg["subject_types"], cfg["object_types"]
        out: list[Claim] = []
        if not st.has(otypes) or not (st.has(stypes) or previous is not None):
            return out
        s = st.sentence
        if self.rules.treats_tight is not None and _hinted(st.lower, cfg.get("tight_hints", ())):
            out.extend(self._treats_tight(st, stypes, otypes))
        if self.rules.treats_templates and _hinted(st.lower, self.rules.treats_template_hints):
            out.extend(self._treats_templated(st, stypes, otypes))
        if not _hinted(st.lower, cfg.get("hints", ())):
            return out
        for m in self.rules.treats_forward.finditer(s.text):
            tstart, tend = s.start + m.start(), s.start + m.end()
            subj = self._subject(st, tstart, stypes, previous)
            if subj is None:
                continue
            objs = self._list_after(st, tend, otypes, st.clause(tend))
            blocker = self.rules.treats_not_between
            if objs and blocker is not None and blocker.search(st.text(tend, objs[0].start)):
                continue
            for obj in objs:
                out.extend(self._treat_claim(st, subj, obj, m.group(0), tstart, stypes, otypes))
        if self.rules.treats_of is not None:
            for m in self.rules.treats_of.finditer(s.text):
                tend = s.start + m.end()
                clause = st.clause(tend)
                subjects = self._list_after(st, tend, stypes, clause)
                if not subjects or subjects[0].start - tend > 40:
                    continue
                conn = self.rules.treats_of_connector.match(st.text(subjects[-1].end, s.end))
                if not conn:
                    continue
                cend = subjects[-1].end + conn.end()
                objs = self._list_after(st, cend, otypes, st.clause(cend))
                blocker = self.rules.treats_not_between
                if objs and blocker is not None and blocker.search(st.text(cend, objs[0].start)):
                    continue
                for subj in subjects:
                    for obj in objs:
                        out.extend(self._treat_claim(st, subj, obj, m.group(0), s.start + m.start(), stypes, otypes))
        for m in self.rules.treats_backward.finditer(s.text):
            tstart, tend = s.start + m.start(), s.start + m.end()
            after = self._list_after(st, tend, stypes, st.clause(tend))
            if not after:
                continue
            subj = after[0]
            blocker = self.rules.treats_backward_not_between
            for obj in self._list_before(st, tstart, otypes, st.clause(tstart)):
                if blocker is not None and blocker.search(st.text(obj.end, tstart)):
                    continue
                out.extend(self._treat_claim(st, subj, obj, m.group(0), tstart, stypes, otypes))
        return out

    def _treats_templated(self, st: _Sent, stypes, otypes) -> list[Claim]:
        """Treats constructions without a verb between therapy and disease (``[treats.templates]``); the
        words between the two lists must hold no clause break and pass the forward blocker (and the backward one when the disease
        comes first: "hepatitis in patients receiving X" is an adverse event)."""
        out: list[Claim] = []
        s = st.sentence
        fwd, bwd = self.rules.treats_not_between, self.rules.treats_backward_not_between
        for t in self.rules.treats_templates.find(s.text, s.start, st.mentions, stypes, otypes):
            if self.rules.clause_break.search(t.between):
                continue
            if fwd is not None and fwd.search(t.between):
                continue
            if t.object_first and bwd is not None and bwd.search(t.between):
                continue
            for subj in t.subjects:
                for obj in t.objects:
                    out.extend(self._treat_claim(st, subj, obj, t.trigger, t.trigger_start, stypes, otypes))
        return out

    def _treats_tight(self, st: _Sent, stypes, otypes) -> list[Claim]:
        """subject trigger object, each within a few words of the trigger ("Celecoxib for arthritis")."""
        s, out = st.sentence, []
        near = self.rules.treats_tight_near
        for m in self.rules.treats_tight.finditer(s.text):
            tstart, tend = s.start + m.start(), s.start + m.end()
            before = [x for x in st.mentions if x.end <= tstart and x.concept_of(stypes) is not None
                      and st.clause(x.start) == st.clause(tstart)]
            after = [x for x in st.mentions if x.start >= tend and x.concept_of(otypes) is not None]
            if not before or not after or not near.match(st.text(before[-1].end, tstart)) \
                    or not near.match(st.text(tend, after[0].start) + " "):
                continue
            blocker = self.rules.treats_not_between
            if blocker is not None and blocker.search(st.text(tend, after[0].start)):
                continue
            for obj in self._list_after(st, tend, otypes, st.clause(tend)):
                out.extend(self._treat_claim(st, before[-1], obj, m.group(0), tstart, stypes, otypes))
        return out

    def _treat_claim(self, st, subj, obj, trigger, tstart, stypes, otypes) -> list[Claim]:
        subject = subj.concept_of(stypes)
        object_ = obj.concept_of(otypes)
        if subject is None or object_ is None or subj is obj:
            return []
        therapy = self.therapy_of(subject)
        neg, hedge, _, _ = self._flags(st, (tstart, obj.start))
        neg = neg or bool(obj.context & NEGATION)
        hedge = hedge or bool(obj.context & HEDGE)
        pred = self._treats_predicate(st.sentence.text, neg, hedge)
        c = self._claim(st, subj, therapy, obj, object_, pred, "treats", trigger, (tstart, obj.start))
        return [c] if c else []

    def _treats_predicate(self, text: str, negated: bool, hedged: bool) -> str:
        ch, cues = self.rules.treats_choice, self.rules.treats_cues
        if negated:
            return ch["negated"]
        if cues["clinical_trial"].search(text):
            return ch["if_clinical_trial"]
        if cues["preclinical"].search(text):
            return ch["if_preclinical"]
        if hedged:
            return ch["if_hedged"]
        if cues["study"].search(text):
            return ch["if_study"]
        if cues["applied"].search(text):
            return ch["if_applied"]
        return ch["otherwise"]

    def _directions(self, st: _Sent, previous: Mention | None) -> tuple[list[Claim], set[tuple[int, int]]]:
        cfg = self.rules.direction
        stypes, otypes = cfg["subject_types"], cfg["object_types"]
        s = st.sentence
        if not st.has(otypes) or not (st.has(stypes) or previous is not None):
            return [], set()
        connector = self.rules.result_connector.search(s.text)
        connector_at = s.start + connector.start() if connector else None
        effects = ([s.start + m.end() for m in self.rules.effects_list.finditer(s.text)]
                   if _hinted(st.lower, cfg.get("effects_hints", ())) else [])
        found: list[tuple[Mention, Concept, str | None, str, int]] = []  # mention, concept, direction, trigger, trigger pos
        prev_item: tuple[Mention, str | None] | None = None
        for i, m in enumerate(st.mentions):
            obj = m.concept_of(otypes)
            if obj is None:
                prev_item = None
                continue
            span = self._window(st, i, otypes)
            if span is None:
                prev_item = None
                continue
            floor, window = span
            direction, trig, tpos = self._trigger_in(window, obj.type)
            if direction:
                tpos += floor
            elif prev_item is not None and prev_item[1] and self.rules.same_direction.fullmatch(st.text(prev_item[0].end, m.start)):
                direction, trig, tpos = prev_item[1], "(coordinated)", m.start
            elif obj.type == "mechanism" and self._in_effects_list(st, m, effects):
                direction, trig, tpos = "increases", "(effect listed)", m.start
            prev_item = (m, direction)
            if direction:
                found.append((m, obj, direction, trig, tpos))
        claims, objects = [], set()
        mediators: list[str] = []
        for m, obj, direction, trig, tpos in found:
            subj = self._subject(st, min(tpos, m.start), stypes, previous)
            if subj is None or subj is m:
                continue
            subject = subj.concept_of(stypes)
            after_connector = connector_at is not None and m.start > connector_at and subj.start < connector_at
            claim_type = "outcome" if after_connector or obj.type in cfg["outcome_types"] else "mechanism"
            c = self._claim(st, subj, subject, m, obj, direction, claim_type, trig, (tpos, m.start),
                            weight=0.9 if not trig.startswith("(") else 0.8,
                            mediators=tuple(dict.fromkeys(mediators)) if claim_type == "outcome" else ())
            if c:
                claims.append(c)
                objects.add((m.start, m.end))
                if claim_type == "mechanism":
                    mediators.append(obj.curie)
        return claims, objects

    def _window(self, st: _Sent, i: int, otypes: Sequence[str]) -> tuple[int, str] | None:
        """Where a direction trigger for the ``i``-th mention may be: from the end of the mention or
        clause before it up to it (None: the mention takes no direction of its own)."""
        m = st.mentions[i]
        floor = max([x.end for x in st.mentions[:i]] + [b for b in st.breaks if b <= m.start] + [st.sentence.start])
        return floor, st.text(floor, m.start)

    def _trigger_in(self, window: str, obj_type: str) -> tuple[str | None, str, int]:
        """The direction a trigger at the end of ``window`` gives (with the trigger and its offset)."""
        n = int(self.rules.direction.get("window_words", 3))
        best = None
        for name, rx in (("decreases", self.rules.decreases), ("increases", self.rules.increases)):
            for m in rx.finditer(window):
                tail = window[m.end() :]
                if len(self.rules.word.findall(tail)) > n or self.rules.tail_stop.search(tail):
                    continue
                if best is None or m.start() > best[2]:
                    best = (name, m.group(0), m.start())
        if best is None:
            return None, "", -1
        name, text, pos = best
        if name == "increases" and obj_type in self.rules.direction.get("invert_improve_for", []) and self.rules.improve.fullmatch(text):
            name = "decreases"
        return name, text, pos

    def _in_effects_list(self, st: _Sent, m: Mention, effects: list[int]) -> bool:
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

    def _capabilities(self, st: _Sent, previous: Mention | None, skip: set[tuple[int, int]]) -> list[Claim]:
        cfg = self.rules.capability
        stypes, otypes = cfg["subject_types"], cfg["object_types"]
        out: list[Claim] = []
        if not st.has(otypes) or not (st.has(stypes) or previous is not None) or not _hinted(st.lower, cfg.get("hints", ())):
            return out
        for i, m in enumerate(st.mentions):
            tail = st.text(m.end, st.sentence.end)
            hit = self.rules.capability_suffix.match(tail)
            if not hit or m.concept_of(otypes) is None:
                continue
            items = self._list_before(st, m.end, otypes, st.clause(m.start), tight=True)
            if not items:
                continue
            subj = self._subject(st, items[0].start, stypes, previous)
            if subj is None:
                continue
            subject = subj.concept_of(stypes)
            for obj in items:
                if (obj.start, obj.end) in skip:
                    continue
                c = self._claim(st, subj, subject, obj, obj.concept_of(otypes), "capable_of", "capability",
                                hit.group(0).strip(" -"), (obj.start, m.end))
                if c:
                    out.append(c)
        return out

    def _differentiations(self, st: _Sent, previous: Mention | None) -> list[Claim]:
        cfg = self.rules.differentiation
        stypes, otypes = cfg["subject_types"], cfg["object_types"]
        out: list[Claim] = []
        if not st.has(otypes) or not (st.has(stypes) or previous is not None) or not _hinted(st.lower, cfg.get("hints", ())):
            return out
        s = st.sentence
        processes = _differentiation_processes() if cfg.get("derive_process") else {}
        for m in self.rules.differentiation_forward.finditer(s.text):
            tstart, tend = s.start + m.start(), s.start + m.end()
            subj = self._subject(st, tstart, stypes, previous)
            if subj is None:
                continue
            subject = subj.concept_of(stypes)
            for obj in self._list_after(st, tend, otypes, st.clause(tend)):
                target = obj.concept_of(otypes)
                c = self._claim(st, subj, subject, obj, target, "develops_into", "differentiation", m.group(0), (tstart, obj.start))
                if c:
                    out.append(c)
                go = processes.get(target.curie)
                if go and go in self.lex.labels:
                    proc = self.grounder.concept_for([go], "mechanism")
                    c = self._claim(st, subj, subject, obj, proc, "capable_of", "capability", m.group(0), (tstart, obj.start), weight=0.8)
                    if c:
                        out.append(c)
        return out

    def _secretions(self, st: _Sent, previous: Mention | None) -> list[Claim]:
        cfg = self.rules.secretion
        stypes, otypes = cfg["subject_types"], cfg["object_types"]
        out: list[Claim] = []
        if not (st.has(stypes) or previous is not None) or not _hinted(st.lower, cfg.get("hints", ())):
            return out
        s = st.sentence
        for m in self.rules.secretion_forward.finditer(s.text):
            tstart, tend = s.start + m.start(), s.start + m.end()
            subj = self._subject(st, tstart, stypes, previous)
            if subj is None:
                continue
            subject = subj.concept_of(stypes)
            objs = [o for o in self._list_after(st, tend, otypes, st.clause(tend))
                    if len(self.rules.word.findall(st.text(tend, o.start))) <= int(cfg.get("product_words", 5))]
            for obj in objs:
                c = self._claim(st, subj, subject, obj, obj.concept_of(otypes), "produces", "secretion", m.group(0), (tstart, obj.start))
                if c:
                    out.append(c)
            if not objs and self.rules.secretion_process.fullmatch(m.group(0)) and cfg.get("process") in self.lex.labels:
                words = self.rules.product.match(s.text[m.end():])
                product = words.group(1).strip() if words else ""
                proc = self.grounder.concept_for([cfg["process"]], "mechanism")
                end = tend + (words.end() if words else 0)
                c = self._claim(st, subj, subject, None, proc, "capable_of", "secretion", m.group(0), (tstart, end),
                                qualifiers=(("product", product),) if product else ())
                if c:
                    out.append(dataclasses.replace(c, evidence=tuple(dataclasses.replace(e, object_start=tend + (len(words.group(0)) - len(words.group(0).lstrip())) if words else tend, object_end=end) for e in c.evidence)))
        return out

    # ------------------------------------------------ documents

    def extract(self, ad: AnnotatedDocument) -> list[Claim]:
        """Every claim of one grounded document."""
        claims: list[Claim] = []
        by_sent: dict[tuple[str, str, int], list[Mention]] = {}
        for m in ad.mentions:
            # a mention no ontology grounds (the trained recogniser's, kgid:unlinked_) takes no part in claims
            if m.concept is not None and not m.concept.curie.startswith("kgid:unlinked_"):
                by_sent.setdefault((m.section, m.lang, m.sentence), []).append(m)
        cues_by: dict[tuple[str, str, int], list[Cue]] = {}
        for c in ad.cues:
            cues_by.setdefault((c.section, c.lang, c.sentence), []).append(c)
        previous: dict[tuple[str, str], Mention | None] = {}
        for s in ad.sentences:
            if self.rules.lang and s.lang != self.rules.lang:
                continue
            mentions = sorted(by_sent.get((s.section, s.lang, s.index), []), key=lambda m: (m.start, -m.end))
            prev = previous.get((s.section, s.lang))
            if not mentions and prev is None:
                continue
            types = frozenset(t for m in mentions for t in (m.type, *(a.type for a in m.alternatives)))
            st = _Sent(ad.document.id, s, mentions, cues_by.get((s.section, s.lang, s.index), []),
                       self.rules.clause_break, s.text.lower(), types)
            found = self._treats(st, prev) + self._differentiations(st, prev) + self._secretions(st, prev)
            dir_claims, dir_objects = self._directions(st, prev)
            found += dir_claims + self._capabilities(st, prev, dir_objects)
            seen: set[tuple] = set()
            for c in found:
                e = c.evidence[0]
                k = (*c.key, e.subject_start, e.object_start)
                if k not in seen:
                    seen.add(k)
                    claims.append(c)
            therapy_types = set(self.rules.direction["subject_types"])
            subjects = [m for m in mentions if m.concept_of(therapy_types) is not None]
            if subjects:
                previous[(s.section, s.lang)] = subjects[0]
        return claims


def extract(docs: Iterable[AnnotatedDocument], lexicon: Lexicon) -> list[Claim]:
    """Claims of every grounded document."""
    ex = Extractor(lexicon)
    out: list[Claim] = []
    for d in docs:
        out.extend(ex.extract(d))
    return out
