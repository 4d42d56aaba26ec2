"""``kg train``: training kg's learned components on the corpora's annotations (``ner``: the recogniser;
``claims``: the claim classifier)."""

from kg.training.claims import train_claims
from kg.training.ner import corpus_examples, train, train_from_corpora, training_corpora, tune_part

__all__ = ["corpus_examples", "train", "train_claims", "train_from_corpora", "training_corpora", "tune_part"]
