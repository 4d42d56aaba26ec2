"""Which reader reads a file: readers by format name (``READERS``), chosen by suffix where it is telling and
by the content where it says little (``.txt``); ``--input-format`` always overrides."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.errors import KgError
from kg.ingest.journal import looks_like_journal_page, read_journal_page
from kg.ingest.jsonl import read_jsonl
from kg.ingest.pubtator import TEXT_LINE, read_pubtator
from kg.ingest.text import read_plain_text, read_text
from kg.model import Document

log = logging.getLogger(__name__)

Reader = Callable[..., list[Document]]  # (path, text=None) -> documents

READERS: dict[str, Reader] = {
    "journal": read_journal_page,
    "text": read_plain_text,
    "jsonl": read_jsonl,
    "pubtator": read_pubtator,
}
SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".pubtator": "pubtator", ".txt": None, ".text": "text", ".md": "text"}


def sniff(path: Path, text: str) -> str:
    """The reader for a file: by suffix where it is telling, else by content."""
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt:
        return fmt
    first = text.lstrip().split("\n", 1)[0]
    if TEXT_LINE.match(first):
        return "pubtator"
    if first.startswith("{"):
        return "jsonl"
    if looks_like_journal_page(text):
        return "journal"
    return "text"


def read_documents(path: str | Path, input_format: str | None = None) -> list[Document]:
    """Documents of one file, with the named reader or a sniffed one."""
    path = Path(path)
    if input_format is not None and input_format not in READERS:
        raise KgError(f"unknown input format {input_format!r}; known: {', '.join(sorted(READERS))}", path)
    suffix = path.suffix.lower()
    if input_format is None and suffix and suffix not in SUFFIXES:
        raise KgError(f"unknown input format {suffix!r} (known suffixes: {', '.join(sorted(SUFFIXES))}); "
                      f"name one with --input-format {{{','.join(sorted(READERS))}}}", path)
    text = read_text(path)
    fmt = input_format or sniff(path, text)
    docs = READERS[fmt](path, text)
    for d in docs:
        if not any(s.name == "abstract" and s.text.strip() for s in d.sections) and not d.sections:
            raise KgError("no text to read", path)
    log.debug("%s: %d document(s) as %s", path, len(docs), fmt)
    return docs


def iter_source_files(sources: Iterable[str | Path]) -> Iterator[Path]:
    """Each file named, and every supported file inside each folder named (sorted, hidden files skipped)."""
    for src in sources:
        p = Path(src)
        if p.is_dir():
            files = sorted(
                f for f in p.rglob("*")
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
                and f.suffix.lower() in SUFFIXES
            )
            if not files:
                raise KgError(f"no supported files ({', '.join(sorted(SUFFIXES))}) in folder", p)
            yield from files
        elif p.exists():
            yield p
        else:
            raise KgError("no such file or folder", p)


def read_sources(sources: Iterable[str | Path], input_format: str | None = None) -> list[Document]:
    """Documents of every source (files and folders); duplicate document ids are an error."""
    docs: list[Document] = []
    seen: dict[str, str] = {}
    for path in iter_source_files(sources):
        for d in read_documents(path, input_format):
            if d.id in seen:
                raise KgError(f"document {d.id} was already read from {seen[d.id]}", path)
            seen[d.id] = str(path)
            docs.append(d)
    return docs
