"""Chunks on a Dask cluster (``kg build --dask [ADDRESS]``; ``pip install 'kg[dask]'``).

Without an address, a ``dask.distributed`` LocalCluster of ``--workers`` worker processes (one thread
each) on this machine; with one (``tcp://host:8786``), the cluster of that scheduler. A worker plugin
carries the build's ``PipelineSpec`` to every worker, which builds its pipeline once (on its first
chunk, in the task's thread) and keeps it. Tasks are chunks: each writes its shards into the work
folder, which every worker must reach under the same path (a shared disk), and returns its summary.
The shards and the output are the same bytes as with ``--workers``.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Sequence

from distributed import Client, LocalCluster, WorkerPlugin, get_worker, wait

from kg.errors import KgError
from kg.model import Document
from kg.pipeline import PipelineSpec
from kg.scale.chunk import ChunkWriter
from kg.scale.work import WorkFolder

log = logging.getLogger(__name__)

PLUGIN = "kg-pipeline"


class PipelinePlugin(WorkerPlugin):
    """Holds a worker's pipeline: the spec travels, the pipeline is built on the worker."""

    name = PLUGIN

    def __init__(self, spec: PipelineSpec, work: str, mentions: bool):
        self.spec, self.work, self.mentions = spec, work, mentions
        self._writer: ChunkWriter | None = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict:
        return {"spec": self.spec, "work": self.work, "mentions": self.mentions}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["spec"], state["work"], state["mentions"])

    def writer(self) -> ChunkWriter:
        with self._lock:
            if self._writer is None:
                self._writer = ChunkWriter(self.spec.build(), WorkFolder(self.work), self.mentions)
            return self._writer


def _dask_chunk(index: int, docs: Sequence[Document]) -> dict:
    """A task: one chunk on this worker's pipeline."""
    plugin = get_worker().plugins[PLUGIN]
    return plugin.writer().process(index, docs)


class DaskRunner:
    """Chunks as tasks of a Dask cluster (a LocalCluster when ``address`` is "local")."""

    def __init__(self, spec: PipelineSpec, work: WorkFolder, mentions: bool, address: str, workers: int):
        # distributed logs its start and stop at INFO: kept for -vv only
        quiet = logging.INFO if logging.getLogger().getEffectiveLevel() <= logging.DEBUG else logging.WARNING
        for name in ("distributed", "dask"):
            logging.getLogger(name).setLevel(max(quiet, logging.getLogger().getEffectiveLevel()))
        self.cluster = None
        try:
            if address == "local":
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                            dashboard_address=None, scheduler_kwargs={"dashboard": False},
                                            silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
            else:
                self.client = Client(address, timeout=30)
        except OSError as exc:
            raise KgError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        self.client.register_plugin(PipelinePlugin(spec, str(work.root), mentions), name=PLUGIN)
        self.run_id = uuid.uuid4().hex[:8]
        self.futures: set = set()

    def submit(self, index: int, docs: Sequence[Document]) -> None:
        self.futures.add(self.client.submit(_dask_chunk, index, list(docs), pure=False,
                                            key=f"kg-chunk-{self.run_id}-{index}"))

    def completed(self, block: bool) -> list[dict]:
        if not self.futures:
            return []
        if block:
            wait(list(self.futures), return_when="FIRST_COMPLETED")
        done = {f for f in self.futures if f.done()}
        self.futures -= done
        return [f.result() for f in done]

    def pending(self) -> int:
        return len(self.futures)

    def capacity(self) -> int:
        """How many chunks the cluster runs at once (its worker threads)."""
        try:
            return max(1, sum(self.client.nthreads().values()))
        except (OSError, TimeoutError):
            return 1

    def close(self, cancel: bool = False) -> None:
        if cancel and self.futures:
            self.client.cancel(list(self.futures))
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
