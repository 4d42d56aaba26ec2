"""Shared fixtures: one loaded pipeline and the seed's graph, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = ROOT / "seeds" / "000_00816c053d78e950.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def pipeline():
    from kg.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def small_config():
    """The shipped policy over the small fixture ontologies folder (14 terms, English and Chinese)."""
    from kg.config import Config

    return Config.default().with_ontologies(FIXTURES / "ontologies")


@pytest.fixture(scope="session")
def small_pipeline(small_config):
    """A pipeline over the fixture lexicon: rule and grounding tests run without the shipped lexicons."""
    from kg.pipeline import Pipeline

    return Pipeline(config=small_config, fuzzy=False)


@pytest.fixture(scope="session")
def seed_kg(pipeline):
    return pipeline.build([SEED])


@pytest.fixture(scope="session")
def seed_ttl(tmp_path_factory, seed_kg):
    out = tmp_path_factory.mktemp("seed") / "kg.ttl"
    seed_kg.write(out)
    return out


@pytest.fixture(scope="session")
def seed_rdf(seed_ttl):
    from rdflib import Graph

    g = Graph()
    g.parse(seed_ttl, format="turtle")
    return g


def run_cli(capsys, *args):
    """Run the ``kg`` command in-process: (exit code, stdout, stderr)."""
    from kg.cli import main

    code = main(list(map(str, args)))
    out, err = capsys.readouterr()
    return code, out, err


def claims_from(pipeline, text: str, title: str | None = None):
    """The claims the pipeline extracts from one short text."""
    from kg.model import Document, Section

    sections = ((Section("title", title),) if title else ()) + (Section("abstract", text),)
    kg = pipeline.run([Document(id="kgdoc:test", source="test", sections=sections)])
    return kg.claims, kg.annotated[0].mentions


@pytest.fixture(scope="session")
def mentions(pipeline):
    """The grounded mentions the shipped pipeline finds in one English text."""
    from kg.model import Document, Section

    def run(text: str):
        kg = pipeline.run([Document("kgdoc:t", "t", (Section("abstract", text),))])
        return kg.annotated[0].mentions
    return run


def by_text(ms):
    """Mentions by their text."""
    return {m.text: m for m in ms}


def zh_doc(text: str, en: str | None = None, doc_id: str = "kgdoc:zh"):
    """A document with a Chinese abstract (and an English one when given)."""
    from kg.model import Document, Section

    sections = (Section("abstract", text, "zh"),) + ((Section("abstract", en, "en"),) if en else ())
    return Document(id=doc_id, source="test", sections=sections)


@pytest.fixture
def extract(pipeline):
    return lambda text, title=None: claims_from(pipeline, text, title)


@pytest.fixture(scope="session")
def merged_seed(tmp_path_factory, seed_ttl):
    """The seed's graph merged with the shipped lexicons and mappings, and the merge report."""
    from kg.rdf.merge import merge_files, shipped_spec

    out = tmp_path_factory.mktemp("merged") / "merged.ttl"
    report = merge_files(seed_ttl, shipped_spec(), out)
    return out, report


TYPE_MAP = {"Disease": "Disease", "Chemical": "Chemical", "SpecificDisease": "Disease", "DiseaseClass": "Disease",
            "CompositeMention": "Disease"}


@pytest.fixture(scope="session")
def small_lexicon():
    """Six made-up terms: a phenotype, a clinical modifier, a disease, a chemical, corpus-declared types."""
    from kg.model import Synonym, Term
    from kg.ontology import Lexicon

    terms = [
        Term("HP:9000010", "Gear hypoplasia", (Synonym("small gears"),), (), ("HP:0000118",), "hp"),
        Term("HP:9000011", "Gearly", (), (), ("HP:0012823",), "hp"),  # a clinical modifier: not a phenotype
        Term("MONDO:9000001", "cog dystrophy", (Synonym("dystrophy of cogs"),), (), (), "mondo"),
        Term("CHEBI:9000002", "sprocketol", (), (), (), "chebi"),
        Term("MESH:C000001", "Kravitz syndrome", (), (), (), "kg-corpus:disease"),
        Term("MESH:D900001", "Gearbox Inflammation", (), (), (), "mesh+kg-corpus:drug"),
    ]
    return Lexicon.build(terms, [])


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory):
    """Two recognisers trained tiny on the gold fixture with the same seed (``a`` and ``b``)."""
    from kg.corpora import read_pubtator_gold
    from kg.training.ner import blank_nlp, train, training_examples

    gold = read_pubtator_gold(FIXTURES / "corpora" / "gold.pubtator")
    examples = training_examples(blank_nlp(), gold, TYPE_MAP)
    out = tmp_path_factory.mktemp("ner")
    train(examples, ["Chemical", "Disease"], epochs=25, seed=1, out=out / "a")
    train(training_examples(blank_nlp(), gold, TYPE_MAP), ["Chemical", "Disease"], epochs=25, seed=1, out=out / "b")
    return out
