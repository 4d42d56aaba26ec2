"""Endpoint queries in worker processes that can be stopped: a SPARQL query cannot be interrupted inside
Oxigraph, so each query of ``kg serve``'s endpoint runs in a worker process (``python -m kg.rdf.sandbox``)
with the store open read-only, and a query that runs past the timeout or grows past the memory limit is
stopped by killing its worker; a fresh worker takes its place in the background.

A worker dies with the server that started it (it watches its parent, and ends with its input pipe). Requests and answers go over the worker's stdin and stdout: a JSON line, and for an
answer the result's bytes after it.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError

log = logging.getLogger(__name__)

# Result formats: name -> media type, for SELECT/ASK or for graphs
RESULT_FORMATS = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                  "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_FORMATS = {"ntriples": "application/n-triples", "turtle": "text/turtle", "rdfxml": "application/rdf+xml"}
_FORMAT_NAMES = {**{k: k for k in (*RESULT_FORMATS, *GRAPH_FORMATS)},
                 **{v: k for k, v in (*RESULT_FORMATS.items(), *GRAPH_FORMATS.items())},
                 "application/json": "json", "application/xml": "xml", "text/xml": "xml", "nt": "ntriples",
                 "ttl": "turtle", "rdf": "rdfxml"}


class BadQuery(KgError):
    """A query or update the parser refuses (HTTP 400)."""


class QueryTimeout(KgError):
    """A query that ran past the server's timeout (HTTP 503)."""


class QueryTooBig(KgError):
    """A query that needed more memory than the server allows one query (HTTP 503)."""


def pick_format(fmt: str | None, accept: str, graph: bool) -> str:
    """The result format: ``fmt`` (``json``, ``csv``, a media type ...) when given, else the first
    acceptable one of an ``Accept`` header, else SPARQL results JSON (N-Triples for a graph)."""
    allowed = GRAPH_FORMATS if graph else RESULT_FORMATS
    if fmt:
        name = _FORMAT_NAMES.get(fmt.strip().lower())
        if name not in allowed:
            raise BadQuery(f"unknown result format {fmt!r} for this query; use one of {', '.join(allowed)}")
        return name
    ranked = []
    for i, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        q = 1.0
        for p in params.split(";"):
            k, _, v = p.strip().partition("=")
            if k == "q":
                try:
                    q = float(v)
                except ValueError:
                    pass
        ranked.append((-q, i, media.strip().lower()))
    for _, _, media in sorted(ranked):
        name = _FORMAT_NAMES.get(media)
        if name in allowed:
            return name
    return "ntriples" if graph else "json"


