"""Training the claim classifier (kg train claims) through the same code path, tiny: pairs labelled by a
corpus's tags or relations, one model per family, reproducible bytes."""

from __future__ import annotations

import shutil

import pytest

from kg.cli import main
from kg.config import DATA, Config
from kg.extract.classifier import ClaimModel
from tests.conftest import FIXTURES

CORPORA = FIXTURES / "corpora"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A corpora folder (the fixture Rosario–Hearst lines as its dev file, the fixture PubTator file as
    BC5CDR train) and a policy folder whose claims.toml trains on all of it."""
    root = tmp_path_factory.mktemp("claims")
    corpora = root / "corpora"
    (corpora / "rosario_hearst_2004").mkdir(parents=True)
    (corpora / "bc5cdr").mkdir()
    shutil.copy(CORPORA / "rosario_hearst.txt", corpora / "rosario_hearst_2004" / "sentences_with_roles_and_relations.dev.txt")
    shutil.copy(CORPORA / "gold.pubtator", corpora / "bc5cdr" / "CDR_TrainingSet.PubTator.txt")
    policy = root / "policy"
    policy.mkdir()
    text = (DATA / "claims.toml").read_text(encoding="utf-8")
    text = text.split("[[training.source]]")[0].replace("min_count = 2", "min_count = 1")
    text += ('[[training.source]]\ncorpus = "rosario_hearst"\nsplit = "dev"\nlabels = { TREAT_FOR_DIS = ["TREAT", '
             '"DIS", "treats"], PREVENT = ["TREAT_PREV", "DIS_PREV", "prevention"] }\n\n'
             '[[training.source]]\ncorpus = "bc5cdr"\nsplit = "train"\nweight = 0.5\nrelations = { CID = "adverse" }\n')
    (policy / "claims.toml").write_text(text, encoding="utf-8")
    return corpora, policy


def test_training_is_reproducible_and_learns_each_family_from_its_sources(tiny, tmp_path, capsys):
    from kg.training.claims import collect, train_claims

    corpora, policy = tiny
    config = Config.load(policy)
    data = collect(corpora, config)
    labels = {src.corpus: sorted({e.label for e in exs}) for src, exs in data}
    assert labels["rosario_hearst"] == ["prevention", "treats"]  # "Aspirin may prevent colorectal cancer"
    assert "adverse" in labels["bc5cdr"]  # lithium -> nephrogenic diabetes insipidus, a CID pair of the file
    treats = [e for src, exs in data if src.corpus == "rosario_hearst" for e in exs if e.label == "treats"]
    assert len(treats) == 2 and all("v:treats" in e.features for e in treats)  # the rules joined both pairs
    a = train_claims(corpora, tmp_path / "a.json", config=config)
    assert main(["train", "claims", "--corpora", str(corpora), "-o", str(tmp_path / "b.json"), "--config", str(policy),
                 "-q"]) == 0
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    b = ClaimModel.load(tmp_path / "b.json")
    assert a.classes == b.classes == ("adverse", "treats")  # prevention is left to its rules (deferred)
    assert [s["corpus"] for s in b.info["sources"]] == ["rosario_hearst", "bc5cdr"]


def test_a_relation_pair_whose_sentence_does_not_state_it_weighs_less(tiny, tmp_path):
    """BC5CDR's CID relates a document's chemical and disease: a sentence naming both with no adverse
    trigger and no adverse rule reading gets uncued_weight of the source's weight; a sentence the adverse
    rules read keeps it, and Rosario–Hearst's tagged sentences are never scaled."""
    from kg.training.claims import collect, cued

    corpora, policy = tiny
    scaled = tmp_path / "policy"
    shutil.copytree(policy, scaled)
    path = scaled / "claims.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'weight = 0.5\nrelations = { CID = "adverse" }', 'weight = 0.5\nuncued_weight = 0.25\nrelations = { CID = "adverse" }'),
        encoding="utf-8")
    data = dict((src.corpus, exs) for src, exs in collect(corpora, Config.load(scaled)))
    adverse = [e for e in data["bc5cdr"] if e.label == "adverse"]
    assert {(cued(e.features, "adverse"), e.weight) for e in adverse} == {(True, 0.5), (False, 0.125)}
    assert {e.weight for e in data["rosario_hearst"]} == {1.0}
    assert all(e.weight == 0.5 for e in data["bc5cdr"] if e.label == "none")
    path.write_text(path.read_text(encoding="utf-8").replace("uncued_weight = 0.25", "uncued_weight = 2"), encoding="utf-8")
    from kg.errors import KgError
    with pytest.raises(KgError, match="uncued_weight"):
        collect(corpora, Config.load(scaled))
