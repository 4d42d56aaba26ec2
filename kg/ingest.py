"""Stage 1, ingest: read source files into ``Document``s.

Readers are chosen by format name from ``READERS``; ``sniff`` picks one from the suffix and, where the
suffix says little (``.txt``), from the content. Every reader raises ``KgError`` naming the file (and line)
for input it cannot use.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.errors import KgError
from kg.model import Author, Document, Funding, Section

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- helpers


def read_text(path: Path) -> str:
    """The file's text as UTF-8 (a BOM is dropped); undecodable bytes are an error naming the line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise KgError("no such file", path) from None
    except IsADirectoryError:
        raise KgError("is a directory", path) from None
    except OSError as exc:
        raise KgError(f"cannot read: {exc.strerror}", path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise KgError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be decoded)", path, line) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise KgError("empty file: no text to read", path)
    return text


def _cjk_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if unicodedata.name(c, "").startswith("CJK")) / len(letters)


def detect_lang(text: str) -> str:
    """'zh' when most letters are CJK ideographs, else 'en'."""
    return "zh" if _cjk_ratio(text) > 0.5 else "en"


def text_id(text: str) -> str:
    return "kgdoc:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _split_keywords(s: str) -> list[str]:
    return [k.strip(" .;。") for k in re.split(r"[,，;；]\s*", s) if k.strip(" .;。")]


# ---------------------------------------------------------------- journal page (the seed's format)

_HEADER = re.compile(
    r"^(?P<journal>[^›\n]+?)\s*››\s*(?P<year>\d{4})\s*,\s*Vol\.?\s*(?P<volume>[^\s›]+)\s*››\s*"
    r"Issue\s*\((?P<issue>[^)]*)\)\s*:\s*(?P<pages>[0-9A-Za-z\-–]+)\.?\s*(?:doi:\s*(?P<doi>\S+))?",
    re.IGNORECASE,
)
_MARKERS = {
    "abstract_zh": re.compile(r"^\s*摘要\s*[:：]\s*"),
    "keywords_zh": re.compile(r"^\s*关键词\s*[:：]\s*"),
    "abstract_en": re.compile(r"^\s*Abstract\s*[:：]\s*", re.IGNORECASE),
    "keywords_en": re.compile(r"^\s*Key\s*words\s*[:：]\s*", re.IGNORECASE),
}
_DATE_KINDS = {
    "收稿日期": "received", "修回日期": "revised", "出版日期": "online", "发布日期": "published",
    "received": "received", "revised": "revised", "online": "online", "published": "published", "accepted": "accepted",
}
_DATE = re.compile(r"(收稿日期|修回日期|出版日期|发布日期|Received|Revised|Online|Published|Accepted)\s*[:：]\s*(\d{4}-\d{2}-\d{2})", re.I)
_CONTACT = re.compile(r"^\s*•?\s*(?:通讯作者|Contact|Corresponding author)\s*[:：]\s*(.*)$", re.I)
_FUNDING = re.compile(r"^\s*•?\s*(?:基金资助|Supported by|Funding|Fund program)\s*[:：]\s*(.*)$", re.I)
_AFFIL = re.compile(r"^\s*(\d+)\.\s+(.+)$")
_GRANT = re.compile(r"[（(]\s*([A-Za-z0-9][A-Za-z0-9\-/]{3,})\s*[)）]")
_NAV = re.compile(r"(上一篇|下一篇)")


def looks_like_journal_page(text: str) -> bool:
    head = text[:4000]
    return bool(_HEADER.search(head.splitlines()[0] if head else "")) or (
        any(m.search(line) for line in head.splitlines() for m in (_MARKERS["abstract_en"], _MARKERS["abstract_zh"]))
        and bool(re.search(r"(Key\s*words|关键词|››)", text, re.I))
    )


def _authors(line: str, lang: str) -> list[tuple[str, bool, tuple[str, ...]]]:
    """(name, corresponding, affiliation numbers) for each name of an author line."""
    out = []
    for part in re.split(r"\s*[,，、]\s*", line.strip()):
        if not part:
            continue
        star = "*" in part
        nums = tuple(re.findall(r"\d+", part))
        name = _clean(re.sub(r"[\d*,]+", "", part))
        if name:
            out.append((name, star, nums))
    return out


