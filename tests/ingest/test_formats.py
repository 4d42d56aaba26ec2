"""The literature formats: PubMed XML, MEDLINE text, PMC JATS and BioC (PubTator3), on files written by
others and on kg's own real-format fixtures (tests/fixtures/formats/README.md); safe XML; bad input."""

from __future__ import annotations

import gzip
import json

import pytest

from kg.errors import KgError
from kg.ingest import iter_documents, read_documents, read_sources, sniff, withdraw
from tests.conftest import FIXTURES

F = FIXTURES / "formats"


def _one(name: str):
    (d,) = read_documents(F / name)
    return d


# ---------------------------------------------------------------- PubMed XML


def test_pubmed_efetch_record_written_by_others():
    d = _one("pubmed-29768149.xml")
    assert (d.id, d.pmid, d.doi) == ("PMID:29768149", "29768149", "10.1056/NEJMoa1715274")
    assert (d.journal, d.journal_abbreviation, d.volume, d.issue, d.pages, d.year, d.language) == (
        "The New England journal of medicine", "N Engl J Med", "378", "20", "1865-1876", "2018", "eng")
    assert d.issn == (("electronic", "1533-4406"), ("linking", "0028-4793"))
    assert dict(d.dates) == {"published": "2018-05-17", "completed": "2018-05-24", "revised": "2022-04-10"}
    assert [s.name for s in d.sections] == ["title", "abstract:BACKGROUND", "abstract:METHODS", "abstract:RESULTS",
                                            "abstract:CONCLUSIONS"]
    assert {s.kind for s in d.sections[1:]} == {"abstract"}
    background = d.section("abstract:BACKGROUND").text
    assert background == ("In patients with mild asthma, as-needed use of an inhaled glucocorticoid plus a fast-acting "
                          "β 2-agonist may be an alternative to conventional treatment strategies.")  # <sub>2</sub> kept
    assert "200 μg of budesonide" in d.section("abstract:METHODS").text
    assert len(d.authors) == 10 and d.authors[0].name == "Paul M O'Byrne"
    assert d.authors[-1].name == "Helen K Reddel" and "McMaster University" in d.authors[0].affiliations[0]
    assert "Randomized Controlled Trial" in {t.name for t in d.publication_types}
    assert ("D016449", "Randomized Controlled Trial") in {(t.ui, t.name) for t in d.publication_types}
    asthma = next(h for h in d.mesh if h.descriptor.ui == "D001249")
    assert not asthma.descriptor.major and [(q.ui, q.name, q.major) for q in asthma.qualifiers] == [("Q000188", "drug therapy", True)]
    assert len(d.mesh) == 23 and {c.ui for c in d.chemicals} >= {"D019819", "D013726", "D000068759"}


def test_pubmed_trial_review_book_and_deletions():
    docs = list(read_documents(F / "pubmed_trial_review.xml"))
    assert [d.id for d in docs] == ["PMID:90000101", "PMID:90000102", "PMID:90000103", "PMID:90000104", "PMID:90000105"]
    trial, review, book, *deleted = docs
    assert trial.pmcid == "PMC9000101" and trial.doi == "10.5555/exjdr.2024.0101"
    assert trial.section("abstract:METHODS").text.startswith("We randomly assigned 412 adults")
    assert "HbA1c" in trial.section("abstract:METHODS").text and "(P<0.001)" in trial.section("abstract:RESULTS").text
    assert trial.section("abstract:BACKGROUND").role == "BACKGROUND"
    first, second, group = trial.authors
    assert (first.name, first.orcid, len(first.affiliations)) == ("Ada M Example", "0000-0002-1825-0097", 2)
    assert second.name == "Ben Sample Jr" and group.name == "The EXAMPLE Trial Group"
    assert [(f.name, f.grants, f.country) for f in trial.funding] == [
        ("NIDDK NIH HHS", ("R01 DK000001", "R01 DK000002"), "United States")]
    assert dict(trial.dates) == {"published": "2024-03", "online": "2024-01-15", "completed": "2024-03-02",
                                 "revised": "2024-05-14", "received": "2023-09-01", "accepted": "2023-12-20"}
    assert trial.keywords == (("en", "metformin"), ("en", "glycaemic control"))
    assert [m.descriptor.name for m in trial.mesh if m.major] == ["Diabetes Mellitus, Type 2", "Metformin"]
    assert review.year == "2023" and dict(review.dates) == {"published": "2023-11"}  # MedlineDate "2023 Nov-Dec"
    assert [t.name for t in review.publication_types] == ["Journal Article", "Review"]
    assert review.section("abstract").text.startswith("Mesenchymal stem cells are used")
    assert book.title == "Liver Fibrosis" and book.journal == "Example Clinical Handbook"
    assert [a.name for a in book.authors] == ["Eve Writer"] and [t.name for t in book.publication_types] == ["Review"]
    assert [s.name for s in book.sections] == ["title", "abstract:CONTINUING EDUCATION ACTIVITY", "abstract:OBJECTIVES"]
    assert all(d.deleted and not d.sections for d in deleted) and [d.pmid for d in deleted] == ["90000104", "90000105"]


