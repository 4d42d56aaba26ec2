"""Building in chunks: the same bytes as a build in one piece whatever the chunk size, the workers (in
this process, worker processes, a Dask LocalCluster) or a SIGKILL and --resume; the work folder and its
manifest; bad records stopped or skipped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.ingest import read_sources
from kg.scale import BuildOptions, build_corpus
from tests.conftest import FIXTURES, ROOT

CORPUS = FIXTURES / "corpus.jsonl"  # ten abstracts over the fixture ontologies, three with Chinese text


@pytest.fixture(scope="module")
def spec(small_pipeline):
    return small_pipeline.spec()


@pytest.fixture(scope="module")
def whole(small_pipeline, tmp_path_factory):
    """The corpus built in one piece, in memory (``Pipeline.run``), written as N-Quads."""
    out = tmp_path_factory.mktemp("whole") / "kg.nq"
    small_pipeline.run(read_sources([CORPUS])).write(out)
    return out.read_bytes()


def _build(tmp_path, spec, pipeline=None, name="kg.nq", **options):
    out = tmp_path / name
    result = build_corpus([CORPUS], out, spec, BuildOptions(**options), pipeline=pipeline)
    return out, result


@pytest.mark.parametrize("chunk_size", [1, 3, 4, 500])
def test_any_chunk_size_writes_the_bytes_of_a_build_in_one_piece(tmp_path, spec, small_pipeline, whole, chunk_size):
    out, r = _build(tmp_path, spec, small_pipeline, chunk_size=chunk_size)
    assert out.read_bytes() == whole
    assert r.documents == 10 and r.chunks == -(-10 // chunk_size) and r.graph.claims == 10
    assert (r.graph.aligned, r.graph.single_language) == (2, 1)  # one claim of c05 is read in English only
    assert not (tmp_path / "kg.nq.work").exists()  # the work folder goes once the output is written


def test_what_the_corpus_shares_is_folded_across_chunks(tmp_path, spec, small_pipeline):
    """Hedged only if all evidence is, the best score, aligned only if every bilingual document aligns it,
    Chinese labels on nodes of English-only chunks once any chunk read Chinese."""
    out, _ = _build(tmp_path, spec, small_pipeline, chunk_size=1)
    text = out.read_text(encoding="utf-8")
    inflammation = [ln for ln in text.splitlines() if "/assoc/" in ln.split(" ")[0]]
    assert inflammation
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(out), format=ox.RdfFormat.N_QUADS)
    rows = list(store.query(
        "PREFIX b: <https://w3id.org/biolink/vocab/> PREFIX kg: <https://w3id.org/kg/vocab/> "
        "SELECT ?h ?score WHERE { ?a b:subject <http://purl.obolibrary.org/obo/CL_0000134> ; "
        "b:object <http://purl.obolibrary.org/obo/GO_0006954> ; b:negated false ; kg:hedged ?h ; "
        "b:has_confidence_score ?score }"))
    assert [(r["h"].value, r["score"].value) for r in rows] == [("false", "0.882")]  # c02 hedged, c01 c07 not
    assert '<http://id.nlm.nih.gov/mesh/D008687> <http://www.w3.org/2000/01/rdf-schema#label> "二甲双胍"@zh .' in text


def test_worker_processes_write_the_same_bytes(tmp_path, spec, whole):
    out, r = _build(tmp_path, spec, workers=2, chunk_size=2)
    assert out.read_bytes() == whole and r.chunks == 5


def test_a_dask_local_cluster_writes_the_same_bytes(tmp_path, spec, whole):
    pytest.importorskip("distributed")
    out, r = _build(tmp_path, spec, workers=2, chunk_size=3, dask="local")
    assert out.read_bytes() == whole and r.chunks == 4


def test_every_format_is_the_same_whatever_the_chunks(tmp_path, spec, small_pipeline):
    kg = small_pipeline.run(read_sources([CORPUS]))
    for suffix in (".nt", ".ttl", ".trig", ".jsonld"):
        kg.write(tmp_path / f"whole{suffix}")
        out, _ = _build(tmp_path, spec, small_pipeline, name=f"kg{suffix}", chunk_size=3)
        assert out.read_bytes() == (tmp_path / f"whole{suffix}").read_bytes(), suffix


def test_mentions_are_joined_in_input_order(tmp_path, spec, small_pipeline):
    from kg.pipeline import mentions_tsv

    kg = small_pipeline.run(read_sources([CORPUS]))
    _build(tmp_path, spec, small_pipeline, chunk_size=3, mentions=tmp_path / "m.tsv")
    assert (tmp_path / "m.tsv").read_text(encoding="utf-8") == mentions_tsv(kg.mentions())


KILL_AND_RESUME = """
import sys
from kg.config import Config
from kg.pipeline import PipelineSpec
from kg.scale import BuildOptions, build_corpus
config = Config.default().with_ontologies(sys.argv[3])
spec = PipelineSpec(config, fuzzy=False)
build_corpus([sys.argv[1]], sys.argv[2], spec, BuildOptions(workers=2, chunk_size=1, resume="--resume" in sys.argv))
"""


def test_a_build_killed_by_sigkill_resumes_and_writes_the_same_bytes(tmp_path, spec, small_pipeline):
    """Killed (the build and its two workers) once three chunks are done; resumed in this process with one
    worker: the chunks done are kept, the output is that of a build in one piece."""
    recs = [json.loads(x) for x in CORPUS.read_text(encoding="utf-8").splitlines()] * 4
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({**r, "id": f"r{i:02d}"}, ensure_ascii=False) + "\n" for i, r in enumerate(recs)),
                      encoding="utf-8")
    out = tmp_path / "kg.nq"
    args = [sys.executable, "-c", KILL_AND_RESUME, str(corpus), str(out), str(FIXTURES / "ontologies")]
    proc = subprocess.Popen(args, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    chunks = tmp_path / "kg.nq.work" / "chunks"
    deadline = time.time() + 120
    while time.time() < deadline and len(list(chunks.glob("*.json"))) < 3 and proc.poll() is None:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the build and its workers, at once
    proc.wait()
    done = len(list(chunks.glob("*.json")))
    assert not out.exists() and 3 <= done < 40
    r = build_corpus([corpus], out, spec, BuildOptions(chunk_size=1, resume=True), pipeline=small_pipeline)
    assert r.resumed == done and r.documents == 40
    reference = tmp_path / "ref.nq"
    small_pipeline.run(read_sources([corpus])).write(reference)
    assert out.read_bytes() == reference.read_bytes()
    assert not (tmp_path / "kg.nq.work").exists()


def test_resume_refuses_a_changed_input_or_configuration(tmp_path, spec, small_pipeline):
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(CORPUS.read_bytes())
    out = tmp_path / "kg.nq"
    build_corpus([corpus], out, spec, BuildOptions(chunk_size=3, keep_work=True), pipeline=small_pipeline)
    manifest = json.loads((tmp_path / "kg.nq.work" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"][0]["path"] == str(corpus) and len(manifest["inputs"][0]["sha256"]) == 64
    r = build_corpus([corpus], out, spec, BuildOptions(chunk_size=3, resume=True, keep_work=True), pipeline=small_pipeline)
    assert r.resumed == r.chunks == 4
    with pytest.raises(KgError, match="cannot resume: the configuration differs: chunk_size"):
        build_corpus([corpus], out, spec, BuildOptions(chunk_size=4, resume=True), pipeline=small_pipeline)
    with corpus.open("a", encoding="utf-8") as fh:
        fh.write('{"id": "c11", "abstract": "Metformin treats type 2 diabetes."}\n')
    with pytest.raises(KgError, match=r"c\.jsonl: changed since that run \(its checksum differs\)"):
        build_corpus([corpus], out, spec, BuildOptions(chunk_size=3, resume=True), pipeline=small_pipeline)
    r = build_corpus([corpus], out, spec, BuildOptions(chunk_size=3), pipeline=small_pipeline)  # starts afresh
    assert r.documents == 11 and r.resumed == 0


def test_a_bad_record_stops_with_nothing_written_or_is_skipped(tmp_path, spec, small_pipeline):
    good = CORPUS.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(good[:7] + ['{"id": "x", "abstract": '] + good[7:] + ['[1, 2]']) + "\n", encoding="utf-8")
    out = tmp_path / "kg.nq"
    with pytest.raises(KgError, match=r"bad\.jsonl:8: invalid JSON"):
        build_corpus([bad], out, spec, BuildOptions(chunk_size=3), pipeline=small_pipeline)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl", "kg.nq.work"]  # chunks done are kept
    r = build_corpus([bad], out, spec, BuildOptions(chunk_size=3, on_error="skip", resume=True), pipeline=small_pipeline)
    assert r.skipped == 2 and r.documents == 10 and r.resumed == 2
    whole = tmp_path / "whole.nq"
    small_pipeline.run(read_sources([CORPUS])).write(whole)
    assert out.read_bytes() == whole.read_bytes()


def test_progress_is_one_bar_over_documents(tmp_path, spec, small_pipeline, capsys):
    _build(tmp_path, spec, small_pipeline, chunk_size=2, progress=True)
    err = capsys.readouterr().err
    assert "kg build" in err and "doc" in err and "10/10" in err


def test_the_work_folder_is_checked(tmp_path, spec, small_pipeline):
    (tmp_path / "kg.nq.work").mkdir()
    (tmp_path / "kg.nq.work" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(KgError, match="not a kg work folder"):
        _build(tmp_path, spec, small_pipeline)
    assert (tmp_path / "kg.nq.work" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_store_grows_and_rebuilt_documents_replace_their_graphs(tmp_path, spec, small_pipeline):
    """Two builds into one store: the second's documents are added, c04 and c05 built again replace their
    named graphs (c04 now says something else: the association only it gave is gone), and the corpus-wide
    attributes are folded: the store holds the graph of one build of everything."""
    import pyoxigraph as ox

    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    c04 = json.dumps({"id": "c04", "title": "Liver regeneration", "abstract": "Liver transplantation was performed."})
    first, second, final = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "all.jsonl"
    first.write_text("\n".join(lines[:5]) + "\n", encoding="utf-8")
    second.write_text("\n".join([c04] + lines[4:]) + "\n", encoding="utf-8")
    final.write_text("\n".join(lines[:3] + [c04] + lines[4:]) + "\n", encoding="utf-8")
    store = tmp_path / "kg.store"
    build_corpus([first], tmp_path / "a.nq", spec, BuildOptions(store=store), pipeline=small_pipeline)
    before = set(ox.Store.read_only(str(store)))
    assert any(q.predicate.value.endswith("studied_to_treat") for q in before)  # only c04 said "may be used"
    build_corpus([second], tmp_path / "b.nq", spec, BuildOptions(store=store), pipeline=small_pipeline)
    whole = tmp_path / "whole.nq"
    small_pipeline.run(read_sources([final])).write(whole)
    got = set(ox.Store.read_only(str(store)))
    want = set(ox.parse(path=str(whole), format=ox.RdfFormat.N_QUADS))
    assert got == want
