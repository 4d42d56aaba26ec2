"""One error path: every bad input of this table, through the command line, gives one line
``kg: error: FILE[:LINE]: what is wrong``, exit status 1, no traceback and nothing written."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from kg.cli import main
from tests.conftest import SEED

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
 <rdf:Description rdf:about="http://x/a"><rdfs:label>&lol3;</rdfs:label></rdf:Description>
</rdf:RDF>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY secret SYSTEM "file:///etc/passwd">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
 <rdf:Description rdf:about="http://x/a"><rdfs:label>&secret;</rdfs:label></rdf:Description>
</rdf:RDF>
"""
OBO_HEAD = "format-version: 1.2\n\n"
TTL = "@prefix x: <http://x/> .\nx:a x:b x:c .\n"
BAD_SHAPES = ("@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix x: <http://x/> .\n"
              'x:S a sh:NodeShape ; sh:targetClass x:C ; sh:property [ sh:path x:p ; sh:minCount "one" ] .\n')

# (files to write, arguments, the FILE:LINE and message the one line must hold)
CASES = {
    "billion laughs in RDF/XML": ({"g.rdf": LAUGHS}, ["stats", "g.rdf"], r"g\.rdf:4: .*entit"),
    "billion laughs as an ontology": ({"o.owl": LAUGHS}, ["build", SEED, "-o", "kg.ttl", "--ontology", "o.owl"],
                                      r"o\.owl:4: .*entit"),
    "billion laughs loaded in a store": ({"g.rdf": LAUGHS}, ["load", "g.rdf", "--store", "store"], r"g\.rdf:4: .*entit"),
    "external entity": ({"g.rdf": EXTERNAL}, ["query", "g.rdf", "SELECT * { ?s ?p ?o }"], r"g\.rdf:3: .*entit"),
    "OBO stanza without id": ({"o.obo": OBO_HEAD + "[Term]\nname: x\n"},
                              ["build", SEED, "-o", "kg.ttl", "--ontology", "o.obo"], r"o\.obo:3: \[Term\] stanza has no id"),
    "OBO id twice": ({"o.obo": OBO_HEAD + "[Term]\nid: MONDO:1\nname: x\nid: MONDO:2\n"},
                     ["build", SEED, "-o", "kg.ttl", "--ontology", "o.obo"], r"o\.obo:6: 'id' given twice"),
    "OBO unterminated synonym": ({"o.obo": OBO_HEAD + '[Term]\nid: MONDO:1\nname: x\nsynonym: "y EXACT []\n'},
                                 ["build", SEED, "-o", "kg.ttl", "--ontology", "o.obo"], r"o\.obo:6: synonym text"),
    "OBO header not closed": ({"o.obo": OBO_HEAD + "[Term\nid: MONDO:1\n"},
                              ["build", SEED, "-o", "kg.ttl", "--ontology", "o.obo"], r"o\.obo:3: stanza header"),
    "OBO not UTF-8": ({"o.obo": b"\xff\xfe[Term]\n"}, ["build", SEED, "-o", "kg.ttl", "--ontology", "o.obo"],
                      r"o\.obo: not UTF-8"),
    "SSSOM row short of the header": (
        {"m.sssom.tsv": "# curie_map: {}\nsubject_id\tpredicate_id\tobject_id\nMONDO:1\tskos:exactMatch\n"},
        ["build", SEED, "-o", "kg.ttl", "--ontology", "m.sssom.tsv"], r"m\.sssom\.tsv:3: expected 3 tab-separated"),
    "SPARQL update": ({"g.ttl": TTL}, ["query", "g.ttl", "PREFIX x: <http://x/>\nDELETE WHERE { ?s ?p ?o }"],
                      r"query:2: a SPARQL update \(DELETE\)"),
    "SPARQL SERVICE": ({"g.ttl": TTL}, ["query", "g.ttl", "SELECT * {\n SERVICE <http://example.org/sparql> { ?s ?p ?o } }"],
                       r"query:2: SERVICE is refused"),
    "SPARQL FROM with rdflib": ({"g.ttl": TTL}, ["query", "g.ttl", "SELECT * FROM <http://example.org/g.ttl> { ?s ?p ?o }"],
                                r"query:1: FROM is refused"),
    "GRAPH on a one-graph file": ({"g.ttl": TTL}, ["query", "g.ttl", "SELECT * { GRAPH ?g { ?s ?p ?o } }"],
                                  r"query: GRAPH needs named graphs"),
    "bad regular expression": ({"g.ttl": TTL}, ["query", "g.ttl", 'SELECT * { ?s ?p ?o FILTER(regex(str(?o), "(")) }'],
                               r"query: bad SPARQL"),
    "SPARQL syntax on Oxigraph": ({"g.ttl": TTL}, ["query", "g.ttl", "SELECT ?x WHERE {\n ?x ?y\n}", "--engine", "oxigraph"],
                                  r"query:3: bad SPARQL"),
    "a folder that is no store": ({"d/x.txt": "x"}, ["query", "d", "SELECT * {}"], r"d: "),
    "JSONL authors of the wrong type": ({"r.jsonl": '{"abstract": "x", "authors": [1, 2]}\n'},
                                        ["build", "r.jsonl", "-o", "kg.ttl"], r"r\.jsonl:1: field authors\[0\]: expected"),
    "JSONL keywords not a list": ({"r.jsonl": '{"abstract": "x"}\n{"abstract": "y", "keywords": 5}\n'},
                                  ["build", "r.jsonl", "-o", "kg.ttl"], r"r\.jsonl:2: field keywords: expected"),
    "JSONL journal a number": ({"r.jsonl": '{"abstract": "x", "journal": 7}\n'},
                               ["build", "r.jsonl", "-o", "kg.ttl"], r"r\.jsonl:1: field journal"),
    "JSONL nested year": ({"r.jsonl": '{"abstract": "x", "year": {"y": 2020}}\n'},
                          ["build", "r.jsonl", "-o", "kg.ttl"], r"r\.jsonl:1: field year"),
    "JSONL lone surrogate": ({"r.jsonl": '{"abstract": "x \\ud800 y"}\n'}, ["build", "r.jsonl", "-o", "kg.ttl"],
                             r"r\.jsonl:1: invalid JSON: \\ud800 is half of a UTF-16 surrogate pair"),
    "JSONL nested too deep": ({"r.jsonl": '{"abstract": "x", "extra": ' + "[" * 50000 + "]" * 50000 + "}\n"},
                              ["build", "r.jsonl", "-o", "kg.ttl"], r"r\.jsonl:1: invalid JSON: nested too deep"),
    "JSONL PMID not digits": ({"r.jsonl": '{"abstract": "x", "pmid": "PMC55"}\n'},
                              ["build", "r.jsonl", "-o", "kg.ttl"], r"r\.jsonl:1: field pmid"),
    "JSONL DOI not a DOI": ({"r.jsonl": '{"abstract": "x", "doi": "see the journal"}\n'},
                            ["build", "r.jsonl", "-o", "kg.ttl"], r"r\.jsonl:1: field doi"),
    "output folder missing": ({}, ["build", SEED, "-o", "missing/o.ttl"], r"missing: output folder does not exist"),
    "output is a folder": ({"out.ttl/x": ""}, ["build", SEED, "-o", "out.ttl"], r"out\.ttl: is a folder"),
    "mentions folder missing": ({}, ["build", SEED, "-o", "kg.ttl", "--mentions", "missing/m.tsv"],
                                r"missing: output folder does not exist"),
    "the same file for two outputs": ({}, ["build", SEED, "-o", "kg.ttl", "--mentions", "kg.ttl"], r"the same file"),
    "merge report folder missing": ({"g.ttl": TTL}, ["merge", "g.ttl", "-o", "m.ttl", "--report", "missing/r.json"],
                                    r"missing: output folder does not exist"),
    "export where edges.tsv is a folder": ({"g.ttl": TTL, "kgx/edges.tsv/x": ""}, ["export", "g.ttl", "-o", "kgx"],
                                           r"edges\.tsv: is a folder"),
    "shapes that are not SHACL": ({"g.ttl": TTL, "s.ttl": BAD_SHAPES}, ["validate", "g.ttl", "--shapes", "s.ttl"],
                                  r"s\.ttl: the shapes are not valid SHACL: sh:minCount of the property shape of .*xsd:integer"),
    "serve with a NaN timeout": ({"g.ttl": TTL}, ["serve", "g.ttl", "--timeout", "nan"], r"timeout"),
    "PubTator mention that is not its span's text": (
        {"p.txt": "1|t|Aspirin helps.\n1|a|Aspirin treats pain.\n1\t0\t7\tAspirn\tChemical\tD001241\n"},
        ["build", "p.txt", "-o", "kg.ttl"], r"p\.txt:3: span 0-7 reads 'Aspirin', not 'Aspirn'"),
    "PubTator mention beyond the abstract": (
        {"p.txt": "1|t|Aspirin helps.\n1|a|Aspirin treats pain.\n1\t90\t97\tAspirin\tChemical\tD001241\n"},
        ["build", "p.txt", "-o", "kg.ttl"], r"p\.txt:3: span 90-97 is outside the title and abstract"),
    "a NER model folder spaCy cannot read": ({"m/meta.json": "not json"}, ["build", SEED, "-o", "kg.ttl", "--ner-model", "m"],
                                             r"m: not a model written by 'kg train ner'"),
    "negative workers": ({}, ["build", SEED, "-o", "kg.ttl", "--workers", "-3"], r"--workers must be at least 1"),
    "BioC annotation outside every passage": (
        {"b.json": '{"documents": [{"id": "1", "passages": [{"offset": 0, "text": "Sorafenib treats cirrhosis.", '
                   '"annotations": [{"id": "a", "infons": {"type": "Chemical"}, "text": "Sorafenib", '
                   '"locations": [{"offset": 500, "length": 9}]}]}]}]}'},
        ["build", "b.json", "-o", "kg.ttl", "--use-annotations"], r"b\.json: document 1: annotation 'a' at 500-509 lies outside"),
    "a literal over Oxigraph's 16 MiB": ({"g.nt": '<http://x/a> <http://x/b> "' + "x" * (16 * 2**20 + 10) + '" .\n'},
                                         ["load", "g.nt", "--store", "store"], r"g\.nt: cannot parse RDF: a term .* over 16 MiB"),
}


