"""The SPARQL 1.1 Protocol endpoint, served by kg's own HTTP server over an Oxigraph store (pyoxigraph).

Three parts, each in one place, so that the endpoint can be hardened without touching what uses it:

- ``Service``: the store a server answers from and ``Service.query``, the one function every SPARQL query
  of a server goes through (the endpoint's and the browser's pages'); ``Service.answer`` runs a query of
  the endpoint under the server's ``timeout`` and writes its result in the format asked for.
- ``App`` and ``Request``/``Response``: HTTP without the socket: routes (``/query``, ``/update``, and any a
  caller adds, such as the browser's pages of ``kg.browse``) from paths to functions.
- ``start``/``Endpoint``: the lifetime owner. The server runs in a child Python process (``python -m
  kg.rdf.serve``, or the module named by ``app``) on 127.0.0.1 unless a ``host`` is given; a graph file is
  first loaded into a temporary store, removed when the server stops.

Queries go to ``/query`` (GET ``?query=``, or POST form-encoded or ``application/sparql-query``) and updates
to ``/update``; a store is served read-only (an update gets HTTP 403) unless ``writable``. A query that runs
past ``timeout`` seconds while its result is written gets HTTP 503. Named graphs are queried as their
union, as ``kg query`` does.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import ipaddress
import logging
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kg.errors import KgError
from kg.rdf.sandbox import (GRAPH_FORMATS, RESULT_FORMATS, BadQuery, QueryTimeout, QueryTooBig, QueryWorkers,
                            die_with_parent, pick_format, serialize)
from kg.rdf.sparql import check_query
from kg.rdf.sparql import tokens as _tokens
from kg.rdf.store import _syntax_position, check_store, ensure_unlocked, is_store, load_store, mark_served

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
MAX_BODY = 1 << 20  # the largest request body read (a query or an update), in bytes
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
                               "frame-ancestors 'none'",
}


def _ox():
    import pyoxigraph

    return pyoxigraph


# ---------------------------------------------------------------- the store and its queries


class _DeadlineWriter(io.RawIOBase):
    """A byte buffer that fails the write running past a deadline (a result is written as it is computed)."""

    def __init__(self, deadline: float, timeout: float):
        self.deadline, self.timeout, self.buffer = deadline, timeout, io.BytesIO()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        if time.monotonic() > self.deadline:
            raise QueryTimeout(f"the query ran past the server's timeout of {self.timeout:g} s")
        return self.buffer.write(b)


class Service:
    """The store a server answers from: opened read-only, or read-write when ``writable``."""

    def __init__(self, store, writable: bool = False, timeout: float = 30.0, location: Path | None = None,
                 allow_service: bool = False):
        self.store = store
        self.writable = writable
        self.timeout = timeout
        self.location = location
        self.allow_service = allow_service
        self.workers: QueryWorkers | None = None  # endpoint queries in killable processes (``use_workers``)
        self.generation = 0  # bumped by every update, so that caches of what the store holds can be dropped
        self.query_seconds = 0.0  # time spent in ``query`` and in reading its results (for benchmarks)
        self._lock = threading.Lock()

    def use_workers(self, size: int, max_memory: int) -> None:
        """Run the endpoint's queries in ``size`` worker processes, each query stopped at the timeout or at
        ``max_memory`` bytes (a read-only store only: a worker opens it read-only)."""
        if self.writable or self.location is None:
            raise KgError("query workers need a read-only store folder")
        self.workers = QueryWorkers(self.location, size, self.timeout, max_memory, self.allow_service)

    def close(self) -> None:
        if self.workers is not None:
            self.workers.close()

    @classmethod
    def open(cls, location: str | Path, writable: bool = False, timeout: float = 30.0) -> "Service":
        """A store folder (written by ``kg load``)."""
        location = Path(location)
        check_store(location)
        ox = _ox()
        try:
            store = ox.Store(str(location)) if writable else ox.Store.read_only(str(location))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise KgError("the store is locked by another process that writes to it", location) from None
            raise KgError(f"cannot open the store: {exc}", location) from None
        return cls(store, writable, timeout, location)

    def query(self, text: str, bindings: dict | None = None):
        """Run a SPARQL query on the store (named graphs as their union): the one place a server runs one.
        ``bindings``: variable name -> pyoxigraph term, bound before the query runs (for values a user
        typed). A query the parser refuses is a ``BadQuery`` with the parser's message."""
        subs = {_ox().Variable(k): v for k, v in bindings.items()} if bindings else None
        try:
            check_query(text, engine="oxigraph", allow_service=self.allow_service)
        except KgError as exc:
            raise BadQuery(exc.message + (f" (line {exc.line})" if exc.line else "")) from None
        try:
            return self.store.query(text, use_default_graph_as_union=True, substitutions=subs)
        except SyntaxError as exc:
            line, msg = _syntax_position(str(exc))
            raise BadQuery(f"bad SPARQL: {msg}" + (f" (line {line})" if line else "")) from None
        except OSError as exc:
            raise KgError(f"query failed: {exc}") from None

    def select(self, text: str, bindings: dict | None = None) -> list[tuple]:
        """The rows of a SELECT query as tuples of pyoxigraph terms (None where unbound), in the order of
        its variables; for the pages of a server."""
        started = time.perf_counter()
        try:
            return [tuple(sol) for sol in self.query(text, bindings)]
        finally:
            self.query_seconds += time.perf_counter() - started

    def answer(self, text: str, fmt: str | None = None, accept: str = "") -> tuple[bytes, str]:
        """A query of the endpoint run under the timeout: its result in ``fmt`` (a name or media type) or
        the best of ``accept``; (bytes, media type). ``BadQuery``, ``QueryTimeout``, ``QueryTooBig``.

        With workers (``use_workers``), the query is stopped at the timeout or memory limit wherever it
        is; without, only while its result is being written."""
        if self.workers is not None:
            try:
                check_query(text, engine="oxigraph", allow_service=self.allow_service)
            except KgError as exc:
                raise BadQuery(exc.message + (f" (line {exc.line})" if exc.line else "")) from None
            return self.workers.answer(text, fmt, accept)
        deadline = time.monotonic() + self.timeout
        res = self.query(text)
        out = _DeadlineWriter(deadline, self.timeout)
        media = serialize(_ox(), res, fmt, accept, out)
        return out.buffer.getvalue(), media

    def update(self, text: str) -> None:
        """Run a SPARQL update (a writable server only)."""
        if not self.writable:
            raise KgError("this server is read-only (kg serve --writable accepts updates)")
        for tok in ("LOAD", "SERVICE"):  # both fetch URLs
            if not self.allow_service and any(t == tok for t, _ in _tokens(text)):
                raise BadQuery(f"{tok} is refused: kg reaches no network unless asked (--allow-service)")
        with self._lock:
            try:
                self.store.update(text)
            except SyntaxError as exc:
                line, msg = _syntax_position(str(exc))
                raise BadQuery(f"bad SPARQL update: {msg}" + (f" (line {line})" if line else "")) from None
            except OSError as exc:
                raise KgError(f"update failed: {exc}") from None
            self.store.flush()
            self.generation += 1


