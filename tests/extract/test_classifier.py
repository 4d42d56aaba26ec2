"""The claim classifier: its model file, the features of a candidate pair, and how it decides the
therapy -> condition claims of a sentence (with the shipped model, and with the rules alone)."""

from __future__ import annotations

import json

import pytest

from kg.errors import KgError
from kg.extract.classifier import ClaimModel, FeatureSpec, SentenceTokens, Thresholds, choose
from kg.model import Document, Section


def _doc(text: str) -> Document:
    return Document("kgdoc:c", "t", (Section("abstract", text),))


def test_a_model_file_round_trips_byte_for_byte():
    m = ClaimModel(("adverse", "treats"), (-1.5, 0.25), {"b:for": (0.0, 1.25), "v:treats": (-0.5, 2.0)},
                   FeatureSpec(window=2), {"seed": 0})
    text = m.dumps()
    again = ClaimModel.loads(text)
    assert again.dumps() == text and again.spec.window == 2 and again.weights["b:for"] == (0.0, 1.25)
    assert json.loads(text)["classes"] == ["adverse", "treats"]
    p = again.probabilities(["b:for", "v:treats", "unknown feature"])
    assert p["treats"] == pytest.approx(1 / (1 + 2.718281828 ** -(0.25 + 1.25 + 2.0)), rel=1e-6)
    assert p["adverse"] < 0.2


def test_a_malformed_model_is_one_error_naming_the_file(tmp_path):
    bad = tmp_path / "m.json"
    bad.write_text('{"classes": ["treats"], "intercept": [0.1, 0.2], "weights": {}}', encoding="utf-8")
    with pytest.raises(KgError, match="m.json"):
        ClaimModel.load(bad)
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(KgError, match="malformed claim model"):
        ClaimModel.load(bad)


def test_the_most_probable_family_is_chosen_when_over_its_threshold():
    limits = {"treats": Thresholds(0.2, 0.5), "adverse": Thresholds(0.4, 0.4)}
    assert choose({"treats": 0.3, "adverse": 0.1}, {"treats"}, limits) == ("treats", 0.3)
    assert choose({"treats": 0.3, "adverse": 0.1}, set(), limits) == (None, 0.0)  # no rule: the higher bar
    assert choose({"treats": 0.45, "adverse": 0.6}, {"treats"}, limits) == ("adverse", 0.6)
    assert choose({"treats": 0.3, "adverse": 0.35}, {"treats"}, limits) == (None, 0.0)  # likelier adverse, below its bar


def test_pair_features_mask_the_mentions_and_carry_the_rules_verdict(pipeline):
    ex = pipeline.extractor
    kg = pipeline.run([_doc("Lithium is used for bipolar disorder in adults.")])
    ((st, pairs),) = list(ex.candidate_pairs(kg.annotated[0], ex.pair_reader()))
    (p,) = pairs
    assert (p.subject.text, p.object.text) == ("Lithium", "bipolar disorder")
    f = set(p.all_features)
    assert {"o:SO", "b:used", "b:for", "bb:S is", "bb:for O", "r:in", "v:treats", "st:drug", "ot:disease"} <= f
    assert "w:used" in p.shared and "w:used" not in p.features  # the sentence's words: scored once per sentence
    # the mentions are masked; only their head words are features of their own
    assert {x for x in f if "lithium" in x or "bipolar" in x or "disorder" in x} == {"sh:lithium", "oh:disorder"}
    toks = SentenceTokens(st, ex.classifier.subject_types, ex.classifier.object_types)
    assert toks.tokens[:3] == ["<T>", "is", "used"]


