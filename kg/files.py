"""Writing output files so that no half-written file is ever left behind, and a command's outputs all
written or none: ``check_output`` before any work, ``output_group`` around it.

Every output goes through ``write_atomic``: a temporary file beside it, moved into place when complete.
Inside ``output_group()`` the moves wait until the group ends: then all are made, one after the other, or
(an error, Ctrl-C, SIGTERM) none, and the temporary files are removed; the old outputs stay as they were.
Also: sorting more lines than memory holds (sorted runs on disk, merged).
"""

from __future__ import annotations

import contextvars
import errno
import heapq
import logging
import os
import pickle
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from kg.errors import KgError

log = logging.getLogger(__name__)

_GROUP: contextvars.ContextVar[list[tuple[str, Path]] | None] = contextvars.ContextVar("kg_output_group", default=None)


def check_output(path: str | Path, folder: bool = False) -> None:
    """Fail now, before any work, where ``path`` cannot be written: its folder missing or not writable,
    a folder where a file is to be written (or a file where a folder is: ``folder``)."""
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if path.exists():
        if folder and not path.is_dir():
            raise KgError("is a file: the output must be a folder to write in", path)
        if not folder and path.is_dir():
            raise KgError("is a folder; give a file name to write", path)
        if not os.access(path if folder else parent, os.W_OK):
            raise KgError("cannot write here: permission denied", path)
        return
    if not parent.is_dir():
        raise KgError("output folder does not exist", parent)
    if not os.access(parent, os.W_OK):
        raise KgError("cannot write in this folder: permission denied", parent)


def check_outputs(*paths: str | Path | None) -> None:
    """``check_output`` for each file given, and no two the same."""
    given = [Path(p) for p in paths if p is not None]
    seen: dict[Path, Path] = {}
    for p in given:
        check_output(p)
        key = p.resolve()
        if key in seen:
            raise KgError(f"the same file is given for two outputs ({seen[key]})", p)
        seen[key] = p


@contextmanager
def output_group() -> Iterator[None]:
    """Within the block, outputs are moved into place only when the block ends without an exception;
    otherwise none is, and their temporary files are removed."""
    if _GROUP.get() is not None:  # already in one: the outer group decides
        yield
        return
    pending: list[tuple[str, Path]] = []
    token = _GROUP.set(pending)
    try:
        yield
    except BaseException:
        _GROUP.reset(token)
        for tmp, _ in pending:
            _remove(tmp)
        raise
    _GROUP.reset(token)
    try:
        for i, (tmp, path) in enumerate(pending):
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in pending[i:]:
            _remove(tmp)
        raise


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass


@contextmanager
def atomic_output(path: str | Path, group: bool = True) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through: a temporary file beside it, moved into place when the
    block ends without an exception (else removed; inside ``output_group``, moved when the group ends),
    so no half-written output is ever left; the file gets the usual permissions (umask), not mkstemp's
    0600. A full disk or a refused write is a one-line ``KgError``. ``group=False``: moved at once even
    in a group (a file the command itself reads again)."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise KgError("output folder does not exist", directory)
    if path.is_dir():
        raise KgError("is a folder; give a file name to write", path)
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise KgError(f"cannot write here: {exc.strerror or exc}", directory) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        pending = _GROUP.get() if group else None
        if pending is not None:
            pending.append((tmp, path))
        else:
            os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        what = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise KgError(f"cannot write: {what}", path) from None
    except BaseException:
        _remove(tmp)
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


def write_cache(obj: object, cache_file: Path, what: str) -> None:
    """Pickle ``obj`` into ``cache_file`` whole or not at all (a temporary file moved into place); a cache
    that cannot be written is a warning naming ``what``, never an error."""
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_file.parent, prefix=f".{cache_file.stem}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache_file)
    except OSError as exc:
        log.warning("could not write the %s cache in %s: %s", what, cache_file.parent, exc)
