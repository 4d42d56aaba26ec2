"""Writing output files so that no half-written file is ever left behind, and a command's outputs all
written or none: ``check_output`` before any work, ``output_group`` around it.

Every output goes through ``write_atomic``: a temporary file beside it, moved into place when complete.
Inside ``output_group()`` the moves wait until the group ends: then all are made, one after the other, or
(an error, Ctrl-C, SIGTERM) none, and the temporary files are removed; the old outputs stay as they were.
"""

from __future__ import annotations

import contextvars
import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import KgError

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


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write text (UTF-8) or bytes to a temporary file beside ``path`` and move it into place, so no
    half-written output is ever left; the file gets the usual permissions (umask), not mkstemp's 0600."""
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
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        group = _GROUP.get()
        if group is not None:
            group.append((tmp, path))
        else:
            os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        what = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise KgError(f"cannot write: {what}", path) from None
    except BaseException:
        _remove(tmp)
        raise


def cache_dir() -> Path:
    """kg's cache folder: ``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``."""
    env = os.environ.get("KG_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kg"
