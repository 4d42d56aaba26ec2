"""JSON lines: one document a line, with its metadata."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from kg import ids
from kg.errors import KgError
from kg.ingest.source import text_lines
from kg.ingest.text import clean
from kg.lang import detect_lang
from kg.model import Author, Document, MeshHeading, Section, Tag

# record key -> (section name, language; None: detected from the text)
SECTION_KEYS = (("title", "title", None), ("abstract", "abstract", None), ("text", "abstract", None),
                ("title_zh", "title", "zh"), ("abstract_zh", "abstract", "zh"))


def read_jsonl(path: Path, text: str | None = None) -> Iterator[Document]:
    """One JSON object a line, read lazily: ``id``, ``title``, ``abstract`` and optional metadata
    (``doi``, ``pmid``, ``pmcid``, ``journal``, ``year``, ``volume``, ``issue``, ``pages``, ``authors``,
    ``keywords``, ``publication_types``, ``mesh``, ``title_zh``, ``abstract_zh``)."""
    lines = enumerate(text.split("\n"), start=1) if text is not None else text_lines(path)
    n = 0
    for lineno, line in lines:
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise KgError(f"invalid JSON: {exc.msg} (column {exc.colno})", path, lineno) from None
        if not isinstance(rec, dict):
            raise KgError("each line must be a JSON object", path, lineno)
        n += 1
        yield _document(rec, line, path, lineno)
    if not n:
        raise KgError("no records", path)


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
    pmcid = str(rec["pmcid"]) if rec.get("pmcid") else None
    article = ids.article(pmid, doi, pmcid)  # the PMID first, as every reader of articles names them
    if article:
        doc_id = article
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
        pmcid=pmcid,
        publication_types=_tags(rec.get("publication_types"), "publication_types", path, lineno),
        mesh=tuple(_heading(h, path, lineno) for h in _list(rec.get("mesh"), "mesh", path, lineno)),
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
