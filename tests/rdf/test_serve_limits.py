"""kg serve bounds its work: queries stopped at the timeout or the memory limit wherever they are (HTTP 503),
no SERVICE federation unless asked, the server and its workers gone with a killed kg serve and its temporary
store removed by the next start, kg load refusing a served store and a store another load is creating; and
a soak test: 8 clients for ``KG_SOAK_SECONDS`` (default 20; set it higher for a longer soak) mixing good,
bad and heavy queries."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.rdf.serve import Limits, free_port, remove_stale_stores, start
from kg.rdf.store import load_store

HEAVY = "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?f ?c LIMIT 1"  # sorts a billion rows
GOOD = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for memory")


def get(url: str, query: str, timeout: float = 60) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url + "?" + urllib.parse.urlencode({"query": query}), timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def store(tmp_path_factory, seed_ttl):
    d = tmp_path_factory.mktemp("served") / "kg.store"
    load_store([seed_ttl], d)
    return d


def test_a_query_that_computes_past_the_timeout_is_stopped(store):
    with start(store, port=free_port(), limits=Limits(timeout=1.0, workers=1)) as endpoint:
        t = time.monotonic()
        status, body = get(endpoint.query_url, HEAVY)
        took = time.monotonic() - t
        assert status == 503 and ("timeout of 1 s" in body or "memory" in body), body
        assert took < 10
        assert get(endpoint.query_url, GOOD)[0] == 200  # a fresh worker answers


def test_a_query_past_the_memory_limit_is_stopped(store):
    with start(store, port=free_port(), limits=Limits(timeout=120.0, workers=1, max_memory=200 << 20)) as endpoint:
        status, body = get(endpoint.query_url, HEAVY)
        assert status == 503 and "200 MB" in body, body
        assert get(endpoint.query_url, GOOD)[0] == 200


def test_service_and_load_are_refused_unless_allowed(store):
    with start(store, port=free_port()) as endpoint:
        status, body = get(endpoint.query_url, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
        assert status == 400 and "SERVICE is refused" in body


def _descendants(pid: int) -> set[int]:
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = (task / "children").read_text().split()
            except OSError:
                continue
            for k in map(int, kids):
                if k not in out:
                    out.add(k)
                    todo.append(k)
    return out


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is gone for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_a_killed_kg_serve_leaves_no_server_and_its_store_goes(seed_ttl, tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(seed_ttl), "--port", str(port)],
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        assert "serving graph" in line, line
        time.sleep(1.5)  # the workers start
        kids = _descendants(proc.pid)
        assert len(kids) >= 3  # the server and its two query workers
        temps = [p for p in Path(os.environ.get("TMPDIR", "/tmp")).glob("kg-serve-*")
                 if (p / "owner.pid").is_file() and (p / "owner.pid").read_text().strip() == str(proc.pid)]
        assert len(temps) == 1
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(k) for k in kids):
            time.sleep(0.1)
        assert not any(_alive(k) for k in kids), "a server process outlived kg serve"
        assert temps[0].exists()  # SIGKILL leaves it; the next start removes it
        assert temps[0] in remove_stale_stores(temps[0].parent)
        assert not temps[0].exists()
    finally:
        if proc.poll() is None:
            proc.kill()


def test_kg_load_refuses_a_served_store(store, seed_ttl):
    with start(store, port=free_port(), limits=Limits(workers=1)):
        with pytest.raises(KgError, match="being served"):
            load_store([seed_ttl], store)
    load_store([seed_ttl], store)  # and loads once the server is gone


def test_a_store_being_created_by_another_load(tmp_path, seed_ttl):
    import fcntl

    target = tmp_path / "new.store"
    (tmp_path / ".new.store.1234.loading").mkdir()  # what a killed load left
    fd = os.open(tmp_path / ".new.store.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another load holds the lock
    try:
        with pytest.raises(KgError, match="another kg load is creating this store"):
            load_store([seed_ttl], target)
    finally:
        os.close(fd)
    report = load_store([seed_ttl], target)
    assert report.created and not list(tmp_path.glob(".new.store*"))  # the debris went with the lock


def _tree_rss(pid: int) -> int:
    total = 0
    for p in {pid, *_descendants(pid)}:
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total


def test_soak_eight_clients_mixing_good_bad_and_heavy_queries(store):
    seconds = float(os.environ.get("KG_SOAK_SECONDS", "20"))
    limit = 300 << 20
    queries = [(GOOD, 200), ("SELEC ?x", 400), (HEAVY, 503),
               ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", 400),
               ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?l WHERE { ?s rdfs:label ?l } LIMIT 50", 200),
               ("ASK { ?s ?p ?o }", 200)]
    with start(store, port=free_port(), limits=Limits(timeout=2.0, workers=2, max_memory=limit)) as endpoint:
        stop = time.monotonic() + seconds
        seen: dict[int, int] = {}
        wrong: list[str] = []
        peak = [0]

        def client(n: int) -> None:
            rnd = random.Random(n)
            while time.monotonic() < stop:
                q, expected = rnd.choice(queries)
                status, body = get(endpoint.query_url, q)
                seen[status] = seen.get(status, 0) + 1
                if status != expected and not (expected == 200 and status == 503 and "busy" in body):
                    wrong.append(f"{q[:40]!r}: {status} {body[:80]}")

        def watch() -> None:
            while time.monotonic() < stop:
                peak[0] = max(peak[0], _tree_rss(endpoint.process.pid))
                time.sleep(0.2)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(8)] + [threading.Thread(target=watch)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not wrong, wrong[:5]
        assert seen.get(200, 0) > 20 and seen.get(400, 0) > 5 and seen.get(503, 0) > 2, seen
        status, body = get(endpoint.query_url, GOOD)
        assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"].isdigit()
        # the server and two workers, each stopped at the limit (with the 0.05 s it takes to notice)
        assert peak[0] < 3 * limit + (400 << 20), f"peak {peak[0] >> 20} MB"
        print(f"soak: {seconds:.0f} s, answers by status {dict(sorted(seen.items()))}, peak {peak[0] >> 20} MB")
