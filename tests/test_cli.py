"""The command line: commands, output formats, and one-line errors with a non-zero exit."""

from __future__ import annotations

import json

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from kg.cli import main
from kg.rdf.vocab import BIOLINK, KG
from tests.conftest import FIXTURES, SEED, run_cli

QUERY = """PREFIX biolink: <https://w3id.org/biolink/vocab/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label WHERE { ?t biolink:studied_to_treat ?d . ?d rdfs:label ?label FILTER(lang(?label) = "") } ORDER BY ?label"""
# (nodes also carry their Chinese rdfs:label@zh; the filter keeps the untagged English ones)


OBO = "http://purl.obolibrary.org/obo/"


def run(capsys, *args):
    code = main(list(map(str, args)))
    out, err = capsys.readouterr()
    return code, out, err


def test_query_table_csv_json(capsys, seed_ttl, tmp_path):
    code, out, _ = run(capsys, "query", seed_ttl, QUERY)
    assert code == 0 and "cirrhosis of liver" in out and out.rstrip().endswith("(5 rows)")
    code, out, _ = run(capsys, "query", seed_ttl, QUERY, "--format", "csv")
    assert out.splitlines()[0] == "label" and len(out.splitlines()) == 6
    rq = tmp_path / "q.rq"
    rq.write_text(QUERY, encoding="utf-8")
    code, out, _ = run(capsys, "query", seed_ttl, f"@{rq}", "--format", "json")
    data = json.loads(out)
    assert data["head"]["vars"] == ["label"] and len(data["results"]["bindings"]) == 5


def test_stats(capsys, seed_ttl):
    code, out, _ = run(capsys, "stats", seed_ttl, "--json")
    s = json.loads(out)
    assert code == 0 and s["documents"] == 1 and s["claims"] == 17
    assert s["claims_by_predicate"]["biolink:studied_to_treat"] == 5


def test_build_with_extra_ontology_and_mentions(capsys, tmp_path):
    src = tmp_path / "doc.txt"
    src.write_text("Widget syndrome\n\nSprocket cells may be used for widget syndrome.", encoding="utf-8")
    out, mentions = tmp_path / "kg.nt", tmp_path / "mentions.tsv"
    code, _, err = run(capsys, "build", src, "-o", out, "--ontology", FIXTURES / "mini.obo", "--mentions", mentions, "-q")
    assert code == 0 and err == ""
    text = out.read_text(encoding="utf-8")
    assert "http://purl.obolibrary.org/obo/MONDO_9000001" in text and "studied_to_treat" in text
    rows = mentions.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("document\tsection") and any("CL:9000003" in r for r in rows)


@pytest.mark.parametrize("make, expected", [
    (lambda d: ["build", d / "missing.txt", "-o", d / "kg.ttl"], "missing.txt: no such file or folder"),
    (lambda d: ["build", SEED, "-o", d / "kg.xyz"], "unknown output format"),
    (lambda d: ["build", _write(d / "empty.txt", ""), "-o", d / "kg.ttl"], "empty.txt: empty file"),
    (lambda d: ["build", _write(d / "bad.jsonl", '{"id": 1,\n'), "-o", d / "kg.ttl"], "bad.jsonl:1: invalid JSON"),
    (lambda d: ["build", _write(d / "p.txt", "X ›› 2020, Vol. 1 ›› Issue (1): 1-2.doi: 10.1/x\n"), "-o", d / "kg.ttl",
                "--input-format", "journal"], "malformed journal page"),
    (lambda d: ["build", SEED, "-o", d / "kg.ttl", "--ontology", _write(d / "o.obo", "junk\n")], "o.obo"),
    (lambda d: ["query", d / "none.ttl", "SELECT * {}"], "none.ttl: no such graph file"),
])
def test_bad_input_is_one_line_and_writes_nothing(capsys, tmp_path, make, expected):
    args = make(tmp_path)
    code, out, err = run(capsys, *args)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: ") and expected in lines[0]
    assert not (tmp_path / "kg.ttl").exists() and not list(tmp_path.glob(".kg.ttl.*"))


def test_bad_sparql_names_the_line(capsys, seed_ttl):
    code, _, err = run(capsys, "query", seed_ttl, "SELECT ?x WHERE {\n ?x ?y \n}")
    assert code == 1 and err.startswith("kg: error: query:") and "bad SPARQL" in err


def test_malformed_graph_file(capsys, tmp_path):
    bad = _write(tmp_path / "bad.ttl", "@prefix x: <http://x/> .\nx:a x:b .\n")
    code, _, err = run(capsys, "query", bad, "SELECT * {?s ?p ?o}")
    assert code == 1 and err.count("\n") == 1 and "bad.ttl:2: cannot parse turtle: bad syntax" in err


