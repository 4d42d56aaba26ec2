"""The ontology lexicon: terms, their normalised keys for matching, entity types and equivalence clusters.

Loading the shipped lexicons compiles an index once and caches it (pickle) in the user's cache folder,
keyed by the content of every input file and of the policy that shapes the index, so later start-ups
only unpickle it.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from kg.config import Config
from kg.curie import curies_of
from kg.errors import KgError
from kg.files import cache_dir, write_cache
from kg.model import Mapping, Synonym, Term
from kg.ontology.drugs import drug_terms
from kg.ontology.drugs import fingerprint as drug_fingerprint
from kg.ontology.io import read_lexicon, read_ontology, read_sssom
from kg.ontology.normalize import Normalizer
from kg.ontology.policy import TypePolicy

log = logging.getLogger(__name__)

CACHE_VERSION = "11"
_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z0-9][A-Z0-9\-]{1,7}$")
EQUIVALENCE_PREDICATES = {"skos:exactMatch", "oboInOwl:hasDbXref", "owl:equivalentClass", "skos:closeMatch"}
CORPUS_SOURCE = "kg-corpus:"  # a lexicon source "kg-corpus:<type>" declares the type of the term's names
# What the policy of the index is made of (a change to any of them rebuilds the cached index).
INDEX_POLICY = ("types.toml", "normalization.toml", "stop_terms.txt")


def stop_terms(config: Config, norm: Normalizer) -> frozenset[tuple[str, ...]]:
    """The normalised keys of ``stop_terms.txt``: terms never matched."""
    return frozenset(norm.key(line) for line in config.stop_terms)


def corpus_filters_path(config: Config) -> Path:
    """The (term, type) pairs that precision on the corpora's train splits rules out (may be absent)."""
    return config.ontologies / "corpus_filters.tsv"


def corpus_filters(config: Config) -> dict[tuple[str, ...], frozenset[str]]:
    """Normalised term -> the entity types it must not be matched as (``ontologies/corpus_filters.tsv``,
    written by ``scripts/build_corpus_lexicon.py``: terms that were rarely a gold mention of that type
    where the lexicon matched them in the train splits)."""
    path = corpus_filters_path(config)
    if not path.is_file():
        return {}
    out: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) >= 2 and cols[0]:
            out[tuple(cols[0].split(" "))].add(cols[1])
    return {k: frozenset(v) for k, v in out.items()}


# ---------------------------------------------------------------- the lexicon


Entry = tuple[str, str]  # (curie, scope): scope is LABEL, EXACT, RELATED, BROAD or NARROW