@pytest.mark.parametrize("files, args, expected", CASES.values(), ids=CASES.keys())
def test_bad_input_is_one_line(files, args, expected, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = _tree(tmp_path)
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert code == 1, (out, err)
    assert err.count("\n") == 1 and err.startswith("kg: error: "), err
    assert re.search(expected, err), err
    assert _tree(tmp_path) == before, "a failed command left files behind"


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if "cache" not in p.relative_to(root).parts}


def _build_args(tmp_path):
    return ["build", str(SEED), "-o", str(tmp_path / "kg.ttl"), "--mentions", str(tmp_path / "m.tsv"), "-q"]


@pytest.mark.parametrize("fault, code, message", [
    (KeyboardInterrupt, 130, "kg: interrupted"),
    (OSError(28, "No space left on device"), 1, "cannot write: the disk is full"),
])
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the file of a descriptor in /proc")
def test_a_fault_after_the_graph_is_written_leaves_no_output(tmp_path, capsys, monkeypatch, fault, code, message):
    """SIGINT, or a full disk, while the mentions are written (the graph is already): neither file appears."""
    import kg.files

    real = kg.files.os.fdopen

    class Failing:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            raise fault

    def fdopen(fd, mode="r", *a, **k):
        fh = real(fd, mode, *a, **k)
        target = os.readlink(f"/proc/self/fd/{fd}")
        return Failing(fh) if os.path.basename(target).startswith(".m.tsv.") else fh  # the mentions' temporary file

    monkeypatch.setattr(kg.files.os, "fdopen", fdopen)
    assert main(_build_args(tmp_path)) == code
    assert message in capsys.readouterr().err
    # the graph was written first, and is gone too; what is left is the work folder a --resume goes on from
    assert [p.name for p in tmp_path.iterdir() if p.name != "kg.ttl.work"] == []


