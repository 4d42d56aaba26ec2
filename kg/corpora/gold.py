"""Readers for annotated (gold) corpora: PubTator, Knowtator XML and Rosario–Hearst tagged sentences.

Each reader returns ``GoldDocument``s: a ``Document`` (the same record the pipeline reads, so gold and
predicted offsets refer to the same section texts) with its gold entity mentions and relations.
Offsets of gold mentions are characters in their section's text, as for ``kg.model.Mention``.

- PubTator (NCBI-disease, BC5CDR, BioRED): ``PMID|t|title`` / ``PMID|a|abstract`` lines (read by
  ``kg.ingest.pubtator``), mention lines ``PMID<TAB>start<TAB>end<TAB>text<TAB>type<TAB>ids`` with
  offsets over title + one space + abstract, and relation lines ``PMID<TAB>type<TAB>id1<TAB>id2[<TAB>...]``.
- Knowtator XML (CRAFT's concept annotations): ``<annotation>`` elements with one or more ``<span>``s and a
  ``<classMention>`` naming the class, over a separate plain-text file.
- Rosario & Hearst (2004) treatment–disease sentences: ``tokens with <TREAT> x </TREAT> ... ||LABEL``.
- CMeEE (CBLUE's Chinese medical entities): a JSON list of ``{"text", "entities": [{"start_idx", "end_idx",
  "type", "entity"}]}`` with inclusive end offsets and nested entities, one document per record.
- CMeIE (CBLUE's Chinese medical relations): JSON lines ``{"text", "spo_list": [{"subject", "subject_type",
  "predicate", "object": {"@value"}, "object_type": {"@value"}}]}``; the format gives no offsets, so each
  argument's mentions are its occurrences in the text (string search). A text "X@passage X@passage" is
  passages of the textbook page on X: the document's title is X and its abstract the passages, the
  repeated "X@" headings left out.
- BioC XML or JSON (BioRED's and PubTator3's distributions): read by ``kg.ingest.bioc``; annotations are
  the gold mentions, relations (infons ``entity1``/``entity2``, else their nodes) the gold relations.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg import ids
from kg.errors import KgError
from kg.ingest import read_text
from kg.ingest.bioc import read_bioc
from kg.ingest.pubtator import read_pubtator
from kg.model import Document, Section

# ---------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class GoldMention:
    """A gold entity mention; ``start``/``end`` are characters in the named section's text."""

    doc_id: str
    section: str
    start: int
    end: int
    text: str
    type: str  # the corpus's own type name (Disease, Chemical, SpecificDisease, CL, TREAT, ...)
    ids: tuple[str, ...] = ()  # normalised identifiers (CURIEs: MESH:D012345, OMIM:123456, CL:0000057)
    fragments: tuple[tuple[int, int], ...] = ()  # the pieces of a discontinuous mention


@dataclass(frozen=True, slots=True)
class GoldRelation:
    """A gold relation between two identifiers (PubTator) or two roles (Rosario–Hearst)."""

    doc_id: str
    type: str
    arg1: str
    arg2: str
    extra: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GoldDocument:
    document: Document
    mentions: tuple[GoldMention, ...] = ()
    relations: tuple[GoldRelation, ...] = ()
    label: str | None = None  # a sentence class (Rosario–Hearst)
    key: str = ""  # the record's text as the corpus gives it, when the reader reshaped it (what parts are drawn by)

    @property
    def id(self) -> str:
        return self.document.id


def normalise_id(raw: str) -> str | None:
    """A corpus identifier as a CURIE: MeSH ``D012345``/``C123456`` get the ``MESH:`` prefix; ``-1`` or an
    empty id is None; anything with a prefix is kept (``OMIM:123456``, ``CL:0000057``)."""
    raw = raw.strip()
    if not raw or raw in {"-", "-1"}:
        return None
    if re.fullmatch(r"[CD]\d{6,9}", raw):
        return f"MESH:{raw}"
    if raw.upper().startswith("MESH:"):
        return "MESH:" + raw[5:]
    return raw


def split_ids(raw: str) -> tuple[str, ...]:
    """A PubTator id field, which may list several ids (``D001943|D010051``, ``D004829+D003294``)."""
    out = []
    for part in re.split(r"[|,;+]", raw):
        curie = normalise_id(part)
        if curie and curie not in out:
            out.append(curie)
    return tuple(out)


