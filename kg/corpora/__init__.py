"""Annotated corpora: the gold records and the readers of their formats (``gold``: PubTator, Knowtator XML,
Rosario–Hearst tagged sentences), the corpora ``corpora.toml`` describes (``registry``), and kg's own
mentions written as PubTator annotations (``pubtator``) and as BioC (``bioc``). No spaCy here."""

from kg.corpora.bioc import write_bioc_json, write_bioc_xml
from kg.corpora.gold import (GOLD_READERS, GoldDocument, GoldMention, GoldRelation, locate, normalise_id, occurrences,
                             read_bioc_gold, read_cmeee, read_cmeie,
                             read_knowtator, read_pubtator_gold, read_rosario_hearst, section_offsets, split_ids)
from kg.corpora.pubtator import pubtator_id, write_pubtator
from kg.corpora.registry import HALVES, Corpora, default_corpora_dir, half_of
from kg.corpora.tagged import with_tagged_spans

__all__ = ["HALVES", "Corpora", "GOLD_READERS", "GoldDocument", "GoldMention", "GoldRelation", "default_corpora_dir",
           "half_of", "locate", "normalise_id", "occurrences", "pubtator_id", "read_bioc_gold", "read_cmeee", "read_cmeie",
           "read_knowtator", "read_pubtator_gold", "read_rosario_hearst", "section_offsets", "split_ids",
           "with_tagged_spans", "write_bioc_json", "write_bioc_xml", "write_pubtator"]
