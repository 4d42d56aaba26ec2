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
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

import networkx as nx

from kg import ids
from kg.config import Config
from kg.model import Claim, Document
from kg.ontology import TypePolicy, ZhLexicon

log = logging.getLogger(__name__)


def _families(config: Config) -> dict[str, tuple[str, int]]:
    """Biolink predicate CURIE -> (family name, rank within the family; lower is more cautious)."""
    return {p: (family, rank) for family, preds in config.families.items() for rank, p in enumerate(preds)}


def document_languages(documents: Iterable[Document], langs: Sequence[str],
                       sections: Sequence[str]) -> dict[str, frozenset[str]]:
    """For each document, the languages among ``langs`` it has a section to read (``sections``) in."""
    return {d.id: frozenset(s.lang for s in d.sections
                            if s.kind in sections and s.lang in langs and s.text.strip()) for d in documents}


def _family_key(c: Claim, families: dict[str, tuple[str, int]]) -> tuple:
    doc = c.evidence[0].doc_id if c.evidence else ""
    family = families.get(c.predicate, (c.predicate, 0))[0]
    return (doc, c.subject.curie, family, c.object.curie, c.direction or "", c.negated)


def reconcile(claims: Sequence[Claim], config: Config) -> list[Claim]:
    """Claims of one document and family read with different predicates in different languages get the
    family's most cautious predicate among them (so they merge into one edge). Others are unchanged."""
    families = _families(config)
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        groups[_family_key(c, families)].append(i)
    by_biolink = {p.biolink: p for p in config.predicates.values()}
    out = list(claims)
    for key, idx in groups.items():
        predicates = {claims[i].predicate for i in idx}
        langs = {e.lang for i in idx for e in claims[i].evidence}
        if len(predicates) < 2 or len(langs) < 2:
            continue
        chosen = min(predicates, key=lambda p: families.get(p, ("", 99))[1])
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


class Labeller:
    """Node labels in one language (``lang``): the language's lexicon's label of the node's identifier
    or an equivalent; for composed concepts and minted therapies, their rule's label in that language
    around the label of their head or agent."""

    def __init__(self, zh: ZhLexicon, config: Config, lang: str = "zh"):
        self.zh = zh
        self.templates = {name: r.languages[lang].label for name, r in config.compositions.items() if lang in r.languages}
        self.therapy = TypePolicy.from_config(config).therapy.minted_labels.get(lang)

    def label(self, node: str, d: Mapping, lookup: Callable[[str], Mapping | None]) -> str | None:
        """The label of ``node`` (attributes ``d``); ``lookup`` gives another node's attributes (or None)."""
        found = self.zh.label([node, *sorted(d.get("equivalents") or ())])
        if found:
            return found
        head = d.get("composed_of")
        head_d = lookup(head) if head else None
        if head_d is not None:
            name = ids.composition_rule(node, head)
            head_label = self.zh.label([head, *sorted(head_d.get("equivalents") or ())])
            if self.templates.get(name) and head_label:
                return self.templates[name].format(label=head_label)
        agent = d.get("agent")
        agent_d = lookup(agent) if agent and self.therapy and ids.is_therapy(node) else None
        if agent_d is not None:
            agent_label = self.zh.label([agent, *sorted(agent_d.get("equivalents") or ())])
            if agent_label:
                return self.therapy.format(label=agent_label)
        return None


def add_labels(graph: nx.MultiDiGraph, zh: ZhLexicon, config: Config, lang: str = "zh") -> int:
    """Give each node its label in ``lang`` (``labels[lang]``, see ``Labeller``). Returns how many nodes
    got one."""
    labeller = Labeller(zh, config, lang)
    nodes = graph.nodes

    def lookup(curie: str) -> Mapping | None:
        return nodes[curie] if curie in graph else None

    n = 0
    for node in sorted(graph.nodes):
        label = labeller.label(node, nodes[node], lookup)
        if label:
            nodes[node].setdefault("labels", {})[lang] = label
            n += 1
    return n
