"""PubMed XML: ``PubmedArticleSet`` (efetch, the web's "Send to: File (XML)", the annual baseline and the
daily update files, any DTD year) with ``PubmedArticle`` and ``PubmedBookArticle`` records, the older
``MedlineCitationSet`` of ``MedlineCitation`` records, and ``DeleteCitation`` (update files).

Read as a stream (``kg.ingest.xml.iter_records``): one record at a time, cleared once read, so a 30,000
record baseline file never sits in memory. A record gives its title, the abstract (each labelled part of a
structured abstract a section of its own: ``abstract:BACKGROUND`` …, with its ``NlmCategory``), inline
markup as text, authors with affiliations and ORCID iDs, the journal (title, ISO abbreviation, ISSNs),
volume, issue, pages, dates, PMID, DOI, PMCID, language, publication types, MeSH headings (descriptor and
qualifier ids, major topics), keywords, chemicals and grants. A ``DeleteCitation`` yields a deleted
``Document`` per PMID (no text).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kg import ids
from kg.errors import KgError
from kg.ingest import metadata as md
from kg.ingest.source import peek
from kg.ingest.xml import HEAD, data_of, fold, iter_records, root_of
from kg.ingest.xml import text as xtext
from kg.lang import detect_lang
from kg.model import Author, Document, Funding, MeshHeading, Section, Tag

ROOTS = ("PubmedArticleSet", "MedlineCitationSet")
RECORDS = {"PubmedArticleSet": ("PubmedArticle", "PubmedBookArticle", "DeleteCitation"),
           "MedlineCitationSet": ("MedlineCitation", "DeleteCitation")}
HISTORY = {"received": "received", "accepted": "accepted", "revised": "revised", "aheadofprint": "online"}


def read_pubmed(path: Path, text: str | None = None) -> Iterator[Document]:
    """The records of a PubMed XML file (plain or gzipped), lazily; a record without a PMID, or a file
    that is not PubMed XML, is an error naming the line."""
    head = text.encode("utf-8")[:HEAD] if text is not None else peek(path, HEAD)
    root, _ = root_of(head.decode("utf-8", "replace"))
    if root not in RECORDS:
        raise KgError(f"not PubMed XML: the root element is {root or 'missing'!r} "
                      f"(expected {' or '.join(ROOTS)})", path, 1)
    n = 0
    for record, el in iter_records(path, RECORDS[root], head, data_of(text)):
        tag = el.tag
        if tag == "DeleteCitation":
            for p in el.iter("PMID"):
                if p.text and p.text.strip():
                    n += 1
                    yield Document(id=f"PMID:{p.text.strip()}", source=str(path), sections=(),
                                   pmid=p.text.strip(), deleted=True)
            continue
        n += 1
        if tag == "PubmedBookArticle":
            yield _book(el, path, record)
        elif tag == "MedlineCitation":
            yield _article(el, None, path, record)
        else:
            yield _article(el.find("MedlineCitation"), el.find("PubmedData"), path, record)
    if not n:
        raise KgError(f"no PubMed records in this {root}", path)


def _pmid(el, path: Path, n: int, where) -> str:
    pmid = (el.findtext("PMID") if el is not None else None) or ""
    if not pmid.strip():
        raise KgError(f"record {n}: no PMID", path, getattr(where, "sourceline", None))
    return pmid.strip()


# ---------------------------------------------------------------- journal articles


def _children(el) -> dict:
    """An element's children by tag, the first of each (one pass over them: faster than a ``find`` each)."""
    out: dict = {}
    if el is not None:
        for c in el:
            out.setdefault(c.tag, c)
    return out


