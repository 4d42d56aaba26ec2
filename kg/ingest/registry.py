"""Which reader reads a file: readers by format name (``READERS``), chosen by suffix where it is telling and
by the content where it says little (``.txt``, ``.xml``, ``.json``: the XML root element, a MEDLINE
``PMID-`` line, PubTator lines, BioC or JSON-lines objects); ``--input-format`` always overrides.

A reader is a function ``(path, text=None) -> Iterator[Document]``: it yields the file's documents lazily
(``text``, when given, is the file's text already read), and raises ``KgError`` naming the file and line
for input it cannot use. ``iter_documents`` streams the documents of many files.

Skipping bad records (``kg build --on-error skip``): a reader whose records can be read one by one (JSONL,
PubTator) takes a keyword ``on_error`` and, when given one, reports a bad record to it and reads on. For
a reader without it (a journal page, a plain text: one document per file) an error drops the rest of
that file, reported the same way. A record without text and a repeated document id are bad records too.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.errors import KgError
from kg.ingest.bioc import looks_like_bioc_json, read_bioc
from kg.ingest.jats import ROOTS as JATS_ROOTS
from kg.ingest.jats import read_jats
from kg.ingest.journal import looks_like_journal_page, read_journal_page
from kg.ingest.jsonl import read_jsonl
from kg.ingest.medline import looks_like_medline, read_medline
from kg.ingest.pubmed import ROOTS as PUBMED_ROOTS
from kg.ingest.pubmed import read_pubmed
from kg.ingest.pubtator import TEXT_LINE, read_pubtator
from kg.ingest.source import OnError, peek
from kg.ingest.text import read_plain_text
from kg.ingest.xml import root_of
from kg.model import Document

log = logging.getLogger(__name__)

Reader = Callable[..., Iterator[Document]]  # (path, text=None) -> documents, lazily

READERS: dict[str, Reader] = {
    "journal": read_journal_page,
    "text": read_plain_text,
    "jsonl": read_jsonl,
    "pubtator": read_pubtator,
    "pubmed": read_pubmed,
    "medline": read_medline,
    "jats": read_jats,
    "bioc": read_bioc,
}
# Suffixes that name a format (None: the content decides); a suffix not listed is an error without
# --input-format. ".gz" is looked through: "x.jsonl.gz" is JSONL, "pubmed25n0001.xml.gz" is sniffed.
SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".pubtator": "pubtator", ".txt": None, ".text": "text", ".md": "text",
            ".xml": None, ".json": None, ".nxml": "jats", ".nbib": "medline", ".medline": "medline"}
HEAD = 65536  # how much of a file sniffing reads
XML_ROOTS = {**{r: "pubmed" for r in PUBMED_ROOTS}, **{r: "jats" for r in JATS_ROOTS}, "collection": "bioc"}


def suffix_of(path: Path) -> str:
    """The suffix that names the format (``.gz`` looked through)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def sniff(path: Path, head: str | None = None) -> str:
    """The reader for a file: by suffix where it is telling, else by its first bytes."""
    fmt = SUFFIXES.get(suffix_of(path))
    if fmt:
        return fmt
    if head is None:
        head = peek(path, HEAD).decode("utf-8", "replace")
    body = head.lstrip("\ufeff").lstrip()
    if body.startswith("<"):
        root, _ = root_of(body)
        if root in XML_ROOTS:
            return XML_ROOTS[root]
        raise KgError(f"XML with root element {root or '(none found)'!r} is not a format kg reads (PubMed "
                      f"{'/'.join(PUBMED_ROOTS)}, JATS {'/'.join(JATS_ROOTS)}, BioC collection)", path, 1)
    first = body.split("\n", 1)[0]
    if looks_like_medline(body):
        return "medline"
    if TEXT_LINE.match(first):
        return "pubtator"
    if body.startswith(("{", "[")):
        return "bioc" if looks_like_bioc_json(body) else "jsonl"
    if looks_like_journal_page(head):
        return "journal"
    return "text"


def skips_records(reader: Reader) -> bool:
    """Whether a reader can report a bad record and read on (it takes a keyword ``on_error``)."""
    try:
        return "on_error" in inspect.signature(reader).parameters
    except (TypeError, ValueError):
        return False


