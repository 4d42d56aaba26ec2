"""Where chunks run: in the build's own process (``Inline``) or in worker processes (``Pool``). Each
runner takes chunks (an index and its documents) and hands back the summaries of those done.

A worker process builds its pipeline once, from the build's ``PipelineSpec`` (the policy as text, file
paths and options: never a pickled spaCy object), and keeps it for every chunk it gets; it writes the
chunk's shards itself and returns only the summary. On Linux a worker dies with the build's process
(``PR_SET_PDEATHSIG``), so a build killed with SIGKILL leaves no workers behind.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing
import signal
import sys
from collections.abc import Sequence
from typing import Protocol

from kg.errors import KgError
from kg.model import Document
from kg.pipeline import Pipeline, PipelineSpec, settle
from kg.scale.chunk import ChunkWriter
from kg.scale.work import WorkFolder

log = logging.getLogger(__name__)


class Runner(Protocol):
    """Runs chunks; ``completed`` gives the summaries of chunks finished since its last call."""

    def submit(self, index: int, docs: Sequence[Document]) -> None: ...

    def completed(self, block: bool) -> list[dict]: ...

    def pending(self) -> int: ...

    def capacity(self) -> int: ...

    def close(self, cancel: bool = False) -> None: ...


class Inline:
    """Chunks run in this process, one after another, on a pipeline built here."""

    def __init__(self, pipeline: Pipeline, work: WorkFolder, mentions: bool):
        self.writer = ChunkWriter(pipeline, work, mentions)
        self._done: list[dict] = []

    def submit(self, index: int, docs: Sequence[Document]) -> None:
        self._done.append(self.writer.process(index, docs))

    def completed(self, block: bool) -> list[dict]:
        out, self._done = self._done, []
        return out

    def pending(self) -> int:
        return 0

    def capacity(self) -> int:
        return 1

    def close(self, cancel: bool = False) -> None:
        pass


# ---------------------------------------------------------------- worker processes

# The pipeline of a worker process (set once by ``_init_worker`` in that process, never in the build's).
_WORKER: dict = {}


def _die_with_parent() -> None:
    """Linux: have the kernel kill this worker when the build's process dies (even by SIGKILL)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _init_worker(spec: PipelineSpec, work: str, mentions: bool) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build's process handles Ctrl-C
    try:
        _WORKER["writer"] = ChunkWriter(spec.build(), WorkFolder(work), mentions)
    except KgError as exc:  # reported by the first chunk, as a one-line error
        _WORKER["error"] = exc
    settle()  # the pipeline lives as long as this process: out of the collector's walks


def _run_chunk(index: int, docs: Sequence[Document]) -> dict:
    if "error" in _WORKER:
        raise _WORKER["error"]
    return _WORKER["writer"].process(index, docs)


class Pool:
    """Chunks run in ``workers`` processes (started with "spawn": a fresh interpreter each)."""

    def __init__(self, spec: PipelineSpec, work: WorkFolder, mentions: bool, workers: int):
        self.executor = cf.ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                               initializer=_init_worker, initargs=(spec, str(work.root), mentions))
        self.futures: set[cf.Future] = set()
        self.workers = workers

    def submit(self, index: int, docs: Sequence[Document]) -> None:
        self.futures.add(self.executor.submit(_run_chunk, index, list(docs)))

    def completed(self, block: bool) -> list[dict]:
        if not self.futures:
            return []
        done, self.futures = cf.wait(self.futures, timeout=None if block else 0, return_when=cf.FIRST_COMPLETED)
        return [_result(f) for f in done]

    def pending(self) -> int:
        return len(self.futures)

    def capacity(self) -> int:
        return self.workers

    def close(self, cancel: bool = False) -> None:
        if cancel:
            for f in self.futures:
                f.cancel()
            for p in list(getattr(self.executor, "_processes", {}).values()):
                if p.is_alive():
                    p.terminate()
        self.executor.shutdown(wait=True, cancel_futures=cancel)


def _result(future: cf.Future) -> dict:
    try:
        return future.result()
    except cf.process.BrokenProcessPool:
        raise KgError("a worker process died (out of memory?); the chunks done are kept: run again with --resume") from None
