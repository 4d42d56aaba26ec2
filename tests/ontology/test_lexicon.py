"""Lexicons: normalisation, ontology readers (one contract over every reader), index, types, clusters, cache."""

from __future__ import annotations

import pytest

from kg.config import Config
from kg.errors import KgError
from kg.model import Mapping, Term
from kg.ontology import Lexicon, Normalizer, load_lexicon, shipped_files
from kg.ontology.io import (
    READERS,
    read_lexicon,
    read_ontology,
    sniff_format,
    write_lexicon,
)
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def norm():
    return Normalizer(Config.default())


@pytest.mark.parametrize("a, b", [
    ("Liver Diseases", "liver disease"),
    ("acute-on-chronic liver failure", "Acute on Chronic Liver Failure"),
    ("mesenchymal stem cells", "Mesenchymal Stem Cell"),
    ("inflammatory", "inflammation"),
    ("fibrotic", "fibrosis"),
    ("TNF-α", "TNF alpha"),
    ("Crohn's disease", "Crohn disease"),
    ("therapies", "therapy"),
    ("cavernous hemangiomas", "cavernous hemangioma"),  # a plural ending like a singular (-as)
    ("Carcinomas", "carcinoma"),
    ("haemorrhage", "hemorrhage"),  # British spellings
    ("Oesophageal tumours", "esophageal tumor"),
])
def test_variants_normalise_alike(norm, a, b):
    assert norm.key(a) == norm.key(b)


@pytest.mark.parametrize("word", ["fibrosis", "virus", "mass", "pancreas", "diabetes mellitus"])
def test_singular_words_are_kept(norm, word):
    assert " ".join(norm.key(word)) == word.lower()


def test_pieces_keep_offsets(norm):
    text = "anti-TNF-α therapy"
    pieces = norm.pieces(text)
    assert [p[0] for p in pieces] == ["anti", "tnf", "alpha", "therapy"]
    assert [text[s:e] for _, s, e in pieces] == ["anti", "TNF", "α", "therapy"]


# ---------------------------------------------------------------- readers: one contract for all

READER_FIXTURES = {"obo": "mini.obo", "owl": "mini.owl", "rdf": "mini.owl", "ttl": "mini.ttl",
                   "sssom": "mini.sssom.tsv", "lexicon": "mini.lexicon.tsv"}


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_reader_contract(fmt):
    """Every ontology reader yields Terms with a CURIE and a label (or Mappings with both ends standardised)."""
    terms, mappings = read_ontology(FIXTURES / READER_FIXTURES[fmt], fmt)
    assert terms or mappings
    for t in terms:
        assert isinstance(t, Term) and ":" in t.curie and t.label and t.curie.split(":")[0].isupper()
        assert all(s.scope in {"EXACT", "RELATED", "BROAD", "NARROW"} for s in t.synonyms)
    for m in mappings:
        assert isinstance(m, Mapping) and ":" in m.subject and ":" in m.object


def test_obo_reader_details():
    terms, _ = read_ontology(FIXTURES / "mini.obo")
    by_id = {t.curie: t for t in terms}
    assert "MONDO:9000005" not in by_id  # obsolete
    w = by_id["MONDO:9000001"]
    assert ("WDS", "EXACT") in {(s.text, s.scope) for s in w.synonyms}
    assert ("gadget disorder", "RELATED") in {(s.text, s.scope) for s in w.synonyms}
    assert set(w.xrefs) == {"MESH:D999001", "DOID:9999001"} and w.parents == ("MONDO:0005154",)


def test_rdf_reader_skips_deprecated_and_reads_synonyms():
    terms, _ = read_ontology(FIXTURES / "mini.ttl")
    assert [t.curie for t in terms] == ["UBERON:9000006"]
    t = terms[0]
    assert t.synonyms[0].text == "cog organ" and t.xrefs == ("MESH:D999006",) and t.parents == ("UBERON:0002365",)


def test_sniffing_ontology_formats(tmp_path):
    assert sniff_format(FIXTURES / "mini.obo") == "obo"
    assert sniff_format(FIXTURES / "mini.sssom.tsv") == "sssom"
    copy = tmp_path / "terms.txt"
    copy.write_text((FIXTURES / "mini.lexicon.tsv").read_text(encoding="utf-8"), encoding="utf-8")
    assert sniff_format(copy) == "lexicon"


