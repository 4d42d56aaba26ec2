"""PMC full text in JATS (the NLM Journal Archiving DTDs: PMC Open Access ``.nxml``, efetch's
``pmc-articleset``, and PMC's OAI-PMH ``GetRecord``/``ListRecords`` answers wrapping articles in a default
namespace): the front matter's metadata, the abstract (its titled parts as sections), the body's sections
with their titles (``body:Methods/Animals``), and figure and table captions as sections of their own
(``caption:Figure 1``). References, tables, formulas and supplementary material are skipped.

Elements are found by local name (``{*}``), so the same code reads files with and without a namespace.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kg import ids
from kg.errors import KgError
from kg.ingest import metadata as md
from kg.ingest.source import peek
from kg.ingest.xml import HEAD, data_of, iter_records, local, root_of
from kg.ingest.xml import text as xtext
from kg.lang import detect_lang
from kg.model import Author, Document, Funding, Section, Tag

ROOTS = ("article", "pmc-articleset", "OAI-PMH", "articles")
# Never read as running text: what is not prose (tables, formulas, references) or is read elsewhere
# (figures and tables: their captions are sections of their own; sections nested in a section).
SKIP = frozenset({"fig", "fig-group", "table-wrap", "table-wrap-group", "table", "disp-formula", "inline-formula",
                  "tex-math", "math", "ref-list", "supplementary-material", "media", "graphic", "inline-graphic",
                  "alternatives", "fn-group", "sec", "title", "label", "object-id", "disp-formula-group",
                  "array", "code", "preformat"})
PROSE = frozenset({"p", "list", "disp-quote", "def-list", "boxed-text", "statement", "verse-group", "speech"})
CAPTION_SKIP = frozenset({"disp-formula", "inline-formula", "tex-math", "math", "label", "graphic", "object-id"})


def read_jats(path: Path, text: str | None = None) -> Iterator[Document]:
    """The articles of a JATS file (one article, a ``pmc-articleset`` or an OAI-PMH answer), lazily."""
    head = text.encode("utf-8")[:HEAD] if text is not None else peek(path, HEAD)
    root, _ = root_of(head.decode("utf-8", "replace"))
    if root not in ROOTS:
        raise KgError(f"not JATS XML: the root element is {root or 'missing'!r} (expected {', '.join(ROOTS)})", path, 1)
    n = 0
    oai_ids: list[str] = []
    for _, el in iter_records(path, ("{*}article", "{*}identifier"), head, data_of(text)):
        if local(el) == "identifier":  # an OAI-PMH record header's oai:pubmedcentral.nih.gov:NNN
            oai_ids.append(el.text or "")
            continue
        n += 1
        yield _article(el, path, n, md.pmcid(oai_ids[-1]) if oai_ids else None)
    if not n:
        raise KgError("no JATS article in this file", path)


def _any_ns(path: str) -> str:
    """``a/b`` -> ``{*}a/{*}b``: the path in any namespace or none."""
    return "{*}" + path.replace("/", "/{*}")


def _find(el, path: str):
    return el.find(_any_ns(path)) if el is not None else None


def _findall(el, path: str) -> list:
    return el.findall(_any_ns(path)) if el is not None else []


def _ftext(el, path: str) -> str:
    return xtext(_find(el, path))


def _article(art, path: Path, n: int, oai_pmcid: str | None) -> Document:
    front = _find(art, "front")
    meta = _find(front, "article-meta")
    journal = _find(front, "journal-meta")
    if meta is None:
        raise KgError(f"article {n}: no front/article-meta", path, art.sourceline)
    aid = {}
    for a in _findall(meta, "article-id"):
        kind = (a.get("pub-id-type") or "").lower()
        if a.text and kind and kind not in aid:
            aid[kind] = a.text.strip()
    pmid = aid.get("pmid") if (aid.get("pmid") or "").isdigit() else None
    doi = md.doi(aid.get("doi"))
    pmcid = md.pmcid(aid.get("pmcid") or aid.get("pmc") or aid.get("pmcaid")) or oai_pmcid
    if not (pmid or doi or pmcid):
        raise KgError(f"article {n}: no PMID, DOI or PMCID (article-id)", path, meta.sourceline)
    lang = art.get("{http://www.w3.org/XML/1998/namespace}lang")
    title = _ftext(meta, "title-group/article-title")
    sections = [Section("title", title, detect_lang(title))] if title else []
    sections += _abstract(meta)
    body = _find(art, "body")
    sections += _body(body) + _captions(art)
    dates = _dates(meta)
    return Document(
        id=ids.article(pmid, doi, pmcid) or "", source=str(path), sections=tuple(sections),
        doi=doi, pmid=pmid, pmcid=pmcid,
        journal=_ftext(journal, "journal-title-group/journal-title") or _ftext(journal, "journal-title") or None,
        journal_abbreviation=_abbreviation(journal),
        issn=tuple((_issn_type(i), i.text.strip()) for i in _findall(journal, "issn") if i.text and i.text.strip()),
        year=next((d[:4] for k, d in dates if k == "published"), None) or next((d[:4] for _, d in dates), None),
        volume=_ftext(meta, "volume") or None, issue=_ftext(meta, "issue") or None, pages=_pages(meta),
        dates=dates, authors=_authors(meta), funding=_funding(meta),
        keywords=tuple(dict.fromkeys(("en", k) for k in (xtext(x) for x in _findall(meta, "kwd-group/kwd")) if k)),
        language=lang,
        publication_types=tuple(Tag(t) for t in (art.get("article-type"),) if t),
    )


def _abstract(meta) -> list[Section]:
    """The abstract (not a teaser or graphical abstract): its titled parts as ``abstract:TITLE`` sections."""
    out, taken = [], {}
    for ab in _findall(meta, "abstract"):
        if (ab.get("abstract-type") or "") in ("teaser", "graphical", "toc", "precis", "web-summary"):
            continue
        secs = _findall(ab, "sec")
        if secs:
            for s in secs:
                heading = _ftext(s, "title")
                body = " ".join(t for t in (xtext(p, SKIP) for p in s if local(p) in PROSE) if t)
                if body:
                    name = md.unique_name(f"abstract:{heading}" if heading else "abstract", taken)
                    out.append(Section(name, body, detect_lang(body), "abstract", heading, s.get("sec-type") or ""))
        else:
            body = " ".join(t for t in (xtext(p, SKIP) for p in ab if local(p) in PROSE) if t)
            if body:
                out.append(Section(md.unique_name("abstract", taken), body, detect_lang(body), "abstract"))
        if out:
            break  # the first (main) abstract; others are translations or summaries
    return out


def _body(body) -> list[Section]:
    """The body's prose: text before the first section (``body``), then each section, nested ones by
    their title path (``body:Methods/Animals``); its role is the nearest ``sec-type``."""
    if body is None:
        return []
    out: list[Section] = []
    taken: dict[str, int] = {}
    lead = " ".join(t for t in (xtext(p, SKIP) for p in body if local(p) in PROSE) if t)
    if lead:
        out.append(Section(md.unique_name("body", taken), lead, detect_lang(lead), "body"))
    for i, sec in enumerate(s for s in body if local(s) == "sec"):
        _section(sec, [], "", "", out, taken, i + 1)
    return out


def _section(sec, titles: list[str], top: str, role: str, out: list[Section], taken: dict[str, int], index: int) -> None:
    heading = _ftext(sec, "title") or f"section {index}"
    path = titles + [heading]
    role = sec.get("sec-type") or role
    top = top or heading
    prose = " ".join(t for t in (xtext(p, SKIP) for p in sec if local(p) in PROSE) if t)
    if prose:
        out.append(Section(md.unique_name("body:" + "/".join(path), taken), prose, detect_lang(prose), "body", top, role))
    for j, sub in enumerate(s for s in sec if local(s) == "sec"):
        _section(sub, path, top, role, out, taken, j + 1)


def _captions(art) -> list[Section]:
    """Figure and table captions (their label and caption text), in document order."""
    out, taken = [], {}
    for el in art.iter("{*}fig", "{*}table-wrap"):
        cap = _find(el, "caption")
        if cap is None:
            continue
        body = " ".join(t for t in (xtext(c, CAPTION_SKIP) for c in cap if local(c) not in CAPTION_SKIP) if t) \
            or xtext(cap, CAPTION_SKIP)
        if not body:
            continue
        label = _ftext(el, "label") or el.get("id") or ("Figure" if local(el) == "fig" else "Table")
        kind = "fig" if local(el) == "fig" else "table"
        out.append(Section(md.unique_name(f"caption:{label}", taken), body, detect_lang(body), "caption", label, kind))
    return out


def _abbreviation(journal) -> str | None:
    best = None
    for j in _findall(journal, "journal-title-group/abbrev-journal-title") + _findall(journal, "abbrev-journal-title"):
        if j.text and (j.get("abbrev-type") == "iso-abbrev" or best is None):
            best = j.text.strip()
    if best:
        return best
    for j in _findall(journal, "journal-id"):
        if j.get("journal-id-type") in ("iso-abbrev", "nlm-ta") and j.text:
            return j.text.strip()
    return None


def _issn_type(i) -> str:
    t = (i.get("pub-type") or i.get("publication-format") or "print").lower()
    return {"ppub": "print", "epub": "electronic", "online": "electronic"}.get(t, t)


def _pages(meta) -> str | None:
    fp, lp = _ftext(meta, "fpage"), _ftext(meta, "lpage")
    if fp:
        return f"{fp}-{lp}" if lp and lp != fp else fp
    return _ftext(meta, "elocation-id") or None


def _date(d) -> str | None:
    return md.iso_date(_ftext(d, "year"), _ftext(d, "month") or _ftext(d, "season"), _ftext(d, "day"))


def _dates(meta) -> tuple[tuple[str, str], ...]:
    """published (the print or collection date, else the electronic one), online, received, accepted."""
    out: dict[str, str] = {}
    for d in _findall(meta, "pub-date"):
        kind = (d.get("pub-type") or d.get("date-type") or "").lower()
        fmt = (d.get("publication-format") or "").lower()
        value = _date(d)
        if not value:
            continue
        if kind in ("epub", "epub-ppub") or fmt == "electronic":
            out.setdefault("online", value)
        if kind in ("ppub", "collection", "epub-ppub", "pub") or fmt == "print":
            out.setdefault("published", value)
    if "published" not in out and "online" in out:
        out["published"] = out["online"]
    for d in _findall(meta, "history/date"):
        kind = (d.get("date-type") or "").lower()
        value = _date(d)
        if kind in ("received", "accepted", "rev-recd") and value:
            out.setdefault("revised" if kind == "rev-recd" else kind, value)
    return tuple(out.items())


def _authors(meta) -> tuple[Author, ...]:
    """Contributors of type author: names (or collaborations), affiliations (by ``xref`` or nested),
    ORCID iDs, the corresponding author's e-mail."""
    affs = {a.get("id"): xtext(a, {"label"}) for a in meta.iter("{*}aff") if a.get("id")}
    out = []
    for c in _findall(meta, "contrib-group/contrib"):
        if (c.get("contrib-type") or "author") != "author":
            continue
        name = _find(c, "name")
        full = md.person(_ftext(name, "surname"), _ftext(name, "given-names"), _ftext(name, "suffix")) if name is not None \
            else (_ftext(c, "collab") or _ftext(c, "string-name"))
        if not full:
            continue
        rids = [x.get("rid") for x in _findall(c, "xref") if x.get("ref-type") == "aff"]
        mine = [affs[r] for rid in rids for r in (rid or "").split() if affs.get(r)]
        mine += [xtext(a, {"label"}) for a in _findall(c, "aff")]
        orcid = next((md.orcid(i.text) for i in _findall(c, "contrib-id")
                      if (i.get("contrib-id-type") or "").lower() == "orcid"), None)
        email = _ftext(c, "email") or None
        out.append(Author(full, "en", tuple(dict.fromkeys(a for a in mine if a)), c.get("corresp") == "yes", email, orcid))
    return tuple(out)


def _funding(meta) -> tuple[Funding, ...]:
    out = []
    for g in _findall(meta, "funding-group/award-group"):
        name = " ".join(t for t in (xtext(s, {"institution-id"}) for s in _findall(g, "funding-source")) if t)
        grants = tuple(t for t in (xtext(a) for a in _findall(g, "award-id")) if t)
        if name or grants:
            out.append(Funding(name or "unknown funder", grants))
    return tuple(out)
