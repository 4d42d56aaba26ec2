"""The article a claim is read in (kg/data/articles.toml): trial articles' treats-family predicate, prior
knowledge in reviews and background sections, section roles."""

from __future__ import annotations

import dataclasses

import pytest

from kg.config import Config
from kg.extract.article import ArticlePolicy
from kg.ingest import read_documents
from kg.model import Document, Section, Tag
from tests.conftest import FIXTURES

F = FIXTURES / "formats"


def _claims(pipeline, doc: Document):
    kg = pipeline.run([doc])
    return [(c.predicate, c.evidence[0].section, c.evidence[0].prior_knowledge) for c in kg.claims
            if c.claim_type == "treats"], kg


@pytest.fixture(scope="module")
def trial():
    return next(iter(read_documents(F / "pubmed_trial_review.xml")))


def test_a_trial_article_reads_treats_claims_as_trials_unless_the_use_is_established(pipeline, trial):
    got, _ = _claims(pipeline, trial)
    assert ("biolink:in_clinical_trials_for", "abstract:CONCLUSIONS", False) in got  # "Metformin treats ..."
    assert ("biolink:in_clinical_trials_for", "abstract:RESULTS", False) in got
    assert ("biolink:in_clinical_trials_for", "title", False) in got
    # "Metformin is the first-line treatment for type 2 diabetes": an established use, and background
    assert ("biolink:treats", "abstract:BACKGROUND", True) in got
    assert not any(p == "biolink:treats" and s != "abstract:BACKGROUND" for p, s, _ in got)


def test_the_same_text_without_the_publication_type_gives_plain_treats(pipeline, trial):
    got, _ = _claims(pipeline, dataclasses.replace(trial, publication_types=(Tag("Journal Article"),)))
    assert ("biolink:treats", "abstract:CONCLUSIONS", False) in got
    # only the title, whose own words say "a randomized controlled trial", still reads as a trial
    assert {s for p, s, _ in got if p == "biolink:in_clinical_trials_for"} == {"title"}


def test_a_review_is_prior_knowledge(pipeline):
    review = list(read_documents(F / "pubmed_trial_review.xml"))[1]
    got, _ = _claims(pipeline, review)
    assert got and all(prior for _, _, prior in got)
    as_article = dataclasses.replace(review, publication_types=(Tag("Journal Article"),))
    got, _ = _claims(pipeline, as_article)
    assert got and not any(prior for _, _, prior in got)


def test_jats_introduction_and_abstract_background_are_prior_knowledge(pipeline):
    (d,) = read_documents(F / "jats_oai.xml")
    kg = pipeline.run([d])
    by_section = {}
    for c in kg.claims:
        for e in c.evidence:
            by_section.setdefault(e.section, set()).add(e.prior_knowledge)
    assert by_section["body:Introduction"] == {True} and by_section["abstract:Background"] == {True}
    assert by_section["body:Results"] == {False} and by_section["abstract:Results"] == {False}
    assert by_section["caption:Figure 1"] == {False}  # captions are read


def test_the_mapping_is_data(tmp_path, trial):
    """A policy folder whose articles.toml has no trial rule leaves the trial's claims as they read."""
    from kg.pipeline import Pipeline

    text = (Config.default().sources["articles.toml"].text)
    start = text.index("[[treats_by_publication_type]]")
    (tmp_path / "articles.toml").write_text(text[:start] + text[text.index("[prior_knowledge]"):], encoding="utf-8")
    mine = Pipeline(config=Config.load(tmp_path), lang="en", fuzzy=False)
    got, _ = _claims(mine, trial)
    assert ("biolink:treats", "abstract:CONCLUSIONS", False) in got


@pytest.mark.parametrize("role, heading, expected", [
    ("BACKGROUND", "", "background"), ("", "Introduction", "background"), ("intro", "", "background"),
    ("INTRO", "", "background"), ("materials|methods", "", "methods"), ("", "Materials and methods", "methods"),
    ("RESULTS", "", "results"), ("", "CONCLUSION", "conclusions"), ("DISCUSS", "", "discussion"),
    ("", "Animals", None), ("ABSTRACT", "OBJECTIVE", "objective"),
])
def test_section_roles(role, heading, expected):
    policy = ArticlePolicy.from_config(Config.default())
    assert policy.role(Section("x", "t", role=role, heading=heading)) == expected


def test_a_prior_knowledge_role_the_file_does_not_define_is_an_error(tmp_path):
    from kg.errors import KgError

    text = Config.default().sources["articles.toml"].text.replace('section_roles = ["background"]',
                                                                  'section_roles = ["backgroud"]')
    (tmp_path / "articles.toml").write_text(text, encoding="utf-8")
    with pytest.raises(KgError, match=r"articles\.toml:\d+: prior_knowledge\.section_roles: backgroud: not a role"):
        ArticlePolicy.from_config(Config.load(tmp_path))
