"""Aligning what the languages of one document say: one claim per fact, with evidence from each language.

The Chinese and English abstracts of a bilingual article describe the same claims. After extraction,
``reconcile`` gives the claims of one document that differ only in their treats-family predicate the
same (most cautious) predicate, so assembly merges them into one edge whose evidence holds the
sentences of both languages. After assembly, ``mark_alignment`` records on each edge of a multilingual
document the languages it was read in and whether it was read in all of them (``aligned``); a claim
read in one language only is kept, logged and flagged. ``add_labels`` gives nodes their Chinese labels.
"""

from __future__ import annotations

import dataclasses
import logging
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import networkx as nx

from kg.extract import load_predicates
from kg.lexicon_zh import ZhLexicon
from kg.model import Claim, Document
from kg.resources import data_path

log = logging.getLogger(__name__)

READ_SECTIONS = ("title", "abstract")


@lru_cache(maxsize=1)
def _families() -> dict[str, tuple[str, int]]:
    """Biolink predicate CURIE -> (family name, rank within the family; lower is more cautious)."""
    with open(data_path("alignment.toml"), "rb") as fh:
        cfg = tomllib.load(fh)
    preds = load_predicates()
    out: dict[str, tuple[str, int]] = {}
    for family, names in cfg.get("families", {}).items():
        for rank, name in enumerate(names):
            out[preds[name].biolink] = (family, rank)
    return out


def document_languages(documents: Iterable[Document], langs: Sequence[str]) -> dict[str, frozenset[str]]:
    """For each document, the languages among ``langs`` it has a title or abstract in."""
    return {d.id: frozenset(s.lang for s in d.sections
                            if s.name in READ_SECTIONS and s.lang in langs and s.text.strip()) for d in documents}


def _family_key(c: Claim) -> tuple:
    doc = c.evidence[0].doc_id if c.evidence else ""
    family = _families().get(c.predicate, (c.predicate, 0))[0]
    return (doc, c.subject.curie, family, c.object.curie, c.direction or "", c.negated)


def reconcile(claims: Sequence[Claim]) -> list[Claim]:
    """Claims of one document and family read with different predicates in different languages get the
    family's most cautious predicate among them (so they merge into one edge). Others are unchanged."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        groups[_family_key(c)].append(i)
    by_biolink = {p.biolink: p for p in load_predicates().values()}
    out = list(claims)
    for key, idx in groups.items():
        predicates = {claims[i].predicate for i in idx}
        langs = {e.lang for i in idx for e in claims[i].evidence}
        if len(predicates) < 2 or len(langs) < 2:
            continue
        chosen = min(predicates, key=lambda p: _families().get(p, ("", 99))[1])
        log.info("languages disagree on %s %s %s (%s): taking %s", key[1], "/".join(sorted(predicates)), key[3],
                 key[0], chosen)
        relation = by_biolink[chosen].relation if chosen in by_biolink else claims[idx[0]].relation
        for i in idx:
            if out[i].predicate != chosen:
                out[i] = dataclasses.replace(out[i], predicate=chosen, relation=relation)
    return out


def mark_alignment(graph: nx.MultiDiGraph, doc_langs: Mapping[str, frozenset[str]]) -> tuple[int, int]:
    """Set ``languages`` (those its evidence is in) and ``aligned`` (read in every language of each of
    its multilingual documents) on the edges whose evidence comes from a document read in more than one
    language; log the others. Returns (aligned, single-language) edge counts."""
    aligned = single = 0
    for s, o, k, d in graph.edges(keys=True, data=True):
        found: dict[str, set[str]] = defaultdict(set)
        for e in d["evidence"]:
            found[e.doc_id].add(e.lang)
        multi = {doc: doc_langs.get(doc, frozenset()) for doc in found if len(doc_langs.get(doc, ())) > 1}
        if not multi:
            continue
        d["languages"] = set().union(*found.values())
        missing = {doc: sorted(langs - found[doc]) for doc, langs in multi.items() if langs - found[doc]}
        d["aligned"] = not missing
        if missing:
            single += 1
            for doc, langs in sorted(missing.items()):
                log.info("claim read in %s only, not in %s: %s %s %s (%s)", "/".join(sorted(found[doc])),
                         "/".join(langs), s, d["predicate"], o, doc)
        else:
            aligned += 1
    return aligned, single


def add_labels(graph: nx.MultiDiGraph, zh: ZhLexicon) -> int:
    """Give each node its Chinese label (``labels['zh']``): the Chinese lexicon's label of its identifier
    or an equivalent; for composed concepts and minted therapies, their rule's Chinese label around the
    Chinese label of their head. Returns how many nodes got one."""
    from kg.recognize_zh import zh_policy

    cfg = zh_policy()
    templates = {r["name"]: r.get("label") for r in cfg.get("composition", [])}
    therapy = cfg.get("therapy", {}).get("minted_label")

    def label_of(node: str) -> str | None:
        d = graph.nodes[node]
        found = zh.label([node, *sorted(d.get("equivalents") or ())])
        if found:
            return found
        head = d.get("composed_of")
        if head and head in graph:
            name = node.split(":", 1)[1].split(f"_{head.replace(':', '_')}")[0]
            head_label = zh.label([head, *sorted(graph.nodes[head].get("equivalents") or ())])
            if templates.get(name) and head_label:
                return templates[name].format(label=head_label)
        agent = d.get("agent")
        if agent and therapy and node.startswith("kgid:therapy_") and agent in graph:
            agent_label = zh.label([agent, *sorted(graph.nodes[agent].get("equivalents") or ())])
            if agent_label:
                return therapy.format(label=agent_label)
        return None

    n = 0
    for node in sorted(graph.nodes):
        label = label_of(node)
        if label:
            graph.nodes[node].setdefault("labels", {})["zh"] = label
            n += 1
    return n
