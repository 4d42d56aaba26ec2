"""Building the graph of a corpus of any size: documents streamed in chunks to workers, each chunk's RDF
written as it is done, then one cheap final step (``kg.scale.final``).

    from kg.scale import BuildOptions, build_corpus
    result = build_corpus(["pubmed/"], "pubmed.nq", pipeline.spec(), BuildOptions(workers=8))

Memory stays flat: the build's process holds the chunks in flight, each worker one chunk, and the final
step merges sorted shards. The same input gives the same bytes with any number of workers, any chunk
size, on Dask, and after a killed run is resumed.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.config import PACKAGE
from kg.curie import curies_of
from kg.errors import KgError
from kg.ingest import iter_documents, iter_source_files
from kg.model import Document
from kg.pipeline import Pipeline, PipelineSpec
from kg.scale.final import FinalReport, finish
from kg.scale.work import LAYOUT, WorkFolder, file_digest, folder_digest, input_entries

log = logging.getLogger(__name__)

ON_ERROR = ("stop", "skip")


@dataclass(frozen=True)
class BuildOptions:
    """How a build runs (none of these change what it writes)."""

    workers: int = 1  # worker processes (1: in this process)
    chunk_size: int = 500  # documents per chunk
    dask: str | None = None  # "local" (a LocalCluster of ``workers``) or a scheduler address
    resume: bool = False  # keep the chunks of an earlier run of the same inputs and configuration
    work: Path | None = None  # the work folder (default: beside the output, ``<output>.work``)
    keep_work: bool = False  # keep the work folder after a successful build
    on_error: str = "stop"  # a bad record: "stop" (an error, nothing written) or "skip" (counted)
    input_format: str | None = None
    mentions: Path | None = None  # also write every mention to this TSV
    store: Path | None = None  # also load the output into this Oxigraph store
    progress: bool = False  # a progress bar on stderr


@dataclass
class BuildResult:
    """What a build read and wrote."""

    output: Path
    documents: int = 0
    mentions: int = 0
    words: int = 0
    skipped: int = 0
    deleted: int = 0  # of the documents: PubMed DeleteCitations (marked kg:deleted, nothing read)
    chunks: int = 0
    resumed: int = 0  # chunks kept from an earlier run
    langs: set = field(default_factory=set)  # the languages read
    graph: FinalReport = field(default_factory=FinalReport)
    store: object = None  # the store's load report (``--store``)
    seconds: dict = field(default_factory=dict)  # wall: total, final; summed over chunks: pipeline, rdf


def kg_version() -> str:
    """The installed kg's version (part of the fingerprint: another version may write other shards)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kg")
    except PackageNotFoundError:
        return "unknown"


def fingerprint(spec: PipelineSpec, options: BuildOptions) -> dict:
    """What a chunk's shards depend on besides its documents (a resumed run must match it)."""
    ner: object = spec.ner
    if ner:
        model = PACKAGE / "models" / "ner" if ner is True else Path(str(ner))
        ner = folder_digest(model) if model.is_dir() else str(ner)
    classifier: object = spec.classifier  # True: the shipped model (part of the kg version); a path: its bytes
    if isinstance(classifier, str) and Path(classifier).is_file():
        classifier = file_digest(Path(classifier))
    return {
        "kg": kg_version(), "policy": spec.config.fingerprint(), "ontologies": folder_digest(spec.config.ontologies),
        "ontology_files": [[str(p), file_digest(Path(p))] for p in spec.ontologies],
        "zh_lexicons": [[str(p), file_digest(Path(p))] for p in spec.zh_lexicons],
        "lang": list(spec.lang), "ner": ner, "fuzzy": spec.fuzzy, "use_annotations": spec.use_annotations,
        "classifier": classifier, "input_format": options.input_format,
        "chunk_size": options.chunk_size, "mentions": options.mentions is not None,
    }