# ---------------------------------------------------------------- HTTP without the socket


@dataclass(frozen=True)
class Request:
    """One HTTP request: method, path (decoded), query parameters, headers, body."""

    method: str
    path: str
    params: dict[str, list[str]]
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.params.get(name)
        return values[0] if values else default

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


def text_response(status: int, message: str) -> Response:
    return Response(status, (message.rstrip("\n") + "\n").encode("utf-8"))


Handler = Callable[[Request], Response]


def form_params(req: Request) -> dict[str, list[str]]:
    """The query string's parameters with those of a form-encoded POST body."""
    params = {k: list(v) for k, v in req.params.items()}
    if req.method == "POST" and req.header("content-type").split(";")[0].strip() == "application/x-www-form-urlencoded":
        for k, v in urllib.parse.parse_qs(req.body.decode("utf-8", "replace"), keep_blank_values=True).items():
            params.setdefault(k, []).extend(v)
    return params


def endpoint_routes(service: Service) -> dict[str, Handler]:
    """The SPARQL 1.1 Protocol routes: ``/query`` and ``/update``."""

    def query(req: Request) -> Response:
        if req.method not in ("GET", "POST", "HEAD"):
            return text_response(405, "use GET or POST")
        params = form_params(req)
        text = (params.get("query") or [None])[0]
        if req.method == "POST" and req.header("content-type").split(";")[0].strip() == "application/sparql-query":
            text = req.body.decode("utf-8", "replace")
        if not text:
            return text_response(400, "no query: give ?query=SPARQL")
        try:
            body, media = service.answer(text, (params.get("format") or [None])[0], req.header("accept"))
        except BadQuery as exc:
            return text_response(400, exc.message)
        except (QueryTimeout, QueryTooBig) as exc:
            return text_response(503, exc.message)
        except KgError as exc:
            return text_response(500, exc.message)
        return Response(200, body, media + ("; charset=utf-8" if media.startswith("text/") else ""))

    def update(req: Request) -> Response:
        if req.method != "POST":
            return text_response(405, "use POST")
        if not service.writable:
            return text_response(403, "this server is read-only (kg serve --writable accepts updates)")
        params = form_params(req)
        text = (params.get("update") or [None])[0]
        if req.header("content-type").split(";")[0].strip() == "application/sparql-update":
            text = req.body.decode("utf-8", "replace")
        if not text:
            return text_response(400, "no update: POST update=SPARQL")
        try:
            service.update(text)
        except BadQuery as exc:
            return text_response(400, exc.message)
        except KgError as exc:
            return text_response(500, exc.message)
        return Response(204, b"")

    return {"/query": query, "/update": update}


