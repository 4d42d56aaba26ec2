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
