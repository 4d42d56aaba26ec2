"""The trained recogniser: a spaCy NER model trained by kg on the corpora's train splits (``kg train``),
and the component that merges its spans with the lexicon matcher's.

This is a sibling of ``kg/recognize.py``, and like it imports spaCy. The model is
optional: the package ships one in ``kg/models/ner`` (built by ``kg train``), and the pipeline uses it
only when asked (``Pipeline(ner=True)``, ``kg build --ner``), because it costs throughput.

Merging (``kg_ner_merger``; the mode is ``[ner] mode`` in ``kg/data/linking.toml``): the lexicon
matcher's matches keep their groundings; an NER span with no lexicon match of its kind becomes a mention
of the NER label's type with no groundings of its own, which the grounding stage hands to the fuzzy
linker (``kg/fuzzy.py``). See ``NerMerger`` for the modes.
"""


import logging
import random
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from kg.recognize import SPAN_GROUP, Match

warnings.filterwarnings("ignore", message=r".*\[W036\].*")
log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).resolve().parent / "models" / "ner"
# NER label -> kg entity type (types.toml) of the mentions it makes.
LABEL_TYPES = {"Disease": "disease", "Chemical": "drug", "CellType": "cell", "BiologicalProcess": "mechanism"}
# kg types a lexicon match may have to count as the same kind of entity as an NER label.
COMPATIBLE = {"Disease": {"disease", "phenotype"}, "Chemical": {"drug"}, "CellType": {"cell"},
              "BiologicalProcess": {"mechanism"}}

# spaCy's CPU "efficiency" NER (spacy init config -p ner -o efficiency), without vectors.
NER_MODEL = {
    "@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner", "extra_state_tokens": False,
    "hidden_width": 64, "maxout_pieces": 2, "use_upper": True, "nO": None,
    "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None, "width": 96, "depth": 4,
                "embed_size": 2000, "window_size": 1, "maxout_pieces": 3, "subword_features": True},
}


def model_path() -> Path | None:
    """The shipped trained model, if the package has one."""
    return MODEL_DIR if (MODEL_DIR / "meta.json").is_file() else None


# ---------------------------------------------------------------- merging with the lexicon matcher


@Language.factory("kg_ner_merger", default_config={"mode": "union", "labels": None, "add_only": []})
def make_ner_merger(nlp: Language, name: str, mode: str, labels: list | None, add_only: list) -> "NerMerger":
    from kg.lexicon import TypePolicy

    if mode not in MERGE_MODES:
        raise ValueError(f"unknown NER merge mode {mode!r}; known: {', '.join(MERGE_MODES)}")
    return NerMerger(mode, TypePolicy.load().scores.get("ner_inner", 0.8),
                     frozenset(labels) if labels is not None else frozenset(LABEL_TYPES), frozenset(add_only))


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
    inner_factor: float = 0.8
    labels: frozenset = frozenset(LABEL_TYPES)  # the NER labels used; the others' spans are ignored
    add_only: frozenset = frozenset()  # labels whose spans are only added where no lexicon match is

    def __call__(self, doc: Doc) -> Doc:
        matches: list[Match] = list(doc._.kg_matches or ())
        ents = [e for e in doc.ents if e.label_ in self.labels and e.label_ in LABEL_TYPES]
        if not ents and self.mode != "ner_only":
            return doc
        from kg.recognize import _LEXICONS  # the registered lexicon gives each match's types

        lex = next(iter(_LEXICONS.values()), None)

        def kinds(m: Match) -> set:
            if m.type:
                return {m.type}
            return {lex.types.get(c) for c, _ in m.entries} if lex is not None else set()

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
            entries = tuple((c, sc) for c, sc in head.entries
                            if lex is None or lex.types.get(c) in COMPATIBLE[label]) if head else ()
            factor = head.factor * self.inner_factor if head else 1.0
            out = [m for m in out if m not in same]
            new = Match(s, e, entries, factor, "ner", head.long_form if head else None, type=typ)
            out.append(new)
            used.add(id(new))
        out = self._abbreviations(doc, out)
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


    def _abbreviations(self, doc: Doc, out: list[Match]) -> list[Match]:
        """Short forms whose long form is an NER mention become mentions of the same kind ("glucose-6-
        phosphate dehydrogenase deficiency (G6PD deficiency)"), as the lexicon matcher does for its own."""
        abbrs = getattr(doc._, "abbreviations", None) if Doc.has_extension("abbreviations") else None
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
            out.append(Match(ss, se, head.entries, head.factor * 0.98, "abbreviation", long_.text, type=head.type))
        return out