def test_bad_ontology_files(tmp_path):
    bad = tmp_path / "bad.obo"
    bad.write_text("this is not an ontology\n", encoding="utf-8")
    with pytest.raises(KgError, match="bad.obo"):
        read_ontology(bad)
    with pytest.raises(KgError, match="no such ontology file"):
        read_ontology(tmp_path / "missing.obo")
    odd = tmp_path / "x.dat"
    odd.write_text("hello\n", encoding="utf-8")
    with pytest.raises(KgError, match="unknown ontology format"):
        read_ontology(odd)


def test_lexicon_tsv_round_trip_is_reproducible(tmp_path):
    terms, _ = read_ontology(FIXTURES / "mini.obo")
    a, b = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    write_lexicon(terms, a)
    write_lexicon(reversed(terms), b)
    assert a.read_bytes() == b.read_bytes()
    assert sorted(read_lexicon(a), key=lambda t: t.curie) == sorted(terms, key=lambda t: t.curie)


# ---------------------------------------------------------------- the compiled lexicon

@pytest.fixture(scope="module")
def mini_lexicon():
    terms, _ = read_ontology(FIXTURES / "mini.obo")
    _, maps = read_ontology(FIXTURES / "mini.sssom.tsv")
    extra = [Term("HP:9000009", "Widget phenotype"), Term("MESH:D999001", "Widget Syndrome")]
    return Lexicon.build(terms + extra, maps)


def test_index_finds_labels_and_synonyms(mini_lexicon, norm):
    assert ("MONDO:9000001", "LABEL") in mini_lexicon.lookup(norm.key("Widget Syndromes"))
    assert ("MONDO:9000002", "EXACT") in mini_lexicon.lookup(norm.key("acute onset widget syndrome"))


def test_acronyms_are_case_sensitive(mini_lexicon, norm):
    assert mini_lexicon.acronyms.get("WDS") == (("MONDO:9000001", "EXACT"),)
    assert not mini_lexicon.lookup(norm.key("wds"))


def test_types_from_prefix_and_mesh_from_its_equivalent(mini_lexicon):
    assert mini_lexicon.types["MONDO:9000001"] == "disease"
    assert mini_lexicon.types["CL:9000003"] == "cell"
    assert mini_lexicon.types["MESH:D999001"] == "disease"  # typed through its xref to a MONDO term


def test_xrefs_and_sssom_mappings_make_one_cluster(mini_lexicon):
    eq = set(mini_lexicon.equivalents("HP:9000009"))
    assert {"MONDO:9000001", "MESH:D999001", "DOID:9999001", "HP:9000009"} <= eq


def test_shipped_lexicons_cover_the_ontologies():
    names = {p.name for p in shipped_files(Config.default())}
    for expected in ("cl.tsv.gz", "doid.tsv.gz", "mondo.tsv.gz", "go.tsv.gz", "hp.tsv.gz", "uberon.tsv.gz",
                     "maxo.tsv.gz", "mesh.tsv.gz", "mondo.sssom.tsv.gz"):
        assert expected in names


def test_extra_ontology_file_is_matched_and_cached(tmp_path, monkeypatch, norm):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    lex = load_lexicon([FIXTURES / "mini.obo"], shipped=False)
    assert ("CL:9000003", "LABEL") in lex.lookup(norm.key("sprocket cells"))
    cached = list((tmp_path / "cache").glob("lexicon-*.pickle"))
    assert len(cached) == 1
    again = load_lexicon([FIXTURES / "mini.obo"], shipped=False)
    assert again.index == lex.index
    assert again.terms["MONDO:9000001"].parents == ("MONDO:0005154",)  # full terms re-read after a cached load


def test_missing_extra_ontology_is_an_error(tmp_path):
    with pytest.raises(KgError, match="no such ontology file"):
        load_lexicon([tmp_path / "none.obo"], shipped=False)


def test_tokenised_possessive_normalises_like_the_possessive(norm):
    assert norm.key("Parkinson 's disease") == norm.key("Parkinson's disease") == norm.key("Parkinson disease")
    pieces = norm.pieces("Hodgkin 's disease")
    assert [p[0] for p in pieces] == ["hodgkin", "disease"]