def work_folder(output: Path, options: BuildOptions) -> WorkFolder:
    """``--work``, else ``OUTPUT.work`` beside the output."""
    return WorkFolder(options.work if options.work is not None else output.with_name(output.name + ".work"))


def _chunks(docs: Iterable[Document], size: int) -> Iterator[tuple[int, list[Document]]]:
    it = iter(docs)
    for index in itertools.count():
        batch = list(itertools.islice(it, size))
        if not batch:
            return
        yield index, batch


class _Progress:
    """One bar over documents on stderr (count, rate and, once the documents are counted, ETA)."""

    def __init__(self, enabled: bool, files: Sequence[Path], input_format: str | None):
        self.bar = None
        self.total: int | None = None
        if not enabled:
            return
        from tqdm import tqdm

        self.bar = tqdm(desc="kg build", unit="doc", dynamic_ncols=True, leave=False, mininterval=0.25)
        self.counter = threading.Thread(target=self._count, args=(files, input_format), daemon=True)
        self.counter.start()

    def _count(self, files: Sequence[Path], input_format: str | None) -> None:
        try:
            self.total = sum(1 for _ in iter_documents(files, input_format, on_error=lambda exc: None))
        except KgError:
            pass

    def update(self, n: int) -> None:
        if self.bar is None:
            return
        if self.total is not None and self.bar.total != self.total:
            self.bar.total = self.total
        self.bar.update(n)

    def note(self, text: str) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(text)

    def close(self) -> None:
        if self.bar is not None:
            self.counter.join(timeout=1)
            self.update(0)
            self.bar.refresh()  # the last count, before the bar is cleared for the summary line
            self.bar.close()


def _runner(options: BuildOptions, spec: PipelineSpec, work: WorkFolder, here: dict, many: bool):
    mentions = options.mentions is not None
    if options.dask:
        try:
            from kg.scale.cluster import DaskRunner
        except ImportError:
            raise KgError("--dask needs dask.distributed: pip install 'kg[dask]'") from None
        return DaskRunner(spec, work, mentions, options.dask, max(1, options.workers))
    if options.workers > 1 and many:
        from kg.scale.workers import Pool

        return Pool(spec, work, mentions, options.workers)
    from kg.scale.workers import Inline

    if here["pipeline"] is None:
        here["pipeline"] = spec.build()
    return Inline(here["pipeline"], work, mentions)


def build_corpus(sources: Sequence[str | Path], output: str | Path, spec: PipelineSpec,
                 options: BuildOptions = BuildOptions(), pipeline: Pipeline | None = None) -> BuildResult:
    """Build the graph of ``sources`` into ``output`` (format from its suffix) through a work folder.
    ``pipeline``: an already built pipeline of ``spec`` for chunks run in this process."""
    from kg.rdf.writers import format_for

    t_start = time.perf_counter()
    output = Path(output)
    fmt = format_for(output)
    if options.on_error not in ON_ERROR:
        raise KgError(f"unknown --on-error {options.on_error!r}; use {' or '.join(ON_ERROR)}")
    if options.chunk_size < 1:
        raise KgError("the chunk size must be at least 1")
    if options.workers < 1:
        raise KgError(f"--workers must be at least 1, not {options.workers}")
    files = list(iter_source_files(sources))
    manifest = {"layout": LAYOUT, "inputs": input_entries(files), "fingerprint": fingerprint(spec, options)}
    work = work_folder(output, options)
    work.prepare(manifest, options.resume)
    result = BuildResult(output)
    here: dict = {"pipeline": pipeline}  # the pipeline of this process, once one is built
    try:
        _run(files, spec, options, work, here, result)
    except (KgError, KeyboardInterrupt):
        if not work.has_chunks():
            work.remove()
        else:
            log.warning("the %d chunk(s) done are kept in %s: run again with --resume to go on", _done_count(work),
                        work.root)
        raise
    t_final = time.perf_counter()
    outputs = [(output, fmt)]
    if options.store is not None:  # the store keeps each document's named graph; loaded from the work folder,
        outputs.append((work.tmp() / "store.nq", "nquads"))  # since the output moves into place only at the end
    result.graph = finish(work, result.chunks, outputs, curies_of(spec.config),
                          labeller=_labeller(spec, here["pipeline"]) if "zh" in result.langs else None, mentions=options.mentions)
    if options.store is not None:
        from kg.rdf.store import load_store

        result.store = load_store([outputs[-1][0]], options.store, replace_graphs=True)
    result.seconds["final"] = round(time.perf_counter() - t_final, 3)
    result.seconds["total"] = round(time.perf_counter() - t_start, 3)
    if not options.keep_work:
        work.remove()
    return result