def _by_words(text: str, inner: Match, start: int, end: int) -> bool:
    """Whether the span start-end extends ``inner`` by whole words only (not by a hyphenated affix such as
    the "anti-" of "anti-fibrosis", which changes what the words mean)."""
    before = text[inner.start - 1] if inner.start > start else " "
    after = text[inner.end] if inner.end < end else " "
    return not (before.isalnum() or before in "-–/") and not (after.isalnum() or after in "-–/")


def add_ner(nlp: Language, path: str | Path | None = None, mode: str | None = None,
            labels: Sequence[str] | None = None, add_only: Sequence[str] | None = None) -> Language:
    """Add the trained NER (from ``path``, default the shipped model) and the merger to a recognition
    pipeline built by ``kg.recognize.build_pipeline``, before ConText."""
    path = Path(path) if path is not None else model_path()
    if path is None or not (Path(path) / "meta.json").is_file():
        from kg.errors import KgError

        raise KgError("no trained NER model (build one with 'kg train')", path or MODEL_DIR)
    trained = spacy.load(path, exclude=["tokenizer"])
    before = "medspacy_context" if "medspacy_context" in nlp.pipe_names else None
    nlp.add_pipe("ner", name="kg_ner", source=trained, before=before)
    from kg.ground import linking_config

    cfg = linking_config().get("ner", {})
    mode = mode or cfg.get("mode", "union")
    labels = list(labels) if labels is not None else cfg.get("labels")
    add_only = list(add_only) if add_only is not None else cfg.get("add_only", [])
    nlp.add_pipe("kg_ner_merger", config={"mode": mode, "labels": labels, "add_only": add_only}, before=before)
    return nlp


# ---------------------------------------------------------------- training


def blank_nlp() -> Language:
    """Blank English with scispaCy's tokenizer: the tokenisation the recognition pipeline uses."""
    from scispacy.custom_tokenizer import combined_rule_tokenizer

    nlp = spacy.blank("en")
    nlp.tokenizer = combined_rule_tokenizer(nlp)
    return nlp


def training_examples(nlp: Language, gold_docs: Iterable, type_map: dict[str, str],
                      missing: dict[tuple[str, ...], str] | None = None) -> list[Example]:
    """One Example per gold section: its tokens and the gold spans of the mapped types as entities.
    Spans are snapped to token boundaries; overlapping spans keep the longest. ``missing``: lowercased
    token sequences whose label this corpus does not annotate (NCBI-disease has no chemicals): their
    tokens are marked unknown rather than "outside", so the corpus does not teach that they are not
    entities."""
    out = []
    first: dict[str, list[tuple[str, ...]]] = {}
    for key in missing or ():
        first.setdefault(key[0], []).append(key)
    for g in gold_docs:
        for section in g.document.sections:
            if section.name not in ("title", "abstract", "body") or not section.text.strip():
                continue
            doc = nlp.make_doc(section.text)
            spans = []
            for m in g.mentions:
                label = type_map.get(m.type)
                if label is None or m.section != section.name:
                    continue
                for s, e in (m.fragments or ((m.start, m.end),)):
                    span = doc.char_span(s, e, label=label, alignment_mode="expand")
                    if span is not None:
                        spans.append(span)
            ents = spacy.util.filter_spans(spans)
            ref = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
            taken = {i for s in ents for i in range(s.start, s.end)}
            unknown = []
            if first:
                lower = [t.lower_ for t in doc]
                for i, w in enumerate(lower):
                    for key in first.get(w, ()):
                        j = i + len(key)
                        if tuple(lower[i:j]) == key and not taken.intersection(range(i, j)):
                            unknown.append(Span(ref, i, j))
            ref.set_ents([Span(ref, s.start, s.end, label=s.label_) for s in ents],
                         missing=spacy.util.filter_spans(unknown), default="outside")
            out.append(Example(doc, ref))
    return out


