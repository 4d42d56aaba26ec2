"""One chunk of documents through the pipeline and into its shards: what every worker runs (in the
build's own process, in a worker process or on a Dask worker), so every way of running writes the same
shards.

A chunk's named graphs (metadata, mentions, evidence of each of its documents) are final as soon as it is
read: they go to the chunk's ``.nq`` shard as canonical N-Quads. What the whole corpus shares (a node's
label and categories, an association's hedging, score and languages) goes to the ``.rec`` shard as
sorted records (``kg.graph.combine``), for the final step to fold. Nothing of spaCy leaves the worker:
it returns a summary (counts and timings) and writes bytes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

from kg.curie import curies_of
from kg.graph import edge_records, node_records
from kg.model import Document
from kg.pipeline import Pipeline, fewer_collections, mention_rows, mentions_tsv
from kg.rdf.build import Minter, document_blocks
from kg.scale.work import WorkFolder

NODE, EDGE = "1", "2"  # record kinds: nodes sort before associations


def _field(text: str) -> str:
    if "\t" in text or "\n" in text:
        raise ValueError(f"an identifier with a tab or a line break cannot be a record key: {text!r}")
    return text


def _json(rec: dict) -> str:
    return json.dumps(rec, ensure_ascii=False, separators=(",", ":"))


def record_lines(index: int, reading, graph) -> list[str]:
    """A chunk's node and association records as sorted lines: ``1 curie rank chunk json`` and
    ``2 subject object key chunk json`` (tab-separated): sorted, a node's records follow each other in
    (rank, chunk) order and a subject-object pair's in (key, chunk) order."""
    chunk = f"{index:07d}"
    lines = [f"{NODE}\t{_field(curie)}\t{rank}\t{chunk}\t{_json(rec)}\n"
             for curie, rank, rec in node_records(reading.claims, reading.annotated, reading.referenced)]
    lines += [f"{EDGE}\t{_field(s)}\t{_field(o)}\t{_field(key)}\t{chunk}\t{_json(rec)}\n"
              for s, o, key, rec in edge_records(graph)]
    lines.sort()
    return lines


def words_read(docs: Sequence[Document], langs: Sequence[str], sections: Sequence[str]) -> int:
    """Whitespace-separated words of the sections read (the unit of the speed figures)."""
    wanted = frozenset(sections)
    return sum(len(s.text.split()) for d in docs for s in d.sections if s.lang in langs and s.name in wanted)


class ChunkWriter:
    """A pipeline and a work folder: turns chunks of documents into shards."""

    def __init__(self, pipeline: Pipeline, work: WorkFolder, mentions: bool = False):
        self.pipeline = pipeline
        self.work = work
        self.mentions = mentions
        self.mint = Minter(curies_of(pipeline.config))

    def process(self, index: int, docs: Sequence[Document]) -> dict:
        """Read chunk ``index`` and write its shards (its summary last); returns the summary."""
        with fewer_collections():
            return self._process(index, docs)

    def _process(self, index: int, docs: Sequence[Document]) -> dict:
        t0 = time.perf_counter()
        reading = self.pipeline.read(docs)
        graph = self.pipeline.assemble(reading, labels=False)  # labels need the whole corpus's nodes
        t1 = time.perf_counter()
        quads = "".join(line for _, block in document_blocks(graph, self.mint) for line in block)
        self.work.write_shard(index, "nq", quads.encode("utf-8"))
        self.work.write_shard(index, "rec", "".join(record_lines(index, reading, graph)).encode("utf-8"))
        if self.mentions:
            self.work.write_shard(index, "tsv", mentions_tsv(mention_rows(reading.annotated), header=False).encode("utf-8"))
        t2 = time.perf_counter()
        summary = {
            "chunk": index, "documents": len(docs), "first": docs[0].id if docs else None,
            "last": docs[-1].id if docs else None, "mentions": sum(len(a.mentions) for a in reading.annotated),
            "claims": len(reading.claims), "langs": list(reading.langs), "deleted": len(reading.deleted),
            "words": words_read(docs, reading.langs, self.pipeline.config.sections),
            "seconds": {"pipeline": round(t1 - t0, 4), "rdf": round(t2 - t1, 4)},
        }
        self.work.write_shard(index, "json", json.dumps(summary, ensure_ascii=False).encode("utf-8"))
        return summary