class Lexicon:
    """Terms with a matching index, a type per term and equivalence clusters across ontologies."""

    def __init__(self) -> None:
        self.config: Config | None = None  # the policy it was built with (not pickled: set again on load)
        self.normalizer: Normalizer | None = None
        self._terms: dict[str, Term] | None = {}
        self._files: list[str] = []
        self.labels: dict[str, str] = {}
        self.index: dict[tuple[str, ...], tuple[Entry, ...]] = {}
        self.acronyms: dict[str, tuple[Entry, ...]] = {}
        self.max_len: dict[str, int] = {}  # first word -> longest key starting with it
        self.prefixes: frozenset[tuple[str, ...]] = frozenset()  # proper prefixes (2+ words) of multi-word keys
        self.types: dict[str, str] = {}
        self.cluster_of: dict[str, int] = {}
        self.clusters: list[tuple[str, ...]] = []
        self.neighbours: dict[str, tuple[str, ...]] = {}
        self.sources: list[str] = []
        self.drug_names: str | None = None  # the drug-name package and version read in (kg.ontology.drugs)

    # ------------------------------------------------ full terms (not kept in the cache)

    @property
    def terms(self) -> dict[str, Term]:
        """Every term with synonyms, xrefs and parents; re-read from the source files after a cached load."""
        if self._terms is None:
            terms: dict[str, Term] = {}
            for p in self._files:
                path = Path(p)
                if path.name.endswith((".sssom.tsv", ".sssom.tsv.gz")):
                    continue
                curies = curies_of(self.config) if self.config is not None else None
                items = read_lexicon(path) if path.parent.name == "lexicons" else read_ontology(path, curies=curies)[0]
                for t in items:
                    old = terms.get(t.curie)
                    terms[t.curie] = t if old is None else merge_terms(old, t)
            if self.__dict__.get("drug_names") and self.config is not None:
                for t in drug_terms(list(terms.values()), self.config):
                    old = terms.get(t.curie)
                    terms[t.curie] = t if old is None else merge_terms(old, t)
            self._terms = terms
        return self._terms

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_terms"] = None
        state.pop("_equivalents", None)
        state.pop("_tops", None)
        state["config"] = state["normalizer"] = None
        return state

    def use(self, config: Config) -> "Lexicon":
        """Attach the policy the lexicon was built with (after unpickling)."""
        self.config = config
        self.normalizer = Normalizer(config)
        return self

    # ------------------------------------------------ building

    @classmethod
    def build(cls, terms: Iterable[Term], mappings: Iterable[Mapping] = (), config: Config | None = None) -> "Lexicon":
        """Compile a lexicon from terms and mappings under ``config``'s policy (no cache)."""
        lex = cls().use(config or Config.default())
        policy = TypePolicy.from_config(lex.config)
        merged: dict[str, Term] = {}
        for t in terms:
            old = merged.get(t.curie)
            merged[t.curie] = t if old is None else merge_terms(old, t)
        lex._terms = merged
        lex.labels = {c: t.label for c, t in merged.items()}
        lex._link(mappings)
        lex._assign_types(policy)
        lex._index(policy)
        return lex

    def _link(self, mappings: Iterable[Mapping]) -> None:
        adj: dict[str, set[str]] = defaultdict(set)
        for t in self.terms.values():
            for x in t.xrefs:
                if x != t.curie:
                    adj[t.curie].add(x)
                    adj[x].add(t.curie)
        for m in mappings:
            if m.predicate in EQUIVALENCE_PREDICATES and m.subject != m.object:
                adj[m.subject].add(m.object)
                adj[m.object].add(m.subject)
        self.neighbours = {k: tuple(sorted(v)) for k, v in adj.items()}
        self.__dict__.pop("_equivalents", None)
        # Connected components; a component holding two terms of one ontology is not trusted as a
        # whole (xref chains can join distinct concepts): its members keep only their direct neighbours.
        seen: set[str] = set()
        for start in sorted(adj):
            if start in seen:
                continue
            comp, stack = [], [start]
            seen.add(start)
            while stack:
                n = stack.pop()
                comp.append(n)
                for m in adj[n]:
                    if m not in seen:
                        seen.add(m)
                        stack.append(m)
            known = [c for c in comp if c in self.labels]
            prefixes = [c.split(":", 1)[0] for c in known]
            if len(prefixes) == len(set(prefixes)):
                idx = len(self.clusters)
                self.clusters.append(tuple(sorted(comp)))
                for c in comp:
                    self.cluster_of[c] = idx

    def equivalents(self, curie: str) -> tuple[str, ...]:
        """CURIEs of the same concept: its trusted cluster, else its direct cross-references."""
        idx = self.cluster_of.get(curie)
        if idx is not None:
            return self.clusters[idx]
        memo = self.__dict__.get("_equivalents")  # (kept out of the pickle: a cache written before has none)
        if memo is None:
            memo = self.__dict__["_equivalents"] = {}
        got = memo.get(curie)
        if got is None:
            got = memo[curie] = tuple(sorted({curie, *self.neighbours.get(curie, ())}))
        return got

    def _assign_types(self, policy: TypePolicy) -> None:
        declared: dict[str, str] = {}  # types declared by a corpus-derived lexicon (source kg-corpus:<type>)
        for curie, t in self.terms.items():
            for src in t.source.split("+"):
                if src.startswith(CORPUS_SOURCE) and src[len(CORPUS_SOURCE):] in policy.categories:
                    declared[curie] = src[len(CORPUS_SOURCE):]
        roots = policy.roots or {}
        subtypes = policy.subtypes or {}
        memo: dict[tuple[str, tuple[str, ...]], bool] = {}

        def descends(curie: str, wanted: tuple[str, ...], seen: frozenset = frozenset()) -> bool:
            if curie in wanted:
                return True
            if (curie, wanted) in memo:
                return memo[(curie, wanted)]
            t = self.terms.get(curie)
            found = t is not None and any(p not in seen and descends(p, wanted, seen | {curie}) for p in t.parents)
            memo[(curie, wanted)] = found
            return found

        for curie, t in self.terms.items():
            typ = policy.sources.get(t.prefix) or (declared.get(curie) if t.prefix != "MESH" else None)
            if typ and t.prefix in roots and not descends(curie, roots[t.prefix]):
                continue  # outside the classes of this ontology that are entities (an HP clinical modifier)
            if typ and t.prefix in subtypes:
                typ = next((sub for sub, classes in subtypes[t.prefix] if descends(curie, classes)), typ)
            if typ:
                self.types[curie] = typ
        # MeSH: the type of a typed equivalent, else the label rules, else a corpus-declared type; a
        # corpus-declared type also replaces a type of [mesh] corpus_overrides ("Hemolysis": a process by its
        # label and its GO equivalent, a disease where the corpora annotate it).
        order = {t: i for i, t in enumerate(policy.type_order)}
        overrides = policy.mesh_corpus_overrides
        for curie, t in self.terms.items():
            if t.prefix != "MESH":
                continue
            if curie in declared and overrides and curie not in policy.mesh_corpus_keep:
                self._mesh_type(curie, t, policy, order, descends)
                if self.types.get(curie, None) in overrides or curie not in self.types:
                    self.types[curie] = declared[curie]
                continue
            self._mesh_type(curie, t, policy, order, descends, declared)

    def _mesh_tops(self, curie: str) -> set[str]:
        """The top headings of MeSH's trees (descriptors with no parent) above a descriptor."""
        memo = self.__dict__.setdefault("_tops", {})
        if curie not in memo:
            memo[curie] = set()  # (a cycle, were there one, ends here)
            t = self.terms.get(curie)
            parents = [p for p in (t.parents if t else ()) if p.startswith("MESH:")]
            memo[curie] = set().union(*(self._mesh_tops(p) for p in parents)) if parents else {curie}
        return memo[curie]

    def _mesh_typed_trees_only(self, curie: str, policy: TypePolicy) -> bool:
        """Whether every path up MeSH's trees from a descriptor meets a root of ``[mesh] trees``, or ends in
        one of ``[mesh] outside``, which says nothing of a type (Rehabilitation, under Therapeutics and under
        Health Services)."""
        memo = self.__dict__.setdefault("_typed_only", {})
        if curie not in memo:
            memo[curie] = False  # (a cycle, were there one, ends here)
            roots = {r for _, rs in policy.mesh_trees for r in rs}
            t = self.terms.get(curie)
            parents = [p for p in (t.parents if t else ()) if p.startswith("MESH:")]
            memo[curie] = curie in roots or (curie in policy.mesh_outside if not parents else all(
                self._mesh_typed_trees_only(p, policy) for p in parents))
        return memo[curie]

    def _mesh_type(self, curie: str, t: Term, policy: TypePolicy, order: dict[str, int],
                   descends: Callable[[str, tuple[str, ...]], bool], declared: dict[str, str] | None = None) -> None:
        """The type of a MeSH descriptor: that of a typed equivalent; none under the ``outside`` trees only; else
        the label rules (the tree's type replacing those of ``trees_over`` where every path up its trees
        meets a typed tree), else the rules on its exact
        synonyms, else the type of the tree it sits under (``[mesh] trees``), else ``declared``'s."""
        linked = sorted(
            {self.types[e] for e in self.equivalents(curie) if e in self.types and e != curie},
            key=lambda x: order.get(x, 99),
        )
        if linked:
            self.types[curie] = linked[0]
            return
        if policy.mesh_outside and t.parents and self._mesh_tops(curie) <= set(policy.mesh_outside):
            if declared and curie in declared:  # health care, persons, places, ...: no entity (``[mesh] outside``)
                self.types[curie] = declared[curie]
            return
        # a protein, enzyme, nucleic acid or biological factor: no drug by its label's ending ("Desmin",
        # "Tubulin"), nor any type from the trees (a typed equivalent, above, still types it: ChEBI's insulin)
        biological = descends(curie, policy.mesh_biological) and not descends(curie, policy.mesh_biological_kept)
        label = t.label.lower()
        for typ, rx in policy.mesh_rules:
            if rx.search(label):
                if typ == "drug" and biological:
                    break
                if typ in policy.mesh_trees_over and not biological and self._mesh_typed_trees_only(curie, policy):
                    # "Hyperbaric Oxygenation": a therapy; "Immunomodulation", also under Immune System
                    # Phenomena, keeps its process reading
                    typ = next((tt for tt, roots in policy.mesh_trees if descends(curie, roots)), typ)
                self.types[curie] = typ
                return
        synonyms = [x.text.lower() for x in t.synonyms if x.scope == "EXACT"]
        typ = next((typ for typ, rx in policy.mesh_synonym_rules for x in synonyms if rx.search(x)), None)
        if typ is None and not biological:
            typ = next((typ for typ, roots in policy.mesh_trees if descends(curie, roots)), None)
        if typ:
            self.types[curie] = typ
        elif declared and curie in declared:
            self.types[curie] = declared[curie]

    def _index(self, policy: TypePolicy) -> None:
        norm = self.normalizer
        stops = stop_terms(self.config, norm)
        filters = corpus_filters(self.config)
        symbols = norm.symbols
        index: dict[tuple[str, ...], dict[str, str]] = defaultdict(dict)
        acr: dict[str, dict[str, str]] = defaultdict(dict)
        rank = policy.scope_rank
        for curie in sorted(self.terms):
            if curie not in self.types:
                continue
            t = self.terms[curie]
            names = [(t.label, "LABEL")] + [(s.text, s.scope) for s in t.synonyms]
            for text, scope in names:
                text = text.strip()
                if text in symbols and self.types[curie] == "drug":
                    slot = acr[text]  # an element symbol, matched with its case ("Na", "Ca")
                    if curie not in slot or rank.get(scope, len(rank)) < rank.get(slot[curie], len(rank)):
                        slot[curie] = scope
                    continue
                if _ACRONYM.match(text):
                    if len(text.replace("-", "")) >= 3:
                        slot = acr[text.replace("-", "")]
                        if curie not in slot or rank.get(scope, len(rank)) < rank.get(slot[curie], len(rank)):
                            slot[curie] = scope
                    continue
                key = norm.term_key(text)
                if not key or key in stops or (len(key) == 1 and (len(key[0]) < 3 or key[0].isdigit())):
                    continue
                if key in filters and self.types[curie] in filters[key]:
                    continue
                slot = index[key]
                if curie not in slot or rank.get(scope, len(rank)) < rank.get(slot[curie], len(rank)):
                    slot[curie] = scope
        if policy.name_yields:  # a name shared with a type it yields to names only that type's terms
            for slot in index.values():
                if len(slot) > 1:
                    kept = policy.yielded({self.types[c] for c in slot})
                    for c in [c for c in slot if self.types[c] not in kept]:
                        del slot[c]
        self.index = {k: tuple(sorted(v.items())) for k, v in index.items()}
        self.acronyms = {k: tuple(sorted(v.items())) for k, v in acr.items() if k.lower() not in {s[0] for s in stops if len(s) == 1}}
        max_len: dict[str, int] = {}
        prefixes: set[tuple[str, ...]] = set()
        for k in self.index:
            if len(k) > max_len.get(k[0], 0):
                max_len[k[0]] = len(k)
            for j in range(2, len(k)):
                prefixes.add(k[:j])
        self.max_len = max_len
        self.prefixes = frozenset(prefixes)

    # ------------------------------------------------ lookup

    def lookup(self, key: Sequence[str]) -> tuple[Entry, ...]:
        return self.index.get(tuple(key), ())

    def label(self, curie: str) -> str:
        return self.labels.get(curie, curie)

    def find_by_name(self, text: str, prefixes: Sequence[str] = ()) -> list[Entry]:
        """Terms whose label or synonym normalises like ``text`` (optionally only these prefixes)."""
        hits = self.lookup(self.normalizer.key(text))
        return [h for h in hits if not prefixes or h[0].split(":", 1)[0] in prefixes]

    def __len__(self) -> int:
        return len(self.labels)


