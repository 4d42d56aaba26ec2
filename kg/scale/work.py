"""The work folder of a build: its manifest and the shards of each chunk, written so that a run killed at
any moment loses at most the chunks in flight.

Layout (``<output>.work/`` by default)::

    manifest.json        inputs (path, size, SHA-256) and the fingerprint of the configuration
    chunks/0000012.nq    chunk 12's documents: their named graphs, canonical N-Quads
    chunks/0000012.rec   chunk 12's corpus-wide records (nodes, associations), sorted, for the final step
    chunks/0000012.tsv   chunk 12's mentions (with --mentions)
    chunks/0000012.json  chunk 12's summary, written last: the chunk is done

Every shard is written under a temporary name and moved into place (``os.replace``), so a shard that
exists is whole, and a chunk whose summary exists has all its shards. ``--resume`` keeps the chunks done
when the manifest is the same, and refuses (naming what changed) when an input or the configuration
differs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from kg.errors import KgError

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
LAYOUT = 1  # the shard format; a change makes older work folders unusable for --resume


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def folder_digest(folder: Path) -> str:
    """A SHA-256 over the names and bytes of every file under ``folder``."""
    h = hashlib.sha256()
    for p in sorted(x for x in folder.rglob("*") if x.is_file()):
        h.update(str(p.relative_to(folder)).encode("utf-8"))
        h.update(file_digest(p).encode())
    return h.hexdigest()


def input_entries(files: Sequence[Path]) -> list[dict]:
    """Each input file with its size and checksum."""
    return [{"path": str(p), "bytes": p.stat().st_size, "sha256": file_digest(p)} for p in files]


def manifest_diff(old: dict, new: dict) -> list[str]:
    """What differs between a work folder's manifest and this run's, in words (empty: the same)."""
    out = []
    if old.get("layout") != new.get("layout"):
        return [f"the work folder was written by another version of kg (shard layout {old.get('layout')})"]
    before = {e["path"]: e for e in old.get("inputs", [])}
    after = {e["path"]: e for e in new.get("inputs", [])}
    for path in sorted(set(before) | set(after)):
        if path not in after:
            out.append(f"{path}: an input of that run is not an input of this one")
        elif path not in before:
            out.append(f"{path}: not an input of that run")
        elif before[path]["sha256"] != after[path]["sha256"]:
            out.append(f"{path}: changed since that run (its checksum differs)")
    if [e["path"] for e in old.get("inputs", [])] != [e["path"] for e in new.get("inputs", [])] and not out:
        out.append("the inputs are the same files in another order")
    fo, fn = old.get("fingerprint", {}), new.get("fingerprint", {})
    for key in sorted(set(fo) | set(fn)):
        if fo.get(key) != fn.get(key):
            out.append(f"the configuration differs: {key} was {_short(fo.get(key))}, now {_short(fn.get(key))}")
    return out


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:16] + "…"


class WorkFolder:
    """The folder that holds a build's manifest and shards."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.chunks = self.root / "chunks"

    def shard(self, index: int, kind: str) -> Path:
        """The path of chunk ``index``'s shard of ``kind`` (nq, rec, tsv, json)."""
        return self.chunks / f"{index:07d}.{kind}"

    def write_shard(self, index: int, kind: str, data: bytes) -> None:
        """Write a shard whole or not at all: a temporary file in the same folder, moved into place."""
        fd, tmp = tempfile.mkstemp(dir=self.chunks, prefix=f".{index:07d}.{kind}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, self.shard(index, kind))
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def done(self, index: int) -> dict | None:
        """Chunk ``index``'s summary if it is done, else None."""
        path = self.shard(index, "json")
        if not path.is_file():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def read_manifest(self) -> dict | None:
        """The manifest of the run that made the folder (None when there is none)."""
        path = self.root / MANIFEST
        if not path.is_file():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise KgError(f"unreadable manifest ({exc}); start again without --resume", path) from None

    def prepare(self, manifest: dict, resume: bool) -> bool:
        """Make the folder ready for a run of ``manifest``: with ``resume``, keep a previous run's chunks
        when its manifest is the same (an error naming what differs otherwise); without, start afresh.
        Returns whether chunks of an earlier run are kept."""
        if self.root.exists() and not self.root.is_dir():
            raise KgError("the work folder is a file", self.root)
        old = self.read_manifest() if self.root.is_dir() else None
        if resume and old is not None:
            diff = manifest_diff(old, manifest)
            if diff:
                raise KgError(f"cannot resume: {diff[0]}" + (f" (and {len(diff) - 1} more difference(s))" if len(diff) > 1
                              else "") + "; run again without --resume to start over", self.root)
            self.chunks.mkdir(parents=True, exist_ok=True)
            return True
        if resume:
            log.info("%s: no earlier run to resume; starting afresh", self.root)
        if self.root.is_dir():
            if old is None and any(self.root.iterdir()):
                raise KgError("not a kg work folder (no manifest.json) and not empty: refusing to clear it", self.root)
            shutil.rmtree(self.root)
        parent = self.root.parent if str(self.root.parent) else Path(".")
        if not parent.is_dir():
            raise KgError("the work folder's parent folder does not exist", parent)
        self.chunks.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".manifest.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, indent=1, ensure_ascii=False)
        os.replace(tmp, self.root / MANIFEST)
        return False

    def tmp(self) -> Path:
        """A folder for the final step's intermediate files (sorted runs, merged records)."""
        path = self.root / "final"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def has_chunks(self) -> bool:
        """Whether any chunk is done."""
        return self.chunks.is_dir() and any(self.chunks.glob("*.json"))

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
