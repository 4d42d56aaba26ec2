"""The trained recogniser in the pipeline (a tiny model trained through the same code path as kg train, and the
shipped one) and the fuzzy linker's index over a small lexicon."""

from __future__ import annotations

import pytest

from kg.errors import KgError
from kg.model import Document, Section
from kg.nlp.fuzzy import FuzzyLinker


def test_fuzzy_linker_builds_a_scispacy_index_and_finds_near_names(small_lexicon, tmp_path):
    linker = FuzzyLinker(small_lexicon, threshold=0.5, folder=tmp_path / "index")
    (near, none, typed) = linker.candidates(["gear hypoplasias", "qqqq", "cog dystrophies"],
                                            [None, None, ["drug"]])
    assert near[0].curie == "HP:9000010" and 0.5 <= near[0].similarity < 1.0
    assert none == () and typed == ()  # nothing similar; a disease name is not a drug
    for name in ("nmslib_index.bin", "tfidf_vectorizer.joblib", "tfidf_vectors_sparse.npz", "concept_aliases.json"):
        assert (tmp_path / "index" / name).is_file()
    strict = FuzzyLinker(small_lexicon, threshold=0.99, folder=tmp_path / "index")
    assert strict.candidates(["gear hypoplasias"]) == [()]


def _doc(text):
    return Document("kgdoc:n", "t", (Section("abstract", text),))


def test_pipeline_with_the_trained_recogniser_adds_its_spans(tiny_model):
    from kg.pipeline import Pipeline

    pipe = Pipeline(ner=tiny_model / "a", fuzzy=False)
    assert "kg_ner" in pipe.nlp.pipe_names and "kg_ner_merger" in pipe.nlp.pipe_names
    kg = pipe.run([_doc("Members of the family had Kravitz syndrome, breast cancer or ovarian cancer.")])
    ms = {m.text: m for m in kg.annotated[0].mentions}
    assert ms["Kravitz syndrome"].type == "disease"  # found by the NER only
    assert ms["Kravitz syndrome"].concept.curie.startswith(("kgid:unlinked_", "MESH:", "MONDO:", "DOID:"))
    assert ms["breast cancer"].concept.curie == "MONDO:0007254"  # the lexicon keeps its grounding


def test_asking_for_a_missing_model_is_an_error(tmp_path):
    from kg.pipeline import Pipeline

    with pytest.raises(KgError):
        Pipeline(ner=tmp_path / "no-model")


def test_the_shipped_recogniser_keeps_the_seed_claims():
    """With kg/models/ner, the seed gives the same claims (coordinations and "anti-" prefixes stay apart)."""
    from kg.ingest import read_sources
    from kg.nlp.ner import model_path
    from kg.pipeline import Pipeline
    from tests.conftest import SEED

    if model_path() is None:
        pytest.skip("the package ships no trained model")
    docs = read_sources([SEED])
    with_ner = Pipeline(lang="en", ner=True, fuzzy=False).run(docs)
    without = Pipeline(lang="en", fuzzy=False).run(docs)
    key = lambda kg: {(c.subject.curie, c.predicate, c.object.curie, c.direction) for c in kg.claims}  # noqa: E731
    assert len(key(without)) == 17 and key(with_ner) == key(without)