def train(examples: Sequence[Example], labels: Sequence[str], epochs: int = 15, seed: int = 0,
          dropout: float = 0.1, out: str | Path | None = None, progress: Callable[[int, float], None] | None = None
          ) -> Language:
    """Train a blank NER on ``examples`` with fixed seeds (the same inputs give the same model) and save
    it to ``out``. Returns the trained pipeline (tokenizer + ``ner``)."""
    spacy.util.fix_random_seed(seed)
    rng = random.Random(seed)
    nlp = blank_nlp()
    ner = nlp.add_pipe("ner", config={"model": NER_MODEL})
    for label in labels:
        ner.add_label(label)
    optimizer = nlp.initialize(lambda: examples)
    data = list(examples)
    for epoch in range(epochs):
        rng.shuffle(data)
        losses: dict[str, float] = {}
        t = time.perf_counter()
        for batch in spacy.util.minibatch(data, size=spacy.util.compounding(4.0, 32.0, 1.001)):
            nlp.update(batch, drop=dropout, sgd=optimizer, losses=losses)
        log.info("epoch %d: loss %.1f (%.0f s)", epoch + 1, losses.get("ner", 0.0), time.perf_counter() - t)
        if progress is not None:
            progress(epoch + 1, losses.get("ner", 0.0))
    if out is not None:
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        nlp.meta["name"] = "kg_ner"
        nlp.meta["description"] = "kg's disease/chemical NER, trained by 'kg train' on the corpora's train splits"
        nlp.meta["labels"] = {"ner": list(labels)}
        nlp.to_disk(out, exclude=["tokenizer"])
    return nlp


# Which corpora train which labels: corpus type -> NER label (kg/data/corpora.toml names the corpora).
TRAINING = {
    "ncbi_disease": {"SpecificDisease": "Disease", "DiseaseClass": "Disease", "Modifier": "Disease",
                     "CompositeMention": "Disease"},
    "bc5cdr": {"Disease": "Disease", "Chemical": "Chemical"},
    "biored": {"DiseaseOrPhenotypicFeature": "Disease", "ChemicalEntity": "Chemical"},
}


def held_out_ids(root: str | Path, corpora: Iterable[str] | None = None, splits: Sequence[str] = ("dev", "test")) -> set[str]:
    """Document ids of every evaluation split present: training never sees them, even when another
    corpus's train split holds the same abstract (BioRED's train split holds 44 BC5CDR dev abstracts)."""
    from kg.evaluate import corpus_names, corpus_present, load_corpus

    root = Path(root)
    out: set[str] = set()
    for name in corpora or corpus_names():
        for split in splits:
            if corpus_present(name, split, root):
                out |= {g.id for g in load_corpus(name, split, root)}
    return out


def tune_part(doc_id: str, share: int = 10) -> bool:
    """Whether a train document belongs to the tuning part (1 in ``share``, by a hash of its id): it is
    kept out of training so that choices (epochs, how NER and lexicon combine) are measured on train
    data the model has not seen, never on dev."""
    import hashlib

    return share > 0 and int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % share == 0


def corpus_examples(nlp: Language, root: str | Path, corpora: dict[str, dict[str, str]] | None = None,
                    split: str = "train", limit: int = 0, tune_share: int = 10) -> list[Example]:
    """Training examples from the ``split`` of each corpus, without any held-out (dev, test) or tuning
    document. Labels a corpus does not annotate are marked unknown on the strings the other corpora
    annotate with them."""
    from kg.evaluate import load_corpus

    corpora = corpora or TRAINING
    held = held_out_ids(root)
    golds = {}
    for name in corpora:
        gold = [g for g in load_corpus(name, split, root) if g.id not in held and not tune_part(g.id, tune_share)]
        golds[name] = gold[:limit] if limit else gold
    labels = {label for m in corpora.values() for label in m.values()}
    strings: dict[str, set[tuple[str, ...]]] = {label: set() for label in labels}
    for name, gold in golds.items():
        for g in gold:
            for m in g.mentions:
                label = corpora[name].get(m.type)
                if label and not m.fragments:
                    strings[label].add(tuple(t.lower_ for t in nlp.make_doc(m.text)))
    examples: list[Example] = []
    for name, type_map in corpora.items():
        unannotated = labels - set(type_map.values())
        missing = {k: label for label in sorted(unannotated) for k in strings[label] if k}
        examples.extend(training_examples(nlp, golds[name], type_map, missing))
        log.info("%s %s: %d documents", name, split, len(golds[name]))
    return examples


def train_from_corpora(root: str | Path, out: str | Path | None = None, epochs: int = 15, seed: int = 0,
                       limit: int = 0, corpora: dict[str, dict[str, str]] | None = None,
                       progress: Callable[[int, float], None] | None = None) -> Language:
    """``kg train``: the NER trained on the train splits of the corpora under ``root``."""
    corpora = corpora or TRAINING
    examples = corpus_examples(blank_nlp(), root, corpora, limit=limit)
    labels = sorted({label for m in corpora.values() for label in m.values()})
    return train(examples, labels, epochs=epochs, seed=seed, out=out if out is not None else MODEL_DIR, progress=progress)