def merge_terms(a: Term, b: Term) -> Term:
    """One term of two records of the same CURIE: the first's label, the synonyms, xrefs and parents of both."""
    seen = {(s.text.lower()) for s in a.synonyms} | {a.label.lower()}
    syns = list(a.synonyms) + [s for s in b.synonyms if s.text.lower() not in seen]
    if b.label.lower() not in seen:
        syns.append(Synonym(b.label, "EXACT"))
    return Term(
        a.curie,
        a.label,
        tuple(syns),
        tuple(dict.fromkeys(a.xrefs + b.xrefs)),
        tuple(dict.fromkeys(a.parents + b.parents)),
        a.source if b.source in a.source.split("+") else f"{a.source}+{b.source}",
    )


# ---------------------------------------------------------------- loading with a cache


def shipped_files(config: Config) -> list[Path]:
    """The lexicon and mapping files of the ontologies folder."""
    root = config.ontologies
    lexicons = sorted((root / "lexicons").glob("*.tsv.gz")) + sorted((root / "lexicons").glob("*.tsv"))
    return lexicons + sorted((root / "mappings").glob("*.sssom.tsv*"))


def _fingerprint(paths: Sequence[Path], config: Config) -> str:
    h = hashlib.sha256(CACHE_VERSION.encode())
    for src in sorted(Path(__file__).parent.glob("*.py")):  # the code that builds it (an edited checkout included)
        h.update(src.read_bytes())
    h.update(config.fingerprint(*INDEX_POLICY).encode())
    filters = corpus_filters_path(config)
    if filters.is_file():
        h.update(filters.read_bytes())
    for p in paths:
        h.update(str(p.name).encode())
        h.update(p.read_bytes())
    h.update(f"drug names {drug_fingerprint(config)}".encode())
    return h.hexdigest()[:24]


