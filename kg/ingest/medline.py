"""MEDLINE tagged text (PubMed's "Send to: File, MEDLINE" and citation managers' ``.nbib``): records of
``TAG - value`` lines (``PMID-``, ``TI  -``, ``AB  -``, ``FAU -``, ``MH  -``, ``PT  -`` …), values continued
on lines indented by six spaces, records separated by blank lines, LF or CRLF ends."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

from kg import ids
from kg.errors import KgError
from kg.ingest import metadata as md
from kg.ingest.source import text_lines
from kg.lang import detect_lang
from kg.model import Author, Document, Funding, MeshHeading, Section, Tag

TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]{0,3}) {0,3}- ?(.*)$")
CONTINUATION = "      "
# A structured abstract's labels, as MEDLINE prints them inside AB ("BACKGROUND: ... RESULTS: ...").
_LABEL = re.compile(r"(?:^|(?<=[.?!)] ))([A-Z][A-Z ,&/-]{2,40}[A-Z]): ")
_AID = re.compile(r"^(.*?)\s*\[(\w+)\]$")
_PHST = {"received": "received", "accepted": "accepted", "revised": "revised", "aheadofprint": "online"}


def looks_like_medline(head: str) -> bool:
    """Whether a text starts (after blank lines) with a MEDLINE ``PMID-`` line."""
    for line in head.lstrip("\ufeff").splitlines():
        if line.strip():
            return bool(re.match(r"^PMID- ?\d+\s*$", line))
    return False


def read_medline(path: Path, text: str | None = None) -> Iterator[Document]:
    """MEDLINE records, lazily; a line that is neither a tag, a continuation nor blank, or a record
    without a PMID, is an error naming the line."""
    lines = enumerate(text.replace("\r\n", "\n").split("\n"), start=1) if text is not None else text_lines(path)
    record: list[tuple[str, str, int]] = []
    n = 0
    for no, line in lines:
        line = line.rstrip("\r")
        if not line.strip():
            if record:
                n += 1
                yield _document(record, path, n)
                record = []
            continue
        if line.startswith(CONTINUATION) and record:
            tag, value, at = record[-1]
            record[-1] = (tag, f"{value} {line.strip()}", at)
            continue
        m = TAG_LINE.match(line)
        if not m:
            raise KgError("not a MEDLINE line (expected 'TAG - value' or a continuation indented by six spaces)", path, no)
        if m.group(1) == "PMID" and record:  # a record that starts without a blank line before it
            n += 1
            yield _document(record, path, n)
            record = []
        record.append((m.group(1), m.group(2).strip(), no))
    if record:
        n += 1
        yield _document(record, path, n)
    if not n:
        raise KgError("no MEDLINE records", path)


def _document(record: list[tuple[str, str, int]], path: Path, n: int) -> Document:
    f: dict[str, list[str]] = {}
    for tag, value, _ in record:
        f.setdefault(tag, []).append(value)
    pmid = (f.get("PMID") or [""])[0].strip()
    if not pmid:
        raise KgError(f"record {n}: no PMID line", path, record[0][2])
    aids = {}
    for a in f.get("AID", []) + f.get("LID", []):
        m = _AID.match(a)
        if m and m.group(2).lower() not in aids:
            aids[m.group(2).lower()] = m.group(1)
    doi = md.doi(aids.get("doi"))
    pmcid = md.pmcid((f.get("PMC") or [None])[0])
    title = " ".join(f.get("TI", [])).strip()
    sections = [Section("title", title, detect_lang(title))] if title else []
    sections += _abstract(" ".join(f.get("AB", [])).strip())
    dates = _dates(f)
    return Document(
        id=ids.article(pmid, doi, pmcid) or f"PMID:{pmid}", source=str(path), sections=tuple(sections),
        doi=doi, pmid=pmid, pmcid=pmcid,
        journal=_first(f, "JT"), journal_abbreviation=_first(f, "TA"),
        issn=tuple(_issn(v) for v in f.get("IS", [])),
        year=md.year_of(_first(f, "DP")), volume=_first(f, "VI"), issue=_first(f, "IP"), pages=_first(f, "PG"),
        dates=dates, authors=_authors(record), funding=_grants(f.get("GR", [])),
        keywords=tuple(dict.fromkeys(("en", k) for k in f.get("OT", []) if k)),
        language=_first(f, "LA"),
        publication_types=tuple(Tag(p) for p in f.get("PT", []) if p),
        mesh=tuple(_heading(h) for h in f.get("MH", []) if h),
        chemicals=tuple(Tag(_substance(r)) for r in f.get("RN", []) if _substance(r)),
    )


def _first(f: dict[str, list[str]], tag: str) -> str | None:
    vals = f.get(tag)
    return vals[0] if vals and vals[0] else None


def _abstract(ab: str) -> list[Section]:
    """The abstract: split at its labels ("BACKGROUND: … RESULTS: …") into parts when it has two or more."""
    if not ab:
        return []
    labels = list(_LABEL.finditer(ab))
    if len(labels) < 2 or labels[0].start() != 0:
        return [Section("abstract", ab, detect_lang(ab))]
    out, taken = [], {}
    for i, m in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(ab)
        body = ab[m.end():end].strip()
        if body:
            label = m.group(1)
            out.append(Section(md.unique_name(f"abstract:{label}", taken), body, detect_lang(body), "abstract", label))
    return out


def _authors(record: list[tuple[str, str, int]]) -> tuple[Author, ...]:
    """``FAU`` full names (``AU`` when there are none) and ``CN`` collective names, each with the ``AD`` and
    ``AUID`` (ORCID) lines that follow it; ``AD`` lines before any author (records before 2014) are the
    first author's."""
    name_tag = "FAU" if any(tag == "FAU" for tag, _, _ in record) else "AU"
    out: list[Author] = []
    before: list[str] = []
    for tag, value, _ in record:
        if (tag == name_tag or tag == "CN") and value:
            out.append(Author(md.inverted(value) if tag == "FAU" else value, "en"))
        elif tag == "AD" and value:
            if out:
                out[-1] = dataclasses.replace(out[-1], affiliations=out[-1].affiliations + (value,))
            else:
                before.append(value)
        elif tag == "AUID" and out and "ORCID" in value.upper():
            out[-1] = dataclasses.replace(out[-1], orcid=md.orcid(value))
    if before and out:
        out[0] = dataclasses.replace(out[0], affiliations=tuple(before) + out[0].affiliations)
    return tuple(out)


