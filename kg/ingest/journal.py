"""The bilingual journal article page (the seed's format): a header line (journal ›› year, Vol. ›› Issue (n):
pages. doi: ...), author blocks in Chinese and English with affiliations, contact, dates and funding, then
摘要/Abstract and 关键词/Key words sections."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

from kg import ids
from kg.errors import KgError
from kg.ingest.text import clean, read_text
from kg.lang import detect_lang
from kg.model import Author, Document, Funding, Section

log = logging.getLogger(__name__)


def _split_keywords(s: str) -> list[str]:
    return [k.strip(" .;。") for k in re.split(r"[,，;；]\s*", s) if k.strip(" .;。")]


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
        name = clean(re.sub(r"[\d*,]+", "", part))
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
        name = clean(_GRANT.sub("", item))
        out.append(Funding(name, grants, lang))
    return out


def read_journal_page(path: Path, text: str | None = None) -> Iterator[Document]:
    """A bilingual journal article page: header, author blocks (Chinese, English), 摘要/Abstract, 关键词/Key words."""
    text = text if text is not None else read_text(path)
    lines = text.split("\n")
    meta = _header(lines, path)
    marks, bodies = _marked_sections(lines, path)
    column, blocks = _front_blocks(lines[1 : marks[0][0]])
    titles, authors, funding, dates = _front_matter(blocks)
    sections: list[Section] = []
    for lang_ in ("en", "zh"):
        if lang_ in titles:
            sections.append(Section("title", titles[lang_], lang_))
        if f"abstract_{lang_}" in bodies:
            sections.append(Section("abstract", clean(bodies[f"abstract_{lang_}"]), lang_))
    keywords = [("zh", k) for k in _split_keywords(bodies.get("keywords_zh", ""))]
    keywords += [("en", k) for k in _split_keywords(bodies.get("keywords_en", ""))]
    doi = meta.get("doi")
    doc_id = ids.doi(doi) if doi else ids.document_from_text(text)
    yield Document(
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


def _header(lines: list[str], path: Path) -> dict[str, str | None]:
    """The header line's fields (journal, year, volume, issue, pages, doi); empty without one."""
    header = _HEADER.search(lines[0]) if lines else None
    if not header:
        log.warning("%s: no journal header line (journal ›› year, Vol. ›› Issue (n): pages.doi: ...)", path)
        return {}
    meta = {k: (v.strip() if v else None) for k, v in header.groupdict().items()}
    if meta.get("doi"):
        meta["doi"] = meta["doi"].rstrip(".")
    return meta


def _marked_sections(lines: list[str], path: Path) -> tuple[list[tuple[int, str]], dict[str, str]]:
    """Where each marked section (abstract_zh, keywords_en, ...) starts, and its text."""
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
    return marks, bodies


def _front_blocks(front: list[str]) -> tuple[str | None, dict[str, list[str]]]:
    """The front matter (between the header and the first marked section) split into its Chinese and
    English blocks, and the journal column named in the navigation line."""
    column = None
    blocks: dict[str, list[str]] = {"zh": [], "en": []}
    lang = "zh"
    seen_zh = False
    for raw in front:
        line = raw.strip()
        if not line:
            continue
        if _NAV.search(line) and line.startswith("•"):
            column = clean(_NAV.sub("", line)).strip("• ").strip()
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
    return column, blocks


def _front_matter(blocks: dict[str, list[str]]) -> tuple[dict[str, str], list[Author], list[Funding], dict[str, str]]:
    """Titles, authors (with affiliations and the corresponding author's e-mail), funding and dates."""
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
                affils[m.group(1)] = clean(m.group(2))
            elif not names and _is_author_line(line):
                names = _authors(line, blang)
            elif blang not in titles and not line.startswith("•") and not names:
                titles[blang] = clean(line)
            i += 1
        for name, star, nums in names:
            aff = tuple(affils[n] for n in nums if n in affils) or tuple(affils[k] for k in sorted(affils))
            authors.append(Author(name, blang, aff, star, email if star else None))
    return titles, authors, funding, dates
