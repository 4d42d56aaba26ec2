"""RDF writers (one contract over every writer), determinism, vocabulary."""

from __future__ import annotations

import subprocess
import sys

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.config import Config
from kg.errors import KgError
from kg.files import write_atomic
from kg.rdf import SUFFIXES, WRITERS, predicate_iri, to_dataset, to_graph, write
from tests.conftest import ROOT, SEED, SHARED

PARSE = {"turtle": "turtle", "nt": "nt", "json-ld": "json-ld", "trig": "trig", "nquads": "nquads"}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_writer_contract(seed_kg, tmp_path, fmt):
    """Every writer's output parses back to the same triples (isomorphic to the in-memory graph)."""
    suffix = next(s for s, f in SUFFIXES.items() if f == fmt)
    path = tmp_path / f"kg{suffix}"
    write(seed_kg.graph, path)
    expected = to_graph(seed_kg.graph)
    if fmt in ("trig", "nquads"):
        ds = Dataset()
        ds.parse(path, format=PARSE[fmt])
        got = Graph()
        for s, p, o, _ in ds.quads((None, None, None, None)):
            got.add((s, p, o))
        assert len({c for *_, c in ds.quads((None, None, None, None))}) >= 2  # default graph + the document's graph
    else:
        got = Graph()
        got.parse(path, format=PARSE[fmt])
    assert isomorphic(got, expected)


def test_named_graph_per_document(seed_kg):
    ds = to_dataset(seed_kg.graph)
    names = {str(c.identifier) for c in ds.contexts()}
    assert "https://doi.org/10.16352/j.issn.1001-6325.2023.01.0012" in names


@pytest.mark.parametrize("suffix", [".nt", ".trig"])
def test_same_input_gives_byte_identical_output(tmp_path, suffix):
    """Two separate processes with different hash seeds write identical bytes (TriG too: rdflib's was not)."""
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"kg{seed}{suffix}"
        env = {**__import__("os").environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "kg.cli", "build", str(SEED), "-o", str(out), "-q"], check=True, env=env, cwd=ROOT)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and len(outs[0]) > 10000


def test_one_edge_per_claim_key_with_merged_evidence(seed_kg):
    g = seed_kg.graph
    edges = g.get_edge_data("MESH:D045164", "MONDO:0005154")
    (data,) = edges.values()
    assert len(data["evidence"]) == 3  # the English title and last sentence, the Chinese last sentence
    assert {(e.section, e.lang) for e in data["evidence"]} == {("title", "en"), ("abstract", "en"), ("abstract", "zh")}


def test_every_mapped_predicate_is_a_biolink_term():
    for p in Config.default().predicates.values():
        assert predicate_iri(p.biolink)  # DefinedNamespace raises for a name it lacks
        assert not p.relation or p.relation.startswith("RO:")


@pytest.mark.skipif(not (SHARED / "ontologies/biolink/from_pypi/biolink_model-4.4.6.yaml").is_file(),
                    reason="the Biolink model file of ../shared is not here")
def test_predicates_and_classes_exist_in_the_biolink_model():
    import yaml

    model = yaml.safe_load((SHARED / "ontologies/biolink/from_pypi/biolink_model-4.4.6.yaml").read_text(encoding="utf-8"))
    slots = {k.replace(" ", "_") for k in model["slots"]}
    classes = {"".join(w[:1].upper() + w[1:] for w in k.split(" ")) for k in model["classes"]}
    from kg.rdf.vocab import BIOLINK

    terms = [str(t).rsplit("/", 1)[1] for t in dir(BIOLINK)]
    assert len(terms) > 40
    for term in terms:
        assert term in slots or term in classes, f"biolink:{term} is not in Biolink 4.4.6"


def test_unknown_output_suffix(seed_kg, tmp_path):
    with pytest.raises(KgError, match="unknown output format '.xyz'"):
        write(seed_kg.graph, tmp_path / "kg.xyz")


def test_atomic_write_leaves_nothing_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "out.ttl"
    target.write_text("old", encoding="utf-8")

    import kg.files as files
    from kg.errors import KgError

    def exploding_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", exploding_replace)
    with pytest.raises(KgError, match="cannot write: disk full"):  # one line for the CLI, not a traceback
        write_atomic(target, "new content")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_a_whole_text_read_as_its_abstract_keeps_a_bounded_summary(small_pipeline, tmp_path, caplog):
    """A plain-text paper is read whole, but its biolink:summary literal is cut: Oxigraph, which writes
    Turtle, refuses a term over 16 MiB, and rdflib parses a long literal in quadratic time."""
    import pyoxigraph as ox

    from kg.rdf.build import TEXT_LITERAL_CHARS

    src = tmp_path / "paper.txt"
    sentence = "Mesenchymal stem cells reduce inflammation in liver cirrhosis. "
    src.write_text("A long paper\n\n" + sentence * (2 * TEXT_LITERAL_CHARS // len(sentence)), encoding="utf-8")
    with caplog.at_level("WARNING", logger="kg.rdf.build"):
        built = small_pipeline.build([src])
        out = tmp_path / "paper.ttl"
        write(built.graph, out)
    assert max(m.start for m in built.annotated[0].mentions) > TEXT_LITERAL_CHARS  # all of it was read
    summaries = [q.object.value for q in ox.parse(path=str(out)) if q.predicate.value.endswith("/summary")]
    assert len(summaries) == 1 and TEXT_LITERAL_CHARS // 2 < len(summaries[0]) <= TEXT_LITERAL_CHARS + 2
    assert summaries[0].endswith(" …") and summaries[0].startswith("Mesenchymal stem cells")
    assert "its literal keeps the first" in caplog.text