def load_lexicon(extra: Sequence[str | Path] = (), config: Config | None = None, shipped: bool = True,
                 use_cache: bool = True) -> Lexicon:
    """The lexicons of the ontologies folder plus any user ontology files (OBO, OWL/RDF, SSSOM, kg
    lexicon TSV), under ``config``'s policy (default: the shipped one)."""
    config = config or Config.default()
    files = (shipped_files(config) if shipped else []) + [Path(p) for p in extra]
    for p in files:
        if not p.is_file():
            raise KgError("no such ontology file", p)
    key = _fingerprint(files, config)
    cache_file = cache_dir() / f"lexicon-{key}.pickle"
    if use_cache and cache_file.is_file():
        try:
            with open(cache_file, "rb") as fh:
                lex = pickle.load(fh)
            log.debug("lexicon loaded from cache %s", cache_file)
            return lex.use(config)
        except Exception as exc:  # a stale or truncated cache is rebuilt
            log.warning("ignoring unreadable lexicon cache %s: %s", cache_file, exc)
    terms: list[Term] = []
    mappings: list[Mapping] = []
    for p in files:
        if p.name.endswith((".sssom.tsv", ".sssom.tsv.gz")):
            mappings.extend(read_sssom(p, curies=curies_of(config)))
        elif p.name.endswith((".tsv.gz", ".tsv")) and p.parent.name == "lexicons":
            terms.extend(read_lexicon(p))
        else:
            t, m = read_ontology(p, curies=curies_of(config))
            terms.extend(t)
            mappings.extend(m)
    drugs = drug_fingerprint(config) if shipped else None
    if drugs:  # drug names and synonyms of an installed package (kg.ontology.drugs)
        terms.extend(drug_terms(terms, config))
    lex = Lexicon.build(terms, mappings, config)
    lex.drug_names = drugs.split("\n", 1)[0] if drugs else None
    lex.sources = [p.name for p in files] + ([lex.drug_names] if drugs else [])
    lex._files = [str(p.resolve()) for p in files]
    if use_cache:
        write_cache(lex, cache_file, "lexicon")
    return lex
