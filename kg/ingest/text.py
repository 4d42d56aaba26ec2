"""Reading source files as text, and the plain-text reader."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from kg import ids
from kg.errors import KgError
from kg.ingest.source import open_binary
from kg.lang import detect_lang
from kg.model import Document, Section


def read_text(path: Path) -> str:
    """The file's whole text as UTF-8 (gzipped files decompressed, a BOM dropped, line ends as LF);
    undecodable bytes are an error naming the line."""
    with open_binary(path) as fh:
        try:
            data = fh.read()
        except (OSError, EOFError) as exc:  # a truncated or corrupt gzip file
            raise KgError(f"cannot read: {exc}", path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise KgError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be decoded)", path, line) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise KgError("empty file: no text to read", path)
    return text


def clean(s: str) -> str:
    """White space folded to single spaces, the ends stripped."""
    return re.sub(r"\s+", " ", s).strip()


def read_plain_text(path: Path, text: str | None = None) -> Iterator[Document]:
    """A plain text file: a short first paragraph of one line is the title; the rest is the abstract."""
    text = text if text is not None else read_text(path)
    paras = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    title = None
    if len(paras) > 1 and "\n" not in paras[0] and len(paras[0]) <= 300:
        title, paras = paras[0], paras[1:]
    body = clean(" ".join(paras))
    lang = detect_lang(body)
    sections = ([Section("title", clean(title), detect_lang(title))] if title else []) + [Section("abstract", body, lang)]
    yield Document(id=ids.document_from_text(text), source=str(path), sections=tuple(sections))
