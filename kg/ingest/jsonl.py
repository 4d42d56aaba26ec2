"""JSON lines: one document a line, with its metadata."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from kg import ids
from kg.errors import KgError
from kg.ingest.source import OnError, text_lines
from kg.ingest.text import clean
from kg.lang import detect_lang
from kg.model import Author, Document, Section

# record key -> (section name, language; None: detected from the text)
SECTION_KEYS = (("title", "title", None), ("abstract", "abstract", None), ("text", "abstract", None),
                ("title_zh", "title", "zh"), ("abstract_zh", "abstract", "zh"))


def read_jsonl(path: Path, text: str | None = None, *, on_error: OnError | None = None) -> Iterator[Document]:
    """One JSON object a line, read lazily: ``id``, ``title``, ``abstract`` and optional metadata
    (``doi``, ``pmid``, ``journal``, ``year``, ``volume``, ``issue``, ``pages``, ``authors``, ``keywords``,
    ``title_zh``, ``abstract_zh``). A bad record is an error; with ``on_error`` it is reported there and
    the next line read."""
    lines = enumerate(text.split("\n"), start=1) if text is not None else text_lines(path)
    n = 0
    for lineno, line in lines:
        if not line.strip():
            continue
        n += 1
        try:
            doc = _record(line, path, lineno)
        except KgError as exc:
            if on_error is None:
                raise
            on_error(exc)
            continue
        yield doc
    if not n:
        raise KgError("no records", path)


def _record(line: str, path: Path, lineno: int) -> Document:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        raise KgError(f"invalid JSON: {exc.msg} (column {exc.colno})", path, lineno) from None
    if not isinstance(rec, dict):
        raise KgError("each line must be a JSON object", path, lineno)
    return _document(rec, line, path, lineno)


def _document(rec: dict, line: str, path: Path, lineno: int) -> Document:
    abstract = rec.get("abstract") or rec.get("text")
    if not isinstance(abstract, str) or not abstract.strip():
        if not (isinstance(rec.get("abstract_zh"), str) and rec["abstract_zh"].strip()):
            raise KgError("record has no 'abstract' text", path, lineno)
    sections: list[Section] = []
    for key, name, lang in SECTION_KEYS:
        val = rec.get(key)
        if isinstance(val, str) and val.strip() and not any(s.name == name and s.lang == (lang or "en") for s in sections):
            sections.append(Section(name, clean(val), lang or detect_lang(val)))
    pmid = str(rec["pmid"]) if rec.get("pmid") else None
    doi = rec.get("doi")
    rid = rec.get("id")
    if doi:
        doc_id = f"doi:{doi}"
    elif pmid:
        doc_id = f"PMID:{pmid}"
    elif rid:
        doc_id = str(rid) if ":" in str(rid) else ids.document(str(rid))
    else:
        doc_id = ids.document_from_text(line)
    authors = tuple(Author(a) if isinstance(a, str) else Author(a.get("name", "")) for a in rec.get("authors", []) or [])
    kws = rec.get("keywords") or []
    return Document(
        id=doc_id, source=str(path), sections=tuple(sections), doi=doi, pmid=pmid,
        journal=rec.get("journal"), year=str(rec["year"]) if rec.get("year") else None,
        volume=rec.get("volume"), issue=rec.get("issue"), pages=rec.get("pages"),
        authors=authors, keywords=tuple(("en", str(k)) for k in kws),
    )
