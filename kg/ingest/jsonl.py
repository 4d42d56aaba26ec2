"""JSON lines: one document a line, with its metadata."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Optional, Union

import msgspec

from kg import ids
from kg.errors import KgError
from kg.ingest.source import text_lines
from kg.ingest.text import clean
from kg.lang import detect_lang
from kg.model import Author, Document, Section

# record key -> (section name, language; None: detected from the text)
SECTION_KEYS = (("title", "title", None), ("abstract", "abstract", None), ("text", "abstract", None),
                ("title_zh", "title", "zh"), ("abstract_zh", "abstract", "zh"))


def read_jsonl(path: Path, text: str | None = None) -> Iterator[Document]:
    """One JSON object a line, read lazily: ``id``, ``title``, ``abstract`` and optional metadata
    (``doi``, ``pmid``, ``journal``, ``year``, ``volume``, ``issue``, ``pages``, ``authors``, ``keywords``,
    ``title_zh``, ``abstract_zh``). Each field's type is checked (``Record``); other keys are ignored."""
    lines = enumerate(text.split("\n"), start=1) if text is not None else text_lines(path)
    n = 0
    for lineno, line in lines:
        if not line.strip():
            continue
        n += 1
        yield _document(_record(line, path, lineno), line, path, lineno)
    if not n:
        raise KgError("no records", path)


Scalar = Union[str, int, None]


class AuthorRecord(msgspec.Struct):
    name: str = ""


class Record(msgspec.Struct):
    """The fields kg reads from a record, with the types it accepts (other keys are ignored)."""

    id: Scalar = None
    title: Optional[str] = None
    abstract: Optional[str] = None
    text: Optional[str] = None
    title_zh: Optional[str] = None
    abstract_zh: Optional[str] = None
    doi: Optional[str] = None
    pmid: Scalar = None
    journal: Optional[str] = None
    year: Scalar = None
    volume: Scalar = None
    issue: Scalar = None
    pages: Scalar = None
    authors: Optional[list[Union[str, AuthorRecord]]] = None
    keywords: Optional[list[str]] = None


_DECODER = msgspec.json.Decoder(Record)
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_WHERE = re.compile(r"^Expected `(.*)`, got `(.*)` - at `\$(.*)`$")


def _record(line: str, path: Path, lineno: int) -> Record:
    try:
        return _DECODER.decode(line)
    except msgspec.ValidationError as exc:
        m = _WHERE.match(str(exc))
        if m:
            field = m.group(3).lstrip(".")
            raise KgError(f"field {field}: expected {m.group(1)}, got {m.group(2)}", path, lineno) from None
        raise KgError("each line must be a JSON object", path, lineno) from None
    except msgspec.DecodeError as exc:
        raise KgError(_decode_error(line, exc), path, lineno) from None
    except RecursionError:
        raise KgError("invalid JSON: nested too deep", path, lineno) from None


def _decode_error(line: str, exc: Exception) -> str:
    """The message for a line msgspec cannot decode, as the json module words it (with the column)."""
    try:
        json.loads(line)
    except json.JSONDecodeError as err:
        return f"invalid JSON: {err.msg} (column {err.colno})"
    except RecursionError:
        return "invalid JSON: nested too deep"
    m = _SURROGATE.search(line)
    if m:
        return f"invalid JSON: {m.group(0)} is half of a UTF-16 surrogate pair, no character (column {m.start() + 1})"
    return f"invalid JSON: {exc}"


def _text(value) -> str | None:
    return None if value is None else str(value)


def _document(rec: Record, line: str, path: Path, lineno: int) -> Document:
    abstract = rec.abstract or rec.text
    if not (abstract and abstract.strip()) and not (rec.abstract_zh and rec.abstract_zh.strip()):
        raise KgError("record has no 'abstract' text", path, lineno)
    sections: list[Section] = []
    for key, name, lang in SECTION_KEYS:
        val = getattr(rec, key)
        if val and val.strip() and not any(s.name == name and s.lang == (lang or "en") for s in sections):
            sections.append(Section(name, clean(val), lang or detect_lang(val)))
    pmid = _text(rec.pmid).strip() if rec.pmid not in (None, "") else None
    if pmid is not None and not pmid.isdigit():
        raise KgError(f"field pmid: a PubMed id is digits, not {pmid[:40]!r}", path, lineno)
    doi = None
    if rec.doi and rec.doi.strip():
        doi = ids.clean_doi(rec.doi)
        if doi is None:
            raise KgError(f"field doi: {rec.doi[:60]!r} is no DOI (a DOI begins '10.' and holds a '/')", path, lineno)
    rid = _text(rec.id)
    if doi:
        doc_id = ids.doi(doi)
    elif pmid:
        doc_id = ids.pmid(pmid)
    elif rid and rid.strip():
        doc_id = ids.record_document(rid.strip())
    else:
        doc_id = ids.document_from_text(line)
    names = (a if isinstance(a, str) else a.name for a in rec.authors or ())
    authors = tuple(Author(clean(n)) for n in names if n.strip())
    return Document(
        id=doc_id, source=str(path), sections=tuple(sections), doi=doi, pmid=pmid,
        journal=rec.journal, year=_text(rec.year), volume=_text(rec.volume), issue=_text(rec.issue),
        pages=_text(rec.pages), authors=authors, keywords=tuple(("en", k) for k in rec.keywords or ()),
    )
