"""The claim rules of one language, compiled: what each rule family joins and which predicate it yields
(``relations.toml``, the same for every language) with the language's triggers, clause and list
punctuation (``relations.<lang>.toml``). One rule engine reads every language; a language differs only by
these files."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kg.config import Config, Predicate, Table
from kg.extract.templates import Templates

NEVER = re.compile("(?!)")  # a pattern that matches nothing: a rule a language does not have


@dataclass(frozen=True)
class Family:
    """The types a rule family joins and the hint words that let a sentence be searched for it."""

    subject_types: tuple[str, ...]
    object_types: tuple[str, ...]
    hints: "Hints | None"  # None: every sentence is searched


@dataclass(frozen=True)
class PairRules:
    """A therapy -> condition family read from triggers and templates only (prevention, adverse effects):
    subject ... forward trigger ... objects, objects ... backward trigger ... subject, and templates."""

    name: str  # the family: its claim type and its section of relations.toml
    family: Family
    predicate: str  # a predicates.tsv row
    forward: re.Pattern
    backward: re.Pattern
    not_between: re.Pattern | None  # words between a forward trigger and its object that stop it
    templates: Templates
    template_hints: "Hints | None"
    named: "NamedBy | None" = None  # subjects that name their object ([<family>.named])


@dataclass(frozen=True)
class NamedBy:
    """Subjects whose last word says the family's relation ("typhoid vaccine", "vaccines against
    pertussis"): the condition right before such a subject (``before``: the words between) or listed after
    ``after`` is its object."""

    subject: re.Pattern  # fullmatch of the subject mention's last word
    before: re.Pattern  # fullmatch of the text between a condition and the subject
    after: re.Pattern  # match of the text right after the subject, before its objects
    hints: "Hints"


@dataclass(frozen=True)
class Hints:
    """Hint words: a sentence is searched for a family's triggers only when its lowercased text contains
    one of them (as a substring: "treat" is in "pretreatment")."""

    words: tuple[str, ...]

    def found_in(self, lower: str) -> bool:
        """Whether ``lower`` contains one of the words (substring tests: cheaper than one regex search of
        their alternation, which tries every word at every position)."""
        for w in self.words:
            if w in lower:
                return True
        return False


def implies_hint(rx: re.Pattern, hints: Hints | None) -> bool:
    """Whether every match of ``rx`` in ASCII text holds one of the hint words, case aside (so that a
    sentence whose lowercased text has none has no match either): each alternative of the pattern must
    hold a run of literal characters, or a group repeated at least once, that contains a hint word. False
    where that is not shown (a pattern the parser of ``re`` does not read, an alternative with no such run)."""
    if hints is None:
        return False
    try:
        from re import _parser

        tree = _parser.parse(rx.pattern, rx.flags)
    except Exception:  # noqa: BLE001  (a private module: not showing it only means no shortcut)
        return False
    return _must_hold(list(tree), hints.words, _parser)


def _must_hold(items: list, words: tuple[str, ...], c) -> bool:
    """Whether every match of the parsed sequence ``items`` contains one of ``words`` (see ``implies_hint``)."""
    def holds(run: list[str]) -> bool:
        text = "".join(run)
        return bool(run) and text.isascii() and any(w in text.lower() for w in words)

    run: list[str] = []
    for i, (op, av) in enumerate(items):
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        # an alternation read with the literals before it and what follows it (the parser moves the
        # common prefix of alternatives out: "prevention|prophylaxis" is "pr" then "evention|ophylaxis")
        if op is c.BRANCH and all(_must_hold([(c.LITERAL, ord(x)) for x in run] + list(alt) + items[i + 1:], words, c)
                                  for alt in av[1]):
            return True
        if holds(run):
            return True
        run = []
        if op is c.SUBPATTERN and _must_hold(list(av[3]), words, c):
            return True
        if op is c.ATOMIC_GROUP and _must_hold(list(av), words, c):
            return True
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1 and _must_hold(list(av[2]), words, c):
            return True
    return holds(run)


def first_characters(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can begin with (case aside: the pattern's own flags say how
    they compare), or None where that is not shown: a match can be empty or begin with any character (a
    class such as ``\\w``, ``.``, a negated class), or the parser of ``re`` does not read the pattern.
    Zero-width assertions are stepped over, so the set is a superset of the true one: a lookahead made
    of it before the pattern drops no match."""
    try:
        from re import _parser

        tree = _parser.parse(pattern, flags)
    except Exception:  # noqa: BLE001  (a private module: not showing it only means no lookahead)
        return None
    found, empty = _first(list(tree), _parser)
    return None if found is None or empty or not found else frozenset(found)