def test_older_medline_citation_set():
    docs = list(read_documents(F / "medline_citation_set.xml"))
    assert [(d.id, d.deleted) for d in docs] == [("PMID:90000111", False), ("PMID:90000112", True)]
    d = docs[0]
    assert d.authors[0].affiliations == ("Example Hospital, Exampletown.",)  # the article's Affiliation
    assert dict(d.dates) == {"published": "2010-03"}  # Season "Spring"


def test_deletions_withdraw_documents_read_before_them():
    docs = read_sources([F / "pubmed_trial_review.xml", F / "medline_citation_set.xml"])
    kept, deleted = withdraw(docs + [_deleted("PMID:90000111")])
    assert [d.id for d in kept] == ["PMID:90000101", "PMID:90000102", "PMID:90000103"]
    assert [d.id for d in deleted] == ["PMID:90000104", "PMID:90000105", "PMID:90000112", "PMID:90000111"]
    record = next(d for d in docs if d.id == "PMID:90000111")
    kept, deleted = withdraw([_deleted("PMID:90000111"), record])  # read again after its deletion: it stands
    assert kept == [record] and deleted == []


def _deleted(doc_id: str):
    from kg.model import Document

    return Document(id=doc_id, source="update.xml", sections=(), pmid=doc_id.split(":")[1], deleted=True)


def test_baseline_file_is_streamed_gzipped(tmp_path):
    """A gzipped baseline-style file is sniffed by its content and read a record at a time: the records
    before a malformed one are yielded before the error."""
    record = (F / "pubmed-29768149.xml").read_text(encoding="utf-8")
    body = record[record.index("<PubmedArticle>"):record.index("</PubmedArticleSet>")]
    parts = [body.replace("29768149", str(30000000 + i)) for i in range(200)]
    text = record[:record.index("<PubmedArticle>")] + "".join(parts) + "<PubmedArticle><MedlineCitation><PMID>x"
    p = tmp_path / "pubmed25n0001.xml.gz"
    p.write_bytes(gzip.compress(text.encode("utf-8")))
    assert sniff(p) == "pubmed"
    docs = iter_documents([p])
    got = [next(docs).id for _ in range(200)]
    assert got[0] == "PMID:30000000" and got[-1] == "PMID:30000199"
    with pytest.raises(KgError, match=r"pubmed25n0001\.xml\.gz:\d+: malformed XML"):
        next(docs)


# ---------------------------------------------------------------- MEDLINE