def test_sigterm_during_a_build_leaves_no_output(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    big = tmp_path / "big.jsonl"
    big.write_text("".join('{"id": "d%d", "abstract": "Metformin %d is used to treat type 2 diabetes in adults."}\n' % (i, i)
                           for i in range(200000)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(big), "-o", str(tmp_path / "kg.ttl"), "-q"],
                            stderr=subprocess.PIPE, text=True)
    chunks = tmp_path / "kg.ttl.work" / "chunks"
    deadline = time.monotonic() + 120
    # signal once the build is working (its first shard is written), whatever the machine's speed
    while proc.poll() is None and time.monotonic() < deadline and not (chunks.is_dir() and any(chunks.glob("*.json"))):
        time.sleep(0.05)
    assert proc.poll() is None, "the build ended before it could be interrupted"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "terminated" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "kg.ttl.work") == ["big.jsonl"]


def test_a_bug_is_one_line_and_the_traceback_comes_with_v(tmp_path, capsys, monkeypatch):
    import kg.cli

    def broken(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(kg.cli, "cmd_stats", broken)
    monkeypatch.setattr(kg.cli, "_stats_parser", _patched_stats(broken))
    g = tmp_path / "g.ttl"
    g.write_text(TTL, encoding="utf-8")
    assert main(["stats", str(g)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("kg: internal error: ZeroDivisionError: division by zero")
    assert main(["stats", str(g), "-v"]) == 1
    assert "Traceback" in capsys.readouterr().err


def _patched_stats(func):
    import kg.cli

    original = kg.cli._stats_parser

    def make(sub):
        p = original(sub)
        p.set_defaults(func=func)
        return p

    return make
