"""Long texts: read in pieces under spaCy's limit, by components whose cost is linear in the length and
whose output is that of the components they replace (medspaCy's ConText, scispaCy's abbreviation
detector)."""

from __future__ import annotations

import pytest

from kg.config import Config
from kg.model import Document, Section
from kg.nlp.records import annotate, pieces
from tests.conftest import ROOT, SEED, SHARED

BC5CDR = SHARED / "corpora/bc5cdr/CDR_TrainingSet.PubTator.txt"


def _texts() -> list[str]:
    from kg.ingest import read_documents

    texts = [SEED.read_text(encoding="utf-8"), (ROOT / "examples/paper.txt").read_text(encoding="utf-8")]
    texts += [s.text for d in read_documents(ROOT / "examples/abstracts.pubtator") for s in d.sections]
    if BC5CDR.is_file():
        texts += [" ".join(s.text for s in d.sections) for d in list(read_documents(BC5CDR))[:150]]
    return texts


def _edges(doc) -> list[tuple]:
    graph = doc._.context_graph
    mods = [(m.modifier_span, m.scope_span, m.category) for m in graph.modifiers]
    return mods + [(t.start, t.end, m.modifier_span, m.category) for t, m in graph.edges]


def test_context_finds_what_medspacys_component_finds(pipeline):
    from kg.nlp.context import context_rules
    from kg.nlp.doc import SPAN_GROUP
    from kg.nlp.english import build_english

    ours = pipeline.nlp
    theirs = build_english(pipeline.lexicon, pipeline.config)
    theirs.replace_pipe("kg_context", "medspacy_context", config={
        "rules": None, "input_span_type": "group", "span_group_name": SPAN_GROUP, "span_attrs": None})
    cfg = pipeline.config
    theirs.get_pipe("kg_context").add(context_rules(cfg.context_rules("en"), "context.en.json"))
    texts = _texts()
    edges = 0
    for a, b in zip(ours.pipe(texts), theirs.pipe(texts)):
        assert _edges(a) == _edges(b)
        edges += len(a._.context_graph.edges)
    assert edges > 20  # the texts have negated and hedged mentions to compare


def test_abbreviations_are_scispacys_and_those_that_begin_with_a_digit(pipeline):
    """kg's detector finds what scispaCy's does, and besides only short forms whose first character is a
    digit (Schwartz & Hearst's test: "5-fluorouracil (5-FU)"), which scispaCy's filter leaves out."""
    import spacy
    from scispacy.abbreviation import AbbreviationDetector  # noqa: F401  (registers "abbreviation_detector")

    from kg.nlp.tokenizer import TextKeepingTokenizer, scispacy_tokenizer

    ref = spacy.blank("en")
    ref.tokenizer = TextKeepingTokenizer(scispacy_tokenizer(ref))
    ref.add_pipe("sentencizer")
    ref.add_pipe("kg_sentence_fixer")
    ref.add_pipe("abbreviation_detector")
    texts = _texts()
    found = 0
    for a, b in zip(pipeline.nlp.pipe(texts), ref.pipe(texts)):
        mine = sorted((s.start, s.end, s._.long_form.start, s._.long_form.end) for s in a._.abbreviations
                      if not s.text[0].isdigit())
        assert mine == sorted((s.start, s.end, s._.long_form.start, s._.long_form.end) for s in b._.abbreviations)
        found += len(mine)
    assert found > 10


def test_a_short_form_may_begin_with_a_digit(pipeline):
    doc = pipeline.nlp("Patients received 5-fluorouracil (5-FU) weekly; 5-FU was stopped after 10 days (2). "
                       "Doses of cisplatin (10 mg) were lowered.")
    found = sorted((s.text, s._.long_form.text) for s in doc._.abbreviations)
    assert found == [("5-FU", "5-fluorouracil"), ("5-FU", "5-fluorouracil")]


@pytest.mark.parametrize("text, limit", [
    ("one paragraph.\n\n" * 300, 1000),
    ("a line without paragraphs\n" * 400, 1000),
    ("Sentences only. " * 500, 1000),
    ("x" * 5000, 1000),  # no break at all: cut at the limit
    ("short", 1000),
])
def test_pieces_join_to_the_text_and_keep_the_limit(text, limit):
    parts = pieces(text, limit)
    assert "".join(p for _, p in parts) == text
    assert all(len(p) <= limit for _, p in parts)
    assert [at for at, _ in parts] == [sum(len(p) for _, p in parts[:i]) for i in range(len(parts))]
    if "\n\n" in text:
        assert all(p.startswith("\n\n") for _, p in parts[1:])


def test_a_text_in_pieces_gives_the_mentions_of_the_whole(pipeline, tmp_path):
    paper = (ROOT / "examples/paper.txt").read_text(encoding="utf-8")
    # paragraphs that end their last sentence (a cut between pieces always ends a sentence; a heading
    # without a full stop is read with the next paragraph's first sentence in one Doc)
    paras = [p.strip() for p in paper.split("\n\n") if p.strip().endswith(".")]
    body = "\n\n".join(paras * 60)
    (tmp_path / "pipeline.toml").write_text('languages = ["en", "zh"]\nsections = ["title", "abstract", "body"]\n'
                                            "piece_chars = 4000\n", encoding="utf-8")
    small = Config.load(tmp_path)
    doc = Document("kgdoc:long", "long", (Section("body", body),))
    whole = annotate([doc], pipeline.nlp, pipeline.lexicon, pipeline.config)[0]
    parts = annotate([doc], pipeline.nlp, pipeline.lexicon, small)[0]
    assert len(pieces(body, 4000)) >= 5
    key = lambda m: (m.start, m.end, m.text, m.type, m.groundings, m.context)  # noqa: E731
    assert [key(m) for m in parts.mentions] == [key(m) for m in whole.mentions]
    assert [m.sentence for m in parts.mentions] == [m.sentence for m in whole.mentions]
    assert parts.sentences == whole.sentences and parts.cues == whole.cues


def test_a_text_over_spacys_limit_is_read(pipeline):
    body = ("Mesenchymal stem cells were given to patients with liver cirrhosis. " * 15_000)
    assert len(body) > pipeline.nlp.max_length
    kg = pipeline.run([Document("kgdoc:huge", "huge", (Section("body", body),))])
    (ad,) = kg.annotated
    assert ad.mentions[-1].end > pipeline.nlp.max_length  # mentions past the limit, at their offsets
    assert body[ad.mentions[-1].start : ad.mentions[-1].end] == ad.mentions[-1].text