class App:
    """Routes from paths to handlers: exact paths, then prefixes (keys ending in ``/``) longest first."""

    def __init__(self, routes: dict[str, Handler], not_found: Handler | None = None):
        self.exact = {k: v for k, v in routes.items() if not k.endswith("/") or k == "/"}
        self.prefixes = sorted(((k, v) for k, v in routes.items() if k.endswith("/") and k != "/"),
                               key=lambda kv: -len(kv[0]))
        self.not_found = not_found or (lambda req: text_response(404, f"no such page: {req.path}"))

    def handle(self, req: Request) -> Response:
        """The response to a request; an unexpected failure is logged and answered with HTTP 500."""
        try:
            handler = self.exact.get(req.path)
            if handler is None:
                handler = next((h for prefix, h in self.prefixes if req.path.startswith(prefix)), self.not_found)
            return handler(req)
        except Exception:  # a page that fails must not take the server down
            log.exception("%s %s failed", req.method, req.path)
            return text_response(500, "internal error (see the server's log)")


# ---------------------------------------------------------------- the socket


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _handler_class(app: App, loopback: bool) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        server_version = "kg"
        sys_version = ""
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            if loopback and not _local_host(headers.get("host", "")):  # a page of another site, via DNS rebinding
                return self._send(self.command, text_response(403, "this server answers only requests for 127.0.0.1 or localhost"))
            try:
                length = int(headers.get("content-length") or 0)
            except ValueError:
                length = -1
            if length < 0 or length > MAX_BODY:
                return self._send(self.command, text_response(413, f"the request body is limited to {MAX_BODY} bytes"))
            body = self.rfile.read(length) if length else b""
            req = Request(self.command, urllib.parse.unquote(url.path) or "/",
                          urllib.parse.parse_qs(url.query, keep_blank_values=True), headers, body)
            self._send(self.command, app.handle(req))

        def _send(self, method: str, resp: Response) -> None:
            self.send_response(resp.status)
            self.send_header("Content-Type", resp.content_type)
            self.send_header("Content-Length", str(len(resp.body)))
            for k, v in SECURITY_HEADERS.items():
                self.send_header(k, v)
            for k, v in resp.headers:
                self.send_header(k, v)
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(resp.body)

        do_GET = do_POST = do_HEAD = _serve

        def do_PUT(self) -> None:  # noqa: N802 (the handler's naming)
            self._send("PUT", text_response(405, "read-only: use GET or POST"))

        do_DELETE = do_PATCH = do_PUT

        def log_message(self, fmt: str, *args) -> None:
            log.debug("%s %s", self.address_string(), fmt % args)

    return _Handler


def _local_host(host: str) -> bool:
    name = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
    return name in ("127.0.0.1", "localhost", "[::1]", "")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False


def make_server(app: App, host: str, port: int) -> Server:
    """An HTTP server for ``app`` bound to ``host:port`` (listening once made)."""
    return Server((host, port), _handler_class(app, is_loopback(host)))


@dataclass(frozen=True)
class Limits:
    """What one query of the endpoint may take: ``timeout`` seconds and ``max_memory`` bytes, in one of
    ``workers`` processes (0: in the server's process, stopped only while its result is written);
    ``allow_service``: let queries fetch URLs (SERVICE, and LOAD in updates)."""

    timeout: float = 30.0
    workers: int = 2
    max_memory: int = 2 << 30
    allow_service: bool = False

    def arguments(self) -> list[str]:
        """The options ``child_arguments`` reads back."""
        return ["--timeout", f"{self.timeout:g}", "--workers", str(self.workers), "--max-memory",
                str(self.max_memory >> 20), *(["--allow-service"] if self.allow_service else [])]

    @classmethod
    def of(cls, args: argparse.Namespace) -> "Limits":
        return cls(args.timeout, args.workers, args.max_memory << 20, args.allow_service)

    def check(self) -> None:
        if not (math.isfinite(self.timeout) and self.timeout > 0):
            raise KgError(f"--timeout must be a positive number of seconds, not {self.timeout}")
        if not 0 <= self.workers <= 64:
            raise KgError(f"--workers must be between 0 and 64, not {self.workers}")
        if self.max_memory < 64 << 20:
            raise KgError(f"--max-memory must be at least 64 (MB), not {self.max_memory >> 20}")


