"""Training kg's recogniser (``kg train``): a spaCy NER on the corpora's train splits, with fixed seeds so the
same inputs give the same model. The model it writes is used at run time by ``kg.nlp.ner``.

Which corpora train which labels is ``ner`` of each corpus in ``corpora.toml``; dev and test documents
(of any corpus) and a tuning part (1 in 10 train documents) are kept out.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from kg.config import Config
from kg.corpora import Corpora
from kg.nlp.ner import MODEL_DIR
from kg.nlp.tokenizer import scispacy_tokenizer

log = logging.getLogger(__name__)

# spaCy's CPU "efficiency" NER (spacy init config -p ner -o efficiency), without vectors.
NER_MODEL = {
    "@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner", "extra_state_tokens": False,
    "hidden_width": 64, "maxout_pieces": 2, "use_upper": True, "nO": None,
    "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None, "width": 96, "depth": 4,
                "embed_size": 2000, "window_size": 1, "maxout_pieces": 3, "subword_features": True},
}


# The same parser over a tok2vec that also embeds the lexicon matcher's tag of each token (TAG, written by
# kg_lexicon_tags: B-disease, I-drug, O, ...) beside the norm, prefix, suffix and shape.
LEXICON_NER_MODEL = {
    **NER_MODEL,
    "tok2vec": {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 96,
                  "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE", "TAG"], "rows": [2000, 1000, 1000, 1000, 64],
                  "include_static_vectors": False},
        "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 96, "depth": 4, "window_size": 1,
                   "maxout_pieces": 3},
    },
}


def blank_nlp() -> Language:
    """Blank English with scispaCy's tokenizer: the tokenisation the recognition pipeline uses."""
    nlp = spacy.blank("en")
    nlp.tokenizer = scispacy_tokenizer(nlp)
    return nlp


def training_examples(nlp: Language, gold_docs: Iterable, type_map: dict[str, str],
                      missing: dict[tuple[str, ...], str] | None = None,
                      sections: Sequence[str] = ("title", "abstract", "body"),
                      featurize: Callable[[str], Doc] | None = None) -> list[Example]:
    """One Example per gold section: its tokens and the gold spans of the mapped types as entities.
    Spans are snapped to token boundaries; overlapping spans keep the longest. ``missing``: lowercased
    token sequences whose label this corpus does not annotate (NCBI-disease has no chemicals): their
    tokens are marked unknown rather than "outside", so the corpus does not teach that they are not
    entities. ``featurize``: what makes the predicted Doc of a text (default: the tokenizer alone; for a
    recogniser with lexicon features, the recognition pipeline up to ``kg_lexicon_tags``)."""
    out = []
    first: dict[str, list[tuple[str, ...]]] = {}
    for key in missing or ():
        first.setdefault(key[0], []).append(key)
    for g in gold_docs:
        for section in g.document.sections:
            if section.kind not in sections or not section.text.strip():
                continue
            doc = featurize(section.text) if featurize is not None else nlp.make_doc(section.text)
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
          dropout: float = 0.1, out: str | Path | None = None, progress: Callable[[int, float], None] | None = None,
          lexicon_features: bool = False) -> Language:
    """Train a blank NER on ``examples`` with fixed seeds (the same inputs give the same model) and save
    it to ``out``. Returns the trained pipeline (tokenizer + ``ner``). ``lexicon_features``: the model
    also embeds each token's lexicon tag (the examples' predicted Docs must carry it)."""
    spacy.util.fix_random_seed(seed)
    rng = random.Random(seed)
    nlp = blank_nlp()
    ner = nlp.add_pipe("ner", config={"model": LEXICON_NER_MODEL if lexicon_features else NER_MODEL})
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
        nlp.meta["kg"] = {"lexicon_tags": bool(lexicon_features)}
        if lexicon_features:
            nlp.meta["description"] += ", with the lexicon matcher's tag of each token as a feature"
        nlp.to_disk(out, exclude=["tokenizer"])
    return nlp


def training_corpora(config: Config) -> dict[str, dict[str, str]]:
    """Which corpora train which labels: corpus -> (corpus type -> NER label), the ``ner`` tables of
    ``corpora.toml``."""
    table = config.corpora.table("corpus")
    out = {}
    for name in table:
        spec = table.table(name)
        if "ner" in spec:
            ner = spec.table("ner")
            out[name] = {t: ner.string(t) for t in ner}
    return out


