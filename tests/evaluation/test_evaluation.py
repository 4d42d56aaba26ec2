"""Scoring mentions, normalisation and treats sentences, and ``kg eval``."""

from __future__ import annotations

import shutil

import pytest

from kg.cli import main
from kg.config import Config
from kg.corpora import GoldDocument, GoldMention, read_rosario_hearst
from kg.errors import KgError
from kg.evaluation import half_of, mention_kind, score_mentions
from kg.evaluation.relations import score_treats_sentences
from kg.ground import Identifiers
from kg.model import AnnotatedDocument, Concept, Document, Grounding, Mention, Section
from kg.ontology import Normalizer
from tests.conftest import FIXTURES

CORPORA = FIXTURES / "corpora"


def _mention(start, end, text, curie, category, typ="disease", section="abstract"):
    concept = Concept(curie, text, category, typ)
    return Mention("PMID:1", section, "en", 0, start, end, text, typ, (Grounding(curie, text, 1.0, "x", "LABEL"),),
                   concept=concept)


def test_strict_overlap_and_normalisation_scores(pipeline):
    text = "Breast cancer and lung cancer and gout."
    doc = Document("PMID:1", "t", (Section("abstract", text),))
    gold = GoldDocument(doc, (
        GoldMention("PMID:1", "abstract", 0, 13, "Breast cancer", "Disease", ("MESH:D001943",)),
        GoldMention("PMID:1", "abstract", 18, 29, "lung cancer", "Disease", ("MESH:D008175",)),
        GoldMention("PMID:1", "abstract", 34, 38, "gout", "Disease", ("MESH:D006073",)),
    ))
    predicted = AnnotatedDocument(doc, (), (
        _mention(0, 13, "Breast cancer", "MESH:D001943", "biolink:Disease"),   # strict hit, right id
        _mention(23, 29, "cancer", "MESH:D009369", "biolink:Disease"),        # overlap only, wrong id
        _mention(34, 38, "gout", "CHEBI:1", "biolink:ChemicalEntity", "drug"),  # another type: not a Disease
    ))
    s = score_mentions([gold], [predicted], {"Disease": "Disease"}, ["MESH"], Identifiers(pipeline.lexicon))["Disease"]
    assert (s.gold, s.predicted) == (3, 2)
    assert (s.strict.tp, s.strict.fp, s.strict.fn) == (1, 1, 2)
    assert (s.overlap.tp, s.overlap.fp, s.overlap.fn, s.overlap.ptp) == (2, 0, 1, 2)
    assert s.overlap.p == 1.0 and round(s.overlap.r, 3) == 0.667
    assert (s.normalisation.tp, s.normalisation.fp, s.normalisation.fn) == (1, 1, 2)


def test_kg_eval_on_a_corpora_folder(tmp_path, capsys):
    root = tmp_path / "corpora"
    (root / "bc5cdr").mkdir(parents=True)
    shutil.copy(CORPORA / "gold.pubtator", root / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt")
    md = tmp_path / "eval.md"
    assert main(["eval", "--corpora", str(root), "--corpus", "bc5cdr", "--markdown", str(md), "-q"]) == 0
    table = capsys.readouterr().out
    assert "bc5cdr" in table and "Chemical" in table and "CID" in table
    text = md.read_text(encoding="utf-8")
    assert text.startswith("| corpus | split | type |") and "| found as |" in text
    assert main(["eval", "--corpora", str(root), "--corpus", "nope"]) == 1
    assert main(["eval", "--corpora", str(tmp_path / "none")]) == 1


def test_treats_sentence_scoring_needs_the_tagged_pair(pipeline):
    gold = read_rosario_hearst(CORPORA / "rosario_hearst.txt")
    kg = pipeline.run([g.document for g in gold])
    r = score_treats_sentences(gold, kg.claims, "TREAT_FOR_DIS", "TREAT", "DIS")
    assert r["classes"]["TREAT_FOR_DIS"]["sentences"] == 2
    assert r["tp"] >= 1  # "Lithium is used for bipolar disorder"
    assert r["classes"]["PREVENT"]["with_treats_claim"] == 0  # prevention is not treatment


def test_mentions_are_told_apart_by_how_they_were_found():
    exact = _mention(0, 13, "Breast cancer", "MESH:D001943", "biolink:Disease")
    plural = _mention(0, 14, "Breast cancers", "MESH:D001943", "biolink:Disease")
    hyphen = _mention(0, 19, "acute-on-chronic LF", "MESH:D065290", "biolink:Disease")
    abbr = Mention("PMID:1", "abstract", "en", 0, 0, 3, "ACR", "disease", exact.groundings, long_form="x",
                   concept=exact.concept)
    norm = Normalizer(Config.default())
    assert [mention_kind(m, norm) for m in (exact, plural, hyphen, abbr)] == ["exact", "variant", "hyphenated", "abbreviation"]


def test_half_splits_a_corpus_by_position_parity():
    gold = read_rosario_hearst(CORPORA / "rosario_hearst.txt")
    even, odd = half_of(gold, "even"), half_of(gold, "odd")
    assert [g.id for g in even] == [g.id for g in gold[0::2]] and [g.id for g in odd] == [g.id for g in gold[1::2]]
    assert half_of(gold, None) == gold
    with pytest.raises(KgError):
        half_of(gold, "third")


def test_kg_eval_on_one_half(tmp_path, capsys):
    root = tmp_path / "corpora"
    (root / "rosario_hearst_2004").mkdir(parents=True)
    shutil.copy(CORPORA / "rosario_hearst.txt", root / "rosario_hearst_2004" / "sentences_with_roles_and_relations.dev.txt")
    assert main(["eval", "--corpora", str(root), "--corpus", "rosario_hearst", "--half", "odd", "-q"]) == 0
    assert "dev (odd half)" in capsys.readouterr().out


def test_prevention_and_adverse_effects_are_scored_by_their_family(pipeline):
    from kg.corpora import read_pubtator_gold
    from kg.evaluation.relations import Reading, score_treats_pairs

    reading = Reading.with_families(pipeline.config)
    gold = read_rosario_hearst(CORPORA / "rosario_hearst.txt")
    claims = pipeline.run([g.document for g in gold]).claims
    prevents = score_treats_sentences(gold, claims, "PREVENT", "TREAT_PREV", "DIS_PREV",
                                      reading.families["prevention"], "prevention")
    assert (prevents["tp"], prevents["fp"], prevents["fn"]) == (1, 0, 0)  # "Aspirin may prevent colorectal cancer"
    gold = read_pubtator_gold(CORPORA / "gold.pubtator")
    claims = pipeline.run([g.document for g in gold]).claims
    adverse = score_treats_pairs(gold, claims, "CID", "Chemical", "Disease", {"Chemical": "Chemical", "Disease": "Disease"},
                                 ["MESH"], reading, "adverse")
    assert adverse["family"] == "adverse" and adverse["tp"] == 1 and adverse["fn"] == 0  # lithium-induced NDI
    treats_like = score_treats_pairs(gold, claims, "CID", "Chemical", "Disease", {"Chemical": "Chemical", "Disease": "Disease"},
                                     ["MESH"], reading)
    assert treats_like["tp"] == 0  # an induced disease is not read as treated