def _first(items: list, c) -> tuple[set[str] | None, bool]:
    """The first characters of a match of the parsed sequence ``items`` (None: any) and whether a match
    can be empty (see ``first_characters``)."""
    out: set[str] = set()
    for op, av in items:
        if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            continue  # zero width
        if op is c.LITERAL:
            out.add(chr(av))
            return out, False
        if op is c.IN:
            for iop, iav in av:
                if iop is c.LITERAL:
                    out.add(chr(iav))
                elif iop is c.RANGE and iav[1] - iav[0] < 256:
                    out.update(map(chr, range(iav[0], iav[1] + 1)))
                else:  # a negated class, a category (\w, \s, \d)
                    return None, False
            return out, False
        if op is c.SUBPATTERN:
            found, empty = _first(list(av[3]), c)
        elif op is c.ATOMIC_GROUP:
            found, empty = _first(list(av), c)
        elif op is c.BRANCH:
            found, empty = set(), False
            for alt in av[1]:
                f, e = _first(list(alt), c)
                if f is None:
                    return None, False
                found |= f
                empty = empty or e
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            found, empty = _first(list(av[2]), c)
            empty = empty or av[0] == 0
        else:  # any character, a back reference, a conditional group
            return None, False
        if found is None:
            return None, False
        out |= found
        if not empty:
            return out, False
    return out, True


def _class_of(chars: frozenset[str]) -> str:
    """A character class of ``chars``."""
    return "[" + "".join(map(re.escape, sorted(chars))) + "]"


def _hints(words: Sequence[str]) -> Hints | None:
    return Hints(tuple(words)) if words else None


def _ci(t: Table, key: str, required: bool = True) -> re.Pattern | None:
    """A case-insensitive pattern (None when not required and absent)."""
    if not required and key not in t:
        return None
    return t.regex(key, flags=re.IGNORECASE)


def hinted(lower: str, hints: Hints | None) -> bool:
    """Whether a lowercased sentence contains a hint word (no hints: always)."""
    return hints is None or hints.found_in(lower)


