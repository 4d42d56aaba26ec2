"""``kg train``: training kg's learned components on the corpora's train splits (``ner``: the recogniser)."""

from kg.training.ner import corpus_examples, train, train_from_corpora, training_corpora, tune_part

__all__ = ["corpus_examples", "train", "train_from_corpora", "training_corpora", "tune_part"]
