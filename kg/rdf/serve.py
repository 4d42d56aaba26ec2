"""A SPARQL 1.1 Protocol endpoint on 127.0.0.1: Oxigraph's server (the ``oxigraph`` package on PyPI).

Queries go to ``/query`` and updates to ``/update``. A store folder is served read-only (an update gets HTTP
403) unless ``writable``; a graph file is first loaded into a temporary store, removed when the server
stops (updates to it are not written back to the file). Queries time out after ``timeout`` seconds. Named
graphs are queried as their union, as ``kg query`` does.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError
from kg.rdf.store import check_store, ensure_unlocked, is_store, load_store

log = logging.getLogger(__name__)

HOST = "127.0.0.1"


def oxigraph_binary() -> str:
    """The ``oxigraph`` server program installed beside this Python (or on the PATH)."""
    here = os.path.dirname(sys.executable)
    found = shutil.which("oxigraph", path=os.pathsep.join([here, os.environ.get("PATH", "")]))
    if not found:
        raise KgError("the Oxigraph server is not installed: pip install oxigraph")
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def check_port(port: int) -> None:
    if not 0 < port < 65536:
        raise KgError(f"port {port} is not a TCP port (1-65535)")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((HOST, port))
        except OSError:
            raise KgError(f"port {port} on {HOST} is in use; choose another with --port") from None


@dataclass
class Endpoint:
    """A running server: its URLs, its process and the temporary store it may own."""

    process: subprocess.Popen
    port: int
    writable: bool
    temp_dir: Path | None = None
    errors: object = None  # the server's stderr (a temporary file)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

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
          wait: float = 20.0) -> Endpoint:
    """Start serving a graph file or a store folder; returns once the endpoint answers."""
    binary = oxigraph_binary()
    source = Path(source)
    if not (math.isfinite(timeout) and timeout > 0):
        raise KgError(f"--timeout must be a positive number of seconds, not {timeout}")
    port = free_port() if port == 0 else port
    check_port(port)
    temp_dir = None
    if source.is_dir():
        check_store(source)
        ensure_unlocked(source)
        location = source
    elif not source.exists():
        raise KgError("no such graph file or store folder", source)
    else:
        temp_dir = Path(tempfile.mkdtemp(prefix="kg-serve-"))
        location = temp_dir / "store"
        try:
            load_store([source], location)
        except BaseException:
            shutil.rmtree(temp_dir, ignore_errors=True)
            raise
        if writable:
            log.warning("serving a copy of %s: updates are not written back to the file", source)
    cmd = [binary, "serve" if writable else "serve-read-only", "--location", str(location),
           "--bind", f"{HOST}:{port}", "--union-default-graph", "--timeout-s", str(max(1, math.ceil(timeout)))]
    log.info("starting %s", " ".join(cmd))
    errors = tempfile.TemporaryFile()  # not a pipe: a server that logs much would block on a full one
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors)
    endpoint = Endpoint(proc, port, writable, temp_dir, errors)
    try:
        return _wait_until_up(endpoint, source, wait)
    except BaseException:  # an interrupt while starting: leave no server and no temporary store behind
        endpoint.stop()
        raise


def _wait_until_up(endpoint: Endpoint, source: Path, wait: float) -> Endpoint:
    proc, port = endpoint.process, endpoint.port
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            endpoint.errors.seek(0)
            err = endpoint.errors.read().decode("utf-8", "replace")
            endpoint.stop()
            first = next((ln.strip() for ln in err.splitlines() if ln.strip()), f"exit status {proc.returncode}")
            if "address already in use" in err.lower():
                raise KgError(f"port {port} on {HOST} is in use; choose another with --port")
            if "lock" in err.lower():
                raise KgError("the store is locked by another process that writes to it", source)
            raise KgError(f"the Oxigraph server stopped: {first.removeprefix('Error: ')}", source)
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return endpoint
        except OSError:
            time.sleep(0.05)
    endpoint.stop()
    raise KgError(f"the Oxigraph server did not answer on port {port} within {wait:.0f} s", source)


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


def serve_forever(endpoint: Endpoint) -> int:
    """Wait until the server stops or this process is interrupted (Ctrl-C, or SIGTERM within
    ``sigterm_as_interrupt``); then stop it and clean up. Returns 0 when interrupted."""
    try:
        return endpoint.process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        endpoint.stop()


def describe(endpoint: Endpoint, source: str | Path) -> str:
    mode = "read-write" if endpoint.writable else "read-only; updates are refused"
    kind = "store" if is_store(source) else "graph"
    return (f"serving {kind} {source} at {endpoint.query_url} (updates: {endpoint.update_url}, {mode}); "
            "Ctrl-C stops")