def test_medline_records_written_by_others():
    docs = list(read_documents(F / "biopython_pubmed_result2.txt"))
    assert [d.pmid for d in docs] == ["16403221", "16377612", "14871861", "14630660"]
    d = docs[0]
    assert (d.doi, d.pmcid, d.journal, d.journal_abbreviation, d.volume, d.pages, d.year) == (
        "10.1186/1471-2105-7-10", "PMC1373603", "BMC bioinformatics", "BMC Bioinformatics", "7", "10", "2006")
    assert [s.name for s in d.sections] == ["title", "abstract:BACKGROUND", "abstract:RESULTS", "abstract:CONCLUSION"]
    assert d.section("abstract:BACKGROUND").text.startswith("Benchmarking algorithms in structural bioinformatics often "
                                                             "involves the construction of datasets")
    assert "The ASTRAL compendium provides" in d.section("abstract:BACKGROUND").text  # continuation lines joined
    assert [a.name for a in d.authors] == ["James A Casbon", "Gavin E Crooks", "Mansoor A S Saqi"]
    assert d.authors[0].affiliations[0].startswith("Bioinformatics, Institute of Cell and Molecular Science")
    assert dict(d.dates)["received"] == "2005-06-17" and dict(d.dates)["online"] == "2006-01-10"
    retrieval = next(h for h in d.mesh if h.descriptor.name == "Information Storage and Retrieval")
    assert not retrieval.descriptor.major and [(q.name, q.major) for q in retrieval.qualifiers] == [("methods", True)]
    assert docs[1].title == "GenomeDiagram: a python package for the visualization of large-scale genomic data."
    assert docs[3].section("abstract").text.endswith("from http://www.biopython.org")  # no labels: one abstract
    assert docs[3].chemicals[0].name == "Macromolecular Substances"


def test_nbib_with_crlf_orcid_and_grants():
    trial, review = read_documents(F / "citations.nbib")
    assert sniff(F / "citations.nbib") == "medline"
    assert trial.title == "Aspirin for the secondary prevention of stroke: a randomized controlled trial."
    assert trial.authors[0].orcid == "0000-0002-1825-0097"
    assert trial.authors[1].affiliations == ("Example Stroke Centre, Exampletown, EX.",)
    assert [(f.name, f.grants, f.country) for f in trial.funding] == [("NINDS NIH HHS", ("R01 NS000001",), "United States")]
    assert trial.issn == (("electronic", "1234-5678"), ("linking", "1234-5670"))
    assert [t.name for t in trial.publication_types] == ["Journal Article", "Randomized Controlled Trial"]
    assert review.section("abstract").text.endswith("chronic liver disease.")


def test_medline_saved_as_txt_is_not_plain_text(tmp_path):
    p = tmp_path / "pubmed-export.txt"
    p.write_bytes((F / "citations.nbib").read_bytes())
    assert [d.id for d in read_documents(p)] == ["PMID:90000301", "PMID:90000302"]


# ---------------------------------------------------------------- JATS


def test_jats_article_written_by_others_without_pmid():
    d = _one("cc11003.nxml")
    assert (d.id, d.pmid, d.pmcid, d.doi) == ("doi:10.1186/cc11003", None, "PMC3363814", "10.1186/cc11003")
    assert (d.journal, d.journal_abbreviation, d.volume, d.issue, d.pages, d.year) == (
        "Critical Care", "Crit Care", "16", "Suppl 1", "P396", "2012")
    assert [a.name for a in d.authors][:3] == ["JF Figueira", "MO Oliveros", "JL López"]
    assert d.authors[0].corresponding and d.authors[0].affiliations == ("Hospital Universitario La Paz, Madrid, Spain",)
    assert [(s.name, s.role) for s in d.sections] == [("title", ""), ("body:Introduction", ""), ("body:Methods", "methods"),
                                                      ("body:Results", "results"), ("body:Conclusion", "conclusions")]
    assert "52 ± 12" in d.section("body:Results").text and "(P = 0.002)" in d.section("body:Results").text
    assert not any("Roca" in s.text or "Zambon" in s.text for s in d.sections)  # references are skipped