def _is_author_line(line: str) -> bool:
    parts = [p for p in re.split(r"\s*[,，、]\s*", line.strip()) if p]
    if not parts:
        return False
    if all(re.fullmatch(r"[\u4e00-\u9fff·]{2,5}[\d,*]*", p) for p in parts):
        return True
    return all(re.fullmatch(r"[A-Z][A-Za-z\-']*(?:\s+[A-Z][A-Za-z\-']*){0,3}[\d,*]*", p) for p in parts) and any(
        re.search(r"\b[A-Z]{2,}\b", p) for p in parts
    )


def _funding(text: str, lang: str) -> list[Funding]:
    out = []
    for item in re.split(r"[;；]\s*", text):
        item = item.strip()
        if not item:
            continue
        grants = tuple(_GRANT.findall(item))
        name = _clean(_GRANT.sub("", item))
        out.append(Funding(name, grants, lang))
    return out


def read_journal_page(path: Path, text: str | None = None) -> list[Document]:
    """A bilingual journal article page: header, author blocks (Chinese, English), 摘要/Abstract, 关键词/Key words."""
    text = text if text is not None else read_text(path)
    lines = text.split("\n")
    header = _HEADER.search(lines[0]) if lines else None
    meta: dict[str, str | None] = {}
    if header:
        meta = {k: (v.strip() if v else None) for k, v in header.groupdict().items()}
        if meta.get("doi"):
            meta["doi"] = meta["doi"].rstrip(".")
    else:
        log.warning("%s: no journal header line (journal ›› year, Vol. ›› Issue (n): pages.doi: ...)", path)

    # Locate the marked sections.
    marks: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        for name, rx in _MARKERS.items():
            if rx.match(line):
                marks.append((i, name))
                break
    if not any(n.startswith("abstract") for _, n in marks):
        raise KgError("malformed journal page: no 'Abstract:' or '摘要:' line", path)
    bodies: dict[str, str] = {}
    for j, (i, name) in enumerate(marks):
        end = marks[j + 1][0] if j + 1 < len(marks) else len(lines)
        first = _MARKERS[name].sub("", lines[i], count=1)
        body = "\n".join([first] + lines[i + 1 : end]).strip()
        if name in bodies:
            raise KgError(f"malformed journal page: a second {name.replace('_', ' ')} section", path, i + 1)
        bodies[name] = body
    for name in ("abstract_en", "abstract_zh"):
        if name in bodies and not bodies[name].strip():
            line_no = next(i for i, n in marks if n == name) + 1
            raise KgError(f"malformed journal page: empty {name.replace('_', ' ')}", path, line_no)

    # The front matter: everything between the header and the first marked section.
    front = lines[1 : marks[0][0]]
    column = None
    blocks: dict[str, list[str]] = {"zh": [], "en": []}
    lang = "zh"
    seen_zh = False
    for raw in front:
        line = raw.strip()
        if not line:
            continue
        if _NAV.search(line) and line.startswith("•"):
            column = _clean(_NAV.sub("", line)).strip("• ").strip()
            continue
        line_lang = detect_lang(line)
        if line_lang == "zh":
            seen_zh = True
        elif seen_zh and lang == "zh" and not line.startswith("•") and not _AFFIL.match(line) and not _CONTACT.match(line):
            # The first Latin-script line after the Chinese block starts the English block (its title).
            prev_is_funding = blocks["zh"] and _FUNDING.match(blocks["zh"][-1]) and not _FUNDING.match(blocks["zh"][-1]).group(1)
            if not prev_is_funding:
                lang = "en"
        blocks[lang].append(line)

    authors: list[Author] = []
    funding: list[Funding] = []
    dates: dict[str, str] = {}
    titles: dict[str, str] = {}
    for blang, blines in blocks.items():
        names: list[tuple[str, bool, tuple[str, ...]]] = []
        affils: dict[str, str] = {}
        email = None
        i = 0
        while i < len(blines):
            line = blines[i]
            if m := _FUNDING.match(line):
                body = m.group(1).strip()
                j = i + 1
                while not body and j < len(blines):  # the funding text is on the next line(s)
                    body = blines[j]
                    j += 1
                funding.extend(_funding(body, detect_lang(body)))
                i = max(i + 1, j)
                continue
            if m := _CONTACT.match(line):
                em = re.search(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", m.group(1))
                email = em.group(0) if em else None
            elif _DATE.search(line):
                for kind, date in _DATE.findall(line):
                    dates.setdefault(_DATE_KINDS[kind.lower()] if kind.isascii() else _DATE_KINDS[kind], date)
            elif m := _AFFIL.match(line):
                affils[m.group(1)] = _clean(m.group(2))
            elif not names and _is_author_line(line):
                names = _authors(line, blang)
            elif blang not in titles and not line.startswith("•") and not names:
                titles[blang] = _clean(line)
            i += 1
        for name, star, nums in names:
            aff = tuple(affils[n] for n in nums if n in affils) or tuple(affils[k] for k in sorted(affils))
            authors.append(Author(name, blang, aff, star, email if star else None))

    sections: list[Section] = []
    for lang_ in ("en", "zh"):
        if lang_ in titles:
            sections.append(Section("title", titles[lang_], lang_))
        if f"abstract_{lang_}" in bodies:
            sections.append(Section("abstract", _clean(bodies[f"abstract_{lang_}"]), lang_))
    keywords = [("zh", k) for k in _split_keywords(bodies.get("keywords_zh", ""))]
    keywords += [("en", k) for k in _split_keywords(bodies.get("keywords_en", ""))]
    doi = meta.get("doi")
    doc_id = f"doi:{doi}" if doi else text_id(text)
    return [
        Document(
            id=doc_id,
            source=str(path),
            sections=tuple(sections),
            doi=doi,
            journal=meta.get("journal"),
            year=meta.get("year"),
            volume=meta.get("volume"),
            issue=meta.get("issue"),
            pages=(meta.get("pages") or "").replace("–", "-") or None,
            column=column,
            dates=tuple(sorted(dates.items())),
            authors=tuple(authors),
            funding=tuple(funding),
            keywords=tuple(keywords),
        )
    ]


# ---------------------------------------------------------------- plain text


def read_plain_text(path: Path, text: str | None = None) -> list[Document]:
    """A plain text file: a short first paragraph of one line is the title; the rest is the abstract."""
    text = text if text is not None else read_text(path)
    paras = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    title = None
    if len(paras) > 1 and "\n" not in paras[0] and len(paras[0]) <= 300:
        title, paras = paras[0], paras[1:]
    body = _clean(" ".join(paras))
    lang = detect_lang(body)
    sections = ([Section("title", _clean(title), detect_lang(title))] if title else []) + [Section("abstract", body, lang)]
    return [Document(id=text_id(text), source=str(path), sections=tuple(sections))]


# ---------------------------------------------------------------- JSON lines


def read_jsonl(path: Path, text: str | None = None) -> list[Document]:
    """One JSON object a line: ``id``, ``title``, ``abstract`` and optional metadata
    (``doi``, ``pmid``, ``journal``, ``year``, ``volume``, ``issue``, ``pages``, ``authors``, ``keywords``,
    ``title_zh``, ``abstract_zh``)."""
    text = text if text is not None else read_text(path)
    docs = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise KgError(f"invalid JSON: {exc.msg} (column {exc.colno})", path, lineno) from None
        if not isinstance(rec, dict):
            raise KgError("each line must be a JSON object", path, lineno)
        abstract = rec.get("abstract") or rec.get("text")
        if not isinstance(abstract, str) or not abstract.strip():
            if not (isinstance(rec.get("abstract_zh"), str) and rec["abstract_zh"].strip()):
                raise KgError("record has no 'abstract' text", path, lineno)
        sections = []
        for key, name, lang in (("title", "title", "en"), ("abstract", "abstract", "en"), ("text", "abstract", "en"),
                                ("title_zh", "title", "zh"), ("abstract_zh", "abstract", "zh")):
            val = rec.get(key)
            if isinstance(val, str) and val.strip() and not any(s.name == name and s.lang == lang for s in sections):
                sections.append(Section(name, _clean(val), lang if key.endswith("_zh") else detect_lang(val)))
        pmid = str(rec["pmid"]) if rec.get("pmid") else None
        doi = rec.get("doi")
        rid = rec.get("id")
        if doi:
            doc_id = f"doi:{doi}"
        elif pmid:
            doc_id = f"PMID:{pmid}"
        elif rid:
            doc_id = str(rid) if ":" in str(rid) else f"kgdoc:{rid}"
        else:
            doc_id = text_id(line)
        authors = tuple(Author(a) if isinstance(a, str) else Author(a.get("name", "")) for a in rec.get("authors", []) or [])
        kws = rec.get("keywords") or []
        docs.append(
            Document(
                id=doc_id, source=str(path), sections=tuple(sections), doi=doi, pmid=pmid,
                journal=rec.get("journal"), year=str(rec["year"]) if rec.get("year") else None,
                volume=rec.get("volume"), issue=rec.get("issue"), pages=rec.get("pages"),
                authors=authors, keywords=tuple(("en", str(k)) for k in kws),
            )
        )
    if not docs:
        raise KgError("no records", path)
    return docs


# ---------------------------------------------------------------- PubTator


_PT_TEXT = re.compile(r"^(\d+|[^|\t]+)\|([ta])\|(.*)$")


def read_pubtator(path: Path, text: str | None = None) -> list[Document]:
    """PubTator documents (``PMID|t|title``, ``PMID|a|abstract``; annotation lines are read by the evaluator)."""
    text = text if text is not None else read_text(path)
    docs: dict[str, dict[str, str]] = {}
    order: list[str] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        m = _PT_TEXT.match(line)
        if m:
            pid, kind, body = m.groups()
            if pid not in docs:
                docs[pid] = {}
                order.append(pid)
            docs[pid][kind] = body
        elif "\t" not in line:
            raise KgError("not a PubTator line (expected 'ID|t|title', 'ID|a|abstract' or a tab-separated annotation)", path, lineno)
    out = []
    for pid in order:
        d = docs[pid]
        sections = []
        if d.get("t", "").strip():
            sections.append(Section("title", d["t"], detect_lang(d["t"])))
        if d.get("a", "").strip():
            sections.append(Section("abstract", d["a"], detect_lang(d["a"])))
        doc_id = f"PMID:{pid}" if pid.isdigit() else f"kgdoc:{pid}"
        out.append(Document(id=doc_id, source=str(path), sections=tuple(sections), pmid=pid if pid.isdigit() else None))
    if not out:
        raise KgError("no PubTator documents", path)
    return out


# ---------------------------------------------------------------- choice of reader

READERS: dict[str, Callable[..., list[Document]]] = {
    "journal": read_journal_page,
    "text": read_plain_text,
    "jsonl": read_jsonl,
    "pubtator": read_pubtator,
}
SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".pubtator": "pubtator", ".txt": None, ".text": "text", ".md": "text"}


