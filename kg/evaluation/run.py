"""``kg eval``: run the pipeline over annotated corpora and score mentions, normalisation and claims.

Nothing here imports spaCy: it runs the library pipeline and compares records.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path

from kg.config import Config
from kg.corpora import HALVES, Corpora, GoldDocument, half_of
from kg.errors import KgError
from kg.evaluation.relations import (Reading, score_not_treats, score_treats_pairs, score_treats_sentences,
                                     score_treats_strings, with_tagged_entities)
from kg.evaluation.report import format_table, results_json
from kg.evaluation.scores import CorpusResult, score_kinds, score_mentions
from kg.files import write_atomic
from kg.ground import Identifiers
from kg.pipeline import Pipeline

log = logging.getLogger(__name__)

RELATION_KINDS = ("treats_pairs", "not_treats", "treats_sentence", "treats_strings")


PARTS = ("choose", "held_out")


def bucket_of(document, buckets: int) -> int:
    """A document's bucket among ``buckets``: a digest of its text (not of its position or id), so the
    same text is in the same bucket in every copy and order of the corpus (``document``: a Document, or the
    record's text as the corpus gives it)."""
    text = document if isinstance(document, str) else "\n".join(s.text for s in document.sections)
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16) % buckets


def part_of(gold: Sequence[GoldDocument], part: str | None, spec) -> list[GoldDocument]:
    """The part of a split that choices are made on (``choose``) or the part no choice looks at
    (``held_out``), as the corpus's ``held_out`` table of corpora.toml defines it (the documents whose
    text falls in bucket ``bucket`` of ``buckets``); ``None``: all."""
    if part is None:
        return list(gold)
    if part not in PARTS:
        raise KgError(f"unknown part {part!r}; expected one of: {', '.join(PARTS)}")
    if "held_out" not in spec:
        raise KgError("this corpus defines no held-out part ([corpus.NAME] held_out in corpora.toml)")
    t = spec.table("held_out")
    buckets, bucket = t.integer("buckets"), t.integer("bucket")
    keep = part == "held_out"
    return [g for g in gold if (bucket_of(g.key or g.document, buckets) == bucket) == keep]
def evaluate_corpus(pipeline, name: str, split: str = "dev", root: str | Path | None = None,
                    limit: int = 0, progress: bool = False, half: str | None = None,
                    part: str | None = None) -> CorpusResult:
    """Run ``pipeline`` (a ``kg.pipeline.Pipeline``) over one corpus split (or one half of it, see
    ``half_of``, or one part, see ``part_of``) and score it."""
    corpora = Corpora(pipeline.config, root)
    cfg = corpora.spec(name)
    reading = Reading.with_families(pipeline.config)
    cats = cfg.table("categories", {})
    identifiers = Identifiers(pipeline.lexicon, pipeline.config, {c: cats.string(c) for c in cats})
    gold = part_of(half_of(corpora.load(name, split), half), part, cfg)
    if limit:
        gold = gold[:limit]
    t = time.perf_counter()
    kg = pipeline.run([g.document for g in gold], progress=progress)
    seconds = time.perf_counter() - t
    types = cfg.table("types", {})
    type_map = {k: types.string(k) for k in types}
    label = split if half is None else f"{split} ({half} half)"
    label = label if part is None else f"{label} ({part.replace('_', '-')} part)"
    result = CorpusResult(name, label, len(gold), seconds=seconds)
    if type_map:
        result.types = score_mentions(gold, kg.annotated, type_map, cfg.strings("normalise", ()), identifiers)
        result.kinds = score_kinds(gold, kg.annotated, type_map, identifiers)
    if "relation" in cfg or "relations" in cfg:
        given: list | None = None
        for rel in (cfg.tables("relations") if "relations" in cfg else (cfg.table("relation"),)):
            x, given = _score_relation(pipeline, rel, cfg, gold, kg, type_map, reading, given)
            result.relations.append(x[0])
            if x[1] is not None:
                result.relations_given.append(x[1])
    return result


def _score_relation(pipeline, rel, cfg, gold, kg, type_map, reading: Reading, given):
    """One relation of a corpus: (its scores, the same with the tagged entities given or None), and the
    claims made with the tagged entities given (made once per corpus, on first need)."""
    prefixes = cfg.strings("normalise", ("MESH",))
    kind = rel.choice("kind", RELATION_KINDS)
    family = rel.string("family", "treats")
    if family != "treats" and family not in reading.families:
        raise rel.error("family", f"no predicate family {family!r} in relations.toml [families]")
    if kind == "treats_pairs":
        return (score_treats_pairs(gold, kg.claims, rel.string("type"), rel.string("subject"), rel.string("object"),
                                   type_map, prefixes, reading, family), None), given
    if kind == "not_treats":
        return (score_not_treats(gold, kg.claims, rel.string("type"), prefixes, reading), None), given
    if kind == "treats_strings":
        return (score_treats_strings(gold, kg.claims, rel.strings("types"), reading), None), given
    positive, subject, obj = rel.string("positive"), rel.string("subject"), rel.string("object")
    predicates = reading.families.get(family) if family != "treats" else None
    if given is None:  # the spans tagged as any treatment or disease: `tagged` of the corpus, else this relation's
        tagged = cfg.table("tagged", None)
        s_tag, o_tag = (tagged.string("subject"), tagged.string("object")) if tagged is not None else (subject, obj)
        given = with_tagged_entities(pipeline, kg.annotated, gold, s_tag, o_tag, reading)
    return (score_treats_sentences(gold, kg.claims, positive, subject, obj, predicates, family),
            score_treats_sentences(gold, given, positive, subject, obj, predicates, family)), given


def run_evaluation(corpora: Sequence[str] | None = None, split: str = "dev", root: str | Path | None = None,
                   ontologies: Sequence[str | Path] = (), markdown: str | Path | None = None,
                   json_path: str | Path | None = None, limit: int = 0, progress: bool = False,
                   breakdown: bool = False, half: str | None = None, config: Config | None = None,
                   part: str | None = None, **pipeline_options) -> str:
    """Evaluate a pipeline on the named corpora (default: every known corpus present under ``root`` that
    has ``split``), or on one half of each split (``half``: "even" or "odd", see ``half_of``); returns the
    table and writes the Markdown / JSON files asked for."""
    config = config or Config.default()
    registry = Corpora(config, root)
    root = registry.root
    if half is not None and half not in HALVES:
        raise KgError(f"unknown half {half!r}; expected one of: {', '.join(HALVES)}")
    if part is not None and part not in PARTS:
        raise KgError(f"unknown part {part!r}; expected one of: {', '.join(PARTS)}")
    if not root.is_dir():
        raise KgError("corpora folder not found (pass --corpora or set KG_CORPORA)", root)
    if corpora:
        names = list(corpora)
        for n in names:
            registry.spec(n)  # an unknown name is an error
    else:
        names = [n for n in registry.names() if registry.present(n, split)]
        if not names:
            raise KgError(f"no known corpus with a {split!r} split under this folder", root)
    pipeline = Pipeline(ontologies, config=config, **pipeline_options)
    results = []
    for n in names:
        log.info("evaluating %s (%s)", n, split)
        results.append(evaluate_corpus(pipeline, n, split, root, limit=limit, progress=progress, half=half,
                                       part=part))
    table = format_table(results, kinds=breakdown)
    if markdown:
        write_atomic(markdown, format_table(results, markdown=True, kinds=True))
    if json_path:
        write_atomic(json_path, json.dumps(results_json(results), indent=1, sort_keys=True) + "\n")
    return table
