"""Stage 1: readers, sniffing and bad input."""

from __future__ import annotations

import json

import pytest

from kg.errors import KgError
from kg.ingest import READERS, read_documents, read_sources, sniff
from tests.conftest import FIXTURES, SEED


def test_seed_page_metadata_is_all_parsed():
    (d,) = read_documents(SEED)
    assert d.id == "doi:10.16352/j.issn.1001-6325.2023.01.0012"
    assert (d.journal, d.year, d.volume, d.issue, d.pages) == ("基础医学与临床", "2023", "43", "1", "12-20")
    assert d.title == "Research progress of mesenchymal stem cells in the treatment of liver disease"
    assert dict(d.dates) == {"received": "2022-07-13", "revised": "2022-10-10", "online": "2023-01-05", "published": "2022-12-27"}
    assert [a.name for a in d.authors if a.lang == "en"] == ["ZHOU Jiahang", "CHEN Junyao", "CAO Hongcui"]
    assert [a.name for a in d.authors if a.lang == "zh"] == ["周嘉航", "陈鋆瑶", "曹红翠"]
    corresponding = [a for a in d.authors if a.corresponding]
    assert {a.email for a in corresponding} == {"hccao@zju.edu.cn"}
    assert all("Zhejiang University" in a.affiliations[0] for a in d.authors if a.lang == "en")
    assert [(f.name, f.grants) for f in d.funding] == [
        ("国家重点研发计划“干细胞及转化研究”专项", ("2020YFA0113003",)),
        ("国家自然科学基金", ("81971756",)),
    ]
    assert ("en", "mesenchymal stem cells") in d.keywords and ("zh", "间充质干细胞") in d.keywords
    assert d.column == "特邀专题:成体干细胞基础创新与临床转化"
    en = d.section("abstract", "en").text
    zh = d.section("abstract", "zh").text
    assert en.startswith("Liver disease is a serious threat") and en.endswith("in the future.")
    assert zh.startswith("肝脏疾病严重危害人类健康") and "慢加急性肝衰竭" in zh


def test_journal_page_with_chinese_title_and_numbered_affiliations():
    (d,) = read_documents(FIXTURES / "journal_page.txt")
    assert d.titles() == {"en": "Research progress of metformin in the treatment of diabetes",
                          "zh": "示例标题：二甲双胍治疗糖尿病的研究进展"}
    zhang = next(a for a in d.authors if a.name == "ZHANG San")
    li = next(a for a in d.authors if a.name == "LI Si")
    assert zhang.affiliations == ("School of Medicine, Example University, Beijing 100000, China",)
    assert li.corresponding and li.affiliations[0].startswith("Department of Endocrinology")
    assert [f.grants for f in d.funding] == [("12345678",)]


def test_plain_text_title_and_abstract():
    (d,) = read_documents(FIXTURES / "abstract.txt")
    assert d.title == "Bone marrow mesenchymal stromal cells in liver fibrosis"
    assert d.section("abstract").text.startswith("Mesenchymal stromal cells attenuate")
    assert d.id.startswith("kgdoc:")


def test_jsonl_records_and_metadata():
    docs = list(read_documents(FIXTURES / "abstracts.jsonl"))
    assert [d.id for d in docs] == ["PMID:90000001", "PMID:90000002", "PMID:90000003"]
    assert docs[0].journal == "Example Journal of Medicine" and docs[0].year == "2020"
    assert [a.name for a in docs[0].authors] == ["Doe J", "Roe R"]


def test_pubtator_documents():
    docs = list(read_documents(FIXTURES / "pubtator.txt"))
    assert [d.id for d in docs] == ["PMID:90000011", "PMID:90000012"]
    assert docs[0].title == "Lithium-induced nephrogenic diabetes insipidus."


@pytest.mark.parametrize("name, fmt", [
    ("journal_page.txt", "journal"), ("abstract.txt", "text"), ("pubtator.txt", "pubtator"), ("abstracts.jsonl", "jsonl"),
])
def test_sniffing_picks_the_reader(name, fmt):
    path = FIXTURES / name
    assert sniff(path) == fmt


def test_sniffed_txt_jsonl_content(tmp_path):
    p = tmp_path / "records.txt"
    p.write_text(json.dumps({"id": "x1", "abstract": "Aspirin treats headache."}) + "\n", encoding="utf-8")
    assert next(read_documents(p)).id == "kgdoc:x1"


def test_input_format_overrides_sniffing():
    (d,) = read_documents(FIXTURES / "journal_page.txt", input_format="text")
    assert d.doi is None and d.title.startswith("中国示例医学杂志")


