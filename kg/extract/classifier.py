"""The claim classifier: for each candidate (therapy, condition) pair of a sentence, the probability that
the sentence states that the therapy treats the condition or brings it as an adverse effect.

The rule families still read every sentence; their verdicts are features of the pair, beside the words
between and around the two mentions (mentions masked as ``<T>`` therapy, ``<D>`` condition, ``<E>``
another entity), the sentence's words, the mentions' types and head words, the trigger patterns of each
family found between them, and the ConText cues whose scope holds them. One logistic regression per family
(trained by ``kg train claims``, ``kg.training.claims``) turns them into a probability; a pair becomes a
claim of its most probable family when that probability reaches the family's threshold (``claims.toml``),
and the probability is the claim's confidence score. The items of a coordinated list a rule read share
one verdict. Which predicate of the treats family a claim gets (treats, studied to treat, in trials for,
applied to treat) and whether it is negated or hedged stay with the rules (``ClaimBuilder``); the pairs a
rule of a deferred family (prevention) joined are left to that rule.

The model is a text file (JSON: families, intercepts, one weight per family for each feature) shipped in
``kg/models/claims/``. Nothing here imports spaCy: the features come from kg's records.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Protocol

from kg.config import Config
from kg.errors import KgError
from kg.extract.rules import Hints, implies_hint
from kg.extract.sentence import SentenceView
from kg.model import Claim, Mention

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "claims"
NONE = "none"  # the class of a pair that states none of the families
_TOKEN = re.compile(r"[^\W_]+|[^\w\s]")
_LENGTHS = ((0, "0"), (1, "1"), (2, "2"), (4, "3-4"), (7, "5-7"), (12, "8-12"))


class PairReader(Protocol):
    """What the classifier needs of a rule family: its types, and the claim it makes for a pair."""

    name: str

    @property
    def subject_types(self) -> tuple[str, ...]: ...

    @property
    def object_types(self) -> tuple[str, ...]: ...

    def claim(self, st: SentenceView, subj: Mention, obj: Mention, trigger: str, tstart: int) -> list[Claim]: ...


@dataclass(frozen=True)
class FeatureSpec:
    """How a pair becomes features; stored in the model, so that training and use agree."""

    window: int = 3  # words on each side of the pair
    max_between: int = 20  # the most words between the two mentions that give features
    sentence_words: bool = True  # the sentence's words, wherever they stand
    heads: bool = True  # the last word of each mention (therapy, surgery, toxicity, ...)
    triggers: bool = True  # which families' trigger patterns match between the two mentions

    @classmethod
    def from_dict(cls, d: Mapping[str, object]) -> "FeatureSpec":
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in d.items() if k in known})  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, object]:
        return {f: getattr(self, f) for f in self.__dataclass_fields__}


Parts = tuple[tuple[str, "Sequence[str] | frozenset[str]"], ...]  # (prefix, distinct words) per kind


def joined(parts: Parts) -> tuple[str, ...]:
    """Features given as ``(prefix, words)`` groups (``Featurizer.parts``) as the feature strings
    (prefix + word), unordered."""
    return tuple({p + w for p, words in parts for w in words})


@dataclass(frozen=True)
class Pair:
    """A candidate pair of one sentence: the therapy and condition mentions, the rule claims that join
    them, and its features as ``(prefix, words)`` groups (``Featurizer.parts``): its own, and those every
    pair of its sentence shares (its words)."""

    subject: Mention
    object: Mention
    ruled: tuple[Claim, ...]
    parts: Parts  # the pair's own features
    shared_parts: Parts = ()  # the features every pair of its sentence has (its words)

    @property
    def features(self) -> tuple[str, ...]:
        """The pair's own features, as strings."""
        return joined(self.parts)

    @property
    def shared(self) -> tuple[str, ...]:
        """The features every pair of its sentence has, as strings (sorted)."""
        return tuple(sorted(joined(self.shared_parts)))

    @property
    def all_features(self) -> tuple[str, ...]:
        return self.features + self.shared

    @property
    def lists(self) -> tuple[str, ...]:
        """The rule readings this pair is one item of: family, subject and trigger of each rule claim. The
        items of one coordinated list ("X for A, B and C") share a reading, and with it one verdict."""
        return tuple(sorted({f"{c.claim_type}|{c.evidence[0].subject_start}|{c.evidence[0].trigger}" for c in self.ruled}))


