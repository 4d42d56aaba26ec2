"""``kg_lexicon_tags``: the lexicon matcher's matches as one BIO tag per token, what the recogniser with
lexicon features reads."""

from __future__ import annotations


def test_each_token_gets_the_tag_of_its_lexicon_match(small_pipeline):
    from kg.nlp.english import build_english

    nlp = build_english(small_pipeline.lexicon, small_pipeline.config, lexicon_tags=True)
    assert nlp.pipe_names.index("kg_lexicon_tags") == nlp.pipe_names.index("kg_lexicon_matcher") + 1
    doc = nlp("Metformin is used for type 2 diabetes mellitus in mesenchymal stem cell donors.")
    tags = [(t.text, t.tag_) for t in doc]
    assert tags[:5] == [("Metformin", "B-drug"), ("is", "O"), ("used", "O"), ("for", "O"), ("type", "B-disease")]
    assert [t for _, t in tags[5:8]] == ["I-disease"] * 3
    assert [t for w, t in tags if w in ("mesenchymal", "stem", "cell")] == ["B-cell", "I-cell", "I-cell"]


def test_a_recogniser_trained_with_lexicon_features_is_reproducible_and_reads_the_tags(small_config, tmp_path):
    from kg.corpora import read_pubtator_gold
    from kg.nlp.english import build_english
    from kg.ontology import load_lexicon
    from kg.training.ner import blank_nlp, lexicon_featurizer, train, training_examples
    from tests.conftest import FIXTURES, TYPE_MAP

    gold = read_pubtator_gold(FIXTURES / "corpora" / "gold.pubtator")
    featurize = lexicon_featurizer(small_config)
    for out in ("a", "b"):
        examples = training_examples(blank_nlp(), gold, TYPE_MAP, featurize=featurize)
        train(examples, ["Chemical", "Disease"], epochs=5, seed=1, out=tmp_path / out, lexicon_features=True)
    assert (tmp_path / "a" / "ner" / "model").read_bytes() == (tmp_path / "b" / "ner" / "model").read_bytes()
    assert [t.tag_ for t in featurize("Metformin treats liver cirrhosis.")] == ["B-drug", "O", "B-disease", "I-disease", "O"]
    nlp = build_english(load_lexicon(config=small_config), small_config, ner=tmp_path / "a")
    assert nlp.pipe_names.index("kg_lexicon_tags") < nlp.pipe_names.index("kg_ner")
