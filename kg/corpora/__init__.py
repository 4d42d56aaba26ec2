"""Annotated corpora: the gold records and the readers of their formats (``gold``: PubTator, Knowtator XML,
Rosario–Hearst tagged sentences), the corpora ``corpora.toml`` describes (``registry``), and kg's own
mentions written as PubTator annotations (``pubtator``). No spaCy here."""

from kg.corpora.gold import (GOLD_READERS, GoldDocument, GoldMention, GoldRelation, locate, normalise_id,
                             read_knowtator, read_pubtator_gold, read_rosario_hearst, section_offsets, split_ids)
from kg.corpora.pubtator import pubtator_id, write_pubtator
from kg.corpora.registry import HALVES, Corpora, default_corpora_dir, half_of
from kg.corpora.tagged import with_tagged_spans

__all__ = ["HALVES", "Corpora", "GOLD_READERS", "GoldDocument", "GoldMention", "GoldRelation", "default_corpora_dir", "half_of", "locate",
           "normalise_id", "pubtator_id", "read_knowtator", "read_pubtator_gold", "read_rosario_hearst",
           "section_offsets", "split_ids", "with_tagged_spans", "write_pubtator"]