def list_probabilities(pairs: Sequence[tuple[tuple[str, ...], dict[str, float]]]) -> list[dict[str, float]]:
    """Each pair's probabilities (``(lists, probabilities)``, see ``Pair.lists``), with a family's
    probability raised to the highest of the pairs that share one of its rule readings: the items of a
    coordinated list the rules read stand or fall together, by the likeliest of them."""
    best: dict[str, float] = {}
    for lists, probs in pairs:
        for key in lists:
            family = key.split("|", 1)[0]
            best[key] = max(best.get(key, 0.0), probs.get(family, 0.0))
    out = []
    for lists, probs in pairs:
        raised = dict(probs)
        for key in lists:
            family = key.split("|", 1)[0]
            if family in raised:
                raised[family] = max(raised[family], best[key])
        out.append(raised)
    return out


def _length(n: int) -> str:
    for limit, name in _LENGTHS:
        if n <= limit:
            return name
    return "13+"


_DIGIT = re.compile(r"\d")


def _norm(word: str) -> str:
    w = word.lower()
    return "<num>" if _DIGIT.search(w) else w


class SentenceTokens:
    """One sentence as lowercased words with its mentions masked: each placed mention is one token
    (``<T>``, ``<D>`` or ``<E>``); mentions overlapping one placed before are left out. Also what every
    pair of the sentence shares: its words as features, and where each trigger pattern matches."""

    def __init__(self, st: SentenceView, subject_types: frozenset[str], object_types: frozenset[str],
                 norms: dict[str, str] | None = None):
        s = st.sentence
        norms = {} if norms is None else norms
        self.tokens: list[str] = []
        self.index: dict[int, int] = {}  # mention start -> token position
        self.placed: list[Mention] = []
        pos = s.start

        def words(a: int, b: int) -> list[str]:
            out = []
            for w in _TOKEN.findall(s.text[a - s.start:b - s.start]):
                n = norms.get(w)
                if n is None:
                    n = norms[w] = _norm(w)
                out.append(n)
            return out

        for m in st.mentions:
            if m.start < pos:
                continue
            self.tokens.extend(words(pos, m.start))
            if m.concept_of(object_types) is not None and (m.concept_of(subject_types) is None or m.type in object_types):
                kind = "<D>"
            elif m.concept_of(subject_types) is not None:
                kind = "<T>"
            else:
                kind = "<E>"
            self.index[m.start] = len(self.tokens)
            self.tokens.append(kind)
            self.placed.append(m)
            pos = m.end
        self.tokens.extend(words(pos, s.end))
        self.words = frozenset(t for t in self.tokens if t[0] != "<")
        self.hits: list[tuple[str, int, int]] = []  # (pattern name, start, end) in section offsets

    @property
    def word_parts(self) -> Parts:
        """The sentence's words as features (``w:`` + word), as a ``(prefix, words)`` group."""
        return (("w:", self.words),)


