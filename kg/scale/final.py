"""The final step of a build: the chunks' shards into one output, in memory that does not grow with the
corpus.

1. The chunks' record shards (each sorted) are merged (``kg.files.merge_sorted_files``, a few files open
   at a time); each node's records fold into its attributes and each association's into its aggregates
   (``kg.graph.combine``). Nodes go to a file of merged nodes, associations straight to their lines.
2. The merged nodes are read again: a bare reference is kept only where a node points to it, and, when
   Chinese was read anywhere, each node gets its Chinese label (``kg.graph.Labeller``).
3. The output is the default graph's lines (nodes, then associations) followed by the chunks' named
   graphs in input order (``kg.rdf.writers.write_lines``): the same canonical N-Quads as a build in one
   piece, whatever the chunk size or the number of workers.
"""

from __future__ import annotations

import itertools
import json
import logging
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.curie import Curies
from kg.graph import Labeller, fold_edge, fold_node
from kg.graph.attributes import NodeAttributes
from kg.rdf.build import Minter, association_lines, node_lines
from kg.rdf.writers import write_lines
from kg.scale.chunk import EDGE, NODE
from kg.scale.work import WorkFolder

log = logging.getLogger(__name__)


@dataclass
class FinalReport:
    """What the final step wrote."""

    nodes: int = 0
    claims: int = 0
    aligned: int = 0
    single_language: int = 0
    multilingual: bool = False


def _lines(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8", newline="") as fh:
        yield from fh


def _groups(lines: Iterable[str]) -> Iterator[tuple[str, tuple[str, ...], list[list[str]]]]:
    """Merged record lines grouped: ``(kind, group key, [fields of each record])``; a node's group is its
    CURIE, an association's its subject and object."""
    width = {NODE: 1, EDGE: 2}
    for (kind, key), recs in itertools.groupby(
            (line.rstrip("\n").split("\t") for line in lines), key=lambda f: (f[0], tuple(f[1:1 + width[f[0]]]))):
        yield kind, key, list(recs)


def _fold(records: Iterable[str], nodes_out: Path, assoc_out: Path, mint: Minter, report: FinalReport) -> set[str]:
    """Fold the merged records: merged nodes to ``nodes_out`` (CURIE, bare flag, attributes as JSON), the
    associations' lines to ``assoc_out``. Returns the identifiers nodes point to (agents, heads)."""
    refs: set[str] = set()
    iris: dict = {}
    with open(nodes_out, "w", encoding="utf-8") as nodes, open(assoc_out, "w", encoding="utf-8") as assoc:
        for kind, key, recs in _groups(records):
            if kind == NODE:
                d, bare = fold_node(key[0], ((int(f[2]), json.loads(f[4])) for f in recs))
                if not bare:
                    refs.update(r for r in (d["agent"], d["composed_of"]) if r)
                nodes.write(f"{key[0]}\t{int(bare)}\t{json.dumps(_plain(d), ensure_ascii=False)}\n")
                continue
            edges = []
            for edge_key, group in itertools.groupby(recs, key=lambda f: f[3]):
                d = fold_edge(json.loads(f[5]) for f in group)
                edges.append((edge_key, d))
                report.claims += 1
                if "aligned" in d:
                    report.multilingual = True
                    report.aligned += d["aligned"]
                    report.single_language += not d["aligned"]
            assoc.writelines(association_lines(key[0], key[1], edges, mint, iris))
    return refs


def _plain(d: NodeAttributes) -> dict:
    return {k: sorted(v) if isinstance(v, set) else v for k, v in d.items() if k != "mentioned_in"}


def _node(curie: str, data: dict) -> NodeAttributes:
    return NodeAttributes(label=data["label"], categories=set(data["categories"]), type=data["type"],
                          equivalents=set(data["equivalents"]), agent=data["agent"], composed_of=data["composed_of"],
                          broader=set(data["broader"]), mentioned_in=set())


def _merged_nodes(path: Path) -> Iterator[tuple[str, bool, NodeAttributes]]:
    for line in _lines(path):
        curie, bare, data = line.rstrip("\n").split("\t", 2)
        yield curie, bare == "1", _node(curie, json.loads(data))


def _node_output(path: Path, refs: set[str], mint: Minter, labeller: Labeller | None,
                 report: FinalReport) -> Iterator[str]:
    """The default graph's node lines: bare references kept where a node points to them, labels added."""
    known: dict[str, NodeAttributes] = {}
    if labeller is not None:  # the nodes a label is made from (a composition's head, a therapy's agent)
        known = {c: d for c, _, d in _merged_nodes(path) if c in refs}
    iris: dict = {}
    for curie, bare, d in _merged_nodes(path):
        if bare and curie not in refs:
            continue
        if labeller is not None:
            label = labeller.label(curie, d, known.get)
            if label:
                d["labels"] = {"zh": label}
        report.nodes += 1
        yield from node_lines(curie, d, mint, iris)


def finish(work: WorkFolder, chunks: int, outputs: list[tuple[Path, str]], curies: Curies,
           labeller: Callable[[], Labeller] | None = None, mentions: Path | None = None) -> FinalReport:
    """Merge the shards of chunks ``0 .. chunks-1`` into each ``(path, format)`` of ``outputs``;
    ``labeller`` makes the Chinese labeller when Chinese was read; ``mentions``: also join the mention
    shards there."""
    from kg.files import merge_sorted_files

    report = FinalReport()
    mint = Minter(curies)
    tmp = work.tmp()
    recs = [work.shard(i, "rec") for i in range(chunks)]
    nodes_file, assoc_file = tmp / "nodes.tsv", tmp / "associations.nt"
    refs = _fold(merge_sorted_files(recs, tmp), nodes_file, assoc_file, mint, report)
    label = labeller() if labeller else None
    for n, (path, fmt) in enumerate(outputs):
        counted = report if n == 0 else FinalReport()
        default = itertools.chain(_node_output(nodes_file, refs, mint, label, counted), _lines(assoc_file))
        write_lines(default, (), path, fmt, curies, tmp_dir=tmp, named_files=[work.shard(i, "nq") for i in range(chunks)],
                    group=work.root.resolve() not in Path(path).resolve().parents)  # a work file is read again now
    if mentions is not None:
        _join_mentions(work, chunks, mentions)
    return report


def _join_mentions(work: WorkFolder, chunks: int, path: Path) -> None:
    from kg.files import atomic_output
    from kg.pipeline import mentions_tsv

    with atomic_output(path) as out:
        out.write(mentions_tsv([]).encode("utf-8"))
        for i in range(chunks):
            with open(work.shard(i, "tsv"), "rb") as fh:
                shutil.copyfileobj(fh, out)