FORMATS = FIXTURES / "formats"
# Every reader's fixtures: kg's own and files written by others (tests/fixtures/formats/README.md).
READER_FIXTURES = {
    "journal": ["journal_page.txt"],
    "text": ["abstract.txt"],
    "jsonl": ["abstracts.jsonl"],
    "pubtator": ["pubtator.txt"],
    "pubmed": ["formats/pubmed-29768149.xml", "formats/pubmed_trial_review.xml", "formats/medline_citation_set.xml"],
    "medline": ["formats/biopython_pubmed_result2.txt", "formats/citations.nbib"],
    "jats": ["formats/cc11003.nxml", "formats/jats_oai.xml"],
    "bioc": ["formats/bioc_everything.xml", "formats/bioc_everything.json", "formats/pubtator3.json"],
}
KINDS = {"title", "abstract", "body", "caption", "keywords"}


def test_every_reader_has_fixtures():
    assert set(READER_FIXTURES) == set(READERS)


@pytest.mark.parametrize("reader, name", [(r, n) for r, names in READER_FIXTURES.items() for n in names])
def test_reader_contract(reader, name, tmp_path):
    """Every reader, on each of its fixtures: documents with CURIE ids, sections unique by name and
    language with text, annotations inside their sections; the format is sniffed without --input-format
    whatever the suffix, gzipped or not, and reading the text already read gives the same documents."""
    import gzip
    import shutil

    path = FIXTURES / name
    docs = list(read_documents(path, input_format=reader))
    assert docs and all(":" in d.id for d in docs)
    for d in docs:
        if d.deleted:
            assert not d.sections and d.pmid
            continue
        keys = [(s.name, s.lang) for s in d.sections]
        assert len(keys) == len(set(keys)) and d.sections
        assert all(s.text.strip() and s.text == s.text.strip() and s.kind in KINDS for s in d.sections)
        texts = {(s.name, s.lang): s.text for s in d.sections}
        for a in d.annotations:
            assert texts[(a.section, a.lang)][a.start:a.end] == a.text
    assert sniff(path) == reader
    for suffix in (".txt", "", ".xml.gz" if reader in ("pubmed", "jats", "bioc") else ".txt.gz"):
        copy = tmp_path / f"copy{suffix}"
        if suffix.endswith(".gz"):
            copy.write_bytes(gzip.compress(path.read_bytes()))
        else:
            shutil.copy(path, copy)
        if suffix == ".txt" and reader == "text":
            continue
        assert [d.id for d in read_documents(copy)] == [d.id for d in docs], suffix
    again = list(READERS[reader](path, path.read_text(encoding="utf-8")))
    assert [(d.id, d.sections, d.annotations) for d in again] == [(d.id, d.sections, d.annotations) for d in docs]


def test_folder_reads_every_supported_file(tmp_path):
    (tmp_path / "a.txt").write_text("Title A\n\nAspirin treats headache.", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"id": "b", "abstract": "Ibuprofen treats pain."}\n', encoding="utf-8")
    (tmp_path / "notes.csv").write_text("ignored", encoding="utf-8")
    docs = read_sources([tmp_path])
    assert sorted(d.id for d in docs) == sorted(["kgdoc:b", next(read_documents(tmp_path / "a.txt")).id])


# ---------------------------------------------------------------- bad input

def test_missing_file_names_it(tmp_path):
    with pytest.raises(KgError, match="no such file") as e:
        read_sources([tmp_path / "nope.txt"])
    assert "nope.txt" in str(e.value)


def test_wrong_encoding_names_file_and_line(tmp_path):
    p = tmp_path / "latin1.txt"
    p.write_bytes("Title\n\nline two\nthird line caf\xe9 au lait\n".encode("latin-1"))
    with pytest.raises(KgError) as e:
        list(read_documents(p))
    assert str(e.value).startswith(f"{p}:4: not UTF-8")


