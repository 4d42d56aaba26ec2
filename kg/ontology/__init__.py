"""Ontologies as kg uses them: the lexicon (terms, their normalised keys, types and equivalence clusters),
the type policy, the readers and writers of ontology files (OBO, OWL/RDF, SSSOM, kg lexicon TSV) and the
Chinese lexicon. No spaCy here: the recogniser (``kg.nlp``) and the grounder (``kg.ground``) use these."""

from kg.ontology.io import (READERS, read_lexicon, read_obo, read_ontology, read_rdf, read_sssom, sniff_format,
                            write_lexicon)
from kg.ontology.lexicon import CORPUS_SOURCE, Entry, Lexicon, load_lexicon, merge_terms, shipped_files
from kg.ontology.normalize import POSSESSIVE, WORD, Normalizer
from kg.ontology.policy import TherapyPolicy, TypePolicy
from kg.ontology.zh import ZhEntry, ZhLexicon, load_zh_lexicon, read_zh_lexicon

__all__ = [
    "CORPUS_SOURCE", "Entry", "Lexicon", "Normalizer", "POSSESSIVE", "READERS", "TherapyPolicy", "TypePolicy", "WORD",
    "ZhEntry", "ZhLexicon", "load_lexicon", "load_zh_lexicon", "merge_terms", "read_lexicon", "read_obo",
    "read_ontology", "read_rdf", "read_sssom", "read_zh_lexicon", "shipped_files", "sniff_format", "write_lexicon",
]
