"""A Pipeline is built from explicit resources: its spec pickles and builds the same pipeline in another
process, and two pipelines in one process keep their own lexicons."""

from __future__ import annotations

import multiprocessing
import pickle

from kg.model import Document, Section, Term
from kg.ontology import Lexicon
from kg.pipeline import Pipeline, PipelineSpec

TEXTS = [("en", "Metformin treats type 2 diabetes. Mesenchymal stem cells inhibit inflammation."),
         ("zh", "间充质干细胞分化为肝细胞。")]


def _claims(pipeline: Pipeline) -> list[tuple]:
    docs = [Document(f"kgdoc:{i}", "test", (Section("abstract", text, lang),)) for i, (lang, text) in enumerate(TEXTS)]
    return sorted((c.subject.curie, c.predicate, c.object.curie, c.direction, c.score) for c in pipeline.run(docs).claims)


def _build_and_run(spec: bytes) -> list[tuple]:
    return _claims(pickle.loads(spec).build())


def test_a_spec_builds_the_same_pipeline_in_another_process(small_pipeline):
    spec = small_pipeline.spec()
    assert isinstance(spec, PipelineSpec) and spec.config is small_pipeline.config
    data = pickle.dumps(spec)
    assert len(data) < 200_000  # the policy texts and options, not spaCy objects or the lexicon index
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        theirs = pool.apply(_build_and_run, (data,))
    ours = _claims(small_pipeline)
    assert theirs == ours and len(ours) == 4


def test_two_pipelines_in_one_process_keep_their_own_lexicons(small_pipeline, small_config):
    other = Pipeline(lexicon=Lexicon.build([Term("MONDO:0005148", "sugar sickness")], config=small_config),
                     lang="en", fuzzy=False)
    assert small_pipeline.nlp.get_pipe("kg_lexicon_matcher").lex is small_pipeline.lexicon
    assert other.nlp.get_pipe("kg_lexicon_matcher").lex is other.lexicon
    doc = [Document("kgdoc:x", "t", (Section("abstract", "Type 2 diabetes is sugar sickness."),))]
    assert [m.text for m in small_pipeline.run(doc).annotated[0].mentions] == ["Type 2 diabetes"]
    assert [m.text for m in other.run(doc).annotated[0].mentions] == ["sugar sickness"]


def _settled_claims(spec: bytes) -> tuple[int, int, list[tuple]]:
    import gc

    from kg.pipeline import settle

    pipeline = pickle.loads(spec).build()
    before = _claims(pipeline)
    settle()  # what a worker process does once its pipeline is built
    return gc.get_freeze_count(), len(gc.get_objects()), before + _claims(pipeline)


def test_a_settled_worker_keeps_its_pipeline_out_of_the_collectors_walks_and_reads_the_same(small_pipeline):
    with multiprocessing.get_context("spawn").Pool(1) as pool:  # its own process: settle() is for workers
        frozen, tracked, claims = pool.apply(_settled_claims, (pickle.dumps(small_pipeline.spec()),))
    assert frozen > 10_000 and tracked < frozen / 10  # the pipeline's objects are no longer walked
    ours = _claims(small_pipeline)
    assert claims == ours + ours  # the same claims before and after
