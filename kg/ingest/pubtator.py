"""PubTator documents: ``PMID|t|title`` and ``PMID|a|abstract`` lines, and their mention lines as the
document's annotations (relation lines are read as gold by ``kg.corpora``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from kg import ids
from kg.errors import KgError
from kg.ingest.source import OnError, text_lines
from kg.lang import detect_lang
from kg.model import Annotation, Document, Section

TEXT_LINE = re.compile(r"^(\d+|[^|\t]+)\|([ta])\|(.*)$")
ID_SPLIT = re.compile(r"[|,;+]")  # a mention's several ids: D001943|D010051, D004829+D003294


def read_pubtator(path: Path, text: str | None = None, *, on_error: OnError | None = None) -> Iterator[Document]:
    """PubTator documents, read lazily: ``PMID|t|title`` and ``PMID|a|abstract`` lines, then the document's
    tab-separated annotation lines. Mention lines (``PMID start end text type [ids]``, offsets over title +
    space + abstract) become the document's ``annotations`` (used with ``--use-annotations``); relation
    lines (``PMID type id1 id2``) are read by ``kg.corpora``. A malformed line is an error; with
    ``on_error`` it is reported there and skipped."""
    lines = enumerate(text.split("\n"), start=1) if text is not None else text_lines(path)
    pid, parts, notes, n = None, {}, [], 0
    for lineno, line in lines:
        if not line.strip():
            continue
        m = TEXT_LINE.match(line)
        if m:
            if m.group(1) != pid:
                if pid is not None:
                    n += 1
                    yield _document(pid, parts, notes, path, on_error)
                pid, parts, notes = m.group(1), {}, []
            parts[m.group(2)] = m.group(3)
        elif "\t" in line:
            notes.append((lineno, line))
        else:
            _fail(KgError("not a PubTator line (expected 'ID|t|title', 'ID|a|abstract' or a tab-separated annotation)",
                          path, lineno), on_error)
    if pid is not None:
        n += 1
        yield _document(pid, parts, notes, path, on_error)
    if not n:
        raise KgError("no PubTator documents", path)


def _fail(exc: KgError, on_error: OnError | None) -> None:
    if on_error is None:
        raise exc
    on_error(exc)


def _document(pid: str, parts: dict[str, str], notes: list[tuple[int, str]], path: Path,
              on_error: OnError | None) -> Document:
    sections = []
    if parts.get("t", "").strip():
        sections.append(Section("title", parts["t"], detect_lang(parts["t"])))
    if parts.get("a", "").strip():
        sections.append(Section("abstract", parts["a"], detect_lang(parts["a"])))
    doc_id = f"PMID:{pid}" if pid.isdigit() else ids.document(pid)
    annotations = []
    for lineno, line in notes:
        try:
            a = _mention(pid, sections, line.split("\t"), path, lineno)
        except KgError as exc:
            _fail(exc, on_error)
            continue
        if a is not None:
            annotations.append(a)
    return Document(id=doc_id, source=str(path), sections=tuple(sections), pmid=pid if pid.isdigit() else None,
                    annotations=tuple(annotations))


def _mention(pid: str, sections: list[Section], cols: list[str], path: Path, lineno: int) -> Annotation | None:
    """A mention line as an ``Annotation`` in the section holding it (None for a relation line)."""
    if cols[0] != pid:
        raise KgError(f"annotation for document {cols[0]!r} among the lines of document {pid!r}", path, lineno)
    if not (len(cols) >= 5 and cols[1].isdigit() and cols[2].isdigit()):
        if len(cols) in (4, 5):
            return None  # a relation: PMID, type, id1, id2 (BioRED adds novelty)
        raise KgError("not a PubTator annotation line (mention: PMID, start, end, text, type, ids; relation: PMID, "
                      "type, id1, id2)", path, lineno)
    start, end = int(cols[1]), int(cols[2])
    if end <= start:
        raise KgError(f"span {start}-{end} is empty or ends before it starts", path, lineno)
    base = 0
    for s in sections:  # PubTator's offsets run over the title, a space and the abstract
        if base <= start and end <= base + len(s.text):
            got = s.text[start - base:end - base]
            if got.strip() != cols[3].strip():
                raise KgError(f"span {start}-{end} reads {got!r}, not {cols[3]!r}", path, lineno)
            found = [i.strip() for i in ID_SPLIT.split(cols[5])] if len(cols) > 5 else []
            return Annotation(f"{start}-{end}", s.name, s.lang, start - base, end - base, got, cols[4],
                              tuple(dict.fromkeys(i for i in found if i and i not in ("-", "-1"))))
        base += len(s.text) + 1
    raise KgError(f"span {start}-{end} is outside the title and abstract of {pid}", path, lineno)
