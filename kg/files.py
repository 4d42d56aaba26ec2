"""Writing output files so that no half-written file is ever left behind, and sorting more lines than
memory holds (sorted runs on disk, merged)."""

from __future__ import annotations

import heapq
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from kg.errors import KgError


@contextmanager
def atomic_output(path: str | Path) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through: a temporary file beside it, moved into place when the
    block ends without an exception (else removed), so no half-written output is ever left; the file
    gets the usual permissions (umask), not mkstemp's 0600."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise KgError("output folder does not exist", directory)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write text (UTF-8) or bytes to ``path`` atomically (``atomic_output``)."""
    with atomic_output(path) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


# ---------------------------------------------------------------- sorting on disk


def _write_run(lines: list[str], directory: Path) -> Path:
    fd, name = tempfile.mkstemp(dir=directory, prefix="run-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.writelines(lines)
    return Path(name)


def _read_lines(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8", newline="") as fh:
        yield from fh


def merge_sorted_files(paths: list[Path], directory: Path, fan_in: int = 128, unique: bool = False) -> Iterator[str]:
    """The lines of files that are each sorted, merged in order (each line once when ``unique``). More
    than ``fan_in`` files are first merged in groups into runs in ``directory`` (few files open at once);
    those runs are removed when the merge is done."""
    paths = list(paths)
    made: list[Path] = []
    try:
        while len(paths) > fan_in:
            merged = []
            for i in range(0, len(paths), fan_in):
                fd, name = tempfile.mkstemp(dir=directory, prefix="merge-", suffix=".txt")
                made.append(Path(name))
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                    fh.writelines(_merge(paths[i:i + fan_in], unique))
                merged.append(Path(name))
            paths = merged
        yield from _merge(paths, unique)
    finally:
        for p in made:
            p.unlink(missing_ok=True)


def _merge(paths: list[Path], unique: bool) -> Iterator[str]:
    merged = heapq.merge(*(_read_lines(p) for p in paths))
    if not unique:
        yield from merged
        return
    last = None
    for line in merged:
        if line != last:
            yield line
            last = line


def sorted_unique(lines: Iterable[str], directory: Path, run_size: int = 400_000) -> Iterator[str]:
    """``lines`` sorted, each once, holding at most ``run_size`` lines in memory: longer input is sorted
    in runs written to ``directory`` and merged. Lines end with a newline."""
    runs: list[Path] = []
    batch: set[str] = set()
    for line in lines:
        batch.add(line)
        if len(batch) >= run_size:
            runs.append(_write_run(sorted(batch), directory))
            batch = set()
    if not runs:
        yield from sorted(batch)
        return
    if batch:
        runs.append(_write_run(sorted(batch), directory))
    try:
        yield from merge_sorted_files(runs, directory, unique=True)
    finally:
        for p in runs:
            p.unlink(missing_ok=True)


def cache_dir() -> Path:
    """kg's cache folder: ``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``."""
    env = os.environ.get("KG_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kg"