def _article(mc, pd, path: Path, n: int) -> Document:
    """A ``MedlineCitation`` (and the ``PubmedData`` beside it) as a Document."""
    if mc is None:
        raise KgError(f"record {n}: PubmedArticle without MedlineCitation", path, None)
    c = _children(mc)
    pmid = (c["PMID"].text or "").strip() if "PMID" in c else ""
    if not pmid:
        raise KgError(f"record {n}: no PMID", path, mc.sourceline)
    art = c.get("Article")
    if art is None:
        raise KgError(f"record {n} (PMID {pmid}): no Article", path, mc.sourceline)
    a = _children(art)
    lang = _clean(a["Language"].text) if "Language" in a else None
    sections = _title(a) + _abstract(a.get("Abstract"))
    if "OtherAbstract" in c:
        sections += _other_abstracts(mc)
    j = _children(a.get("Journal"))
    issue = _children(j.get("JournalIssue"))
    pub = issue.get("PubDate")
    idmap = _ids(art, pd)
    dates = _dates(pub, a.get("ArticleDate"), c, pd)
    doi = idmap.get("doi")
    pmcid = md.pmcid(idmap.get("pmc"))
    info = _children(c.get("MedlineJournalInfo"))
    return Document(
        id=ids.article(pmid, doi, pmcid) or f"PMID:{pmid}", source=str(path), sections=tuple(sections),
        doi=doi, pmid=pmid, pmcid=pmcid,
        journal=_clean(j["Title"].text) if "Title" in j else None,
        journal_abbreviation=_text_of(j, "ISOAbbreviation") or _text_of(info, "MedlineTA"),
        issn=_issns(a.get("Journal"), info),
        year=_year(dates),
        volume=_text_of(issue, "Volume"), issue=_text_of(issue, "Issue"),
        pages=_pages(a.get("Pagination")),
        dates=dates,
        authors=_first_affiliation(_authors(a.get("AuthorList")), xtext(a.get("Affiliation"))),
        funding=_grants(a.get("GrantList")),
        keywords=_keywords(mc) if "KeywordList" in c else (),
        language=lang,
        publication_types=_tags(a.get("PublicationTypeList")),
        mesh=_mesh(c.get("MeshHeadingList")),
        chemicals=tuple(Tag(_clean(x.text) or "", x.get("UI", ""))
                        for ch in (c.get("ChemicalList") if "ChemicalList" in c else ())
                        for x in ch if x.tag == "NameOfSubstance" and x.text),
    )


def _clean(s: str | None) -> str | None:
    return fold(s) or None


def _text_of(children: dict, tag: str) -> str | None:
    el = children.get(tag)
    return _clean(el.text) if el is not None else None


def _tags(parent) -> tuple[Tag, ...]:
    """Publication types (or any list of named terms with a ``UI``)."""
    if parent is None:
        return ()
    return tuple(Tag(_clean(x.text) or "", x.get("UI", "")) for x in parent if x.text)


def _title(a: dict) -> list[Section]:
    """The article title (English); a vernacular title in its own language when the article has one."""
    out = []
    t = xtext(a.get("ArticleTitle"))
    if t:
        out.append(Section("title", t, detect_lang(t)))
    v = xtext(a.get("VernacularTitle"))
    if v:
        vlang = detect_lang(v)
        if not any(s.lang == vlang for s in out):
            out.append(Section("title", v, vlang))
    return out


def _abstract(abstract) -> list[Section]:
    """The abstract: one section, or one per labelled part of a structured abstract (``abstract:LABEL``)."""
    if abstract is None:
        return []
    parts = [(p.get("Label") or "", p.get("NlmCategory") or "", xtext(p)) for p in abstract if p.tag == "AbstractText"]
    parts = [p for p in parts if p[2]]
    if not parts:
        return []
    if len(parts) == 1 and not parts[0][0]:
        return [Section("abstract", parts[0][2], detect_lang(parts[0][2]), role=parts[0][1])]
    out, taken = [], {}
    for label, category, body in parts:
        head = label or category or "UNLABELLED"
        out.append(Section(md.unique_name(f"abstract:{head}", taken), body, detect_lang(body), "abstract", label, category))
    return out


def _other_abstracts(mc) -> list[Section]:
    """``OtherAbstract`` in a language the record has no abstract in yet (a Chinese abstract, …)."""
    out = []
    for other in mc.iterfind("OtherAbstract"):
        body = " ".join(t for t in (xtext(p) for p in other.iterfind("AbstractText")) if t)
        if body:
            lang = detect_lang(body)
            if lang != "en" and not any(s.lang == lang for s in out):
                out.append(Section("abstract", body, lang))
    return out


