"""Training the recogniser (kg train) through the same code path, tiny: reproducible weights, examples that snap
spans and mark labels a corpus does not annotate unknown."""

from __future__ import annotations

from kg.corpora import read_pubtator_gold
from tests.conftest import FIXTURES, TYPE_MAP


def test_training_is_reproducible(tiny_model):
    a, b = tiny_model / "a", tiny_model / "b"
    assert (a / "meta.json").is_file()
    assert (a / "ner" / "model").read_bytes() == (b / "ner" / "model").read_bytes()


def test_training_examples_snap_spans_and_mark_unannotated_labels_unknown():
    from kg.training.ner import blank_nlp, training_examples

    gold = read_pubtator_gold(FIXTURES / "corpora" / "gold.pubtator")
    nlp = blank_nlp()
    (ex, *_rest) = training_examples(nlp, gold[1:], TYPE_MAP, missing={("brca1",): "Chemical"})
    ents = [(e.text, e.label_) for e in ex.reference.ents]
    assert ("Kravitz syndrome", "Disease") in ents and ("breast and ovarian cancer", "Disease") in ents
    brca = next(t for t in ex.reference if t.text == "BRCA1")
    assert brca.ent_iob_ == ""  # unknown: the corpus does not annotate chemicals
    assert next(t for t in ex.reference if t.text == "family").ent_iob_ == "O"
