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
from kg.ingest.xml import HEAD, data_of, iter_records, root_of
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
    for _, el in iter_records(path, RECORDS[root], head, data_of(text)):
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
            yield _book(el, path, n)
        elif tag == "MedlineCitation":
            yield _article(el, None, path, n)
        else:
            yield _article(el.find("MedlineCitation"), el.find("PubmedData"), path, n)
    if not n:
        raise KgError(f"no PubMed records in this {root}", path)


def _pmid(el, path: Path, n: int, where) -> str:
    pmid = (el.findtext("PMID") if el is not None else None) or ""
    if not pmid.strip():
        raise KgError(f"record {n}: no PMID", path, getattr(where, "sourceline", None))
    return pmid.strip()


# ---------------------------------------------------------------- journal articles


def _article(mc, pd, path: Path, n: int) -> Document:
    """A ``MedlineCitation`` (and the ``PubmedData`` beside it) as a Document."""
    if mc is None:
        raise KgError(f"record {n}: PubmedArticle without MedlineCitation", path, None)
    pmid = _pmid(mc, path, n, mc)
    art = mc.find("Article")
    if art is None:
        raise KgError(f"record {n} (PMID {pmid}): no Article", path, mc.sourceline)
    lang = (art.findtext("Language") or "").strip() or None
    sections = _title(art, lang) + _abstract(art.find("Abstract"))
    other = _other_abstracts(mc)
    sections += other
    journal = art.find("Journal")
    issue = journal.find("JournalIssue") if journal is not None else None
    pub = issue.find("PubDate") if issue is not None else None
    idmap = _ids(art, pd)
    dates = _dates(pub, art, mc, pd)
    doi = idmap.get("doi")
    pmcid = md.pmcid(idmap.get("pmc"))
    return Document(
        id=ids.article(pmid, doi, pmcid) or f"PMID:{pmid}", source=str(path), sections=tuple(sections),
        doi=doi, pmid=pmid, pmcid=pmcid,
        journal=_clean(journal.findtext("Title")) if journal is not None else None,
        journal_abbreviation=_journal_abbreviation(journal, mc),
        issn=_issns(journal, mc),
        year=_year(pub, dates),
        volume=_clean(issue.findtext("Volume")) if issue is not None else None,
        issue=_clean(issue.findtext("Issue")) if issue is not None else None,
        pages=_pages(art.find("Pagination")),
        dates=dates,
        authors=_first_affiliation(_authors(art.find("AuthorList")), xtext(art.find("Affiliation"))),
        funding=_grants(art.find("GrantList")),
        keywords=_keywords(mc),
        language=lang,
        publication_types=tuple(Tag(_clean(p.text) or "", p.get("UI", ""))
                                for p in art.iterfind("PublicationTypeList/PublicationType") if p.text),
        mesh=_mesh(mc.find("MeshHeadingList")),
        chemicals=tuple(Tag(_clean(c.text) or "", c.get("UI", ""))
                        for c in mc.iterfind("ChemicalList/Chemical/NameOfSubstance") if c.text),
    )


def _clean(s: str | None) -> str | None:
    return " ".join(s.split()) if s and s.strip() else None


def _title(art, lang: str | None) -> list[Section]:
    """The article title (English); a vernacular title in its own language when the article has one."""
    out = []
    t = xtext(art.find("ArticleTitle"))
    if t:
        out.append(Section("title", t, detect_lang(t)))
    v = xtext(art.find("VernacularTitle"))
    if v:
        vlang = detect_lang(v)
        if not any(s.lang == vlang for s in out):
            out.append(Section("title", v, vlang))
    return out


def _abstract(abstract) -> list[Section]:
    """The abstract: one section, or one per labelled part of a structured abstract (``abstract:LABEL``)."""
    if abstract is None:
        return []
    parts = [(p.get("Label") or "", p.get("NlmCategory") or "", xtext(p)) for p in abstract.iterfind("AbstractText")]
    parts = [p for p in parts if p[2]]
    if not parts:
        return []
    if len(parts) == 1 and not parts[0][0]:
        lang = detect_lang(parts[0][2])
        return [Section("abstract", parts[0][2], lang, role=parts[0][1])]
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
    for e in art.iterfind("ELocationID"):
        if (e.get("EIdType") or "").lower() == "doi" and e.text and "doi" not in out:
            out["doi"] = e.text.strip()
    if "doi" in out:
        d = md.doi(out["doi"])
        if d:
            out["doi"] = d
        else:
            del out["doi"]
    return out


