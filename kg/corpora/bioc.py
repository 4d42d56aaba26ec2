"""kg's mentions as BioC (``kg annotate --format bioc-json|bioc-xml``): a collection with a document per
article, a passage per section (its type, ``section_type`` and offset: a section read from BioC keeps its
passage's offset, others follow each other one character apart, as in PubTator), the article's ids in the
first passage's infons (``article-id_pmid``, ``article-id_doi``, ``article-id_pmc``, as BioC-PMC writes
them) and an annotation per mention (``type``, ``identifier``, kg's concept and Biolink category).
``kg.ingest.bioc`` reads it back: the same sections, and the mentions as the documents' annotations."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from lxml import etree

from kg.corpora.pubtator import pubtator_id
from kg.ground import Identifiers
from kg.model import AnnotatedDocument, Document, Mention, Section

SOURCE = "kg"
_OFFSET = re.compile(r"@(\d+)(?: \(\d+\))?$")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
PASSAGE_TYPES = {"title": "title", "abstract": "abstract", "body": "paragraph"}
CAPTION_TYPES = {"fig": "fig_caption", "table": "table_caption"}


def _passage_type(s: Section) -> str:
    if s.kind == "caption":
        return CAPTION_TYPES.get(s.role.lower(), "fig_caption")
    return PASSAGE_TYPES.get(s.kind, s.kind)


def _section_offsets(doc: Document) -> list[tuple[Section, int]]:
    """Each section with its offset in the BioC document."""
    out, pos = [], 0
    for s in doc.sections:
        m = _OFFSET.search(s.name)
        at = int(m.group(1)) if m and int(m.group(1)) >= pos else pos
        out.append((s, at))
        pos = at + len(s.text) + 1
    return out


def _identifier(m: Mention, identifiers: Identifiers) -> str:
    """A mention's identifier as a CURIE (PubTator3 writes ``MESH:D003920``)."""
    found = identifiers.of(m)
    return found[0] if found else pubtator_id(m, identifiers)


def _annotation(m: Mention, n: int, base: int, identifiers: Identifiers) -> dict[str, Any]:
    concept = m.concept
    infons = {"type": identifiers.type_of(concept) or (concept.category.split(":", 1)[-1] if concept else m.type)}
    ident = _identifier(m, identifiers) if concept else ""
    if ident:
        infons["identifier"] = ident
    if concept is not None:
        infons["kg_concept"] = concept.curie
        infons["biolink_category"] = concept.category
    return {"id": f"T{n}", "infons": infons, "text": m.text,
            "locations": [{"offset": base + m.start, "length": m.end - m.start}]}


def collection(annotated: Iterable[AnnotatedDocument], identifiers: Identifiers) -> dict[str, Any]:
    """The BioC collection (its JSON shape) of the documents and their mentions."""
    documents = []
    for ad in annotated:
        doc = ad.document
        passages = []
        bases = {}
        for i, (s, base) in enumerate(_section_offsets(doc)):
            bases[(s.name, s.lang)] = base
            infons: dict[str, str] = {"type": _passage_type(s), "section_type": (s.role or s.kind).upper(),
                                      "heading": s.heading}
            if i == 0:
                infons.update({k: v for k, v in (("article-id_pmid", doc.pmid), ("article-id_doi", doc.doi),
                                                 ("article-id_pmc", doc.pmcid)) if v})
            passages.append({"offset": base, "infons": infons, "text": s.text, "sentences": [], "annotations": [],
                             "relations": []})
        index = {key: i for i, key in enumerate(bases)}
        n = 0
        for m in sorted(ad.mentions, key=lambda m: (index.get((m.section, m.lang), 0), m.start, m.end)):
            key = (m.section, m.lang)
            if key not in bases or m.concept is None:
                continue
            n += 1
            passages[index[key]]["annotations"].append(_annotation(m, n, bases[key], identifiers))
        documents.append({"id": doc.pmid or doc.id.split(":", 1)[-1], "infons": {}, "passages": passages,
                          "annotations": [], "relations": []})
    return {"source": SOURCE, "date": "", "key": "", "infons": {}, "documents": documents}


def write_bioc_json(annotated: Iterable[AnnotatedDocument], identifiers: Identifiers) -> str:
    """BioC JSON text (a collection), deterministic."""
    return json.dumps(collection(annotated, identifiers), ensure_ascii=False, indent=1) + "\n"


def _text(parent, tag: str, value: str) -> None:
    etree.SubElement(parent, tag).text = _XML_INVALID.sub(" ", value)


def _infons(parent, infons: dict[str, str]) -> None:
    for k, v in infons.items():
        el = etree.SubElement(parent, "infon", key=k)
        el.text = _XML_INVALID.sub(" ", str(v))


def write_bioc_xml(annotated: Iterable[AnnotatedDocument], identifiers: Identifiers) -> str:
    """BioC XML text (a collection), deterministic."""
    coll = collection(annotated, identifiers)
    root = etree.Element("collection")
    for tag in ("source", "date", "key"):
        _text(root, tag, coll[tag])
    for d in coll["documents"]:
        de = etree.SubElement(root, "document")
        _text(de, "id", d["id"])
        for p in d["passages"]:
            pe = etree.SubElement(de, "passage")
            _infons(pe, p["infons"])
            _text(pe, "offset", str(p["offset"]))
            _text(pe, "text", p["text"])
            for a in p["annotations"]:
                ae = etree.SubElement(pe, "annotation", id=a["id"])
                _infons(ae, a["infons"])
                for loc in a["locations"]:
                    etree.SubElement(ae, "location", offset=str(loc["offset"]), length=str(loc["length"]))
                _text(ae, "text", a["text"])
    body = etree.tostring(root, encoding="unicode", pretty_print=True)
    return "<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE collection SYSTEM 'BioC.dtd'>\n" + body