def run(location: str | Path, host: str = HOST, port: int = 7878, writable: bool = False, timeout: float = 30.0,
        routes: Callable[[Service], dict[str, Handler]] | None = None, not_found: Handler | None = None,
        warm: Callable[[], None] | None = None, limits: Limits | None = None) -> None:
    """Serve a store until interrupted (SIGTERM or Ctrl-C): the endpoint's routes and those ``routes`` gives;
    ``warm`` runs in the background once the socket listens (e.g. to build a search index). ``limits``:
    what one query may take (default: ``timeout`` and two workers)."""
    limits = limits or Limits(timeout)
    service = Service.open(location, writable, limits.timeout)
    service.allow_service = limits.allow_service
    served = None if writable else mark_served(Path(location))  # kg load refuses to write while it is served
    try:
        if limits.workers and not writable:
            service.use_workers(limits.workers, limits.max_memory)
        table = endpoint_routes(service)
        if routes is not None:
            table.update(routes(service))
        server = make_server(App(table, not_found), host, port)
        _exit_with_parent()
        if warm is not None:
            threading.Thread(target=warm, daemon=True, name="kg-warm").start()
        with sigterm_as_interrupt():
            try:
                server.serve_forever(poll_interval=0.2)
            except KeyboardInterrupt:
                pass
            finally:
                server.server_close()
    finally:
        service.close()
        if served is not None:
            served.unlink(missing_ok=True)


def _exit_with_parent() -> None:
    """End this server process when the process that started it is gone (at once on Linux, where the
    kernel is asked to; elsewhere within a second)."""
    die_with_parent()
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="kg-parent-watch").start()


def child_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The arguments ``start`` gives a server process."""
    ap = argparse.ArgumentParser(prog="python -m kg.rdf.serve", description="kg's SPARQL endpoint (started by kg serve)")
    ap.add_argument("--location", required=True)
    ap.add_argument("--host", default=HOST)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--max-memory", type=int, default=2048)
    ap.add_argument("--allow-service", action="store_true")
    ap.add_argument("--writable", action="store_true")
    ap.add_argument("--config", default=None)
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """The endpoint's server process (``python -m kg.rdf.serve``)."""
    args = child_arguments(argv)
    logging.basicConfig(level=logging.WARNING, format="kg serve: %(message)s")
    try:
        run(args.location, args.host, args.port, args.writable, args.timeout, limits=Limits.of(args))
    except KgError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return 1
    return 0


# ---------------------------------------------------------------- the process that serves


def free_port(host: str = HOST) -> int:
    """A TCP port on ``host`` that nothing listens on now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def check_port(port: int, host: str = HOST) -> None:
    if not 0 < port < 65536:
        raise KgError(f"port {port} is not a TCP port (1-65535)")
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror:
        raise KgError(f"cannot bind to {host!r}: not an address of this machine") from None
    with socket.socket(family, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError as exc:
            if "assign" in str(exc).lower():
                raise KgError(f"cannot bind to {host}: not an address of this machine") from None
            raise KgError(f"port {port} on {host} is in use; choose another with --port") from None


@dataclass
class Endpoint:
    """A running server: its URLs, its process and the temporary store it may own."""

    process: subprocess.Popen
    port: int
    writable: bool
    temp_dir: Path | None = None
    errors: object = None  # the server's stderr (a temporary file)
    host: str = HOST

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    @property
    def update_url(self) -> str:
        return self.url + "/update"

    def stop(self) -> None:
        """Stop the server and remove its temporary store."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.temp_dir is not None:
            shutil.rmtree(self.temp_dir, ignore_errors=True)
            self.temp_dir = None
        if self.errors is not None:
            self.errors.close()
            self.errors = None

    def __enter__(self) -> "Endpoint":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start(source: str | Path, port: int = 7878, writable: bool = False, timeout: float = 30.0,
          wait: float = 20.0, host: str = HOST, app: str = "kg.rdf.serve", app_args: Sequence[str] = (),
          limits: Limits | None = None) -> Endpoint:
    """Start serving a graph file or a store folder; returns once the server listens. ``app``: the module
    run as the server process (``python -m APP``, taking ``child_arguments`` and ``app_args``)."""
    source = Path(source)
    limits = limits or Limits(timeout)
    limits.check()
    port = free_port(host) if port == 0 else port
    check_port(port, host)
    temp_dir = None
    if source.is_dir():
        check_store(source)
        ensure_unlocked(source)
        location = source
    elif not source.exists():
        raise KgError("no such graph file or store folder", source)
    else:
        remove_stale_stores()
        temp_dir = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
        (temp_dir / OWNER).write_text(str(os.getpid()), encoding="ascii")
        location = temp_dir / "store"
        try:
            load_store([source], location)
        except BaseException:
            shutil.rmtree(temp_dir, ignore_errors=True)
            raise
        if writable:
            log.warning("serving a copy of %s: updates are not written back to the file", source)
    cmd = [sys.executable, "-m", app, "--location", str(location), "--host", host, "--port", str(port),
           *limits.arguments(), *(["--writable"] if writable else []), *app_args]
    log.info("starting %s", " ".join(cmd))
    errors = tempfile.TemporaryFile()  # not a pipe: a server that logs much would block on a full one
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors)
    endpoint = Endpoint(proc, port, writable, temp_dir, errors, host)
    try:
        return _wait_until_up(endpoint, source, wait)
    except BaseException:  # an interrupt while starting: leave no server and no temporary store behind
        endpoint.stop()
        raise


