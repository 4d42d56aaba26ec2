"""Opening source files: plain or gzipped (by their magic bytes, whatever the suffix), as text or as a head
of bytes to sniff the format from."""

from __future__ import annotations

import gzip
import io
from collections.abc import Callable, Iterator
from pathlib import Path

from kg.errors import KgError

# What a reader that can skip a bad record calls with the error before reading on (``--on-error skip``).
OnError = Callable[[KgError], None]

GZIP_MAGIC = b"\x1f\x8b"


def is_gzip(path: Path) -> bool:
    """Whether the file starts with gzip's magic bytes."""
    try:
        with open(path, "rb") as fh:
            return fh.read(2) == GZIP_MAGIC
    except OSError:
        return False


def open_binary(path: Path):
    """The file's bytes, decompressed when it is gzipped; OS errors become ``KgError``."""
    try:
        return gzip.open(path, "rb") if is_gzip(path) else open(path, "rb")
    except FileNotFoundError:
        raise KgError("no such file", path) from None
    except IsADirectoryError:
        raise KgError("is a directory", path) from None
    except OSError as exc:
        raise KgError(f"cannot read: {exc.strerror}", path) from None


def peek(path: Path, size: int = 65536) -> bytes:
    """The first ``size`` bytes of the (decompressed) file."""
    with open_binary(path) as fh:
        try:
            return fh.read(size)
        except (OSError, EOFError) as exc:  # a truncated or corrupt gzip file
            raise KgError(f"cannot read: {exc}", path) from None


def text_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line without its end) of a UTF-8 text file, read lazily (a BOM is dropped; CRLF and CR
    ends are read as LF); undecodable bytes are an error naming the line."""
    with open_binary(path) as raw:
        stream = io.TextIOWrapper(raw, encoding="utf-8", newline=None)
        no = 0
        try:
            for no, line in enumerate(stream, start=1):
                if no == 1:
                    line = line.removeprefix("\ufeff")
                yield no, line.rstrip("\n")
        except UnicodeDecodeError as exc:
            raise KgError(f"not UTF-8 text ({exc.reason})", path, no + 1) from None
        except (OSError, EOFError) as exc:
            raise KgError(f"cannot read: {exc}", path, no + 1) from None