@pytest.mark.parametrize("name, text, expected", [
    ("bad.jsonld", '{"@id": "x",\n  bad}', "bad.jsonld:2: cannot parse json-ld"),
    ("bad.rdf", '<?xml version="1.0"?>\n<rdf:RDF>\n</rdf:RDF>', "bad.rdf:2: cannot parse xml: unbound prefix"),
    ("bad.trig", "<http://x/g> {\n <http://x/a> <http://x/b> }", "bad.trig:2: cannot parse trig: bad syntax"),
])
def test_malformed_graph_names_the_line(capsys, tmp_path, name, text, expected):
    code, _, err = run(capsys, "stats", _write(tmp_path / name, text))
    assert code == 1 and err.count("\n") == 1 and expected in err, err


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_lang_options(tmp_path, capsys):
    from rdflib import Graph

    outs = {}
    for lang in ("en", "zh", "all"):
        out = tmp_path / f"{lang}.ttl"
        assert main(["build", str(SEED), "-o", str(out), "--lang", lang]) == 0
        g = Graph()
        g.parse(out, format="turtle")
        outs[lang] = g
    err = capsys.readouterr().err
    assert "(17 read in both languages, 0 in one)" in err
    msc = URIRef(f"{OBO}CL_0000134")
    zh_labels = lambda g: {o for o in g.objects(msc, RDFS.label) if o.language == "zh"}  # noqa: E731
    assert not zh_labels(outs["en"]) and zh_labels(outs["zh"]) == zh_labels(outs["all"]) == {Literal("间充质干细胞", lang="zh")}
    assert not list(outs["en"].subjects(KG.aligned, None)) and list(outs["all"].subjects(KG.aligned, None))
    texts = {lang: {t.language for t in g.objects(None, BIOLINK.supporting_text)} for lang, g in outs.items()}
    assert texts == {"en": {"en"}, "zh": {"zh"}, "all": {"en", "zh"}}


def test_cli_bad_chinese_lexicon_is_a_one_line_error(tmp_path, capsys):
    bad = tmp_path / "bad.tsv"
    bad.write_text("term\tid\n", encoding="utf-8")
    out = tmp_path / "kg.ttl"
    assert main(["build", str(SEED), "-o", str(out), "--zh-lexicon", str(bad), "-q"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"kg: error: {bad}:1: ") and "\n" not in err and not out.exists()


def test_cli_skips_bad_records_and_counts_them(tmp_path, capsys, caplog):
    src = _write(tmp_path / "a.jsonl", '{"id": "a", "abstract": "Metformin treats type 2 diabetes."}\n{broken\n'
                                       '{"id": "b", "abstract": "Metformin may be used to treat type 2 diabetes."}\n')
    out = tmp_path / "kg.nq"
    assert main(["build", str(src), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.strip().startswith(f"kg: error: {src}:2: invalid JSON") and not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl"]  # no chunk was done: no work folder either
    assert main(["build", str(src), "-o", str(out), "--on-error", "skip", "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert f"{src}:2: invalid JSON" in caplog.text and "(skipped)" in caplog.text
    assert "kg: 2 document(s)" in err and ", 1 bad record(s) skipped ->" in err
    assert main(["build", str(src), "-o", str(out), "--dask", "somewhere"]) == 1
    assert "give a scheduler address such as tcp://host:8786" in capsys.readouterr().err


def test_cli_build_into_a_store_twice_replaces_the_documents_graph(tmp_path, capsys):
    store = tmp_path / "kg.store"
    out = tmp_path / "kg.nq"
    assert main(["build", str(SEED), "-o", str(out), "--store", str(store)]) == 0
    assert "created store" in capsys.readouterr().err
    assert main(["build", str(SEED), "-o", str(out), "--store", str(store)]) == 0
    assert "added to store" in capsys.readouterr().err
    assert main(["load", str(out), "--store", str(store)]) == 0
    quads = sum(1 for line in out.read_text(encoding="utf-8").splitlines() if line.strip())
    assert f"0 new triples, {quads:,} in all" in capsys.readouterr().err  # the second build replaced, not added
def test_a_missing_claim_model_is_one_line_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "kg.ttl"
    code, _, err = run_cli(capsys, "build", SEED, "-o", out, "--lang", "en", "--claims-model", tmp_path / "none.json")
    assert code == 1 and not out.exists()
    assert err.startswith("kg: error: ") and "none.json" in err and len(err.strip().splitlines()) == 1
    code, _, _ = run_cli(capsys, "build", SEED, "-o", out, "--lang", "en", "--rules-only", "-q")
    assert code == 0 and out.exists()


def test_the_kg_command_leaves_its_output_whole(tmp_path):
    """``python -m kg.cli`` (``run``: a process of its own, which leaves without tearing down what it
    built): the same graph as ``main`` in this process, the summary line flushed, the exit code kept."""
    import subprocess
    import sys

    from rdflib import Dataset

    own, here = tmp_path / "own.nq", tmp_path / "here.nq"
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(FIXTURES / "abstracts.jsonl"), "-o", str(own)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith("kg: ") and f"-> {own}" in proc.stderr
    assert main(["build", str(FIXTURES / "abstracts.jsonl"), "-o", str(here), "-q"]) == 0
    assert own.read_bytes() == here.read_bytes()  # the whole graph, written out before the process left
    assert len(Dataset().parse(own, format="nquads")) > 0
    bad = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "x.nq")],
                         capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and bad.stderr.startswith("kg: error: ")
    assert not (tmp_path / "x.nq").exists()
