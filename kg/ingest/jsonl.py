"""JSON lines: one document a line, with its metadata."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional, Union

import msgspec

from kg import ids
from kg.errors import KgError
from kg.ingest.metadata import pmcid as clean_pmcid
from kg.ingest.source import OnError, text_lines
from kg.ingest.text import clean
from kg.lang import detect_lang
from kg.model import Author, Document, MeshHeading, Section, Tag

# record key -> (section name, language; None: detected from the text)
SECTION_KEYS = (("title", "title", None), ("abstract", "abstract", None), ("text", "abstract", None),
                ("title_zh", "title", "zh"), ("abstract_zh", "abstract", "zh"))


def read_jsonl(path: Path, text: str | None = None, *, on_error: OnError | None = None) -> Iterator[Document]:
    """One JSON object a line, read lazily: ``id``, ``title``, ``abstract`` and optional metadata
    (``doi``, ``pmid``, ``pmcid``, ``journal``, ``year``, ``volume``, ``issue``, ``pages``, ``authors``,
    ``keywords``, ``publication_types``, ``mesh``, ``title_zh``, ``abstract_zh``). Each field's type is
    checked (``Record``); other keys are ignored. A bad record is an error; with ``on_error`` it is
    reported there and the next line read."""
    lines = enumerate(text.split("\n"), start=1) if text is not None else text_lines(path)
    n = 0
    for lineno, line in lines:
        if not line.strip():
            continue
        n += 1
        try:
            doc = _document(_record(line, path, lineno), line, path, lineno)
        except KgError as exc:
            if on_error is None:
                raise
            on_error(exc)
            continue
        yield doc
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
    pmcid: Scalar = None
    publication_types: Optional[list[Any]] = None  # names or {"name", "ui"} objects: checked by _tag
    mesh: Optional[list[Any]] = None  # "Descriptor/qualifier" or {"descriptor", "qualifiers"}: checked by _heading


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
    pmcid = None
    if rec.pmcid not in (None, ""):
        pmcid = clean_pmcid(_text(rec.pmcid))
        if pmcid is None:
            raise KgError(f"field pmcid: {_text(rec.pmcid)[:40]!r} is no PMC id (PMC followed by digits)", path, lineno)
    rid = _text(rec.id)
    article = ids.article(pmid, doi, pmcid)  # the PMID first, as every reader of articles names them
    if article:
        doc_id = article
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
        pmcid=pmcid,
        publication_types=_tags(rec.publication_types, "publication_types", path, lineno),
        mesh=tuple(_heading(h, path, lineno) for h in _list(rec.mesh, "mesh", path, lineno)),
    )


def _list(value, key: str, path: Path, lineno: int) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise KgError(f"'{key}' must be a list", path, lineno)
    return value


def _tag(value, key: str, path: Path, lineno: int) -> Tag:
    """A name, or an object with ``name`` and optional ``ui`` (MeSH unique id) and ``major``."""
    if isinstance(value, str) and value.strip():
        return Tag(value.strip())
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return Tag(value["name"], str(value.get("ui") or ""), bool(value.get("major")))
    raise KgError(f"'{key}': each item is a name or an object with a 'name'", path, lineno)


def _tags(value, key: str, path: Path, lineno: int) -> tuple[Tag, ...]:
    return tuple(_tag(v, key, path, lineno) for v in _list(value, key, path, lineno))


def _heading(value, path: Path, lineno: int) -> MeshHeading:
    """``"Stroke/*prevention & control"`` (MEDLINE's notation: ``*`` a major topic) or an object with a
    ``descriptor`` (a name or object) and optional ``qualifiers``."""
    if isinstance(value, str):
        names = [v for v in value.split("/") if v.strip()]
        if not names:
            raise KgError("'mesh': an empty heading", path, lineno)
        tags = [Tag(n.lstrip("*").strip(), "", n.startswith("*")) for n in names]
        return MeshHeading(tags[0], tuple(tags[1:]))
    if isinstance(value, dict) and "descriptor" in value:
        return MeshHeading(_tag(value["descriptor"], "mesh", path, lineno), _tags(value.get("qualifiers"), "mesh", path, lineno))
    raise KgError("'mesh': each item is a heading (\"Descriptor/qualifier\") or an object with a 'descriptor'", path, lineno)