def section_offsets(document: Document) -> list[tuple[Section, int]]:
    """The English title and abstract sections (every part of a structured abstract) with their offsets in
    PubTator's title + space + abstract (the parts joined by spaces)."""
    out, pos = [], 0
    for s in document.sections:
        if s.kind not in ("title", "abstract") or s.lang != "en" or (s.kind == "title" and any(x.kind == "title" for x, _ in out)):
            continue
        out.append((s, pos))
        pos += len(s.text) + 1
    return out


def locate(document: Document, start: int, end: int) -> tuple[Section, int, int] | None:
    """The section holding a PubTator span (document offsets) and the span's offsets in that section."""
    for s, base in section_offsets(document):
        if base <= start and end <= base + len(s.text):
            return s, start - base, end - base
    return None


# ---------------------------------------------------------------- PubTator


def read_pubtator_gold(path: str | Path, text: str | None = None) -> list[GoldDocument]:
    """PubTator documents with their mention lines (the reader's annotations, ids as CURIEs) and relation
    lines."""
    path = Path(path)
    text = text if text is not None else read_text(path)
    documents = list(read_pubtator(path, text))
    by_pid = {d.pmid or d.id.split(":", 1)[1]: d for d in documents}
    relations: dict[str, list[GoldRelation]] = {k: [] for k in by_pid}
    for line in text.split("\n"):
        cols = line.split("\t")
        if len(cols) >= 4 and not (len(cols) >= 5 and cols[1].isdigit() and cols[2].isdigit()):
            a1, a2 = normalise_id(cols[2]) or cols[2], normalise_id(cols[3]) or cols[3]
            relations[cols[0]].append(GoldRelation(by_pid[cols[0]].id, cols[1], a1, a2, tuple(cols[4:])))
    return [GoldDocument(d, tuple(GoldMention(d.id, a.section, a.start, a.end, a.text, a.type,
                                              tuple(dict.fromkeys(c for c in map(normalise_id, a.ids) if c)))
                                  for a in d.annotations), tuple(relations[k]))
            for k, d in by_pid.items()]


# ---------------------------------------------------------------- Knowtator XML


def read_knowtator(xml_paths: Sequence[str | Path], text_path: str | Path, doc_id: str | None = None) -> GoldDocument:
    """One document: its plain text (one ``body`` section, offsets unchanged) and the concept
    annotations of one or more Knowtator XML files over it. A mention's type is its class's prefix."""
    text_path = Path(text_path)
    body = read_text(text_path)
    raw = text_path.read_text(encoding="utf-8")  # offsets are over the file exactly as written
    if raw != body:  # read_text drops a BOM and normalises line ends: offsets would shift
        body = raw
    doc_id = doc_id or (f"PMID:{text_path.stem}" if text_path.stem.isdigit() else ids.document(text_path.stem))
    document = Document(id=doc_id, source=str(text_path), sections=(Section("body", body),),
                        pmid=text_path.stem if text_path.stem.isdigit() else None)
    mentions: list[GoldMention] = []
    for xml_path in map(Path, xml_paths):
        try:
            root = ET.parse(xml_path).getroot()
        except ET.ParseError as exc:
            raise KgError(f"malformed Knowtator XML: {exc}", xml_path, exc.position[0]) from None
        except OSError:
            raise KgError("no such file", xml_path) from None
        if root.tag != "annotations":
            raise KgError("not a Knowtator file (no <annotations> root)", xml_path)
        classes: dict[str, str] = {}
        for cm in root.iter("classMention"):
            mc = cm.find("mentionClass")
            if mc is not None and mc.get("id"):
                classes[cm.get("id", "")] = mc.get("id", "")
        for ann in root.iter("annotation"):
            mention = ann.find("mention")
            spans = [(int(sp.get("start", "-1")), int(sp.get("end", "-1"))) for sp in ann.iter("span")]
            if mention is None or not spans or any(s < 0 or e > len(body) or e <= s for s, e in spans):
                raise KgError("annotation without a mention or with a span outside the text", xml_path)
            cls = classes.get(mention.get("id", ""))
            if cls is None:
                continue  # a relation or slot mention, not a concept
            spans.sort()
            start, end = spans[0][0], spans[-1][1]
            fragments = tuple(spans) if len(spans) > 1 else ()
            surface = " ... ".join(body[s:e] for s, e in spans) if fragments else body[start:end]
            mentions.append(GoldMention(doc_id, "body", start, end, surface, cls.split(":", 1)[0], (cls,), fragments))
    mentions.sort(key=lambda m: (m.start, m.end, m.ids))
    return GoldDocument(document, tuple(mentions))


# ---------------------------------------------------------------- Rosario & Hearst 2004