def test_jats_in_oai_pmh_with_a_default_namespace():
    d = _one("jats_oai.xml")
    assert (d.id, d.pmcid, d.doi, d.language) == ("PMID:90000201", "PMC9000201", "10.5555/exjhep.2024.201", "en")
    assert [(s.name, s.kind, s.heading, s.role) for s in d.sections] == [
        ("title", "title", "", ""),
        ("abstract:Background", "abstract", "Background", ""),
        ("abstract:Results", "abstract", "Results", ""),
        ("body:Introduction", "body", "Introduction", "intro"),
        ("body:Materials and methods/Animals", "body", "Materials and methods", "materials|methods"),
        ("body:Results", "body", "Results", "results"),
        ("caption:Figure 1", "caption", "Figure 1", "fig"),
        ("caption:Table 1", "caption", "Table 1", "table"),
    ]
    animals = d.section("body:Materials and methods/Animals").text
    assert animals == "Fibrosis was induced in mice with carbon tetrachloride. The dose was ml/kg."  # formulas skipped
    assert d.section("body:Results").text == "Mesenchymal stem cells reduced liver fibrosis in treated mice."
    assert d.section("caption:Figure 1").text == "Fibrosis scores. Mesenchymal stem cells lowered fibrosis scores."
    assert not any("ALT" in s.text or "Someone" in s.text for s in d.sections)  # table cells, references
    gina, hal = d.authors  # the editor is not an author
    assert (gina.orcid, gina.email, gina.corresponding) == ("0000-0001-5109-3700", "gina.hepa@example.org", True)
    assert len(hal.affiliations) == 2
    assert [(f.name, f.grants) for f in d.funding] == [("Example Research Council", ("ERC-2024-001",))]
    assert dict(d.dates) == {"online": "2024-04-10", "published": "2024", "received": "2024-01-02", "accepted": "2024-03-20"}
    assert [t.name for t in d.publication_types] == ["research-article"]


def test_efetch_pmc_articleset_of_two_articles(tmp_path):
    article = (F / "cc11003.nxml").read_text(encoding="utf-8").split("\n", 1)[1]  # without its DOCTYPE
    second = article.replace("3363814", "3363815").replace("10.1186/cc11003", "10.1186/cc11004")
    p = tmp_path / "efetch.xml"
    p.write_text(f'<?xml version="1.0"?>\n<pmc-articleset>{article}\n{second}</pmc-articleset>\n', encoding="utf-8")
    assert sniff(p) == "jats"
    assert [(d.id, d.pmcid) for d in read_documents(p)] == [("doi:10.1186/cc11003", "PMC3363814"),
                                                           ("doi:10.1186/cc11004", "PMC3363815")]


# ---------------------------------------------------------------- BioC and PubTator3


def test_bioc_xml_and_json_written_by_others_read_alike():
    """bionlplab/bioc's test collection in both syntaxes gives the same documents, annotations and relations;
    a passage given as sentences only is rebuilt from them at their offsets."""
    from_xml = list(read_documents(F / "bioc_everything.xml"))
    from_json = list(read_documents(F / "bioc_everything.json"))
    assert [(d.id, d.sections, d.annotations, d.relations) for d in from_xml] == \
           [(d.id, d.sections, d.annotations, d.relations) for d in from_json]
    one, two = from_xml
    assert one.sections[0].text == "abcdefghijklmnopqrstuvwxyz"
    assert [(a.id, a.start, a.end, a.text) for a in one.annotations] == [("1", 1, 3, "bc"), ("2", 5, 7, "fg")]
    assert {(r.id, r.nodes) for r in one.relations} == {("R1", (("role1", "1"), ("role2", "2"))),
                                                        ("R2", (("role1", "1"), ("role2", "2")))}
    assert two.sections[0].text == "abcdefg测试Non-ASCII" and two.sections[0].name == "body@27"
    assert [(a.start, a.end, a.text) for a in two.annotations] == [(1, 3, "bc"), (7, 9, "测试")]


