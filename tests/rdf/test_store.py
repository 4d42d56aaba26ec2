"""Backends and the on-disk store: one contract over rdflib, Oxigraph in memory and an Oxigraph store folder;
kg load (atomic, idempotent, locked stores); named queries and their parameters."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from kg.rdf.named import find_named, named_queries, render
from kg.rdf.query import format_result
from kg.rdf.store import load_store, open_backend
from tests.conftest import FIXTURES
from tests.conftest import run_cli as run

PARAMS = {
    "treats": {"disease": "MONDO:0005154"},
    "mechanisms": {"therapy": "MESH:D045164"},
    "evidence": {"subject": "MESH:D045164", "object": "DOID:5082", "predicate": "biolink:studied_to_treat"},
    "hedged": {},
    "shared_mechanism": {"disease": "MONDO:0005155"},
}
EXTRA = {
    "ask": "PREFIX biolink: <https://w3id.org/biolink/vocab/> ASK { ?t biolink:studied_to_treat ?d }",
    "construct": ("PREFIX kg: <https://w3id.org/kg/vocab/> CONSTRUCT { ?t kg:therapeuticAgent ?a } "
                  "WHERE { ?t kg:therapeuticAgent ?a }"),
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
}


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory, merged_seed):
    d = tmp_path_factory.mktemp("store") / "kg.store"
    load_store([merged_seed[0]], d)
    return d


@pytest.fixture(scope="module", params=["rdflib", "oxigraph-memory", "oxigraph-store"])
def backend(request, merged_seed, store_dir):
    path = merged_seed[0]
    if request.param == "rdflib":
        return open_backend(path)
    if request.param == "oxigraph-memory":
        return open_backend(path, "oxigraph")
    return open_backend(store_dir)


@pytest.fixture(scope="module")
def reference(merged_seed):
    """What rdflib answers: every backend must answer the same."""
    b = open_backend(merged_seed[0])
    return {name: _answers(b, text) for name, text in _queries().items()}


def _queries():
    out = {n: render(q, PARAMS[n]) for n, q in named_queries().items()}
    out.update(EXTRA)
    return out


def _answers(b, text):
    r = b.query(text)
    if r.type == "CONSTRUCT":
        return sorted(tuple(map(str, t)) for t in r.graph)
    return tuple(format_result(b.query(text), fmt, b.namespace_graph()) for fmt in ("table", "csv", "json"))


def test_every_backend_gives_the_same_answers(backend, reference):
    assert set(PARAMS) == set(named_queries())  # every shipped query is in the contract
    for name, text in _queries().items():
        assert _answers(backend, text) == reference[name], (backend.engine, name)
    assert json.loads(reference["count"][2])["results"]["bindings"][0]["n"]["value"] == str(len(backend))


def test_stats_are_the_same_on_every_backend(backend, merged_seed):
    from kg.rdf.query import stats

    s = stats(backend)
    assert s == stats(open_backend(merged_seed[0]))
    assert s["documents"] == 1 and s["claims_by_predicate"]["biolink:studied_to_treat"] == 5


@pytest.mark.parametrize("text, expected", [
    ("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }", "a SPARQL update (INSERT)"),
    ("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
    ("# a comment naming SERVICE\nSELECT ?service { ?service ?p 'SERVICE' } LIMIT 1", None),
])
def test_every_backend_refuses_updates_and_federation(backend, text, expected):
    from kg.errors import KgError

    if expected is None:  # the words in comments, variables and strings are no keywords
        assert backend.query(text).type == "SELECT"
        return
    with pytest.raises(KgError, match=re.escape(expected)):
        backend.query(text)


def test_named_queries_answer_on_the_seed(reference):
    table = reference["evidence"][0]
    assert "liver cirrhosis caused by various etiologies" in table and "用于治疗" in table  # English and Chinese
    assert table.rstrip().endswith("(2 rows)")
    hedged = json.loads(reference["hedged"][2])["results"]["bindings"]
    assert {b["cue"]["value"] for b in hedged if "cue" in b} == {"expected to", "有望"}  # "有望": Chinese "expected to"
    shared = json.loads(reference["shared_mechanism"][2])["results"]["bindings"]
    others = {b["otherLabel"]["value"] for b in shared}
    assert others == {"Acute-On-Chronic Liver Failure", "chronic liver failure",
                      "complication of liver transplantation", "liver disorder"}
    assert {b["diseaseLabel"]["value"] for b in shared} == {"cirrhosis of liver"}


def test_cli_query_on_a_store_and_a_file(capsys, store_dir, merged_seed):
    args = ["--named", "treats", "--param", "disease=DOID:409", "--format", "csv"]
    code1, out1, _ = run(capsys, "query", store_dir, *args)
    code2, out2, _ = run(capsys, "query", merged_seed[0], *args)
    code3, out3, _ = run(capsys, "query", merged_seed[0], *args, "--engine", "oxigraph")
    assert code1 == code2 == code3 == 0 and out1 == out2 == out3
    assert out1.splitlines()[0].startswith("therapy,") and len(out1.splitlines()) == 5


def test_show_prints_the_bound_query(capsys):
    code, out, _ = run(capsys, "query", "--named", "treats", "--param", "disease=MSH:D008107", "--show")
    assert code == 0 and "VALUES (?disease) { (<http://id.nlm.nih.gov/mesh/D008107>) }" in out


def test_a_required_parameter_of_an_rq_file(capsys, tmp_path, merged_seed):
    rq = tmp_path / "q.rq"
    rq.write_text("# @author someone\n# @param node iri required  the node\nSELECT ?p WHERE { ?node ?p ?o }\n",
                  encoding="utf-8")
    code, _, err = run(capsys, "query", merged_seed[0], f"@{rq}")
    assert code == 1 and "q.rq needs --param node=..." in err


def test_a_users_rq_file_with_parameters(capsys, tmp_path, merged_seed):
    rq = tmp_path / "label.rq"
    rq.write_text("# The label of a node.\n# @param node iri required  the node\n"
                  "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                  "SELECT ?label WHERE { ?node rdfs:label ?label FILTER (lang(?label) = \"\") }\n",
                  encoding="utf-8")
    code, out, _ = run(capsys, "query", merged_seed[0], f"@{rq}", "--param", "node=CL:0000134", "--format", "csv")
    assert code == 0 and out == "label\nmesenchymal stem cell\n"
    code, out, _ = run(capsys, "query", merged_seed[0], "--named", rq, "--param", "node=CL:0000182", "--format", "csv")
    assert code == 0 and out == "label\nhepatocyte\n"


def test_load_is_idempotent_and_adds(tmp_path, seed_ttl, capsys):
    d = tmp_path / "s"
    code, _, err = run(capsys, "load", seed_ttl, "--store", d)
    assert code == 0 and "created store" in err
    n = len(open_backend(d))
    code, _, err = run(capsys, "load", seed_ttl, "--store", d)
    assert code == 0 and "0 new triples" in err and len(open_backend(d)) == n
    code, _, _ = run(capsys, "load", FIXTURES / "mini.ttl", "--store", d, "-q")
    assert code == 0 and len(open_backend(d)) > n


def test_trig_named_graphs_are_queried_as_their_union(tmp_path, seed_kg, seed_ttl):
    trig = tmp_path / "kg.trig"
    seed_kg.write(trig)
    d = tmp_path / "s"
    load_store([trig], d)
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    counts = {format_result(b.query(q), "csv") for b in (open_backend(trig), open_backend(d), open_backend(seed_ttl))}
    assert len(counts) == 1


def test_bad_input_leaves_the_store_unchanged(tmp_path, seed_ttl, capsys):
    d = tmp_path / "s"
    load_store([seed_ttl], d)
    n = len(open_backend(d))
    bad = tmp_path / "bad.nt"
    bad.write_text("<http://a> <http://b> <http://c> .\n<http://a> <http://b> \"x .\n", encoding="utf-8")
    code, _, err = run(capsys, "load", FIXTURES / "mini.ttl", bad, "--store", d)
    assert code == 1 and err.count("\n") == 1 and "bad.nt:2: cannot parse RDF" in err
    assert len(open_backend(d)) == n  # mini.ttl was not added either: one transaction
    new = tmp_path / "new"
    code, _, err = run(capsys, "load", bad, "--store", new)
    assert code == 1 and not new.exists() and not list(tmp_path.glob(".new.*"))


def test_a_store_locked_by_another_process(tmp_path, seed_ttl, capsys):
    d = tmp_path / "s"
    load_store([seed_ttl], d)
    n = len(open_backend(d))
    holder = subprocess.Popen([sys.executable, "-c", "import pyoxigraph, sys; s = pyoxigraph.Store(sys.argv[1]); "
                               "print('ready', flush=True); sys.stdin.read()", str(d)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        for args in (["load", FIXTURES / "mini.ttl", "--store", d], ["query", d, "SELECT * { ?s ?p ?o } LIMIT 1"]):
            code, _, err = run(capsys, *args)
            assert code == 1 and err.count("\n") == 1 and "locked by another process" in err
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    assert len(open_backend(d)) == n


@pytest.mark.parametrize("args, expected", [
    (["--named", "treats"], "query 'treats' needs --param disease=..."),
    (["--named", "treats", "--param", "disease=FOO:1"], "unknown CURIE prefix 'FOO'"),
    (["--named", "treats", "--param", "disease=MONDO:0005154", "--param", "drug=X:1"], "unknown parameter 'drug'"),
    (["--named", "treats", "--param", "disease"], "expected NAME=VALUE"),
    (["--named", "nosuch"], "no named query 'nosuch'"),
    (["SELECT * {}", "--param", "a=b"], "--param needs --named"),
])
def test_parameter_errors(capsys, merged_seed, args, expected):
    code, _, err = run(capsys, "query", merged_seed[0], *args)
    assert code == 1 and err.count("\n") == 1 and expected in err, err


@pytest.mark.parametrize("text, expected", [
    ("# Bad.\n# @param x thing required  what\nSELECT ?x WHERE { ?x ?p ?o }\n", "bad.rq:2: parameter x: unknown type 'thing'"),
    ("# Bad.\n# @param y iri required  what\nSELECT ?x WHERE { ?x ?p ?o }\n", "bad.rq:2: parameter y is not a variable"),
    ("# Bad.\n# @param x iri\nSELECT ?x WHERE { ?x ?p ?o }\n", "bad.rq:2: malformed header line"),
    # Oxigraph names the line where its parser gave up (here the end), rdflib the line of the stray ")"
    ("# Bad.\n# @param x iri required  what\nSELECT ?x WHERE {\n ?x ?p ?o ) .\n}\n", r"bad.rq:[45]: bad SPARQL"),
])
@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_malformed_rq(capsys, tmp_path, merged_seed, text, expected, engine):
    rq = tmp_path / "bad.rq"
    rq.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "query", merged_seed[0], "--named", rq, "--param", "x=CL:0000134", "--engine", engine)
    assert code == 1 and err.count("\n") == 1 and re.search(re.escape(expected) if "[" not in expected else expected, err), err


def test_shipped_queries_are_documented():
    for name, q in named_queries().items():
        assert q.title and q.description and find_named(name).path.name == f"{name}.rq"
        assert all(p.description for p in q.params)