_RH_TAG = re.compile(r"<(/?)([A-Z_]+)>")


def read_rosario_hearst(path: str | Path, text: str | None = None) -> list[GoldDocument]:
    """One document per sentence: the text without its tags, the tagged spans as mentions (type = the
    tag: TREAT, DIS, TREAT_PREV, DIS_SIDE_EFF, TO_SEE, ...) and the sentence's class as its label."""
    path = Path(path)
    text = text if text is not None else read_text(path)
    out = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if "||" not in line:
            raise KgError("not a Rosario–Hearst line (expected 'tagged sentence||LABEL')", path, lineno)
        sentence, label = line.rsplit("||", 1)
        plain, spans = _strip_tags(sentence.strip(), path, lineno)
        doc_id = ids.document(f"rh{lineno}")
        mentions = tuple(GoldMention(doc_id, "abstract", s, e, plain[s:e], tag) for tag, s, e in spans)
        document = Document(id=doc_id, source=str(path), sections=(Section("abstract", plain),))
        out.append(GoldDocument(document, mentions, label=label.strip()))
    if not out:
        raise KgError("no sentences", path)
    return out


def _strip_tags(tagged: str, path: Path, lineno: int) -> tuple[str, list[tuple[str, int, int]]]:
    """The sentence's tokens joined by single spaces, and (tag, start, end) for each tagged span.
    Tags may also touch a token (``<DIS>cancer</DIS>``); a tag never closed makes no span."""
    words: list[str] = []
    length = 0
    open_: dict[str, int] = {}
    spans: list[tuple[str, int, int]] = []
    for piece in re.split(r"(<[A-Z_]+>|</[A-Z_]+>)|\s+", tagged):
        if not piece:
            continue
        tag = _RH_TAG.fullmatch(piece)
        if tag is None:
            if words:
                length += 1
            words.append(piece)
            length += len(piece)
        elif tag.group(1):
            if tag.group(2) not in open_:
                raise KgError(f"</{tag.group(2)}> without <{tag.group(2)}>", path, lineno)
            spans.append((tag.group(2), open_.pop(tag.group(2)), length))
        else:
            open_[tag.group(2)] = length + (1 if words else 0)
    # A tag left open marks the whole sentence (the corpus's <TO_SEE>): it makes no span.
    return " ".join(words), sorted(spans, key=lambda x: (x[1], x[2]))


# ---------------------------------------------------------------- CBLUE: CMeEE and CMeIE


def _zh_document(source: Path, corpus: str, index: int, text: str, title: str = "") -> Document:
    sections = ((Section("title", title, "zh"),) if title else ()) + (Section("abstract", text, "zh"),)
    return Document(id=ids.document(f"{corpus}{index}"), source=str(source), sections=sections)


# CMeIE's "疾病@句子": a page's topic (a short name, no punctuation or space) before "@"
_TOPIC = re.compile(r"^([^@\s。；;，,：:、()（）]{1,30})@")


def cmeie_topic(text: str) -> tuple[str, str]:
    """(title, body) of a CMeIE text: "X@passage X@passage" is passages of the page on X; the body is the
    passages with their "X@" headings left out ("" and the text when it has no heading)."""
    m = _TOPIC.match(text)
    if not m:
        return "", text
    topic = m.group(1)
    body = re.sub(r"(?:^|(?<=\s)|(?<=[。！？；;]))" + re.escape(topic) + "@", "", text)
    return topic, body


def _json(path: Path, text: str | None):
    text = text if text is not None else read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise KgError(f"malformed JSON: {exc.msg}", path, exc.lineno) from None


def read_cmeee(path: str | Path, text: str | None = None) -> list[GoldDocument]:
    """CMeEE records: one Chinese document per record, its entities (nested ones too) as gold mentions."""
    path = Path(path)
    records = _json(path, text)
    if not isinstance(records, list):
        raise KgError("not a CMeEE file (expected a JSON list of records)", path)
    out = []
    for i, rec in enumerate(records):
        body = rec.get("text") if isinstance(rec, dict) else None
        if not isinstance(body, str):
            raise KgError(f"record {i}: no text", path)
        doc = _zh_document(path, "cmeee", i, body)
        mentions = []
        for e in rec.get("entities") or ():
            try:
                start, end, typ = int(e["start_idx"]), int(e["end_idx"]) + 1, str(e["type"])
            except (KeyError, TypeError, ValueError):
                raise KgError(f"record {i}: an entity without start_idx, end_idx and type", path) from None
            if end <= start and not e.get("entity"):
                continue  # an empty entity (CMeEE's train split has a few): nothing to find
            if not 0 <= start < end <= len(body) or ("entity" in e and body[start:end] != e["entity"]):
                raise KgError(f"record {i}: entity {start}-{end - 1} reads {body[start:end]!r}, not {e.get('entity')!r}", path)
            mentions.append(GoldMention(doc.id, "abstract", start, end, body[start:end], typ))
        mentions.sort(key=lambda m: (m.start, -m.end, m.type))
        out.append(GoldDocument(doc, tuple(mentions)))
    return out


def occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    """Every (start, end) where ``needle`` occurs in ``text`` (overlapping occurrences too)."""
    out, i = [], text.find(needle) if needle else -1
    while i >= 0:
        out.append((i, i + len(needle)))
        i = text.find(needle, i + 1)
    return out


def read_cmeie(path: str | Path, text: str | None = None) -> list[GoldDocument]:
    """CMeIE records: one Chinese document per line; each (subject, predicate, object) is a relation between
    the two strings, and every occurrence of either in the text a gold mention of its type."""
    path = Path(path)
    text = text if text is not None else read_text(path)
    out = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            body = rec["text"]
            spo = [(s["subject"], s.get("subject_type", ""), s["predicate"], s["object"]["@value"],
                    (s.get("object_type") or {}).get("@value", "")) for s in rec.get("spo_list") or ()]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise KgError(f"not a CMeIE record ({exc})", path, lineno) from None
        if not isinstance(body, str):
            raise KgError("not a CMeIE record (its text is not a string)", path, lineno)
        title, passages = cmeie_topic(body)
        doc = _zh_document(path, "cmeie", len(out), passages, title)
        mentions: dict[tuple[str, int, int, str], GoldMention] = {}
        relations = []
        for subj, stype, pred, obj, otype in spo:
            relations.append(GoldRelation(doc.id, pred, subj, obj, (stype, otype)))
            for string, typ in ((subj, stype), (obj, otype)):
                for sec in doc.sections:
                    for s, e in occurrences(sec.text, string):
                        mentions.setdefault((sec.name, s, e, typ), GoldMention(doc.id, sec.name, s, e, string, typ))
        out.append(GoldDocument(doc, tuple(mentions[k] for k in sorted(mentions)), tuple(relations), key=body))
    if not out:
        raise KgError("no CMeIE records", path)
    return out


# ---------------------------------------------------------------- by format name

def read_bioc_gold(path: str | Path, text: str | None = None) -> list[GoldDocument]:
    """BioC documents with their annotations as gold mentions and their relations as gold relations."""
    out = []
    for d in read_bioc(Path(path), text):
        mentions = tuple(GoldMention(d.id, a.section, a.start, a.end, a.text, a.type,
                                     tuple(c for c in (normalise_id(i) for i in a.ids) if c)) for a in d.annotations)
        relations = []
        for r in d.relations:
            infons = dict(r.infons)
            args = [infons[k] for k in ("entity1", "entity2") if infons.get(k)] or [v for _, v in r.nodes]
            if len(args) >= 2:
                relations.append(GoldRelation(d.id, r.type, args[0], args[1], tuple(args[2:])))
        out.append(GoldDocument(d, mentions, tuple(relations)))
    return out


GOLD_READERS: dict[str, Callable[..., list[GoldDocument]]] = {
    "bioc": read_bioc_gold,
    "pubtator": read_pubtator_gold,
    "rosario_hearst": read_rosario_hearst,
    "cmeee": read_cmeee,
    "cmeie": read_cmeie,
    "knowtator": lambda path, text=None: [read_knowtator([path], Path(text) if text else _knowtator_text(Path(path)))],
}


def _knowtator_text(xml_path: Path) -> Path:
    """The text file a Knowtator file names (``textSource``), looked up beside it and in ``../txt``-like
    folders up the tree (CRAFT keeps ``articles/txt`` apart from ``concept-annotation``)."""
    try:
        source = ET.parse(xml_path).getroot().get("textSource")
    except (ET.ParseError, OSError) as exc:
        raise KgError(f"cannot read Knowtator XML: {exc}", xml_path) from None
    if not source:
        raise KgError("Knowtator file names no textSource", xml_path)
    for folder in [xml_path.parent, *xml_path.parents]:
        for cand in (folder / source, folder / "txt" / source, folder / "articles" / "txt" / source):
            if cand.is_file():
                return cand
    raise KgError(f"the text {source!r} of this Knowtator file was not found", xml_path)