def _done_count(work: WorkFolder) -> int:
    return sum(1 for _ in work.chunks.glob("*.json"))


def _run(files: list[Path], spec: PipelineSpec, options: BuildOptions, work: WorkFolder, here: dict,
         result: BuildResult) -> None:
    """Read the documents, send the chunks not yet done to the workers, collect their summaries."""

    def skip(exc: KgError) -> None:
        result.skipped += 1
        log.warning("%s (skipped)", exc)

    docs = iter_documents(files, options.input_format, on_error=skip if options.on_error == "skip" else None)
    chunks = _chunks(docs, options.chunk_size)
    first = list(itertools.islice(chunks, 2))  # one chunk only: no worker processes to start
    progress = _Progress(options.progress, files, options.input_format)
    runner = None
    seconds = {"pipeline": 0.0, "rdf": 0.0}
    in_flight = 2

    def collect(summaries: list[dict]) -> None:
        for s in summaries:
            _count(result, s, seconds)
            progress.update(s["documents"])

    try:
        for index, batch in itertools.chain(first, chunks):
            result.chunks = index + 1
            summary = work.done(index) if options.resume else None
            if summary is not None and summary.get("first") == batch[0].id and summary.get("documents") == len(batch):
                result.resumed += 1
                collect([summary])
                continue
            if runner is None:
                runner = _runner(options, spec, work, here, many=len(first) > 1)
                in_flight = 2 * max(runner.capacity(), 1)  # two chunks a worker: one running, one waiting
            while runner.pending() >= in_flight:
                collect(runner.completed(block=True))
            runner.submit(index, batch)
            collect(runner.completed(block=False))
        while runner is not None and runner.pending():
            collect(runner.completed(block=True))
    except BaseException:
        if runner is not None:
            runner.close(cancel=True)
            runner = None
        raise
    finally:
        if runner is not None:
            runner.close()
        progress.close()
    if result.chunks == 0:
        raise KgError("no documents to read" + (f" ({result.skipped} bad record(s) skipped)" if result.skipped else ""))
    result.seconds.update({k: round(v, 3) for k, v in seconds.items()})


def _count(result: BuildResult, summary: dict, seconds: dict) -> None:
    result.documents += summary["documents"]
    result.deleted += summary.get("deleted", 0)
    result.mentions += summary["mentions"]
    result.words += summary["words"]
    result.langs.update(summary["langs"])
    for k in seconds:
        seconds[k] += summary["seconds"][k]


def _labeller(spec: PipelineSpec, pipeline: Pipeline | None):
    """The Chinese labeller of the final step: the lexicons of this process's pipeline, or loaded (only
    when Chinese was read)."""

    def make():
        from kg.graph import Labeller
        from kg.ontology import load_lexicon, load_zh_lexicon

        if pipeline is not None:
            return Labeller(pipeline.zh_lexicon, spec.config)
        lexicon = load_lexicon(spec.ontologies, spec.config)
        return Labeller(load_zh_lexicon(lexicon, spec.zh_lexicons, config=spec.config), spec.config)

    return make


def default_workers() -> int:
    """The machine's cores (those this process may run on)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)