def sniff(path: Path, text: str) -> str:
    """The reader for a file: by suffix where it is telling, else by content."""
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt:
        return fmt
    first = text.lstrip().split("\n", 1)[0]
    if _PT_TEXT.match(first):
        return "pubtator"
    if first.startswith("{"):
        return "jsonl"
    if looks_like_journal_page(text):
        return "journal"
    return "text"


def read_documents(path: str | Path, input_format: str | None = None) -> list[Document]:
    """Documents of one file, with the named reader or a sniffed one."""
    path = Path(path)
    if input_format is not None and input_format not in READERS:
        raise KgError(f"unknown input format {input_format!r}; known: {', '.join(sorted(READERS))}", path)
    suffix = path.suffix.lower()
    if input_format is None and suffix and suffix not in SUFFIXES:
        raise KgError(f"unknown input format {suffix!r} (known suffixes: {', '.join(sorted(SUFFIXES))}); "
                      f"name one with --input-format {{{','.join(sorted(READERS))}}}", path)
    text = read_text(path)
    fmt = input_format or sniff(path, text)
    docs = READERS[fmt](path, text)
    for d in docs:
        if not any(s.name == "abstract" and s.text.strip() for s in d.sections) and not d.sections:
            raise KgError("no text to read", path)
    log.debug("%s: %d document(s) as %s", path, len(docs), fmt)
    return docs


def iter_source_files(sources: Iterable[str | Path]) -> Iterator[Path]:
    """Each file named, and every supported file inside each folder named (sorted, hidden files skipped)."""
    for src in sources:
        p = Path(src)
        if p.is_dir():
            files = sorted(
                f for f in p.rglob("*")
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
                and f.suffix.lower() in SUFFIXES
            )
            if not files:
                raise KgError(f"no supported files ({', '.join(sorted(SUFFIXES))}) in folder", p)
            yield from files
        elif p.exists():
            yield p
        else:
            raise KgError("no such file or folder", p)


def read_sources(sources: Iterable[str | Path], input_format: str | None = None) -> list[Document]:
    """Documents of every source (files and folders); duplicate document ids are an error."""
    docs: list[Document] = []
    seen: dict[str, str] = {}
    for path in iter_source_files(sources):
        for d in read_documents(path, input_format):
            if d.id in seen:
                raise KgError(f"document {d.id} was already read from {seen[d.id]}", path)
            seen[d.id] = str(path)
            docs.append(d)
    return docs
