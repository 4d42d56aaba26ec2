"""``kg_ner_merger`` and the trained recogniser at run time: a spaCy NER model trained by kg on the
corpora's train splits (``kg train``, ``kg.training``), merged with the lexicon matcher's matches.

The model is optional: the package ships one in ``kg/models/ner``, and the pipeline uses it only when
asked (``Pipeline(ner=True)``, ``kg build --ner``), because it costs throughput. The labels it uses, the
kg types of their mentions and the merge mode are ``[ner]`` of ``linking.toml``: the lexicon matcher's
matches keep their groundings; an NER span with no lexicon match of its kind becomes a mention of the
label's type with no groundings of its own, which the grounding stage hands to the fuzzy linker.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.config import PACKAGE, Config
from kg.errors import KgError
from kg.nlp.doc import SPAN_GROUP, abbreviations_of, matches_of
from kg.nlp.match import Match, abbreviation
from kg.ontology import Lexicon, TypePolicy

MODEL_DIR = PACKAGE / "models" / "ner"
# the recogniser trained with the lexicon matcher's tags as features (``kg train ner --lexicon-features``):
# ``Pipeline(ner="accurate")``, ``kg build --accurate``
ACCURATE_DIR = PACKAGE / "models" / "ner_lexicon"


def model_path() -> Path | None:
    """The shipped trained model, if the package has one."""
    return MODEL_DIR if (MODEL_DIR / "meta.json").is_file() else None


@Language.factory("kg_ner_merger", default_config={"mode": "union", "labels": None, "add_only": []})
def make_ner_merger(nlp: Language, name: str, mode: str, labels: list | None, add_only: list) -> "NerMerger":
    if mode not in MERGE_MODES:
        raise ValueError(f"unknown NER merge mode {mode!r}; known: {', '.join(MERGE_MODES)}")
    return NerMerger(mode, labels=frozenset(labels) if labels is not None else None, add_only=frozenset(add_only))


MERGE_MODES = ("union", "ner_first", "ner_only")


@dataclass
class NerMerger:
    """Merges the NER's spans with the lexicon matcher's output (``doc.spans['kg_mentions']`` and
    ``doc._.kg_matches``).

    - ``union``: lexicon matches stand; an NER span that overlaps none is added (no groundings: the
      fuzzy linker grounds it); an NER span that extends one lexicon match of its kind by whole words
      ("chronic nonspherocytic hemolytic anemia" around "hemolytic anemia") replaces it, keeping its
      groundings at a lower score. A span over two matches ("cirrhosis and liver failure") or adding a
      hyphenated affix ("anti-fibrosis") leaves the lexicon's matches as they are.
    - ``ner_first``: the NER's boundaries win over overlapping lexicon matches of its kind (a lexicon
      match inside the span lends its groundings); lexicon matches elsewhere stand.
    - ``ner_only``: as ``ner_first``, and lexicon matches of the NER's kinds that no NER span overlaps
      are dropped (the NER decides what is a disease or chemical; the lexicon grounds it).
    A span that overlaps a lexicon match of another kind (a cell type, a procedure) or a composed
    mention is not added.
    """

    mode: str = "union"
    labels: frozenset | None = None  # the NER labels used (None: all of [ner.types]); the others' spans are ignored
    add_only: frozenset = frozenset()  # labels whose spans are only added where no lexicon match is
    lex: Lexicon | None = None

    def use(self, lexicon: Lexicon, config: Config) -> "NerMerger":
        """Give the merger the lexicon whose matches it merges with and the policy (``[ner]`` of
        linking.toml, the ``ner_inner`` score of types.toml)."""
        self.lex = lexicon
        policy = TypePolicy.from_config(config)
        self.inner_factor = policy.score("ner_inner")
        self.abbreviation_factor = policy.score("abbreviation")
        types = config.linking.table("ner").table("types")
        self.label_types = {label: types.table(label).string("type") for label in types}
        self.compatible = {label: frozenset(types.table(label).strings("same_as")) for label in types}
        if self.labels is None:
            self.labels = frozenset(self.label_types)
        return self

    def __call__(self, doc: Doc) -> Doc:
        lex = self.lex
        if lex is None:
            raise RuntimeError("kg_ner_merger has no lexicon: call .use(lexicon, config) after add_pipe")
        LABEL_TYPES, COMPATIBLE = self.label_types, self.compatible  # noqa: N806
        matches: list[Match] = matches_of(doc)
        ents = [e for e in doc.ents if e.label_ in self.labels and e.label_ in LABEL_TYPES]
        if not ents and self.mode != "ner_only":
            return doc

        def kinds(m: Match) -> set:
            if m.type:
                return {m.type}
            return {lex.types.get(c) for c, _ in m.entries}

        covered = set().union(*(COMPATIBLE[label] for label in self.labels if label in COMPATIBLE))
        out = list(matches)
        used: set[int] = set()
        for ent in ents:
            label, typ = ent.label_, LABEL_TYPES[ent.label_]
            s, e = ent.start_char, ent.end_char
            over = [m for m in out if m.start < e and s < m.end]
            if not over:
                out.append(Match(s, e, (), 1.0, "ner", type=typ))
                continue
            same = [m for m in over if kinds(m) & COMPATIBLE[label] and not m.composition]
            if label in self.add_only:
                used.update(id(m) for m in same)
                continue
            if len(same) < len(over):
                continue  # another kind of entity, or a composed mention, is there
            if any(m.start == s and m.end == e for m in same):
                used.update(id(m) for m in same)
                continue  # the same span: the lexicon match stands
            outside = any(m.start < s or m.end > e for m in same)
            if self.mode == "union" and (outside or len(same) > 1 or not _by_words(doc.text, same[0], s, e)):
                continue  # the lexicon's boundaries stand (and coordinations, "anti-" prefixes stay apart)
            inner = [m for m in same if m.start >= s and m.end <= e]
            head = max(inner, key=lambda m: (m.end - m.start, m.end)) if inner else None  # the longest, else the last
            entries = tuple((c, sc) for c, sc in head.entries if lex.types.get(c) in COMPATIBLE[label]) if head else ()
            factor = head.factor * self.inner_factor if head else 1.0
            out = [m for m in out if m not in same]
            new = Match(s, e, entries, factor, "ner", head.long_form if head else None, type=typ)
            out.append(new)
            used.add(id(new))
        out = self._abbreviations(doc, out, self.abbreviation_factor)
        if self.mode == "ner_only":
            out = [m for m in out if id(m) in used or m.how in ("ner", "abbreviation") or m.composition
                   or not (kinds(m) & covered)]
        out.sort(key=lambda m: (m.start, m.end))
        spans, kept = [], []
        for m in out:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            spans.append(span)
            kept.append(m)
        doc.spans[SPAN_GROUP] = spans
        doc._.kg_matches = kept
        return doc


    def _abbreviations(self, doc: Doc, out: list[Match], factor: float) -> list[Match]:
        """Short forms whose long form is an NER mention become mentions of the same kind ("glucose-6-
        phosphate dehydrogenase deficiency (G6PD deficiency)"), as the lexicon matcher does for its own."""
        abbrs = abbreviations_of(doc)
        ner = [m for m in out if m.how == "ner"]
        if not abbrs or not ner:
            return out
        for short in abbrs:
            long_ = short._.long_form
            if long_ is None:
                continue
            ls, le = long_.start_char, long_.end_char
            head = next((m for m in ner if m.start <= ls and le <= m.end or (ls <= m.start and m.end <= le
                         and (m.end - m.start) * 2 >= le - ls)), None)
            ss, se = short.start_char, short.end_char
            if head is None or any(m.start < se and ss < m.end for m in out):
                continue
            out.append(abbreviation(head, ss, se, long_.text, factor))
        return out


def _by_words(text: str, inner: Match, start: int, end: int) -> bool:
    """Whether the span start-end extends ``inner`` by whole words only (not by a hyphenated affix such as
    the "anti-" of "anti-fibrosis", which changes what the words mean)."""
    before = text[inner.start - 1] if inner.start > start else " "
    after = text[inner.end] if inner.end < end else " "
    return not (before.isalnum() or before in "-–/") and not (after.isalnum() or after in "-–/")


def add_ner(nlp: Language, lexicon: Lexicon, config: Config, path: str | Path | None = None, mode: str | None = None,
            labels: Sequence[str] | None = None, add_only: Sequence[str] | None = None) -> Language:
    """Add the trained NER (from ``path``, default the shipped model) and the merger to a recognition
    pipeline built by ``kg.nlp.english.build_english``, before ConText."""
    path = ACCURATE_DIR if path == "accurate" else Path(path) if path is not None else model_path()
    if path is None or not (Path(path) / "meta.json").is_file():
        raise KgError("no trained NER model (build one with 'kg train')", path or MODEL_DIR)
    try:
        trained = spacy.load(path, exclude=["tokenizer"])
    except Exception as exc:  # a folder spaCy cannot read as a model (bad meta.json, config, weights)
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise KgError(f"not a model written by 'kg train ner': {msg}", path) from None
    cfg = config.linking.table("ner")
    if (trained.meta.get("kg") or {}).get("lexicon_tags"):  # trained on the lexicon's tags: it reads them
        from kg.nlp.lexicon_tags import add_lexicon_tags

        add_lexicon_tags(nlp, lexicon, config)
        cfg = cfg.table("lexicon_tags", cfg)  # its own merge settings ([ner.lexicon_tags] of linking.toml)
    before = "kg_context" if "kg_context" in nlp.pipe_names else None
    nlp.add_pipe("ner", name="kg_ner", source=trained, before=before)
    mode = mode or cfg.choice("mode", MERGE_MODES, "union")
    labels = list(labels) if labels is not None else (list(cfg.strings("labels")) if "labels" in cfg else None)
    add_only = list(add_only) if add_only is not None else list(cfg.strings("add_only", ()))
    merger: NerMerger = nlp.add_pipe("kg_ner_merger", config={"mode": mode, "labels": labels, "add_only": add_only},
                                     before=before)
    merger.use(lexicon, config)
    return nlp