def test_pubtator3_export_identifiers_relations_and_metadata(tmp_path):
    d = _one("pubtator3.json")
    assert (d.id, d.journal, d.year, [a.name for a in d.authors]) == ("PMID:90000401", "Ex J Diabetes Res", "2024",
                                                                      ["Example A", "Sample B"])
    assert [s.name for s in d.sections] == ["title", "abstract"]
    got = {(a.section, a.text, a.type, a.ids) for a in d.annotations}
    assert ("abstract", "humans", "Species", ("ncbi_taxonomy:9606",)) in got  # database + numeric normalized_id
    assert ("title", "AMPK", "Gene", ("ncbi_gene:5562",)) in got
    assert ("abstract", "metformin", "Chemical", ("MESH:D008687",)) in got
    (rel,) = d.relations
    assert (rel.type, rel.nodes, dict(rel.infons)) == ("Treat", (("role1", "MESH:D008687"), ("role2", "MESH:D003924")),
                                                       {"score": "0.9921"})
    # one document a line, as PubTator's per-document exports come
    doc = json.loads((F / "pubtator3.json").read_text(encoding="utf-8"))["PubTator3"][0]
    lines = tmp_path / "export.json"
    lines.write_text(json.dumps(doc) + "\n" + json.dumps({**doc, "id": "90000402", "_id": "90000402|None",
                                                          "pmid": 90000402}) + "\n", encoding="utf-8")
    assert sniff(lines) == "bioc"
    assert [x.id for x in read_documents(lines)] == ["PMID:90000401", "PMID:90000402"]


def test_bioc_annotation_whose_text_does_not_match_is_an_error(tmp_path):
    doc = json.loads((F / "pubtator3.json").read_text(encoding="utf-8"))
    doc["PubTator3"][0]["passages"][0]["annotations"][0]["locations"][0]["offset"] = 3
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(KgError, match=r"bad\.json: document 90000401: annotation '1' at 3-12 reads 'formin tr', not 'Metformin'"):
        list(read_documents(p))


# ---------------------------------------------------------------- JSONL metadata


def test_jsonl_records_carry_publication_types_and_mesh(tmp_path):
    p = tmp_path / "records.jsonl"
    rec = {"pmid": "1", "doi": "10.1/x", "abstract": "Aspirin treats stroke.",
           "publication_types": ["Review", {"name": "Randomized Controlled Trial", "ui": "D016449"}],
           "mesh": ["*Stroke/prevention & control", {"descriptor": {"name": "Aspirin", "ui": "D001241", "major": True}}]}
    p.write_text(json.dumps(rec) + "\n" + json.dumps({**rec, "pmid": "2", "mesh": "Stroke"}) + "\n", encoding="utf-8")
    docs = read_documents(p)
    d = next(docs)
    assert d.id == "PMID:1" and [(t.name, t.ui) for t in d.publication_types] == [
        ("Review", ""), ("Randomized Controlled Trial", "D016449")]
    assert [(h.descriptor.name, h.descriptor.ui, h.descriptor.major, [q.name for q in h.qualifiers]) for h in d.mesh] == [
        ("Stroke", "", True, ["prevention & control"]), ("Aspirin", "D001241", True, [])]
    with pytest.raises(KgError, match=r"records\.jsonl:2: field mesh: expected array"):
        next(docs)


# ---------------------------------------------------------------- safe XML and bad input


@pytest.mark.parametrize("declaration", [
    '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">',
    '<!ENTITY xxe SYSTEM "file:///etc/passwd">',
    '<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;',
])
@pytest.mark.parametrize("root", ["PubmedArticleSet", "article", "collection"])
def test_xml_that_declares_entities_is_refused(tmp_path, declaration, root):
    p = tmp_path / "hostile.xml"
    p.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n{declaration}\n]>\n<{root}><x>&c;</x></{root}>\n', encoding="utf-8")
    with pytest.raises(KgError, match=r"hostile\.xml:2: XML DOCTYPE declares entities: refusing to read it"):
        list(read_documents(p))


