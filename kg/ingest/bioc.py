"""BioC, XML and JSON: collections of documents made of passages (with their offsets in the document and
their infons: ``type``, ``section_type``), annotations (infons ``type`` and ``identifier``; locations in
document offsets) and relations. Also PubTator3's exports (``{"PubTator3": [document, ...]}``, or one
document per line) and BioC-PMC full texts (``front``, ``abstract``, ``paragraph``, ``fig_caption``
passages; ``article-id_*`` infons).

Both syntaxes are read into one plain structure (``Raw``: the JSON shape of BioC) and from it into
``Document``s: each passage a section (``title``, ``abstract``, ``body:INTRO@1520``, ``caption:FIG@20345``:
a section's name carries its passage's offset, so evidence points back into the BioC document), the
given annotations as ``Annotation``s with offsets in their section, the relations as ``Relation``s.
``kg.corpora.bioc`` writes BioC with the same passage types, so a document written by kg reads back the
same. XML is read as a stream (a document at a time); JSON is read whole, or a line at a time when it is
one document per line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg import ids
from kg.errors import KgError
from kg.ingest import metadata as md
from kg.ingest.source import peek, text_lines
from kg.ingest.text import read_text
from kg.ingest.xml import HEAD, data_of, iter_records, root_of
from kg.lang import detect_lang
from kg.model import Annotation, Author, Document, Relation, Section

Raw = dict[str, Any]  # a BioC document in its JSON shape
ID_KEYS = ("identifier", "Identifier", "identifiers", "concept_id", "ID", "MESH", "NCBI Gene")
SKIPPED_TYPES = ("ref", "table", "table_foot", "table_footnote", "footnote_title", "title_ref")
SKIPPED_SECTIONS = ("REF", "COMP_INT", "AUTH_CONT", "ACK_FUND", "SUPPL", "ABBR")
_IDS_SPLIT = re.compile(r"[;,|]")


# ---------------------------------------------------------------- reading files


def looks_like_bioc_json(head: str) -> bool:
    """Whether a JSON text is BioC: a collection (``documents``), PubTator3's export, or documents with
    ``passages``."""
    start = head.lstrip("\ufeff").lstrip()[:4000]
    return start[:1] in "{[" and bool(re.search(r'"(?:documents|passages|PubTator3)"\s*:', start))


def read_bioc(path: Path, text: str | None = None) -> Iterator[Document]:
    """BioC documents, XML or JSON (the content decides), lazily."""
    head = text[:HEAD] if text is not None else peek(path, HEAD).decode("utf-8", "replace")
    if head.lstrip("\ufeff").lstrip().startswith("<"):
        raws = iter_bioc_xml(path, None if text is None else text.encode("utf-8")[:HEAD], data_of(text))
    else:
        raws = iter_bioc_json(path, text)
    n = 0
    for n, raw in enumerate(raws, start=1):
        yield bioc_document(raw, path, n)
    if not n:
        raise KgError("no BioC documents", path)


def iter_bioc_xml(path: Path, head: bytes | None = None, data: bytes | None = None) -> Iterator[Raw]:
    """The documents of a BioC XML collection in their JSON shape, one at a time."""
    root, _ = root_of((head or peek(path, HEAD)).decode("utf-8", "replace"))
    if root not in ("collection", "document"):
        raise KgError(f"not BioC XML: the root element is {root or 'missing'!r} (expected collection)", path, 1)
    for _, el in iter_records(path, ("document",), head, data):
        yield _xml_document(el, path)


def iter_bioc_json(path: Path, text: str | None = None) -> Iterator[Raw]:
    """The documents of BioC JSON: a collection, PubTator3's ``{"PubTator3": [...]}``, a list of documents,
    one document, or one document (or collection) per line."""
    if text is None:
        lines = text_lines(path)
        first = next(((no, line) for no, line in lines if line.strip()), None)
        if first is None:
            raise KgError("empty file: no BioC documents", path)
        try:
            one = json.loads(first[1])
        except json.JSONDecodeError:
            one = None
        if isinstance(one, dict):  # one JSON value a line
            yield from _documents_of(one, path, first[0])
            for no, line in lines:
                if line.strip():
                    yield from _documents_of(_json(line, path, no), path, no)
            return
        text = read_text(path)
    yield from _documents_of(_json(text, path, 1), path, 1)


def _json(text: str, path: Path, line: int) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise KgError(f"invalid JSON: {exc.msg} (column {exc.colno})", path, line + exc.lineno - 1) from None


def _documents_of(value: Any, path: Path, line: int) -> Iterator[Raw]:
    if isinstance(value, list):
        docs = value
    elif isinstance(value, dict) and isinstance(value.get("PubTator3"), list):
        docs = value["PubTator3"]
    elif isinstance(value, dict) and isinstance(value.get("documents"), list):
        docs = value["documents"]
    elif isinstance(value, dict) and "passages" in value:
        docs = [value]
    else:
        raise KgError("not BioC JSON: expected a collection ('documents'), PubTator3's export or documents "
                      "with 'passages'", path, line)
    for d in docs:
        if not isinstance(d, dict) or not isinstance(d.get("passages", []), list):
            raise KgError("a BioC document must be an object with a list of 'passages'", path, line)
        yield d


# ---------------------------------------------------------------- XML into the JSON shape


def _infons(el) -> dict[str, str]:
    return {i.get("key") or "": i.text or "" for i in el.iterfind("infon")}


def _int(el, value: str | None, what: str, path: Path) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise KgError(f"BioC {what} is not a whole number: {value!r}", path, el.sourceline) from None


def _xml_annotation(el, path: Path) -> Raw:
    return {"id": el.get("id") or "", "infons": _infons(el), "text": el.findtext("text") or "",
            "locations": [{"offset": _int(loc, loc.get("offset"), "location offset", path),
                           "length": _int(loc, loc.get("length"), "location length", path)}
                          for loc in el.iterfind("location")]}


def _xml_relation(el) -> Raw:
    return {"id": el.get("id") or "", "infons": _infons(el),
            "nodes": [{"refid": n.get("refid") or "", "role": n.get("role") or ""} for n in el.iterfind("node")]}


def _xml_unit(el, path: Path) -> Raw:
    """A passage or sentence: offset, infons, text, annotations, relations (and a passage's sentences)."""
    return {"offset": _int(el, el.findtext("offset"), "offset", path), "infons": _infons(el),
            "text": el.findtext("text") or "",
            "sentences": [_xml_unit(s, path) for s in el.iterfind("sentence")],
            "annotations": [_xml_annotation(a, path) for a in el.iterfind("annotation")],
            "relations": [_xml_relation(r) for r in el.iterfind("relation")]}


def _xml_document(el, path: Path) -> Raw:
    return {"id": el.findtext("id") or "", "infons": _infons(el), "_line": el.sourceline,
            "passages": [_xml_unit(p, path) for p in el.iterfind("passage")],
            "annotations": [_xml_annotation(a, path) for a in el.iterfind("annotation")],
            "relations": [_xml_relation(r) for r in el.iterfind("relation")]}


# ---------------------------------------------------------------- the JSON shape into a Document


def passage_kind(infons: dict[str, Any]) -> str | None:
    """What a passage is: "title", "abstract", "body", "caption", "heading" (a section title that names the
    passages after it) or None (references, tables and other parts that are not prose)."""
    t = str(infons.get("type") or "").lower()
    st = str(infons.get("section_type") or "").upper()
    if t in SKIPPED_TYPES or st in SKIPPED_SECTIONS:
        return None
    if t in ("title", "front") or (st == "TITLE" and t in ("", "title", "front")):
        return "title"
    if t.endswith("caption") or st in ("FIG", "TABLE"):
        return "caption"
    if re.match(r"^(?:abstract_)?title(?:_\d+)?$|^(?:section|abstract)_title", t) or (t.startswith("title_")):
        return "heading"
    if t.startswith("abstract") or st == "ABSTRACT":
        return "abstract"
    return "body"


def _text_of(unit: Raw, path: Path, doc: str) -> str:
    """A passage's text; a passage given as sentences only is rebuilt from them at their offsets."""
    text = unit.get("text")
    if not isinstance(text, str):
        raise KgError(f"document {doc}: a passage's text must be a string", path, None)
    sentences = unit.get("sentences") or []
    if text or not sentences:
        return text
    base = int(unit.get("offset") or 0)
    out = ""
    for s in sorted(sentences, key=lambda s: int(s.get("offset") or 0)):
        at = int(s.get("offset") or 0) - base
        out = out.ljust(at) + (s.get("text") or "")
    return out


def bioc_document(raw: Raw, path: Path, n: int) -> Document:
    """One BioC document (its JSON shape) as a Document with its given annotations and relations."""
    line = raw.get("_line")
    did = str(raw.get("id") or raw.get("_id") or "").split("|")[0].strip()
    sections, units = _sections(raw, path, did or str(n))
    meta = _metadata(raw)
    pmid = meta.get("pmid") or (did if did.isdigit() else None)
    pmcid = md.pmcid(meta.get("pmcid") or (did if did.upper().startswith("PMC") else None))
    doi = md.doi(meta.get("doi"))
    doc_id = ids.article(pmid, doi, pmcid) or (ids.document(did) if did else None)
    if doc_id is None:
        raise KgError(f"BioC document {n}: no id", path, line)
    annotations = _annotations(raw, units, sections, path, did, line)
    relations = _relations(raw)
    return Document(
        id=doc_id, source=str(path), sections=tuple(sections), doi=doi, pmid=pmid, pmcid=pmcid,
        journal=meta.get("journal"), year=meta.get("year"), volume=meta.get("volume"), issue=meta.get("issue"),
        pages=meta.get("pages"), authors=tuple(Author(a) for a in meta.get("authors", ())),
        keywords=tuple(("en", k) for k in meta.get("keywords", ())),
        annotations=annotations, relations=relations,
    )


def _sections(raw: Raw, path: Path, did: str) -> tuple[list[Section], list[tuple[int, int, Section]]]:
    """The passages that are prose as sections, and (offset, end offset, section) of each."""
    sections: list[Section] = []
    units: list[tuple[int, int, Section]] = []
    taken: dict[str, int] = {}
    heading = ""
    kinds = [passage_kind(p.get("infons") or {}) for p in raw.get("passages", [])]
    abstracts = kinds.count("abstract")
    for p, kind in zip(raw.get("passages", []), kinds):
        if kind is None:
            continue
        infons = p.get("infons") or {}
        text = _text_of(p, path, did)
        try:
            offset = int(p.get("offset") or 0)
        except (TypeError, ValueError):
            raise KgError(f"document {did}: passage offset {p.get('offset')!r} is not a whole number", path, raw.get("_line")) from None
        if kind == "heading":
            heading = " ".join(text.split())
            continue
        if not text.strip():
            continue
        st = str(infons.get("section_type") or "")
        if "heading" in infons:  # written by kg.corpora.bioc: the passage's own heading
            heading = " ".join(str(infons["heading"] or "").split())
        if kind == "title" and not any(s.kind == "title" for s in sections):
            name = "title"
        elif kind == "abstract" and abstracts == 1:
            name = "abstract"
        elif kind == "abstract" and heading and str(infons.get("type") or "").lower().startswith("abstract"):
            name = f"abstract:{heading}"
        else:
            name = f"{kind}:{st}@{offset}" if st and kind != "abstract" else f"{kind}@{offset}"
        s = Section(md.unique_name(name, taken), text, detect_lang(text), kind,
                    heading if kind != "title" else "", st)
        sections.append(s)
        units.append((offset, offset + len(text), s))
    return sections, units


def _metadata(raw: Raw) -> dict[str, Any]:
    """Article metadata from PubTator3's document keys and BioC-PMC's front-passage infons."""
    out: dict[str, Any] = {}
    for k in ("pmid", "pmcid", "journal", "year", "doi"):
        v = raw.get(k)
        if v not in (None, "", "None"):
            out[k] = str(v)
    if isinstance(raw.get("authors"), list):
        out["authors"] = [str(a) for a in raw["authors"] if a]
    for p in raw.get("passages", [])[:3]:
        inf = p.get("infons") or {}
        for key, name in (("article-id_pmid", "pmid"), ("article-id_pmc", "pmcid"), ("article-id_doi", "doi"),
                          ("year", "year"), ("volume", "volume"), ("issue", "issue"), ("journal", "journal")):
            if inf.get(key) and name not in out:
                out[name] = str(inf[key])
        if inf.get("fpage") and "pages" not in out:
            out["pages"] = f"{inf['fpage']}-{inf['lpage']}" if inf.get("lpage") else str(inf["fpage"])
        names = sorted((int(k[5:]), v) for k, v in inf.items() if re.match(r"^name_\d+$", k))
        if names and "authors" not in out:
            out["authors"] = [n for n in (_pmc_name(v) for _, v in names) if n]
        if inf.get("kwd") and "keywords" not in out:
            out["keywords"] = [k.strip() for k in re.split(r"[;,]", str(inf["kwd"])) if k.strip()]
        if isinstance(inf.get("authors"), str) and "authors" not in out:
            out["authors"] = [a.strip() for a in inf["authors"].split(",") if a.strip()]
    if out.get("year"):
        out["year"] = md.year_of(out["year"])
    return out


def _pmc_name(value: str) -> str:
    """BioC-PMC's ``surname:Smith;given-names:John A`` as "John A Smith"."""
    parts = dict(p.split(":", 1) for p in str(value).split(";") if ":" in p)
    return md.person(parts.get("surname"), parts.get("given-names"))


def annotation_ids(infons: dict[str, Any]) -> tuple[str, ...]:
    """The identifiers of an annotation's infons, prefixed by its ``database`` when they have no prefix of
    their own (``MESH:D003920``, ``ncbi_gene:672``); "-" and empty ids are left out."""
    raw = next((infons[k] for k in ID_KEYS if infons.get(k) not in (None, "")), None)
    if raw is None:
        raw = infons.get("normalized_id")
        if isinstance(raw, list):
            raw = ";".join(map(str, raw))
    if raw in (None, ""):
        return ()
    db = str(infons.get("database") or "").strip()
    out = []
    for part in _IDS_SPLIT.split(str(raw)):
        part = part.strip()
        if not part or part in ("-", "None", "null"):
            continue
        if ":" not in part and db:
            part = f"{db}:{part}"
        if part not in out:
            out.append(part)
    return tuple(out)


def _annotations(raw: Raw, units: list[tuple[int, int, Section]], sections: list[Section], path: Path, did: str,
                 line: int | None) -> tuple[Annotation, ...]:
    """Every annotation (of passages, sentences and the document) in the section holding it, with offsets
    in that section; an annotation whose text does not match the passage's is an error."""
    found = list(raw.get("annotations") or ())
    for p in raw.get("passages", []):
        found += p.get("annotations") or []
        for s in p.get("sentences") or []:
            found += s.get("annotations") or []
    out = []
    for a in found:
        locs = a.get("locations") or []
        if not locs:
            continue
        try:
            start = min(int(loc["offset"]) for loc in locs)
            end = max(int(loc["offset"]) + int(loc["length"]) for loc in locs)
        except (KeyError, TypeError, ValueError):
            raise KgError(f"document {did}: annotation {a.get('id')!r} has a malformed location", path, line) from None
        unit = next(((b, s) for b, e, s in units if b <= start and end <= e), None)
        if unit is None:
            if not _in_a_passage(raw, start, end):
                raise KgError(f"document {did}: annotation {a.get('id')!r} at {start}-{end} lies outside every "
                              "passage", path, line)
            continue  # in a passage kg does not read (references, tables)
        base, section = unit
        text = section.text[start - base:end - base]
        given = a.get("text")
        if given and len(locs) == 1 and text != given:
            raise KgError(f"document {did}: annotation {a.get('id')!r} at {start}-{end} reads {text!r}, not {given!r}",
                          path, line)
        infons = a.get("infons") or {}
        out.append(Annotation(str(a.get("id") or f"{start}-{end}"), section.name, section.lang, start - base, end - base,
                              given or text, str(infons.get("type") or infons.get("Type") or ""), annotation_ids(infons)))
    out.sort(key=lambda x: ([s.name for s in sections].index(x.section), x.start, x.end))
    return tuple(out)


def _in_a_passage(raw: Raw, start: int, end: int) -> bool:
    """Whether ``start``-``end`` lies in one of the document's passages or sentences (or one whose extent is
    not known: no text)."""
    units = list(raw.get("passages", []))
    units += [s for p in raw.get("passages", []) for s in p.get("sentences") or []]
    for u in units:
        try:
            begin = int(u.get("offset", 0))
        except (TypeError, ValueError):
            return True
        text = u.get("text")
        if not isinstance(text, str) or (begin <= start and end <= begin + len(text)):
            return True
    return False


def _relations(raw: Raw) -> tuple[Relation, ...]:
    """The relations of the document, its passages and sentences; PubTator3's ``role1``/``role2`` infons
    (objects naming an entity) become nodes."""
    found = list(raw.get("relations") or ())
    for p in raw.get("passages", []):
        found += p.get("relations") or []
        for s in p.get("sentences") or []:
            found += s.get("relations") or []
    out = []
    for r in found:
        infons = r.get("infons") or {}
        nodes = [(str(n.get("role") or ""), str(n.get("refid") or "")) for n in r.get("nodes") or []]
        flat = []
        for k, v in sorted(infons.items()):
            if isinstance(v, dict):
                nodes.append((k, str(v.get("identifier") or v.get("accession") or v.get("name") or "")))
            elif k != "type":
                flat.append((k, str(v)))
        out.append(Relation(str(r.get("id") or ""), str(infons.get("type") or ""), tuple(nodes), tuple(flat)))
    return tuple(out)