TEMP_PREFIX = "kg-serve-"
OWNER = "owner.pid"


def remove_stale_stores(root: str | Path | None = None) -> list[Path]:
    """Remove the temporary stores (``kg-serve-*`` in the temporary folder) of ``kg serve`` processes that
    are gone (killed before they could clean up); the ones removed."""
    root = Path(root or tempfile.gettempdir())
    removed = []
    for d in root.glob(TEMP_PREFIX + "*"):
        try:
            pid = int((d / OWNER).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            continue  # not one of ours, or one still being made
        if not _alive(pid):
            shutil.rmtree(d, ignore_errors=True)
            removed.append(d)
    if removed:
        log.info("removed %d temporary store(s) left by stopped servers", len(removed))
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _wait_until_up(endpoint: Endpoint, source: Path, wait: float) -> Endpoint:
    proc, port, host = endpoint.process, endpoint.port, endpoint.host
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            endpoint.errors.seek(0)
            err = endpoint.errors.read().decode("utf-8", "replace")
            endpoint.stop()
            lines = [ln.strip() for ln in err.splitlines() if ln.strip()]
            first = next((ln for ln in lines if ln.startswith("kg: error:")), lines[-1] if lines else
                         f"exit status {proc.returncode}")
            if "address already in use" in err.lower():
                raise KgError(f"port {port} on {host} is in use; choose another with --port")
            if "lock" in err.lower():
                raise KgError("the store is locked by another process that writes to it", source)
            raise KgError(f"the server stopped: {first.removeprefix('kg: error: ')}", source)
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return endpoint
        except OSError:
            time.sleep(0.05)
    endpoint.stop()
    raise KgError(f"the server did not answer on port {port} within {wait:.0f} s", source)


@contextlib.contextmanager
def sigterm_as_interrupt():
    """Within the block, SIGTERM raises KeyboardInterrupt (so ``finally`` clauses stop the server and clean up)."""

    def _term(signum, frame):
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, _term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def serve_forever(endpoint: Endpoint, announce: Callable[[], None] | None = None) -> int:
    """Wait until the server stops or this process is interrupted (Ctrl-C, or SIGTERM within
    ``sigterm_as_interrupt``); then stop it and clean up. Returns 0 when interrupted. ``announce`` (say
    that it serves) runs inside, so that an interrupt while it runs is an interrupt of the serving."""
    try:
        if announce is not None:
            announce()
        return endpoint.process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        endpoint.stop()


def describe(endpoint: Endpoint, source: str | Path, pages: bool = False) -> str:
    """The line ``kg serve`` prints: what it serves, where, and how."""
    mode = "read-write" if endpoint.writable else "read-only; updates are refused"
    kind = "store" if is_store(source) else "graph"
    what = f"the browser at {endpoint.url}/, SPARQL at {endpoint.query_url}" if pages else endpoint.query_url
    return f"serving {kind} {source}: {what} (updates: {endpoint.update_url}, {mode}); Ctrl-C stops"


if __name__ == "__main__":
    sys.exit(main())