class Rules:
    """The compiled rules of one language."""

    def __init__(self, config: Config, lang: str):
        self.lang = lang
        self.config = config
        neutral, lt = config.relations, config.triggers(lang)
        self.word_boundaries = lt.boolean("word_boundaries")
        # How a language counts words (trigger windows, product lengths) and punctuates.
        self.word = lt.regex("word")
        self.clause_break = _ci(lt, "clause_break")
        self.coordination = _ci(lt, "coordination")
        self.anaphora = _ci(lt, "anaphora")
        self.max_gap = lt.integer("max_gap")
        self.unlinked_in_claims = lt.boolean("unlinked_in_claims", False)
        # the types whose unlinked mentions take part in claims all the same (a head-word drug or procedure)
        self.unlinked_types = frozenset(lt.strings("unlinked_types_in_claims", ()))
        ctx = neutral.table("context")
        self.hedge = frozenset(ctx.strings("hedge"))
        self.negation = frozenset(ctx.strings("negation"))
        conf = neutral.table("confidence")
        self.weight = conf.number("weight")
        self.inferred_weight = conf.number("inferred_weight")
        self.no_object = conf.number("no_object")
        self.ungrounded = conf.number("ungrounded")
        self.hedge_factor = conf.number("hedged")
        self._treats(neutral.table("treats"), lt.table("treats"))
        self._direction(neutral.table("direction"), lt.table("direction"))
        self._others(neutral, lt)
        self.prevention = self._pairs(neutral, lt, "prevention")
        self.adverse = self._pairs(neutral, lt, "adverse")

    def triggers(self, t: Table, key: str) -> re.Pattern:
        """One alternation of trigger patterns, case-insensitive; matched on word boundaries unless the
        language has none (Chinese: every CJK character is a ``\\w`` character, so a boundary test would
        never pass)."""
        t.regex(key)  # each pattern must compile: an error names the key
        body = "(?:" + "|".join(f"(?:{p})" for p in t.strings(key)) + ")"
        if not self.word_boundaries:
            return re.compile(body, re.IGNORECASE)
        # at a word start, the characters a trigger can begin with, tested before the alternatives are
        # tried one by one (the same matches: the set holds every first character, case aside)
        first = first_characters(body, re.IGNORECASE)
        gate = f"(?={_class_of(first)})" if first else ""
        return re.compile(r"(?<![\w-])" + gate + body + r"(?!\w)", re.IGNORECASE)

    def _treats(self, nt: Table, t: Table) -> None:
        """Therapy -> disease: forward and backward triggers, "X for Y", "efficacy of X in Y", templates,
        circumfixes, and the predicate a sentence's cues choose."""
        self.treats = self._family(nt, t)
        self.treats_forward = self.triggers(t, "forward")
        self.treats_backward = self.triggers(t, "backward")
        self.treats_not_between = _ci(t, "not_between", required=False)
        self.treats_backward_not_between = _ci(t, "backward_not_between", required=False)
        # what may not stand between a forward trigger and its first object, beyond not_between (none: nothing)
        self.treats_forward_not_between = _ci(t, "forward_not_between", required=False)
        self.treats_tight = self.triggers(t, "tight") if "tight" in t else None
        self.treats_tight_near = re.compile(r"^\s*(?:[\w-]+\s+){0,%d}$" % t.integer("tight_words", 2))
        self.treats_tight_hints = _hints(t.strings("tight_hints", ()))
        self.treats_of = self.triggers(t, "of_subject") if "of_subject" in t else None
        self.treats_of_connector = _ci(t, "of_connector", required=False) or re.compile("^$")
        self.treats_of_gap = t.integer("of_subject_gap", 40)
        tt = t.table("templates", {})
        self._template_options = tt
        self.treats_templates = self._templates(tt)
        self.treats_template_hints = _hints(tt.strings("hints", ()))
        self._topic(t.table("topic", None), tt)
        tp = t.table("predicate")
        self.treats_cues = {k: tp.regex(k, None, re.IGNORECASE) or NEVER
                            for k in ("clinical_trial", "preclinical", "study", "applied", "established")}
        choice = nt.table("predicate")
        self.treats_choice = {k: self.config.predicate(choice.string(k), choice, k).name
                              for k in ("negated", "if_clinical_trial", "if_preclinical", "if_hedged", "if_study",
                                        "if_applied", "otherwise")}
        circ = t.table("circumfix", None)
        self.circumfix_open = circ.regex("open", None) if circ is not None else None
        self.circumfix_close = (re.compile("(?:" + circ.string("between", "") + ")" + "(?:" + circ.string("close") + ")")
                                if circ is not None else None)

    def _templates(self, tt: Table) -> Templates:
        """Templates of ``tt`` with the list joiners, population and gap of ``[treats.templates]``."""
        base = self._template_options
        return Templates(tt.strings("patterns", ()), base.string("subject_joiners", "and|or"),
                         base.string("object_joiners", "and|or"), base.string("after_comma", "and|or"),
                         base.string("population", ""), gap_words=base.integer("gap_words", 3),
                         gap=base.string("gap", None), comma=base.string("comma", ","),
                         space=base.string("space", r"\s+"))

    def _pairs(self, neutral: Table, lt: Table, name: str) -> PairRules | None:
        """A trigger-and-template family (``[name]`` of both files); None where the language has none. A
        language may give forward or backward triggers, templates, or any of them."""
        if name not in neutral or name not in lt:
            return None
        nt, t = neutral.table(name), lt.table(name)
        tt = t.table("templates", {})
        return PairRules(name, self._family(nt, t), self.config.predicate(nt.string("predicate"), nt, "predicate").name,
                         self.triggers(t, "forward") if t.strings("forward", ()) else NEVER,
                         self.triggers(t, "backward") if t.strings("backward", ()) else NEVER,
                         _ci(t, "not_between", required=False), self._templates(tt), _hints(tt.strings("hints", ())),
                         self._named(t.table("named", None)))

    @staticmethod
    def _named(nt: Table | None) -> NamedBy | None:
        """``[<family>.named]``: subjects that name their object (None where the language has none)."""
        if nt is None:
            return None
        return NamedBy(nt.regex("subject", flags=re.IGNORECASE), nt.regex("before", flags=re.IGNORECASE),
                       nt.regex("after", flags=re.IGNORECASE), _hints(nt.strings("hints")))
    def _topic(self, tp: Table | None, tt: Table) -> None:
        """Treats statements that name no disease and take the document's topic ([topic] of relations.toml)
        as their object: subject-only templates, with the list punctuation of the language's templates."""
        topic = self.config.relations.table("topic", None)
        self.topic_sections = frozenset(topic.strings("sections", ())) if topic is not None else frozenset()
        self.topic_weight = topic.number("weight", 1.0) if topic is not None else 1.0
        self.topic_max_chars = topic.integer("max_chars", 30) if topic is not None else 0
        self.treats_topic = None
        self.treats_topic_hints = None
        self.treats_topic_others = NEVER
        self.treats_topic_cue = None
        self.topic_cue_weight = self.topic_weight
        if tp is None or not self.topic_sections:
            return
        self.treats_topic_cue = _ci(tp, "cue", required=False)
        self.topic_cue_weight = self.topic_weight * tp.number("cue_weight", 1.0)
        self.topic_cue_types = tp.strings("cue_types", tuple(self.treats.subject_types))
        self.topic_cue_not = _ci(tp, "cue_not", required=False) or NEVER
        self.topic_cue_after_not = _ci(tp, "cue_after_not", required=False) or NEVER
        self.topic_cue_before_not = _ci(tp, "cue_before_not", required=False) or NEVER
        self.topic_cue_not_subject = _ci(tp, "cue_not_subject", required=False) or NEVER
        self.treats_topic = Templates(tp.strings("patterns"), tt.string("subject_joiners", "and|or"),
                                      tt.string("object_joiners", "and|or"), tt.string("after_comma", "and|or"),
                                      tt.string("population", ""), gap_words=tt.integer("gap_words", 3),
                                      gap=tp.string("gap", tt.string("gap", None)), comma=tt.string("comma", ","),
                                      space=tt.string("space", r"\s+"))
        self.treats_topic_hints = _hints(tp.strings("hints", ()))

    def _direction(self, nd: Table, d: Table) -> None:
        """Therapy -> process / outcome: increase and decrease triggers, lists, result connectors."""
        self.direction = self._family(nd, d)
        self.outcome_types = nd.strings("outcome_types")
        self.effects_types = frozenset(nd.strings("effects_types", ()))
        self.invert_improve_for = frozenset(nd.strings("invert_improve_for", ()))
        self.window_words = d.integer("window_words")
        self.decreases = self.triggers(d, "decreases")
        self.increases = self.triggers(d, "increases")
        self.improve = _ci(d, "improve")
        self.effects_hints = _hints(d.strings("effects_hints", ()))
        self.effects_list = _ci(d, "effects_list")
        self.result_connector = _ci(d, "result_connector")
        self.tail_stop = d.regex("tail_stop")
        self.same_direction = _ci(d, "same_direction")
        self.effects_gap = _ci(d, "effects_gap")
        # Chinese puts modifiers first ("X的Y": the Y of X): a mention joined to the next object by this is
        # that object's modifier (a language without it: none)
        self.modifier_gap = d.regex("modifier_gap", None) or NEVER
        # an object followed by this is not what a trigger raises or lowers: its incidence or risk is (降低Y的
        # 发病率: lower the incidence of Y, read by the prevention family; a language without it: none)
        self.measured = d.regex("measured", None) or NEVER

    def _others(self, neutral: Table, lt: Table) -> None:
        """Capability, differentiation and secretion."""
        nc, c = neutral.table("capability"), lt.table("capability")
        self.capability = self._family(nc, c)
        self.capability_predicate = self.config.predicate(nc.string("predicate"), nc, "predicate").name
        self.capability_suffix = re.compile(r"^" + c.string("suffix"), re.IGNORECASE)
        ndf, df = neutral.table("differentiation"), lt.table("differentiation")
        self.differentiation = self._family(ndf, df)
        self.differentiation_predicate = self.config.predicate(ndf.string("predicate"), ndf, "predicate").name
        self.differentiation_process_type = ndf.string("process_type", None)
        self.differentiation_forward = self.triggers(df, "forward")
        self.derive_process = ndf.boolean("derive_process", False)
        ns, s = neutral.table("secretion"), lt.table("secretion")
        self.secretion = self._family(ns, s)
        self.secretion_predicate = self.config.predicate(ns.string("predicate"), ns, "predicate").name
        self.secretion_process_type = ns.string("process_type")
        self.secretion_forward = self.triggers(s, "forward")
        self.secretion_process = _ci(s, "process_trigger")
        self.secretion_process_id = ns.string("process")
        self.product_words = s.integer("product_words")
        product = s.string("product").replace("{words}", str(self.product_words))
        try:
            self.product = re.compile(product, re.IGNORECASE)
        except re.error as exc:
            raise s.error("product", f"not a valid regular expression: {exc}") from None

    @staticmethod
    def _family(neutral: Table, lang: Table) -> Family:
        return Family(neutral.strings("subject_types"), neutral.strings("object_types"), _hints(lang.strings("hints", ())))

    def predicate(self, name: str) -> Predicate:
        return self.config.predicate(name)
