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