def test_grouped_features_score_as_their_strings_on_real_sentences(pipeline):
    from kg.extract.classifier import joined

    ex = pipeline.extractor
    model = ex.classifier.model
    text = ("Mesenchymal stem cells (MSCs) are expected to be used clinically for liver cirrhosis caused by various "
            "etiologies, acute-on-chronic liver failure, chronic liver failure, and complications post-liver "
            "transplantation. Lithium is used for bipolar disorder in adults, but not for schizophrenia. "
            "Hepatitis developed in patients receiving isoniazid and rifampicin; aspirin may prevent stroke.")
    kg = pipeline.run([_doc(text)])
    pairs = [p for _, ps in ex.candidate_pairs(kg.annotated[0], ex.pair_reader()) for p in ps]
    assert len(pairs) >= 8
    for p in pairs:
        strings = p.features
        assert len(strings) == len(set(strings)) == sum(len(words) for _, words in p.parts)  # each feature once
        for _, words in p.parts:
            assert len(set(words)) == len(words)
        base = model.part_scores(p.shared_parts)
        assert base == pytest.approx(model.scores(p.shared), abs=1e-12)
        got = model.part_probabilities(p.parts, base)
        assert got == pytest.approx(model.probabilities(strings, model.scores(p.shared)), abs=1e-12)
        assert set(joined(p.parts)) == set(strings)


def test_the_shipped_model_scores_claims_and_keeps_the_predicate_choice(extract):
    claims, _ = extract("Lithium is used for bipolar disorder.")
    (c,) = [c for c in claims if c.claim_type == "treats"]
    assert c.predicate == "biolink:applied_to_treat"  # the rules' choice: an unhedged "used for"
    assert 0.5 < c.score < 1.0 and c.score != 0.9  # the classifier's probability, not the rules' weight
    claims, _ = extract("Metformin is cheap, but type 2 diabetes is common.")
    assert claims == []  # no claim across a clause break, from the rules or the classifier


def test_the_classifier_adds_a_claim_no_rule_makes(pipeline):
    from kg.pipeline import Pipeline

    text = "Valvular heart disease associated with fenfluramine and phentermine."
    rules = Pipeline(lexicon=pipeline.lexicon, lang="en", fuzzy=False, classifier=False).run([_doc(text)]).claims
    learned = pipeline.run([_doc(text)]).claims
    pairs = lambda cs: {(c.subject.label, c.object.label) for c in cs if c.claim_type == "adverse"}  # noqa: E731
    assert pairs(rules) == {("Fenfluramine", "heart valve disorder")}
    assert pairs(learned) == {("Fenfluramine", "heart valve disorder"), ("Phentermine", "heart valve disorder")}
    added = next(c for c in learned if c.subject.label == "Phentermine")
    assert added.evidence[0].trigger == "" and added.score >= 0.4  # [classifier.thresholds] adverse


def test_a_pair_a_prevention_rule_joined_is_left_to_it(extract):
    claims, _ = extract("Aspirin for the prevention of colorectal cancer.")
    assert {c.claim_type for c in claims if c.claim_type in ("treats", "prevention", "adverse")} == {"prevention"}


def test_a_pair_may_span_a_titles_colon_but_not_a_contrast(extract):
    claims, _ = extract("Treatment of psoriasis: colchicine.")
    (c,) = [c for c in claims if c.claim_type == "treats"]
    assert (c.subject.label, c.object.label, c.evidence[0].trigger) == ("Colchicine", "psoriasis", "")
    claims, _ = extract("Aspirin is cheap, whereas stroke is deadly.")
    assert claims == []


def test_the_items_of_a_coordinated_list_share_the_likeliest_items_probability():
    from kg.extract.classifier import list_probabilities

    probs = list_probabilities([(("treats|0|used for",), {"treats": 0.8, "adverse": 0.1}),
                                (("treats|0|used for",), {"treats": 0.15, "adverse": 0.3}),
                                ((), {"treats": 0.15, "adverse": 0.0})])
    assert [p["treats"] for p in probs] == [0.8, 0.8, 0.15]  # the unruled pair keeps its own
    assert probs[1]["adverse"] == 0.3


def test_the_seeds_coordinated_list_is_read_whole(extract):
    claims, _ = extract("Mesenchymal stem cells (MSCs) are expected to be used clinically for liver cirrhosis caused by "
                        "various etiologies, acute-on-chronic liver failure, chronic liver failure, and complications "
                        "post-liver transplantation.")
    got = {c.object.label for c in claims if c.predicate == "biolink:studied_to_treat"}
    assert got == {"cirrhosis of liver", "Acute-On-Chronic Liver Failure", "chronic liver failure",
                   "complication of liver transplantation"}
    assert len({c.score for c in claims if c.claim_type == "treats"}) == 1  # one verdict for the list