class Featurizer:
    """Features of the candidate pairs of a sentence (``FeatureSpec``), with the verdicts of the rules
    and the trigger patterns of the rule families (``patterns``: name -> compiled pattern)."""

    def __init__(self, spec: FeatureSpec, patterns: Mapping[str, re.Pattern], clause_break: re.Pattern | None = None,
                 gates: Mapping[str, Hints] | None = None):
        self.spec = spec
        self.patterns = tuple(sorted(patterns.items()))
        # name -> hint words one of which every match of the pattern holds (``trigger_gates``): a sentence
        # with none of them is not searched
        self.gates = dict(gates or {})
        self.clause_break = clause_break or re.compile("(?!)")
        self._norms: dict[str, str] = {}  # word -> its normalised form (words repeat across sentences)

    def sentence(self, st: SentenceView, subject_types: frozenset[str], object_types: frozenset[str]) -> SentenceTokens:
        """The sentence's tokens, and where the trigger patterns match in it (once for all its pairs)."""
        toks = SentenceTokens(st, subject_types, object_types, self._norms)
        s = st.sentence
        if len(toks.placed) < 2 or not self.spec.triggers:
            return toks
        lower, plain = st.lower or s.text.lower(), s.text.isascii()
        for name, rx in self.patterns:  # the same matches the rule families used (``SentenceView.matches``)
            gate = self.gates.get(name)
            if gate is not None and plain and not gate.found_in(lower):
                continue  # no hint word, no match (``implies_hint``; case folds as ASCII's only there)
            toks.hits.extend((name, s.start + m.start(), s.start + m.end()) for m in st.matches(rx))
        return toks

    def parts(self, st: SentenceView, toks: SentenceTokens, subj: Mention, obj: Mention,
              ruled: Sequence[Claim]) -> Parts:
        """The pair's features as ``(prefix, words)`` groups, each prefix once and each group's words
        distinct: the model scores them without building a string per feature (``ClaimModel.tables``)."""
        spec = self.spec
        i, j = toks.index[subj.start], toks.index[obj.start]
        first, second = (i, j) if i < j else (j, i)
        between = toks.tokens[first + 1:second]
        n = _length(len(between))
        if len(between) > spec.max_between:
            between = between[: spec.max_between // 2] + ["…"] + between[-(spec.max_between // 2):]
        seq = ["S" if i < j else "O", *between, "O" if i < j else "S"]
        left = toks.tokens[max(0, first - spec.window):first]
        right = toks.tokens[second + 1:second + 1 + spec.window]
        s_concept, o_concept = subj.concept, obj.concept
        out = [("o:", ("SO" if i < j else "OS",)), ("n:", (n,)), ("b:", set(between)),
               ("bb:", {a + " " + b for a, b in zip(seq, seq[1:])}), ("l:", set(left)), ("r:", set(right)),
               ("l1:", (left[-1] if left else "^",)), ("r1:", (right[0] if right else "$",)),
               ("st:", (s_concept.type if s_concept else subj.type,)),
               ("ot:", (o_concept.type if o_concept else obj.type,))]
        if spec.heads:
            out.append(("sh:", (_head(subj.text),)))
            out.append(("oh:", (_head(obj.text),)))
        lo, hi = (subj.end, obj.start) if subj.start < obj.start else (obj.end, subj.start)
        out.append(("t:", {name for name, a, b in toks.hits if lo <= a and b <= hi}))
        crossed = st.clause(hi) - st.clause(lo)
        if crossed:  # the rules never join across a clause break; the model learns which breaks matter
            out.append(("x:", {"clause", *(_norm(m.group(0)) for m in self.clause_break.finditer(st.text(lo, hi)))}))
        verdicts = set()
        for c in ruled:
            verdicts.add(c.claim_type)
            verdicts.add(c.claim_type + ":" + c.predicate)
            if c.negated:
                verdicts.add("negated")
            if c.hedged:
                verdicts.add("hedged")
        if not ruled:
            verdicts.add("none")
        out.append(("v:", verdicts))
        out.append(("c:", {c.category for c in st.cues
                           if c.scope_start <= subj.start < c.scope_end or c.scope_start <= obj.start < c.scope_end}))
        return tuple(out)


def _head(text: str) -> str:
    words = _TOKEN.findall(text)
    return _norm(words[-1]) if words else ""


@dataclass(frozen=True)
class ClaimModel:
    """One logistic regression per family over string features (one against the rest): a weight per
    family for each feature, and an intercept per family."""

    classes: tuple[str, ...]  # the families
    intercept: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]
    spec: FeatureSpec = field(default_factory=FeatureSpec)
    info: Mapping[str, object] = field(default_factory=dict)  # how it was trained (sources, counts, options)

    def scores(self, features: Iterable[str], base: Sequence[float] | None = None) -> list[float]:
        """Each family's linear score for these features, added to ``base`` (default: the intercepts)."""
        get = self.weights.get
        rows = [r for r in map(get, features) if r is not None]
        start = self.intercept if base is None else base
        return [b + sum(col) for b, col in zip(start, zip(*rows))] if rows else list(start)

    def probabilities(self, features: Iterable[str], base: Sequence[float] | None = None) -> dict[str, float]:
        """The probability of each family for a pair with these features (``base``: the scores of
        features the pair shares with others, ``scores``)."""
        return self._sigmoid(self.scores(features, base))

    @cached_property
    def tables(self) -> dict[str, dict[str, tuple[float, ...]]]:
        """The weights by feature prefix (``b:``, ``w:``, ...), then by the rest of the feature: how
        ``part_scores`` looks features up without joining their strings."""
        out: dict[str, dict[str, tuple[float, ...]]] = {}
        for k, v in self.weights.items():
            prefix, colon, rest = k.partition(":")
            if colon:
                out.setdefault(prefix + colon, {})[rest] = v
        return out

    def part_scores(self, parts: Parts, base: Sequence[float] | None = None) -> list[float]:
        """``scores`` of features given as ``(prefix, distinct words)`` groups (``Featurizer.parts``):
        the same sums as over their strings."""
        tables, rows = self.tables, []
        for prefix, words in parts:
            table = tables.get(prefix)
            if table is not None:
                rows.extend(filter(None, map(table.get, words)))
        start = self.intercept if base is None else base
        return [b + sum(col) for b, col in zip(start, zip(*rows))] if rows else list(start)

    def part_probabilities(self, parts: Parts, base: Sequence[float] | None = None) -> dict[str, float]:
        """``probabilities`` of features given as ``(prefix, distinct words)`` groups."""
        return self._sigmoid(self.part_scores(parts, base))

    def _sigmoid(self, z: Sequence[float]) -> dict[str, float]:
        return {c: 1.0 / (1.0 + math.exp(-x)) if x > -700 else 0.0 for c, x in zip(self.classes, z)}

    def dumps(self) -> str:
        """The model as JSON text, one feature per line, sorted: the same model gives the same bytes."""
        head = {"classes": list(self.classes), "features": self.spec.as_dict(), "info": self.info}
        intercept = "[" + ", ".join(_num(x) for x in self.intercept) + "]"
        lines = [json.dumps(head, sort_keys=True, ensure_ascii=False)[:-1] + f', "intercept": {intercept}, "weights": {{']
        rows = [f"{json.dumps(k, ensure_ascii=False)}: [{', '.join(_num(x) for x in v)}]"
                for k, v in sorted(self.weights.items())]
        lines.append(",\n".join(rows))
        lines.append("}}")
        return "\n".join(lines) + "\n"

    @classmethod
    def loads(cls, text: str, where: str = "<model>") -> "ClaimModel":
        try:
            d = json.loads(text)
            classes = tuple(str(c) for c in d["classes"])
            intercept = tuple(float(x) for x in d["intercept"])
            weights = {str(k): tuple(map(float, v)) for k, v in d["weights"].items()}
            spec = FeatureSpec.from_dict(d.get("features", {}))
        except json.JSONDecodeError as exc:
            raise KgError(f"malformed claim model: {exc.msg}", where, exc.lineno) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise KgError(f"not a claim model (classes, intercept, weights): {exc}", where) from None
        if not classes or len(intercept) != len(classes) or any(len(v) != len(classes) for v in weights.values()):
            raise KgError("not a claim model: needs families and one weight per family", where)
        return cls(classes, intercept, weights, spec, d.get("info", {}))

    @classmethod
    def load(cls, path: str | Path) -> "ClaimModel":
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise KgError(f"cannot read the claim model: {exc.strerror}", path) from None
        return cls.loads(text, str(path))