def test_subtypes_retype_descendants_of_a_class():
    """ChEBI classes under the pharmaceutical role are agents (drug classes); other ChEBI terms stay drugs."""
    terms = [Term("CHEBI:52217", "pharmaceutical"), Term("CHEBI:35476", "antipsychotic agent", parents=("CHEBI:52217",)),
             Term("CHEBI:9999001", "widgetol"), Term("MESH:D007372", "Interferons")]
    lex = Lexicon.build(terms)
    assert lex.types["CHEBI:35476"] == "agent" and lex.types["CHEBI:52217"] == "agent"
    assert lex.types["CHEBI:9999001"] == "drug"
    assert lex.types["MESH:D007372"] == "agent"  # a therapeutic protein class, by the MeSH label rules


def test_shipped_drug_classes_are_agents():
    lex = load_lexicon()
    assert lex.types["CHEBI:33281"] == "agent"  # antimicrobial agent ("antibiotics")
    assert lex.types["CHEBI:35476"] == "agent"  # antipsychotic agent
    assert lex.types["CHEBI:12777"] == "drug"  # vitamin A: a chemical, not a class of agents by use


def test_hp_terms_outside_phenotypic_abnormality_are_not_typed(small_lexicon):
    assert small_lexicon.types["HP:9000010"] == "phenotype"
    assert "HP:9000011" not in small_lexicon.types and "HP:9000011" in small_lexicon.labels


def test_corpus_declared_type_only_types_what_the_ontologies_do_not(small_lexicon):
    assert small_lexicon.types["MESH:C000001"] == "disease"  # no ontology type: the corpus declares it
    # a process by its label ("-ation"), a drug where the corpora annotate it: [mesh] corpus_overrides
    assert small_lexicon.types["MESH:D900001"] == "drug"


def test_corpus_declared_type_replaces_only_the_overridable_mesh_types():
    lex = Lexicon.build([
        Term("MESH:D006461", "Hemolysis", (), (), (), "mesh+kg-corpus:disease"),
        Term("MESH:D007249", "Inflammation", (), (), (), "mesh+kg-corpus:disease"),
        Term("MESH:D900002", "Gearbox Syndrome", (), (), (), "mesh+kg-corpus:drug"),
        Term("MESH:D900003", "Gearbox Lysis", (), (), (), "mesh"),
    ])
    assert lex.types["MESH:D006461"] == "disease"  # "-lysis" reads as a process; the corpora say disease
    assert lex.types["MESH:D007249"] == "mechanism"  # corpus_keep: how a therapy works
    assert lex.types["MESH:D900002"] == "disease"  # a disease by its label is not overridden
    assert lex.types["MESH:D900003"] == "mechanism"  # nothing declared: the label rule


def test_mesh_descriptors_the_rules_do_not_type_take_the_type_of_their_tree():
    """[mesh] trees of types.toml: after the label rules, the tree a descriptor sits under (its parents from
    MeSH's tree numbers) gives its type; proteins and other biological substances take none."""
    neoplasms, organic, proteins, immunoglobulins = "MESH:D009369", "MESH:D009930", "MESH:D000602", "MESH:D007136"
    lex = Lexicon.build([
        Term(neoplasms, "Neoplasms"), Term(organic, "Organic Chemicals"), Term(proteins, "Amino Acids, Peptides, and Proteins"),
        Term(immunoglobulins, "Immunoglobulins", parents=(proteins,)),
        Term("MESH:D900010", "Gearbox Tumours of the Knee", parents=(neoplasms,)),
        Term("MESH:D900011", "Tocopherols", parents=(organic,)),
        Term("MESH:D900012", "Gearboxins", parents=(organic, proteins)),
        Term("MESH:D900013", "Antibodies, Gearbox", parents=(immunoglobulins,)),
        Term("MESH:D900014", "Gearbox Pain", parents=(organic,)),
        Term("MESH:D900015", "Gearbox Things"),
    ])
    assert lex.types["MESH:D900010"] == "disease"  # under C04 Neoplasms; no label rule fits
    assert lex.types["MESH:D900011"] == "drug"  # under D02; the one-word chemical rule reads no plural
    assert "MESH:D900012" not in lex.types  # also a protein (D12): the corpora call it a gene product
    assert lex.types["MESH:D900013"] == "agent"  # under Immunoglobulins: biological, but kept
    assert lex.types["MESH:D900014"] == "disease"  # a label rule ("pain") comes before the trees
    assert "MESH:D900015" not in lex.types  # under no tree, no rule
    assert lex.lookup(lex.normalizer.key("tocopherol")) == (("MESH:D900011", "LABEL"),)