def tune_part(doc_id: str, share: int = 10) -> bool:
    """Whether a train document belongs to the tuning part (1 in ``share``, by a hash of its id): it is
    kept out of training so that choices (epochs, how NER and lexicon combine) are measured on train
    data the model has not seen, never on dev."""
    import hashlib

    return share > 0 and int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % share == 0


def corpus_examples(nlp: Language, root: str | Path, corpora: dict[str, dict[str, str]] | None = None,
                    split: str = "train", limit: int = 0, tune_share: int = 10,
                    config: Config | None = None, featurize: Callable[[str], Doc] | None = None) -> list[Example]:
    """Training examples from the ``split`` of each corpus, without any held-out (dev, test) or tuning
    document. Labels a corpus does not annotate are marked unknown on the strings the other corpora
    annotate with them."""
    config = config or Config.default()
    registry = Corpora(config, root)
    corpora = corpora or training_corpora(config)
    held = registry.held_out_ids()
    golds = {}
    for name in corpora:
        gold = [g for g in registry.load(name, split) if g.id not in held and not tune_part(g.id, tune_share)]
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
        examples.extend(training_examples(nlp, golds[name], type_map, missing, config.sections, featurize))
        log.info("%s %s: %d documents", name, split, len(golds[name]))
    return examples


def ontologies_without_corpus_terms(folder: Path, config: Config) -> Path:
    """An ontologies folder like ``config``'s without the train splits' mention strings
    (``lexicons/corpus_terms.tsv``), made of links in ``folder``: the lexicon that tags the training
    texts must not know their own gold mentions, or the recogniser learns to copy it."""
    src = config.ontologies
    (folder / "lexicons").mkdir(parents=True, exist_ok=True)
    for p in sorted((src / "lexicons").iterdir()):
        if p.name != "corpus_terms.tsv" and not (folder / "lexicons" / p.name).exists():
            (folder / "lexicons" / p.name).symlink_to(p.resolve())
    for p in sorted(src.iterdir()):
        if p.name != "lexicons" and not (folder / p.name).exists():
            (folder / p.name).symlink_to(p.resolve())
    return folder


def lexicon_featurizer(config: Config) -> Callable[[str], Doc]:
    """What makes a training text's Doc for a recogniser with lexicon features: the English recognition
    pipeline (sentences, abbreviations, lexicon matcher, ``kg_lexicon_tags``) over the shipped lexicons
    without the corpus terms."""
    import tempfile

    from kg.nlp.english import build_english
    from kg.ontology import load_lexicon

    folder = ontologies_without_corpus_terms(Path(tempfile.mkdtemp(prefix="kg-ner-lexicon-")), config)
    cfg = config.with_ontologies(folder)
    nlp = build_english(load_lexicon(config=cfg), cfg, lexicon_tags=True)
    names = [n for n in nlp.pipe_names if n.startswith("medspacy")]
    for n in names:
        nlp.remove_pipe(n)

    def featurize(text: str) -> Doc:  # the tokens and their tags only (spans and matches do not pickle)
        doc = nlp(text)
        return Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc],
                   tags=[t.tag_ for t in doc])

    return featurize


def train_from_corpora(root: str | Path, out: str | Path | None = None, epochs: int = 15, seed: int = 0,
                       limit: int = 0, corpora: dict[str, dict[str, str]] | None = None,
                       progress: Callable[[int, float], None] | None = None, config: Config | None = None,
                       lexicon_features: bool = False) -> Language:
    """``kg train``: the NER trained on the train splits of the corpora under ``root`` (``lexicon_features``:
    with the lexicon matcher's tags as features, ``lexicon_featurizer``)."""
    config = config or Config.default()
    corpora = corpora or training_corpora(config)
    featurize = lexicon_featurizer(config) if lexicon_features else None
    examples = corpus_examples(blank_nlp(), root, corpora, limit=limit, config=config, featurize=featurize)
    labels = sorted({label for m in corpora.values() for label in m.values()})
    return train(examples, labels, epochs=epochs, seed=seed, out=out if out is not None else MODEL_DIR,
                 progress=progress, lexicon_features=lexicon_features)