def serialize(ox, res, fmt: str | None, accept: str, out) -> str:
    """Write a pyoxigraph query result to ``out`` in the format asked for; its media type."""
    if isinstance(res, ox.QueryTriples):
        name = pick_format(fmt, accept, True)
        res.serialize(out, format={"ntriples": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE,
                                   "rdfxml": ox.RdfFormat.RDF_XML}[name])
        return GRAPH_FORMATS[name]
    name = pick_format(fmt, accept, False)
    res.serialize(out, format={"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                               "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[name])
    return RESULT_FORMATS[name]


def die_with_parent() -> None:
    """Ask Linux to kill this process when the thread that started it ends (a no-op elsewhere): for a
    process started from the main thread of a server, as ``kg serve``'s server is."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


# ---------------------------------------------------------------- the worker process


def worker(location: str, stdin=None, stdout=None) -> int:
    """Answer queries read from ``stdin`` until it closes (``python -m kg.rdf.sandbox LOCATION``)."""
    import io

    import pyoxigraph as ox

    from kg.rdf.sparql import check_query

    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout.buffer
    store = ox.Store.read_only(location)
    stdout.write(b'{"status": "ready"}\n')
    stdout.flush()
    for line in stdin:
        req = json.loads(line)
        buf = io.BytesIO()
        try:
            check_query(req["query"], engine="oxigraph", allow_service=req.get("allow_service", False))
            res = store.query(req["query"], use_default_graph_as_union=True)
            media = serialize(ox, res, req.get("format"), req.get("accept", ""), buf)
            head = {"status": "ok", "media": media, "length": buf.tell()}
        except SyntaxError as exc:
            head = {"status": "syntax", "message": str(exc)}
        except KgError as exc:
            head = {"status": "bad", "message": exc.message, "line": exc.line}
        except Exception as exc:  # noqa: BLE001 (an engine error must not end the worker)
            head = {"status": "error", "message": f"{type(exc).__name__}: {exc}"}
        stdout.write(json.dumps(head).encode("utf-8") + b"\n")
        if head["status"] == "ok":
            stdout.write(buf.getbuffer())
        stdout.flush()
    return 0


# ---------------------------------------------------------------- the pool the server keeps


STARTUP = 30.0  # seconds a worker may take to start and open the store


def _rss(pid: int) -> int:
    """Resident memory of a process in bytes (0 where /proc cannot tell)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


@dataclass
class _Worker:
    process: subprocess.Popen
    generation: int
    pending: bytes = b""  # bytes of an answer's body read with its first line

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for f in (self.process.stdin, self.process.stdout):
            try:
                f.close()
            except OSError:
                pass


class QueryWorkers:
    """``size`` worker processes over the store at ``location``; ``answer`` runs one query in one of them,
    killing it at ``timeout`` seconds or ``max_memory`` bytes of resident memory."""

    def __init__(self, location: str | Path, size: int = 2, timeout: float = 30.0, max_memory: int = 2 << 30,
                 allow_service: bool = False, on_fault: Callable[[str], None] | None = None):
        self.location = str(location)
        self.size = max(1, size)
        self.timeout = timeout
        self.max_memory = max_memory
        self.allow_service = allow_service
        self.generation = 0
        self.on_fault = on_fault
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(self.size):
            self._start_one()

    def _spawn(self) -> _Worker:
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        proc = subprocess.Popen([sys.executable, "-m", "kg.rdf.sandbox", self.location], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        return _Worker(proc, self.generation)

    def _start_one(self) -> None:
        """Start a worker in the background; it joins the idle ones once it has opened the store."""

        def fresh() -> None:
            if self._closed:
                return
            w = self._spawn()
            try:
                head = self._read_line(w, time.monotonic() + STARTUP)
            except KgError as exc:
                log.warning("a query worker did not start: %s", exc.message)
                w.kill()
                return
            if head.get("status") == "ready" and not self._closed:
                self._idle.put(w)
            else:
                w.kill()

        threading.Thread(target=fresh, daemon=True, name="kg-query-worker").start()

    def _replace(self, w: _Worker) -> None:
        """Kill a worker and start another in the background (a query's answer does not wait for it)."""
        w.kill()
        self._start_one()

    def refresh(self) -> None:
        """Let every worker reopen the store (after it changed): idle ones now, busy ones when done."""
        with self._lock:
            self.generation += 1
        while True:
            try:
                w = self._idle.get_nowait()
            except queue.Empty:
                break
            self._replace(w)

    def answer(self, text: str, fmt: str | None = None, accept: str = "") -> tuple[bytes, str]:
        """The result of one query as (bytes, media type); ``BadQuery``, ``QueryTimeout`` or ``QueryTooBig``."""
        try:  # a query's time counts from when a worker takes it (workers start in about a second)
            w = self._idle.get(timeout=max(self.timeout, STARTUP))
        except queue.Empty:
            raise QueryTimeout(f"every query worker stayed busy for the server's timeout of {self.timeout:g} s") from None
        deadline = time.monotonic() + self.timeout
        keep = False
        try:
            req = {"query": text, "format": fmt, "accept": accept, "allow_service": self.allow_service}
            try:
                w.process.stdin.write(json.dumps(req).encode("utf-8") + b"\n")
                w.process.stdin.flush()
            except (BrokenPipeError, OSError):
                raise KgError("the query worker stopped before the query was sent; try again") from None
            head = self._read_line(w, deadline)
            if head["status"] == "ok":
                body = self._read_exactly(w, head["length"], deadline)
                keep = True
                return body, head["media"]
            keep = True
            if head["status"] == "syntax":
                from kg.rdf.store import _syntax_position

                line, msg = _syntax_position(head["message"], text)
                raise BadQuery(f"bad SPARQL: {msg}" + (f" (line {line})" if line else ""))
            if head["status"] == "bad":
                message = head["message"]
                if not message.startswith(("bad SPARQL", "a SPARQL update", "SERVICE", "FROM", "unknown result")):
                    message = f"bad SPARQL: {message}"
                raise BadQuery(message)
            raise KgError(f"query failed: {head['message']}")
        finally:
            if keep and w.generation == self.generation and not self._closed:
                self._idle.put(w)
            else:
                self._replace(w)

    def _wait(self, w: _Worker, deadline: float) -> None:
        """Wait until the worker's output has bytes, checking the clock and its memory."""
        fd = w.process.stdout.fileno()
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self._fault(f"query stopped at the timeout of {self.timeout:g} s")
                raise QueryTimeout(f"the query ran past the server's timeout of {self.timeout:g} s")
            ready, _, _ = select.select([fd], [], [], min(left, 0.05))
            if ready:
                return
            if _rss(w.process.pid) > self.max_memory:
                self._fault(f"query stopped at the memory limit of {self.max_memory >> 20} MB")
                raise QueryTooBig(f"the query needed more than the {self.max_memory >> 20} MB of memory the server "
                                  "allows one query")
            if w.process.poll() is not None:
                raise KgError("the query's worker stopped (out of memory?); try a smaller query")

    def _read_line(self, w: _Worker, deadline: float) -> dict:
        out = bytearray()
        while b"\n" not in out:
            self._wait(w, deadline)
            chunk = os.read(w.process.stdout.fileno(), 65536)
            if not chunk:
                raise KgError("the query's worker stopped (out of memory?); try a smaller query")
            out += chunk
        line, _, rest = bytes(out).partition(b"\n")
        w.pending = rest  # bytes of the body that came with the line
        return json.loads(line)

    def _read_exactly(self, w: _Worker, n: int, deadline: float) -> bytes:
        out = bytearray(getattr(w, "pending", b""))
        fd = w.process.stdout.fileno()
        while len(out) < n:
            self._wait(w, deadline)
            chunk = os.read(fd, min(1 << 20, n - len(out)))
            if not chunk:
                raise KgError("the query's worker stopped while sending its answer")
            out += chunk
        w.pending = b""
        return bytes(out)

    def _fault(self, what: str) -> None:
        log.warning("%s", what)
        if self.on_fault is not None:
            self.on_fault(what)

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                break


def _watch_parent() -> None:
    """End this worker within half a second of its server's end, even in the middle of a query (workers
    are started from short-lived threads, so PR_SET_PDEATHSIG, which follows the starting thread, cannot
    be used)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="kg-parent-watch").start()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    _watch_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers; Ctrl-C goes to it
    return worker(argv[0])


if __name__ == "__main__":
    sys.exit(main())