def read_documents(path: str | Path, input_format: str | None = None, on_error: OnError | None = None) -> Iterator[Document]:
    """Documents of one file, lazily, with the named reader or a sniffed one; with ``on_error``, bad
    records are reported there instead of raised."""
    path = Path(path)
    if input_format is not None and input_format not in READERS:
        raise KgError(f"unknown input format {input_format!r}; known: {', '.join(sorted(READERS))}", path)
    suffix = suffix_of(path)
    if input_format is None and suffix and suffix not in SUFFIXES:
        raise KgError(f"unknown input format {suffix!r} (known suffixes: {', '.join(sorted(SUFFIXES))}); "
                      f"name one with --input-format {{{','.join(sorted(READERS))}}}", path)
    if not path.exists():
        raise KgError("no such file", path)
    fmt = input_format or sniff(path)
    log.debug("%s: read as %s", path, fmt)
    reader = READERS[fmt]
    if on_error is None:
        return _with_text(reader(path), path, None)
    if skips_records(reader):
        return _with_text(reader(path, on_error=on_error), path, on_error)
    return _with_text(_rest_skipped(reader(path), on_error), path, on_error)


def _rest_skipped(documents: Iterator[Document], on_error: OnError) -> Iterator[Document]:
    """A reader that cannot read past a bad record: its error is reported and the rest of the file dropped."""
    try:
        yield from documents
    except KgError as exc:
        on_error(exc)


def _with_text(documents: Iterator[Document], path: Path, on_error: OnError | None) -> Iterator[Document]:
    for n, d in enumerate(documents, start=1):
        if not d.sections and not d.deleted:
            exc = KgError(f"no text to read (record {n}, {d.id})" if n > 1 or d.pmid else "no text to read", path)
            if on_error is None:
                raise exc
            on_error(exc)
            continue
        yield d


def iter_source_files(sources: Iterable[str | Path]) -> Iterator[Path]:
    """Each file named, and every supported file inside each folder named (sorted, hidden files skipped)."""
    for src in sources:
        p = Path(src)
        if p.is_dir():
            files = sorted(
                f for f in p.rglob("*")
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
                and suffix_of(f) in SUFFIXES
            )
            if not files:
                raise KgError(f"no supported files ({', '.join(sorted(SUFFIXES))}) in folder", p)
            yield from files
        elif p.exists():
            yield p
        else:
            raise KgError("no such file or folder", p)


def iter_documents(sources: Iterable[str | Path], input_format: str | None = None,
                   on_error: OnError | None = None) -> Iterator[Document]:
    """Documents of every source (files and folders), lazily, in order; a duplicate document id is an
    error. With ``on_error``, bad records (and repeated ids) are reported there and skipped."""
    seen: dict[str, str] = {}
    for path in iter_source_files(sources):
        where = str(path)  # one string per file, shared by its documents' entries
        for d in read_documents(path, input_format, on_error):
            if d.deleted:  # a PubMed DeleteCitation: the record withdrawn; a later file may add it again
                seen.pop(d.id, None)
                yield d
                continue
            if d.id in seen:
                exc = KgError(f"document {d.id} was already read from {seen[d.id]}", path)
                if on_error is None:
                    raise exc
                on_error(exc)
                continue
            seen[d.id] = where
            yield d


def read_sources(sources: Iterable[str | Path], input_format: str | None = None) -> list[Document]:
    """Every document of the sources, as a list (``iter_documents`` streams them)."""
    return list(iter_documents(sources, input_format))


def withdraw(documents: Iterable[Document]) -> tuple[list[Document], list[Document]]:
    """The documents still standing after the deletions among them (PubMed ``DeleteCitation``: a document
    read before its deletion is dropped; one read after it stands), and the deletions."""
    kept: dict[str, Document] = {}
    deleted: dict[str, Document] = {}
    for d in documents:
        if d.deleted:
            kept.pop(d.id, None)
            deleted[d.id] = d
        else:
            kept[d.id] = d
            deleted.pop(d.id, None)
    return list(kept.values()), list(deleted.values())