def test_empty_text_is_an_error(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(KgError, match="empty"):
        list(read_documents(p))


def test_malformed_jsonl_names_the_line(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"id": "a", "abstract": "ok"}\n{"id": "b", "abstract": \n', encoding="utf-8")
    with pytest.raises(KgError, match=r"bad\.jsonl:2: invalid JSON"):
        list(read_documents(p))


def test_jsonl_record_without_text(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"id": "a", "title": "only a title"}\n', encoding="utf-8")
    with pytest.raises(KgError, match=r":1: record has no 'abstract'"):
        list(read_documents(p))


def test_malformed_journal_page(tmp_path):
    p = tmp_path / "page.txt"
    p.write_text("某杂志 ›› 2023, Vol. 1 ›› Issue (1): 1-2.doi: 10.1/x\n\nKey words: a, b\n", encoding="utf-8")
    with pytest.raises(KgError, match="malformed journal page: no 'Abstract:'"):
        list(read_documents(p, input_format="journal"))


def test_unknown_input_format(tmp_path):
    with pytest.raises(KgError, match="unknown input format 'xml'"):
        list(read_documents(FIXTURES / "abstract.txt", input_format="xml"))


def test_duplicate_documents_are_an_error(tmp_path):
    with pytest.raises(KgError, match="already read"):
        read_sources([SEED, SEED])


def test_unknown_suffix_is_an_error_unless_a_format_is_named(tmp_path):
    p = tmp_path / "paper.pdf"
    p.write_text("Mesenchymal stem cells are studied to treat liver cirrhosis.\n", encoding="utf-8")
    with pytest.raises(KgError, match=r"paper\.pdf: unknown input format '\.pdf'"):
        list(read_documents(p))
    (d,) = read_documents(p, input_format="text")
    assert "liver cirrhosis" in d.sections[-1].text
    bare = tmp_path / "PMID12345"  # no suffix: the content decides
    bare.write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    (d,) = read_documents(bare)
    assert "liver cirrhosis" in d.sections[-1].text


def test_readers_yield_documents_lazily_and_read_gzipped_files(tmp_path):
    """A reader yields each document as it reads it (a bad record further on is met when reached), and a
    gzipped file is read whatever its suffix says, its format from the name under .gz or its content."""
    import gzip

    from kg.ingest import iter_documents

    p = tmp_path / "a.jsonl.gz"
    with gzip.open(p, "wt", encoding="utf-8") as fh:
        fh.write('{"id": "a", "abstract": "Metformin treats diabetes."}\n{"id": "b", "abstract": "x"}\n{bad\n')
    docs = iter_documents([p])
    assert next(docs).id == "kgdoc:a" and next(docs).id == "kgdoc:b"
    with pytest.raises(KgError, match=r"a\.jsonl\.gz:3: invalid JSON"):
        next(docs)
    q = tmp_path / "export.txt"
    q.write_bytes(gzip.compress(b"99|t|A title\n99|a|An abstract.\n"))
    (d,) = read_documents(q)
    assert d.id == "PMID:99" and d.title == "A title"


@pytest.mark.parametrize("record, doc_id", [
    ({"id": "paper:1"}, "kgdoc:paper:1"),
    ({"id": "a b"}, "kgdoc:a%20b"),
    ({"id": "PMID: 123"}, "PMID:123"),
    ({"id": 42}, "kgdoc:42"),
    ({"id": 'x<y>"z{}|^`\\'}, "kgdoc:x%3Cy%3E%22z%7B%7D%7C%5E%60%5C"),
    ({"doi": "https://doi.org/10.1002/(SICI)1097-4636(199706)35:4<433::AID-JBM4>3.0.CO;2-H"},
     "doi:10.1002/(SICI)1097-4636(199706)35:4%3C433::AID-JBM4%3E3.0.CO;2-H"),
    ({"doi": "10.1000/a b", "pmid": 7}, "PMID:7"),  # the PMID first, as every reader of articles names them
    ({"doi": "10.1000/a b"}, "doi:10.1000/a%20b"),
    ({"pmid": 7}, "PMID:7"),
])
def test_jsonl_ids_make_valid_iris_in_every_format(tmp_path, record, doc_id):
    import json

    from rdflib import Dataset, Graph

    from kg.rdf.build import Minter

    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(dict(record, abstract="Metformin is used to treat type 2 diabetes.")) + "\n",
                    encoding="utf-8")
    (doc,) = read_documents(path)
    assert doc.id == doc_id
    iri = str(Minter().iri(doc.id))
    assert not set(iri) & set(' <>"{}|^`\\'), iri
    for fmt in ("nt", "ttl", "json-ld"):  # what a writer makes of it parses again, to the same IRI
        g = Graph()
        g.add((Minter().iri(doc.id), Minter().iri("biolink:name"), Minter().iri("MONDO:0005148")))
        back = (Dataset() if fmt == "nq" else Graph()).parse(data=g.serialize(format=fmt), format=fmt)
        assert {str(s) for s in back.subjects()} == {iri}


def test_bad_records_are_skipped_and_reported_with_their_line(tmp_path):
    """``on_error``: a reader that reads record by record (JSONL, PubTator) reports a bad record and reads on;
    a journal page, one document a file, is dropped whole; a record without text and a repeated id too."""
    from kg.ingest import READERS, iter_documents
    from kg.ingest.registry import skips_records

    assert skips_records(READERS["jsonl"]) and skips_records(READERS["pubtator"])
    assert not skips_records(READERS["journal"])
    j = tmp_path / "a.jsonl"
    j.write_text('{"id": "a", "abstract": "One."}\n{bad\n[1]\n{"id": "b"}\n{"id": "a", "abstract": "Again."}\n'
                 '{"id": "c", "abstract": "Three."}\n', encoding="utf-8")
    t = tmp_path / "b.pubtator"
    t.write_text("1|t|A title\n1|a|An abstract.\nnot a pubtator line\n2|t|Another\n2|a|Text.\n", encoding="utf-8")
    page = tmp_path / "page.txt"
    page.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    errors = []
    docs = list(iter_documents([j, t], on_error=errors.append))
    assert [d.id for d in docs] == ["kgdoc:a", "kgdoc:c", "PMID:1", "PMID:2"]
    assert [str(e).split(": ", 1)[0] for e in errors] == [f"{j}:2", f"{j}:3", f"{j}:4", str(j), f"{t}:3"]
    assert "already read" in str(errors[3])
    with pytest.raises(KgError, match=r"a\.jsonl:2: invalid JSON"):
        list(iter_documents([j]))