def test_a_process_ending_gives_way_to_the_tree_only_where_every_tree_is_typed():
    """[mesh] trees_over: "-ation" reads as a process, but a descriptor MeSH files only under Therapeutics is
    a procedure; one also under a process tree (Immune System Phenomena) keeps the label rule's type."""
    therapeutics, phenomena = "MESH:D013812", "MESH:D055633"
    lex = Lexicon.build([
        Term(therapeutics, "Therapeutics"), Term(phenomena, "Immune System Phenomena"),
        Term("MESH:D900020", "Gearbox Oxygenation", parents=(therapeutics,)),
        Term("MESH:D900021", "Gearbox Modulation", parents=(therapeutics, phenomena)),
        Term("MESH:D900022", "Gearbox Activation"),
    ])
    assert lex.types["MESH:D900020"] == "procedure"
    assert lex.types["MESH:D900021"] == "mechanism"
    assert lex.types["MESH:D900022"] == "mechanism"  # under no tree: the label rule
    shipped = load_lexicon()
    assert shipped.types["MESH:D006931"] == "procedure"  # Hyperbaric Oxygenation
    assert shipped.types["MESH:D004359"] == "procedure"  # Drug Therapy, Combination ("combination chemotherapy")
    assert shipped.types["MESH:D056747"] == "mechanism"  # Immunomodulation: the seed's MSCs are capable of it
    assert shipped.types["MESH:D063646"] == "mechanism"  # Carcinogenesis: also under Pathologic Processes


def test_a_path_into_the_outside_trees_does_not_keep_the_process_reading():
    """A path up to one of [mesh] outside (health care, disciplines) says nothing of a type: a descriptor
    under Therapeutics and Health Services is a procedure, as MeSH's Rehabilitation and TENS are."""
    therapeutics, services = "MESH:D013812", "MESH:D005159"  # E02; N: Health Care Facilities, Workforce and Services
    lex = Lexicon.build([
        Term(therapeutics, "Therapeutics"), Term(services, "Health Care Facilities, Workforce and Services"),
        Term("MESH:D900023", "Gearbox Rehabilitation", parents=(therapeutics, services)),
        Term("MESH:D900024", "Gearbox Accreditation", parents=(services,)),
    ])
    assert lex.types["MESH:D900023"] == "procedure"
    assert "MESH:D900024" not in lex.types  # under the outside trees alone: no type at all
    shipped = load_lexicon()
    assert shipped.types["MESH:D004561"] == "procedure"  # Transcutaneous Electric Nerve Stimulation
    assert shipped.types["MESH:D012046"] == "procedure"  # Rehabilitation


def test_curated_names_of_common_therapies():
    """kg_curated.tsv adds names MeSH leaves to descriptors nothing types: "acupuncture" (MeSH's Acupuncture
    is a discipline) and "mAb(s)", the usual short form of monoclonal antibodies."""
    shipped = load_lexicon()
    assert [c for c, _ in shipped.find_by_name("acupuncture")] == ["MESH:D015670"]
    assert shipped.types["MESH:D015670"] == "procedure"
    assert [c for c, _ in shipped.find_by_name("mAbs")] == [c for c, _ in shipped.find_by_name("monoclonal antibodies")] == ["MESH:D000911"]


def test_greek_plurals_of_sis_nouns_meet_their_singular():
    """normalization.toml [plural] always: "metastases" ~ "metastasis", "mycoses" ~ "mycosis"; the plurals of
    short "-se" words stay theirs ("doses" ~ "dose"), and "diseases" stays "disease"."""
    from kg.config import Config
    from kg.ontology.normalize import Normalizer

    n = Normalizer(Config.default())
    for plural, singular in [("metastases", "metastasis"), ("mycoses", "mycosis"), ("thromboses", "thrombosis"),
                             ("analyses", "analysis"), ("prostheses", "prosthesis")]:
        assert n.word(plural) == n.word(singular) == singular
    assert n.word("doses") == n.word("dose") == "dose"
    assert n.word("noses") == "nose" and n.word("diseases") == n.word("disease") == "disease"
    assert n.key("pulmonary thromboses") == n.key("Pulmonary Thrombosis")
