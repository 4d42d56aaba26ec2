"""kg serve: a SPARQL 1.1 Protocol endpoint on a free loopback port, queried with SPARQLWrapper."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from kg.rdf.named import find_named, render
from kg.rdf.query import format_result
from kg.rdf.serve import free_port, start
from kg.rdf.store import load_store, open_backend
from tests.conftest import run_cli as run

INSERT = "INSERT DATA { <http://example.org/a> <http://example.org/p> <http://example.org/b> }"
ASK = "ASK { <http://example.org/a> <http://example.org/p> <http://example.org/b> }"


def post_update(url: str, update: str) -> int:
    """Send a SPARQL update (SPARQL 1.1 Protocol, form-encoded POST); the HTTP status."""
    data = urllib.parse.urlencode({"update": update}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def ask(url: str, query: str) -> bool:
    client = SPARQLWrapper(url)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    return client.query().convert()["boolean"]


def test_serve_a_graph_file_read_only(merged_seed):
    text = render(find_named("treats"), {"disease": "DOID:409"})
    expected = open_backend(merged_seed[0]).query(text)
    with start(merged_seed[0], port=free_port()) as endpoint:
        client = SPARQLWrapper(endpoint.query_url)
        client.setQuery(text)
        client.setReturnFormat(JSON)
        client.setMethod(POST)
        data = client.query().convert()
        rows = [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]
        assert data["head"]["vars"] == [str(v) for v in expected.vars]
        assert [r["objectLabel"] for r in rows] == [str(r["objectLabel"]) for r in expected]
        assert post_update(endpoint.update_url, INSERT) == 403  # read-only by default
        assert not ask(endpoint.query_url, ASK)
        temp = endpoint.temp_dir
        assert temp is not None and temp.is_dir()
    assert endpoint.process.poll() is not None and not temp.exists()


def test_serve_a_store_writable(tmp_path, seed_ttl):
    store = tmp_path / "s"
    load_store([seed_ttl], store)
    with start(store, port=free_port(), writable=True) as endpoint:
        assert post_update(endpoint.update_url, INSERT) in (200, 204)
        assert ask(endpoint.query_url, ASK)
    assert format_result(open_backend(store).query(ASK), "csv") == "true\n"  # written to the store


def test_port_in_use(capsys, seed_ttl):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        code, _, err = run(capsys, "serve", seed_ttl, "--port", port)
    assert code == 1 and err.count("\n") == 1 and f"port {port} on 127.0.0.1 is in use" in err


def test_missing_store_and_locked_store(capsys, tmp_path, seed_ttl):
    code, _, err = run(capsys, "serve", tmp_path / "nothing")
    assert code == 1 and "no such graph file or store folder" in err
    store = tmp_path / "s"
    load_store([seed_ttl], store)
    with start(store, port=free_port(), writable=True):
        code, _, err = run(capsys, "serve", store, "--port", free_port())
        assert code == 1 and err.count("\n") == 1 and "locked by another process" in err


@pytest.mark.skipif(os.name != "posix", reason="stops the server with SIGTERM")
def test_cli_serve_until_stopped(seed_ttl):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(seed_ttl), "--port", str(port), "--timeout", "5"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        assert f"http://127.0.0.1:{port}/query" in line and "read-only" in line
        assert ask(f"http://127.0.0.1:{port}/query",
                   "PREFIX kg: <https://w3id.org/kg/vocab/> ASK { ?t kg:therapeuticAgent ?a }")
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0


def test_a_query_past_the_timeout_gets_503(seed_ttl):
    """Every pair of triples (about a million rows): more than the server's 0.2 s to write."""
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
    with start(seed_ttl, port=free_port(), timeout=0.2) as endpoint:
        url = endpoint.query_url + "?" + urllib.parse.urlencode({"query": query})
        with pytest.raises(urllib.error.HTTPError) as exc:
            urllib.request.urlopen(url, timeout=60)
        assert exc.value.code == 503 and "timeout of 0.2 s" in exc.value.read().decode()
        assert ask(endpoint.query_url, "ASK { ?s ?p ?o }")  # the server goes on answering


def test_result_formats_and_bad_sparql(seed_ttl):
    with start(seed_ttl, port=free_port()) as endpoint:
        q = "SELECT ?s WHERE { ?s a <https://w3id.org/biolink/vocab/Article> }"
        for fmt, media in (("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
                           ("xml", "application/sparql-results+xml"), ("json", "application/sparql-results+json")):
            with urllib.request.urlopen(endpoint.query_url + "?" + urllib.parse.urlencode({"query": q, "format": fmt})) as r:
                assert r.headers["Content-Type"].startswith(media) and b"doi.org" in r.read()
        construct = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 3"
        req = urllib.request.Request(endpoint.query_url, data=construct.encode(), headers={
            "Content-Type": "application/sparql-query", "Accept": "text/turtle"})
        with urllib.request.urlopen(req) as r:
            assert r.headers["Content-Type"].startswith("text/turtle")
        with pytest.raises(urllib.error.HTTPError) as exc:
            urllib.request.urlopen(endpoint.query_url + "?" + urllib.parse.urlencode({"query": "SELEC ?x"}))
        assert exc.value.code == 400 and exc.value.read().decode().startswith("bad SPARQL: ")


@pytest.mark.skipif(os.name != "posix", reason="stops the server with SIGTERM")
def test_cli_bind_warns_that_others_can_reach_it(seed_ttl):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(seed_ttl), "--port", str(port), "--bind", "0.0.0.0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        warning, line = proc.stderr.readline(), proc.stderr.readline()
        assert warning.startswith("kg: warning: serving on 0.0.0.0") and "anyone who can reach it" in warning
        assert f"http://0.0.0.0:{port}/" in line
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:  # no host check off loopback
            assert r.status == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
