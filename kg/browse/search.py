"""The search index: every label, synonym and identifier of the graph's entities, classes and documents,
English and Chinese, in memory, made once from the store.

A name is cut into tokens (words; each CJK character a token of its own), so a query matches names whose
tokens start with the query's tokens, in any order, and Chinese matches within words. A hit on an
equivalent of an entity (a ``skos:exactMatch`` id, or the label of a merged class that is one) is a hit on
the entity. Hits are ranked: the whole name, then the name's start, then any match; labels before synonyms;
entities of the graph before other classes; shorter names first.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from kg.browse.data import ARTICLE, BL, DCT, EXACT, KGV, LABEL, NOT_ENTITIES, RDF_TYPE, SYNONYMS, Reader

_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
KINDS = {LABEL: "label", DCT + "title": "title", DCT + "identifier": "identifier", **SYNONYMS}
MAX_CANDIDATES = 50_000


def normalize(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalize(text))


@dataclass(frozen=True)
class Hit:
    iri: str  # the entity, class or document found
    curie: str
    label: str
    matched: str  # the name that matched
    kind: str  # label, synonym, identifier, title ...
    categories: tuple[str, ...]
    document: bool
    rank: tuple


class SearchIndex:
    """Names of the graph's nodes, searchable by token prefixes."""

    def __init__(self, entries: list[tuple[str, str, str]], info: dict[str, tuple[str, tuple[str, ...], bool, bool, str]]):
        self.entries = entries  # (target IRI, name, kind)
        self.info = info  # target IRI -> (label, categories, is a document, is an entity of the graph, CURIE)
        postings: dict[str, list[int]] = defaultdict(list)
        self.names = []
        for i, (target, name, kind) in enumerate(entries):
            norm = normalize(name)
            self.names.append(norm)
            for t in set(_TOKEN.findall(norm)):
                postings[t].append(i)
        self.tokens = sorted(postings)
        self.postings = [postings[t] for t in self.tokens]

    @classmethod
    def build(cls, reader: Reader) -> "SearchIndex":
        """The index of what the store holds now."""
        sel = reader.service.select
        types: dict[str, set[str]] = defaultdict(set)
        skip = ", ".join(f"<{t}>" for t in (BL + "Association", KGV + "TextEvidence"))
        for x, t in sel(f"SELECT ?x ?t WHERE {{ ?x <{RDF_TYPE}> ?t FILTER(?t NOT IN ({skip})) }}"):
            types[x.value].add(t.value)
        entities = {x.value for (x,) in sel(f"SELECT DISTINCT ?x WHERE {{ ?x <{KGV}entityType> ?t }}")}
        canon: dict[str, str] = {}
        pairs = sorted((x.value, y.value) for x, y in sel(f"SELECT ?x ?y WHERE {{ ?x <{EXACT}> ?y FILTER(isIRI(?y)) }}"))
        for a, b in pairs:
            if a in entities and b not in entities:
                canon.setdefault(b, a)
            elif b in entities and a not in entities:
                canon.setdefault(a, b)
        preds = " ".join(f"<{p}>" for p in KINDS)
        names: list[tuple[str, str, str]] = []
        labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for x, p, o in sel(f"SELECT ?x ?p ?o WHERE {{ VALUES ?p {{ {preds} }} ?x ?p ?o FILTER(isIRI(?x) && isLiteral(?o)) }}"):
            iri, pred = x.value, p.value
            kinds = types.get(iri, set())
            if kinds & NOT_ENTITIES and ARTICLE not in kinds:
                continue
            if pred in (LABEL, DCT + "title"):
                labels[iri].append((o.value, getattr(o, "language", None) or ""))
            names.append((canon.get(iri, iri), o.value, KINDS[pred]))
        targets = {t for t, _, _ in names} | entities
        info = {}
        for iri in targets:
            ls = sorted(labels.get(iri, []), key=lambda t: (t[1] not in ("", "en"), t[1], t[0]))
            cats = tuple(sorted(reader.curie(t) for t in types.get(iri, ()) if t.startswith(BL) and t not in NOT_ENTITIES))
            info[iri] = (ls[0][0] if ls else reader.curie(iri), cats, ARTICLE in types.get(iri, ()), iri in entities,
                         reader.curie(iri))
        for iri in sorted(targets):  # identifiers: the node's CURIE and those of its equivalents
            names.append((iri, reader.curie(iri), "identifier"))
        for other, iri in sorted(canon.items()):
            names.append((iri, reader.curie(other), "identifier"))
        return cls(sorted(set(names)), info)

    def __len__(self) -> int:
        return len(self.entries)

    def _matching(self, t: str) -> set[int]:
        """Entries with a token starting with ``t`` (one ASCII letter: equal to it; a prefix of one letter
        matches too much)."""
        lo = bisect.bisect_left(self.tokens, t)
        whole = len(t) == 1 and t.isascii()
        hi = lo + 1 if whole else bisect.bisect_left(self.tokens, t + "\U0010ffff")
        ids: set[int] = set()
        for k in range(lo, min(hi, len(self.tokens))):
            if self.tokens[k] == t or not whole and self.tokens[k].startswith(t):
                ids.update(self.postings[k])
            if len(ids) > MAX_CANDIDATES:
                break
        return ids

    def _candidates(self, qtokens: list[str]) -> set[int]:
        """Entries matching every query token (an English plural also as its singular: "MSCs", "cells")."""
        found: set[int] | None = None
        for t in sorted(set(qtokens), key=len, reverse=True):
            ids = self._matching(t)
            if len(t) > 2 and t.endswith("s") and t.isascii():
                ids |= self._matching(t[:-1])
            found = ids if found is None else found & ids
            if not found:
                return set()
        return found or set()

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """The best hits for a query, one per node."""
        q = normalize(query)
        qtokens = _TOKEN.findall(q)
        if not qtokens:
            return []
        best: dict[str, Hit] = {}
        for i in self._candidates(qtokens):
            target, name, kind = self.entries[i]
            norm = self.names[i]
            label, cats, is_doc, is_entity, curie = self.info.get(target, (name, (), False, False, target))
            place = 0 if norm == q else 1 if norm.startswith(q) else 2 if q in norm else 3
            rank = (place, kind not in ("label", "title", "identifier"), not is_entity, is_doc, len(norm), norm, target)
            if target not in best or rank < best[target].rank:
                best[target] = Hit(target, curie, label, name, kind, cats, is_doc, rank)
        return sorted(best.values(), key=lambda h: h.rank)[:limit]