def _ids(art, pd) -> dict[str, str]:
    """DOI and PMCID: ``ELocationID`` and the ``ArticleIdList`` of ``PubmedData``."""
    out: dict[str, str] = {}
    if pd is not None:
        for a in pd.iterfind("ArticleIdList/ArticleId"):
            kind = (a.get("IdType") or "").lower()
            if a.text and kind and kind not in out:
                out[kind] = a.text.strip()
    if "doi" not in out:
        for e in art.iterfind("ELocationID"):
            if (e.get("EIdType") or "").lower() == "doi" and e.text:
                out["doi"] = e.text.strip()
                break
    if "doi" in out:
        d = md.doi(out["doi"])
        if d:
            out["doi"] = d
        else:
            del out["doi"]
    return out


def _issns(journal, info: dict) -> tuple[tuple[str, str], ...]:
    out = []
    if journal is not None:
        for i in journal.iterfind("ISSN"):
            if i.text and i.text.strip():
                out.append(((i.get("IssnType") or "print").lower(), i.text.strip()))
    link = _text_of(info, "ISSNLinking")
    if link:
        out.append(("linking", link))
    return tuple(dict.fromkeys(out))


def _pages(pg) -> str | None:
    if pg is None:
        return None
    c = _children(pg)
    p = _text_of(c, "MedlinePgn")
    if p:
        return p
    start, end = _text_of(c, "StartPage"), _text_of(c, "EndPage")
    return f"{start}-{end}" if start and end else start


def _date(el) -> str | None:
    if el is None:
        return None
    parts: dict[str, str] = {}
    for c in el:
        if c.text:
            parts[c.tag] = c.text
    return md.iso_date(parts.get("Year"), parts.get("Month") or parts.get("Season"), parts.get("Day")) \
        or md.free_date(parts.get("MedlineDate"))


def _dates(pub, article_date, c: dict, pd) -> tuple[tuple[str, str], ...]:
    """(kind, ISO date): published (the issue's date), online (the electronic article date), completed,
    revised, and the history's received and accepted dates."""
    out: dict[str, str] = {}
    for kind, value in (("published", _date(pub)), ("online", _date(article_date)),
                        ("completed", _date(c.get("DateCompleted"))), ("revised", _date(c.get("DateRevised")))):
        if value:
            out[kind] = value
    history = pd.find("History") if pd is not None else None
    if history is not None:
        for d in history:
            kind = HISTORY.get(d.get("PubStatus") or "")
            if kind and kind not in out:
                value = _date(d)
                if value:
                    out[kind] = value
    return tuple(out.items())


def _year(dates: tuple[tuple[str, str], ...]) -> str | None:
    """The year of the issue's date (a ``MedlineDate``'s first year), else of the first date known."""
    for kind, value in dates:
        if kind == "published":
            return value[:4]
    return dates[0][1][:4] if dates else None


def _authors(author_list) -> tuple[Author, ...]:
    if author_list is None:
        return ()
    out = []
    seen: dict[str, str] = {}
    for a in author_list:
        if a.tag != "Author" or a.get("ValidYN") == "N":
            continue
        f: dict[str, str] = {}
        affs: list[str] = []
        orcid = None
        for c in a:
            tag = c.tag
            if tag == "AffiliationInfo":
                for x in c:
                    if x.tag == "Affiliation":
                        raw = x.text if len(x) == 0 else None  # the same affiliation is often given for many authors
                        t = seen.get(raw) if raw is not None else None
                        if t is None:
                            t = xtext(x)
                            if raw is not None:
                                seen[raw] = t
                        if t:
                            affs.append(t)
            elif tag == "Affiliation":  # DTDs before 2015
                t = xtext(c)
                if t:
                    affs.append(t)
            elif tag == "Identifier":
                if (c.get("Source") or "").upper() == "ORCID":
                    orcid = md.orcid(c.text)
            elif tag == "CollectiveName":
                f[tag] = xtext(c)
            elif c.text:
                f[tag] = c.text
        name = md.person(f.get("LastName"), f.get("ForeName") or f.get("Initials"), f.get("Suffix")) \
            or _clean(f.get("CollectiveName")) or ""
        if name:
            out.append(Author(name, "en", tuple(affs), orcid=orcid))
    return tuple(out)


