"""Property-based tests (Hypothesis): random JSON-lines records, random Unicode (surrogates, NUL, right-to-left
marks, combining marks, emoji), random PubTator offsets, random identifiers and DOIs. Each input either
builds a graph that rdflib and Oxigraph both parse, or is refused by one ``KgError``; nothing else.

Runs are derandomised (the same examples in every run, so CI is repeatable); ``KG_FUZZ_EXAMPLES`` sets
how many examples each property tries (default 40; set it high for a long local run)."""

from __future__ import annotations

import io
import json
import os

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kg import ids  # noqa: E402
from kg.errors import KgError  # noqa: E402

EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Text that mixes what real abstracts hold with what breaks parsers and writers.
WORDS = ["Metformin", "treats", "type 2 diabetes", "mesenchymal stem cells", "liver cirrhosis", "(MSCs)", "may",
         "not", "reduced", "fibrosis", ".", ",", "\n", "\t", "\u0000", "\u200f", "\u202e", "e\u0301", "👩‍⚕️", "肝硬化",
         "间充质干细胞", "治疗", "<script>", '"', "\\", "&amp;", "]]>", "\ud800", "\udfff", "\x7f", "\u2028", "%00"]
text = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=25).map(" ".join)
scalar = st.one_of(st.none(), st.integers(-10, 10**12), st.booleans(), st.floats(allow_nan=False), text)
value = st.recursive(scalar, lambda kids: st.one_of(st.lists(kids, max_size=3),
                                                   st.dictionaries(st.sampled_from(["name", "x"]), kids, max_size=2)),
                     max_leaves=6)
FIELDS = ["id", "title", "abstract", "text", "title_zh", "abstract_zh", "doi", "pmid", "journal", "year", "volume",
          "issue", "pages", "authors", "keywords", "extra"]
wild = st.dictionaries(st.sampled_from(FIELDS), st.one_of(text, value), max_size=8)  # any JSON in any field
clean_text = text.map(lambda t: "".join(c for c in t if not 0xD800 <= ord(c) <= 0xDFFF))
typed = st.fixed_dictionaries(  # the right types, hostile text: what goes on to be read and written
    {"abstract": clean_text.map(lambda t: "Metformin treats type 2 diabetes. " + t)},
    optional={"id": st.one_of(clean_text, st.integers(0, 10**9)), "title": clean_text, "title_zh": clean_text,
              "abstract_zh": clean_text, "doi": clean_text.map(lambda t: "10.1000/" + t), "pmid": st.integers(1, 10**9),
              "journal": clean_text, "year": st.integers(1900, 2100), "pages": clean_text,
              "authors": st.lists(st.one_of(clean_text, st.fixed_dictionaries({"name": clean_text})), max_size=3),
              "keywords": st.lists(clean_text, max_size=3)})
record = st.one_of(typed, typed, wild)


def _parse_everywhere(data: bytes, fmt: str) -> int:
    """The triples of serialised RDF, parsed by rdflib and by Oxigraph (which must agree on the count)."""
    import pyoxigraph
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(data=data.decode("utf-8"), format={"nt": "nt", "nq": "nquads", "ttl": "turtle", "trig": "trig"}[fmt])
    n = len(list(ds.quads((None, None, None, None))))
    ox = {"nt": pyoxigraph.RdfFormat.N_TRIPLES, "nq": pyoxigraph.RdfFormat.N_QUADS,
          "ttl": pyoxigraph.RdfFormat.TURTLE, "trig": pyoxigraph.RdfFormat.TRIG}[fmt]
    assert len(list(pyoxigraph.parse(io.BytesIO(data), format=ox))) == n
    return n


@FUZZ
@given(st.lists(record, min_size=1, max_size=3))
def test_random_json_lines_build_or_fail_cleanly(small_pipeline, tmp_path_factory, records):
    from kg.ingest import read_documents

    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "r.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=True) for r in records) + "\n", encoding="utf-8")
    try:
        docs = list(read_documents(path))
        if len({d.id for d in docs}) < len(docs):
            return  # the same record twice: iter_documents refuses it (tested with the readers)
        kg = small_pipeline.run(docs)
    except KgError as exc:
        assert str(exc).startswith(f"{path}:")
        hypothesis.event("refused: " + str(exc).split(": ", 2)[1].split(":")[0])
        return
    hypothesis.event("built")
    for fmt in ("nt", "ttl", "trig"):
        out = folder / f"kg.{fmt}"
        kg.write(out)
        assert _parse_everywhere(out.read_bytes(), fmt) > 0


@FUZZ
@given(st.text(max_size=40), st.text(max_size=40))
def test_any_record_id_and_doi_make_a_valid_iri(rid, doi):
    from rdflib import Graph, URIRef

    from kg.rdf.build import Minter

    mint = Minter()
    made = [ids.record_document(rid.strip() or "x"), ids.doi("10.1000/" + doi), ids.document(rid)]
    clean = ids.clean_doi(doi)
    assert clean is None or clean.startswith("10.")
    g = Graph()
    for curie in made:
        iri = str(mint.iri(curie))
        assert not set(iri) & set(' <>"{}|^`\\') and all(ord(c) > 0x20 and c != "\x7f" for c in iri), iri
        g.add((URIRef(iri), URIRef("http://x/p"), URIRef("http://x/o")))
    data = g.serialize(format="nt", encoding="utf-8")
    assert _parse_everywhere(data, "nt") == len(g)


@FUZZ
@given(st.lists(st.tuples(st.integers(-5, 80), st.integers(-5, 80), text, st.sampled_from(["Disease", "Chemical", ""])),
                max_size=6), text)
def test_random_pubtator_offsets_read_or_fail_cleanly(tmp_path_factory, spans, title):
    from kg.corpora.gold import read_pubtator_gold

    abstract = "Metformin treats type 2 diabetes and liver cirrhosis in adults."
    title = " ".join(title.split()) or "A title"
    lines = [f"123|t|{title}", f"123|a|{abstract}"]
    lines += [f"123\t{a}\t{b}\t{' '.join(t.split())}\t{typ}\tMESH:D003924" for a, b, t, typ in spans]
    path = tmp_path_factory.mktemp("pubtator") / "x.pubtator"
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8", errors="surrogatepass")
    try:
        (gold,) = read_pubtator_gold(path)
    except KgError as exc:
        assert str(exc).startswith(f"{path}")
        return
    for m in gold.mentions:
        section = gold.document.section(m.section) or next(s for s in gold.document.sections if s.name == m.section)
        assert 0 <= m.start <= m.end <= len(section.text) and section.text[m.start : m.end] == m.text