def _num(x: float) -> str:
    """A weight as written: 4 decimals, no negative zero."""
    s = f"{x:.4f}"
    return "0.0000" if s == "-0.0000" else s


@dataclass(frozen=True)
class Thresholds:
    """A family's probability thresholds: for a pair one of its rules joined, and for one none did."""

    ruled: float
    unruled: float


def model_path(config: Config, lang: str) -> Path | None:
    """The model file ``claims.toml`` names for a language (None: the language has no classifier)."""
    t = config.claims.table("classifier")
    if lang not in t.strings("languages"):
        return None
    models = t.table("models")
    if lang not in models:
        raise models.error(lang, f"no model file for {lang!r}, which [classifier] languages lists")
    p = Path(models.string(lang))
    return p if p.is_absolute() else MODEL_DIR / p


def may_cross(config: Config) -> re.Pattern | None:
    """The clause breaks a candidate pair may span (``[classifier] may_cross``), None: none."""
    t = config.claims.table("classifier")
    return t.regex("may_cross", None, re.IGNORECASE)


def deferred(config: Config) -> tuple[str, ...]:
    """The families whose pairs the classifier leaves to their rules (``[classifier] deferred``)."""
    return config.claims.table("classifier").strings("deferred", ())


def thresholds(config: Config) -> dict[str, Thresholds]:
    """The families the classifier decides, with their thresholds (``[classifier.thresholds]``)."""
    t = config.claims.table("classifier")
    th = t.table("thresholds")
    out = {}
    for name in t.strings("families"):
        if name not in th:
            raise th.error(name, f"no thresholds for family {name!r}")
        f = th.table(name)
        out[name] = Thresholds(f.number("ruled"), f.number("unruled"))
    return out