def test_truncated_xml_names_the_line(tmp_path):
    text = (F / "pubmed_trial_review.xml").read_text(encoding="utf-8")
    p = tmp_path / "cut.xml"
    p.write_text(text[:text.index("</PubmedArticle>") + 16] + "\n<PubmedArticle>\n", encoding="utf-8")
    docs = read_documents(p)
    assert next(docs).id == "PMID:90000101"
    with pytest.raises(KgError, match=r"cut\.xml:\d+: malformed XML: .*end of data"):
        next(docs)


def test_record_without_pmid_names_record_and_line(tmp_path):
    text = (F / "pubmed_trial_review.xml").read_text(encoding="utf-8").replace('<PMID Version="1">90000102</PMID>', "")
    p = tmp_path / "nopmid.xml"
    p.write_text(text, encoding="utf-8")
    line = text[:text.index('Status="PubMed-not-MEDLINE"')].count("\n") + 1
    with pytest.raises(KgError, match=rf"nopmid\.xml:{line}: record 2: no PMID"):
        list(read_documents(p))


def test_undecodable_xml_bytes_name_the_line(tmp_path):
    p = tmp_path / "latin1.xml"
    p.write_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>\n<PubmedArticle><MedlineCitation>'
                  b"<PMID>1</PMID><Article><ArticleTitle>caf\xe9</ArticleTitle></Article></MedlineCitation>"
                  b"</PubmedArticle></PubmedArticleSet>\n")
    with pytest.raises(KgError, match=r"latin1\.xml:3: malformed XML"):
        list(read_documents(p))


def test_unknown_xml_root_and_bad_medline_line(tmp_path):
    p = tmp_path / "other.xml"
    p.write_text("<?xml version='1.0'?><svg/>", encoding="utf-8")
    with pytest.raises(KgError, match=r"other\.xml:1: XML with root element 'svg' is not a format kg reads"):
        list(read_documents(p))
    m = tmp_path / "bad.nbib"
    m.write_text("PMID- 1\nTI  - A title\nthis line is not MEDLINE\n", encoding="utf-8")
    with pytest.raises(KgError, match=r"bad\.nbib:3: not a MEDLINE line"):
        list(read_documents(m))


def test_medline_record_without_pmid(tmp_path):
    p = tmp_path / "two.nbib"
    p.write_text("PMID- 1\nTI  - One\n\nTI  - Two\nAB  - No PMID line.\n", encoding="utf-8")
    docs = read_documents(p)
    assert next(docs).id == "PMID:1"
    with pytest.raises(KgError, match=r"two\.nbib:4: record 2: no PMID line"):
        next(docs)


def test_jats_article_without_identifiers(tmp_path):
    p = tmp_path / "anon.nxml"
    p.write_text("<article><front><article-meta><title-group><article-title>T</article-title></title-group>"
                 "</article-meta></front></article>", encoding="utf-8")
    with pytest.raises(KgError, match=r"anon\.nxml:1: article 1: no PMID, DOI or PMCID"):
        list(read_documents(p))


def test_cli_reads_pubmed_xml_without_input_format(tmp_path, capsys):
    """The new user's first try: `kg build pubmed_result.xml -o kg.ttl` (no --input-format)."""
    from tests.conftest import run_cli

    out = tmp_path / "kg.ttl"
    code, _, err = run_cli(capsys, "build", F / "medline_citation_set.xml", "-o", out, "--no-fuzzy")
    assert code == 0, err
    assert "1 document(s) and 1 deleted citation(s)" in err and out.is_file()
    bad = tmp_path / "laughs.xml"
    bad.write_text('<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY a "a">]><PubmedArticleSet/>', encoding="utf-8")
    code, _, err = run_cli(capsys, "build", bad, "-o", tmp_path / "no.ttl")
    assert code == 1 and err.startswith(f"kg: error: {bad}:1: XML DOCTYPE declares entities") and len(err.splitlines()) == 1
    assert not (tmp_path / "no.ttl").exists()
