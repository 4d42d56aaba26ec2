"""PubTator documents: ``PMID|t|title`` and ``PMID|a|abstract`` lines (annotation lines are read as gold by
``kg.corpora``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from kg import ids
from kg.errors import KgError
from kg.ingest.source import OnError, text_lines
from kg.lang import detect_lang
from kg.model import Document, Section

TEXT_LINE = re.compile(r"^(\d+|[^|\t]+)\|([ta])\|(.*)$")


def read_pubtator(path: Path, text: str | None = None, *, on_error: OnError | None = None) -> Iterator[Document]:
    """PubTator documents, read lazily (``PMID|t|title``, ``PMID|a|abstract``; annotation lines are read by
    the evaluator). A document's lines are consecutive. A line of no PubTator kind is an error; with
    ``on_error`` it is reported there and skipped."""
    lines = enumerate(text.split("\n"), start=1) if text is not None else text_lines(path)
    pid, parts, n = None, {}, 0
    for lineno, line in lines:
        if not line.strip():
            continue
        m = TEXT_LINE.match(line)
        if m:
            if m.group(1) != pid:
                if pid is not None:
                    n += 1
                    yield _document(pid, parts, path)
                pid, parts = m.group(1), {}
            parts[m.group(2)] = m.group(3)
        elif "\t" not in line:
            exc = KgError("not a PubTator line (expected 'ID|t|title', 'ID|a|abstract' or a tab-separated annotation)",
                          path, lineno)
            if on_error is None:
                raise exc
            on_error(exc)
    if pid is not None:
        n += 1
        yield _document(pid, parts, path)
    if not n:
        raise KgError("no PubTator documents", path)


def _document(pid: str, parts: dict[str, str], path: Path) -> Document:
    sections = []
    if parts.get("t", "").strip():
        sections.append(Section("title", parts["t"], detect_lang(parts["t"])))
    if parts.get("a", "").strip():
        sections.append(Section("abstract", parts["a"], detect_lang(parts["a"])))
    doc_id = f"PMID:{pid}" if pid.isdigit() else ids.document(pid)
    return Document(id=doc_id, source=str(path), sections=tuple(sections), pmid=pid if pid.isdigit() else None)