def choose(probs: Mapping[str, float], ruled: set[str] | frozenset[str], limits: Mapping[str, Thresholds]
           ) -> tuple[str | None, float]:
    """The family a pair is a claim of, and its probability: the pair's most probable family among
    ``limits``, when that probability reaches the family's threshold (``ruled``: the families one of
    whose rules joined the pair, which have their own threshold); (None, 0) otherwise. A pair likelier to
    state an adverse effect than a treatment is never read as a treatment, whatever the thresholds."""
    best = max(limits, key=lambda k: (probs.get(k, 0.0), k), default=None)
    if best is None:
        return None, 0.0
    x = probs.get(best, 0.0)
    limit = limits[best].ruled if best in ruled else limits[best].unruled
    return (best, x) if x >= limit else (None, 0.0)


class ClaimClassifier:
    """Decides the therapy -> condition claims of a sentence from its candidate pairs."""

    def __init__(self, model: ClaimModel | None, limits: Mapping[str, Thresholds], families: Mapping[str, PairReader],
                 patterns: Mapping[str, re.Pattern], spec: FeatureSpec | None = None,
                 deferred: Iterable[str] = (), clause_break: re.Pattern | None = None,
                 may_cross: re.Pattern | None = None, gates: Mapping[str, Hints] | None = None):
        self.model = model
        self.limits = dict(limits)
        self.families = {k: v for k, v in families.items() if k in self.limits}
        self.deferred = frozenset(deferred)  # families whose pairs are left to their rules
        self.clause_break = clause_break
        self.may_cross = may_cross  # the clause breaks a pair may span (None: none)
        self.featurizer = Featurizer(spec or (model.spec if model is not None else FeatureSpec()), patterns,
                                     clause_break, gates)
        self.subject_types = frozenset(t for f in self.families.values() for t in f.subject_types)
        self.object_types = frozenset(t for f in self.families.values() for t in f.object_types)
        if model is not None:
            unknown = [c for c in model.classes if c not in self.families]
            if unknown:
                raise KgError(f"the claim model has classes no family of claims.toml decides: {', '.join(unknown)}")

    def pairs(self, st: SentenceView, found: Sequence[Claim]) -> list[Pair]:
        """The sentence's candidate pairs (a therapy and a condition mention), each with the claims of the
        decided and deferred families that join it."""
        if not st.has(self.object_types) or not st.has(self.subject_types):
            return []
        toks = self.featurizer.sentence(st, self.subject_types, self.object_types)
        shared = toks.word_parts if self.featurizer.spec.sentence_words else ()
        ruled: dict[tuple[int, int], list[Claim]] = {}
        for c in found:
            if c.claim_type in self.families or c.claim_type in self.deferred:
                e = c.evidence[0]
                ruled.setdefault((e.subject_start, e.object_start), []).append(c)
        out = []
        for s in toks.placed:
            if s.concept_of(self.subject_types) is None:
                continue
            for o in toks.placed:
                if o is s or o.concept_of(self.object_types) is None or not self._joinable(st, s, o):
                    continue
                r = tuple(ruled.get((s.start, o.start), ()))
                out.append(Pair(s, o, r, self.featurizer.parts(st, toks, s, o, r), shared))
        return out

    def _joinable(self, st: SentenceView, a: Mention, b: Mention) -> bool:
        """Whether two mentions may be a pair: in one clause, or across breaks ``may_cross`` allows only
        (a title's colon, "which": not a contrast such as "but" or "however")."""
        lo, hi = (a.end, b.start) if a.start < b.start else (b.end, a.start)
        if self.clause_break is None or st.clause(lo) == st.clause(hi):
            return True
        if self.may_cross is None:
            return False
        return all(self.may_cross.fullmatch(m.group(0)) for m in self.clause_break.finditer(st.text(lo, hi)))

    def decide(self, st: SentenceView, found: list[Claim]) -> list[Claim]:
        """``found`` (the rules' claims of the sentence) with the decided families' claims replaced by the
        classifier's: a pair's claim of its most probable family when that probability reaches the
        family's threshold, scored with it (the items of a coordinated list a rule read share the
        likeliest item's probability, ``list_probabilities``). Claims whose subject is not a mention of the sentence (an
        anaphor's) are kept as the rules made them, and so are the pairs a rule of a deferred family
        (``claims.toml`` ``deferred``) joined: that rule's claim stands and no other is made for them."""
        if self.model is None:
            return found
        pairs = self.pairs(st, found)
        if not pairs:
            return found
        left = {(c.evidence[0].subject_start, c.evidence[0].object_start) for c in found if c.claim_type in self.deferred}
        pairs = [p for p in pairs if (p.subject.start, p.object.start) not in left]
        judged = {(p.subject.start, p.object.start) for p in pairs}
        # a decided family's rule claim stands only for a pair neither judged here nor left to a deferred rule
        out = [c for c in found if c.claim_type not in self.families
               or (c.evidence[0].subject_start, c.evidence[0].object_start) not in judged | left]
        chosen: dict[tuple[str, int, str], tuple[bool, float, Pair]] = {}
        model = self.model
        base = model.part_scores(pairs[0].shared_parts) if pairs else []  # the sentence's words: the same for every pair
        probs = list_probabilities([(p.lists, model.part_probabilities(p.parts, base)) for p in pairs])
        for p, prob in zip(pairs, probs):
            fits = {name for name, f in self.families.items() if p.subject.concept_of(f.subject_types) is not None
                    and p.object.concept_of(f.object_types) is not None}
            ruled = {c.claim_type for c in p.ruled}
            best, score = choose(prob, ruled, {k: v for k, v in self.limits.items() if k in fits})
            if best is None:
                continue
            # one claim per subject concept, object mention and family: a short form and its long form
            # ("mesenchymal stem cells (MSCs) ... for X") are one subject; the ruled pair, else the likelier
            concept = p.subject.concept_of(self.families[best].subject_types)
            key = (concept.curie if concept is not None else "", p.object.start, best)
            rank = (best in ruled, score, p)
            if key not in chosen or rank[:2] > chosen[key][:2]:
                chosen[key] = rank
        for (_, _, best), (_, score, p) in sorted(chosen.items(), key=lambda kv: (kv[1][2].object.start, kv[0])):
            made = [c for c in p.ruled if c.claim_type == best] or \
                self.families[best].claim(st, p.subject, p.object, "", min(p.subject.start, p.object.start))
            out.extend(replace(c, score=round(score, 3)) for c in made)
        return out


def trigger_patterns(rules) -> dict[str, re.Pattern]:
    """The trigger patterns of the pair families (``kg.extract.rules.Rules``) whose presence between a
    pair is a feature: the treats, prevention and adverse forward and backward triggers (the rules have
    already looked for most of them in the sentence: ``SentenceView.matches``)."""
    out: dict[str, re.Pattern] = {"treats.forward": rules.treats_forward, "treats.backward": rules.treats_backward}
    for pr in (rules.prevention, rules.adverse):
        if pr is not None:
            out[pr.name + ".forward"] = pr.forward
            out[pr.name + ".backward"] = pr.backward
    return out


def trigger_gates(rules) -> dict[str, Hints]:
    """For the trigger patterns of ``trigger_patterns``, the hint words of their family where every match of
    the pattern holds one of them (``implies_hint``): the sentences without any need not be searched."""
    hints = {"treats": rules.treats.hints}
    for pr in (rules.prevention, rules.adverse):
        if pr is not None:
            hints[pr.name] = pr.family.hints
    return {name: hints[name.split(".")[0]] for name, rx in trigger_patterns(rules).items()
            if implies_hint(rx, hints.get(name.split(".")[0]))}