def _first_affiliation(authors: tuple[Author, ...], affiliation: str) -> tuple[Author, ...]:
    """DTDs before 2013 give one ``Affiliation`` for the article: the first author's."""
    if not affiliation or not authors or any(a.affiliations for a in authors):
        return authors
    first = authors[0]
    return (Author(first.name, first.lang, (affiliation,), orcid=first.orcid),) + authors[1:]


def _grants(grant_list) -> tuple[Funding, ...]:
    """Grants by agency, in order: ``Funding(agency, grant ids, country)``."""
    if grant_list is None:
        return ()
    by: dict[tuple[str, str | None], list[str]] = {}
    for g in grant_list.iterfind("Grant"):
        c = _children(g)
        agency = _text_of(c, "Agency") or _text_of(c, "Acronym") or "unknown agency"
        key = (agency, _text_of(c, "Country"))
        gid = _text_of(c, "GrantID")
        lst = by.setdefault(key, [])
        if gid and gid not in lst:
            lst.append(gid)
    return tuple(Funding(agency, tuple(g), "en", country) for (agency, country), g in by.items())


def _keywords(mc) -> tuple[tuple[str, str], ...]:
    out = []
    for k in mc.iterfind("KeywordList/Keyword"):
        t = xtext(k)
        if t:
            out.append(("en", t))
    return tuple(dict.fromkeys(out))


def _mesh(mesh_list) -> tuple[MeshHeading, ...]:
    if mesh_list is None:
        return ()
    out = []
    for h in mesh_list:
        desc = None
        quals = []
        for x in h:
            tag = x.tag
            if tag == "DescriptorName" and x.text:
                desc = Tag(x.text.strip(), x.get("UI", ""), x.get("MajorTopicYN") == "Y")
            elif tag == "QualifierName" and x.text:
                quals.append(Tag(x.text.strip(), x.get("UI", ""), x.get("MajorTopicYN") == "Y"))
        if desc is not None:
            out.append(MeshHeading(desc, tuple(quals)))
    return tuple(out)


# ---------------------------------------------------------------- books


def _book(el, path: Path, n: int) -> Document:
    """A ``PubmedBookArticle``: a book or a chapter of one (the chapter's title, else the book's)."""
    bd = el.find("BookDocument")
    if bd is None:
        raise KgError(f"record {n}: PubmedBookArticle without BookDocument", path, el.sourceline)
    pmid = _pmid(bd, path, n, bd)
    book = bd.find("Book")
    title = xtext(bd.find("ArticleTitle")) or (xtext(book.find("BookTitle")) if book is not None else "")
    lang = (bd.findtext("Language") or "").strip() or None
    sections = ([Section("title", title, detect_lang(title))] if title else []) + _abstract(bd.find("Abstract"))
    idmap: dict[str, str] = {}
    for a in list(bd.iterfind("ArticleIdList/ArticleId")) + list(el.iterfind("PubmedBookData/ArticleIdList/ArticleId")):
        kind = (a.get("IdType") or "").lower()
        if a.text and kind not in idmap:
            idmap[kind] = a.text.strip()
    doi = md.doi(idmap.get("doi"))
    pmcid = md.pmcid(idmap.get("pmc"))
    pub = book.find("PubDate") if book is not None else None
    published = _date(pub)
    authors = _authors(bd.find("AuthorList")) or (_authors(book.find("AuthorList")) if book is not None else ())
    return Document(
        id=ids.article(pmid, doi, pmcid) or f"PMID:{pmid}", source=str(path), sections=tuple(sections),
        doi=doi, pmid=pmid, pmcid=pmcid,
        journal=_clean(xtext(book.find("BookTitle"))) if book is not None and bd.find("ArticleTitle") is not None else None,
        year=published[:4] if published else None, dates=(("published", published),) if published else (),
        authors=authors, funding=_grants(bd.find("GrantList")), language=lang,
        keywords=tuple(dict.fromkeys(("en", t) for t in (xtext(k) for k in bd.iterfind("KeywordList/Keyword")) if t)),
        publication_types=tuple(Tag(_clean(p.text) or "", p.get("UI", "")) for p in bd.iterfind("PublicationType") if p.text),
    )