def _heading(value: str) -> MeshHeading:
    """``Information Storage and Retrieval/*methods``: a descriptor and its qualifiers, ``*`` a major topic."""
    parts = value.split("/")
    d = parts[0]
    desc = Tag(d.lstrip("*").strip(), "", d.startswith("*"))
    quals = tuple(Tag(q.lstrip("*").strip(), "", q.startswith("*")) for q in parts[1:] if q.strip())
    return MeshHeading(desc, quals)


def _issn(value: str) -> tuple[str, str]:
    m = re.match(r"^(\S+)\s*\((\w+)\)", value)
    return (m.group(2).lower(), m.group(1)) if m else ("print", value.split()[0] if value.split() else value)


def _substance(value: str) -> str:
    m = re.match(r"^\S+\s*\((.*)\)\s*$", value)
    return m.group(1).strip() if m else ""


def _grants(values: list[str]) -> tuple[Funding, ...]:
    """``GR  - R01 GM123/GM/NIGMS NIH HHS/United States``: grant id / acronym / agency / country."""
    by: dict[tuple[str, str | None], list[str]] = {}
    for v in values:
        parts = [p.strip() for p in v.split("/")]
        gid = parts[0] if len(parts) > 1 else None
        agency = parts[2] if len(parts) > 2 else (parts[1] if len(parts) > 1 else parts[0])
        country = parts[3] if len(parts) > 3 else None
        lst = by.setdefault((agency, country), [])
        if gid and gid not in lst:
            lst.append(gid)
    return tuple(Funding(a, tuple(g), "en", c) for (a, c), g in by.items())


def _dates(f: dict[str, list[str]]) -> tuple[tuple[str, str], ...]:
    out: dict[str, str] = {}
    for kind, tag in (("published", "DP"), ("online", "DEP"), ("completed", "DCOM"), ("revised", "LR")):
        d = md.free_date(_first(f, tag))
        if d:
            out[kind] = d
    for h in f.get("PHST", []):
        m = _AID.match(h)
        if m:
            kind = _PHST.get(m.group(2).lower())
            d = md.free_date(m.group(1))
            if kind and d and kind not in out:
                out[kind] = d
    return tuple(out.items())
