"""The Chinese recognition pipeline: spaCy's Chinese language segmented by a jieba tokenizer of kg's own
(every Chinese lexicon term and ConText cue added to its dictionary so that each stays one word; pkuseg
needs a model download), the sentencizer, ``kg_zh_lexicon_matcher`` and medspaCy's ConText with Chinese
cues. Built only when a document has a Chinese section to read (jieba's dictionary takes about half a
second)."""

from __future__ import annotations

import spacy
from spacy.lang.zh import Segmenter
from spacy.language import Language

from kg.config import Config
from kg.nlp.context import add_context
from kg.nlp.segmenter import JiebaSegmenter, read_char_table, width_table
from kg.nlp.tokenizer import TextKeepingTokenizer
from kg.nlp.zh_matcher import ZhLexiconMatcher
from kg.ontology import Lexicon, ZhLexicon


def segmenter_words(zh: ZhLexicon, config: Config) -> list[str]:
    """The words added to jieba: multi-character ConText cues and the segmenter's extra words (the
    lexicon's terms are cut whole by the segmenter's own matching, ``kg.nlp.segmenter``)."""
    words = {r["literal"] for r in config.context_rules("zh") if len(r["literal"]) > 1}
    words.update(config.recognition("zh").table("segmenter", {}).strings("extra_words", ()))
    return sorted(words)


def class_words(config: Config) -> list[str]:
    """The class words of recognition.zh.toml ([heads.words]: 抗生素, 支持治疗 …), cut whole by the
    segmenter as the lexicon's terms are (jieba cuts 支持/治疗)."""
    heads = config.recognition("zh").table("heads", {})
    words = heads.table("words", {}) if heads else {}
    return sorted({w for typ in words for w in words.strings(typ)})


def build_chinese(lexicon: Lexicon, zh: ZhLexicon, config: Config) -> Language:
    """The Chinese recognition pipeline over ``lexicon`` (identifiers) and ``zh`` (Chinese terms)."""
    nlp = spacy.blank("zh")  # character segmentation: spaCy would otherwise set up jieba's global dictionary
    seg = config.recognition("zh").table("segmenter", {})
    nlp.tokenizer.segmenter = Segmenter.jieba
    table = read_char_table(config.ontologies / seg.string("characters")) | width_table()
    jieba_seg = JiebaSegmenter(segmenter_words(zh, config), hmm=seg.boolean("hmm", False), terms=(*zh.terms, *class_words(config)),
                               inside_min=seg.integer("inside_min"), table=table)
    nlp.tokenizer.jieba_seg = jieba_seg
    nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)  # the matcher and the reader need the text again
    nlp.add_pipe("sentencizer")
    matcher: ZhLexiconMatcher = nlp.add_pipe("kg_zh_lexicon_matcher")
    matcher.use(lexicon, zh, config, table, jieba_seg.terms.prefixes)  # its terms hold the matcher's
    return add_context(nlp, config, "zh")