def _journal_abbreviation(journal, mc) -> str | None:
    abbr = _clean(journal.findtext("ISOAbbreviation")) if journal is not None else None
    return abbr or _clean(mc.findtext("MedlineJournalInfo/MedlineTA"))


def _issns(journal, mc) -> tuple[tuple[str, str], ...]:
    out = []
    if journal is not None:
        for i in journal.iterfind("ISSN"):
            if i.text and i.text.strip():
                out.append(((i.get("IssnType") or "print").lower(), i.text.strip()))
    link = mc.findtext("MedlineJournalInfo/ISSNLinking")
    if link and link.strip():
        out.append(("linking", link.strip()))
    return tuple(dict.fromkeys(out))


def _pages(pg) -> str | None:
    if pg is None:
        return None
    p = _clean(pg.findtext("MedlinePgn"))
    if p:
        return p
    start, end = _clean(pg.findtext("StartPage")), _clean(pg.findtext("EndPage"))
    return f"{start}-{end}" if start and end else start


def _date(el) -> str | None:
    if el is None:
        return None
    return md.iso_date(el.findtext("Year"), el.findtext("Month") or el.findtext("Season"), el.findtext("Day")) \
        or md.free_date(el.findtext("MedlineDate"))


def _dates(pub, art, mc, pd) -> tuple[tuple[str, str], ...]:
    """(kind, ISO date): published (the issue's date), online (the electronic article date), completed,
    revised, and the history's received and accepted dates."""
    out: dict[str, str] = {}
    for kind, value in (("published", _date(pub)),
                        ("online", next((_date(d) for d in art.iterfind("ArticleDate")), None)),
                        ("completed", _date(mc.find("DateCompleted"))),
                        ("revised", _date(mc.find("DateRevised")))):
        if value:
            out[kind] = value
    if pd is not None:
        for d in pd.iterfind("History/PubMedPubDate"):
            kind = HISTORY.get((d.get("PubStatus") or "").lower())
            value = _date(d)
            if kind and value and kind not in out:
                out[kind] = value
    return tuple(out.items())


def _year(pub, dates) -> str | None:
    if pub is not None:
        y = md.year_of(pub.findtext("Year")) or md.year_of(pub.findtext("MedlineDate"))
        if y:
            return y
    for _, value in dates:
        return value[:4]
    return None


def _authors(author_list) -> tuple[Author, ...]:
    if author_list is None:
        return ()
    out = []
    for a in author_list.iterfind("Author"):
        if a.get("ValidYN", "Y") == "N":
            continue
        name = md.person(a.findtext("LastName"), a.findtext("ForeName") or a.findtext("Initials"), a.findtext("Suffix")) \
            or _clean(xtext(a.find("CollectiveName"))) or ""
        if not name:
            continue
        affs = tuple(t for t in (xtext(x) for x in a.iterfind("AffiliationInfo/Affiliation")) if t)
        affs = affs or tuple(t for t in (xtext(x) for x in a.iterfind("Affiliation")) if t)  # DTDs before 2015
        orcid = next((md.orcid(i.text) for i in a.iterfind("Identifier") if (i.get("Source") or "").upper() == "ORCID"), None)
        out.append(Author(name, "en", affs, orcid=orcid))
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
        agency = _clean(g.findtext("Agency")) or _clean(g.findtext("Acronym")) or "unknown agency"
        key = (agency, _clean(g.findtext("Country")))
        gid = _clean(g.findtext("GrantID"))
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
    for h in mesh_list.iterfind("MeshHeading"):
        d = h.find("DescriptorName")
        if d is None or not d.text:
            continue
        desc = Tag(_clean(d.text) or "", d.get("UI", ""), d.get("MajorTopicYN") == "Y")
        quals = tuple(Tag(_clean(q.text) or "", q.get("UI", ""), q.get("MajorTopicYN") == "Y")
                      for q in h.iterfind("QualifierName") if q.text)
        out.append(MeshHeading(desc, quals))
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
