"""The trained recogniser (trained tiny here, through the same code path as ``kg train``), the fuzzy
linker over a small lexicon, unlinked mentions, and the corpus-derived lexicon data."""

from __future__ import annotations

import pytest

from kg.corpora import read_pubtator_gold
from kg.errors import KgError
from kg.nlp.fuzzy import FuzzyLinker
from kg.ground import Grounder
from kg.ontology import Lexicon
from kg.model import AnnotatedDocument, Document, Mention, Section, Synonym, Term
from tests.conftest import FIXTURES

TYPE_MAP = {"Disease": "Disease", "Chemical": "Chemical", "SpecificDisease": "Disease", "DiseaseClass": "Disease",
            "CompositeMention": "Disease"}


@pytest.fixture(scope="module")
def small_lexicon():
    terms = [
        Term("HP:9000010", "Gear hypoplasia", (Synonym("small gears"),), (), ("HP:0000118",), "hp"),
        Term("HP:9000011", "Gearly", (), (), ("HP:0012823",), "hp"),  # a clinical modifier: not a phenotype
        Term("MONDO:9000001", "cog dystrophy", (Synonym("dystrophy of cogs"),), (), (), "mondo"),
        Term("CHEBI:9000002", "sprocketol", (), (), (), "chebi"),
        Term("MESH:C000001", "Kravitz syndrome", (), (), (), "kg-corpus:disease"),
        Term("MESH:D900001", "Gearbox Inflammation", (), (), (), "mesh+kg-corpus:drug"),
    ]
    return Lexicon.build(terms, [])


def test_hp_terms_outside_phenotypic_abnormality_are_not_typed(small_lexicon):
    assert small_lexicon.types["HP:9000010"] == "phenotype"
    assert "HP:9000011" not in small_lexicon.types and "HP:9000011" in small_lexicon.labels


def test_corpus_declared_type_only_types_what_the_ontologies_do_not(small_lexicon):
    assert small_lexicon.types["MESH:C000001"] == "disease"  # no ontology type: the corpus declares it
    assert small_lexicon.types["MESH:D900001"] == "mechanism"  # MeSH's label rule wins over the corpus


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


def test_grounder_links_fuzzily_or_keeps_an_unlinked_concept(small_lexicon, tmp_path):
    doc = _doc("Patients had gear hypoplasias and blorpitis.")
    ms = (Mention("kgdoc:n", "abstract", "en", 0, 13, 29, "gear hypoplasias", "disease"),
          Mention("kgdoc:n", "abstract", "en", 0, 34, 43, "blorpitis", "disease"))
    ad = AnnotatedDocument(doc, (), ms)
    linker = FuzzyLinker(small_lexicon, threshold=0.5, folder=tmp_path / "index")
    (out,) = Grounder(small_lexicon, fuzzy=linker).ground_documents([ad])
    gear, blorp = out.mentions
    assert gear.concept.curie == "HP:9000010" and gear.groundings[0].match == "fuzzy"
    assert blorp.concept.curie == "kgid:unlinked_blorpitis" and blorp.concept.category == "biolink:Disease"
    (plain,) = Grounder(small_lexicon).ground_documents([ad])
    assert plain.mentions[0].concept.curie == "kgid:unlinked_gear_hypoplasias"


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    from kg.training.ner import blank_nlp, train, training_examples

    gold = read_pubtator_gold(FIXTURES / "corpora" / "gold.pubtator")
    examples = training_examples(blank_nlp(), gold, TYPE_MAP)
    out = tmp_path_factory.mktemp("ner")
    train(examples, ["Chemical", "Disease"], epochs=25, seed=1, out=out / "a")
    train(training_examples(blank_nlp(), gold, TYPE_MAP), ["Chemical", "Disease"], epochs=25, seed=1, out=out / "b")
    return out


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
