"""The ontology lexicon: terms, their normalised keys for matching, entity types and equivalence clusters.

Loading the shipped lexicons compiles an index once and caches it (pickle) in the user's cache folder,
keyed by the content of every input file, so later start-ups only unpickle it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import tempfile
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.model import Mapping, Synonym, Term
from kg.ontology_io import read_lexicon, read_ontology, read_sssom
from kg.resources import data_path, ontologies_dir

log = logging.getLogger(__name__)

CACHE_VERSION = "9"
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# "'s" after a word, also "Parkinson 's" (tokenised text); the apostrophe first so that the scan skips
# ahead to it (7x faster than the lookbehinds first, same matches)
_POSSESSIVE = re.compile(r"['’]s\b(?:(?<=\w['’]s)|(?<=\w ['’]s))")
_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z0-9][A-Z0-9\-]{1,7}$")
EQUIVALENCE_PREDICATES = {"skos:exactMatch", "oboInOwl:hasDbXref", "owl:equivalentClass", "skos:closeMatch"}


# ---------------------------------------------------------------- normalisation


class Normalizer:
    """Turns text into normalised words (lowercase, singular, derivation-folded); the rules are data."""

    def __init__(self, config: dict):
        self.letters = config.get("letters", {})
        plural = config.get("plural", {})
        self.min_length = plural.get("min_length", 4)
        self.singular_endings = tuple(plural.get("singular_endings", ()))
        self.invariant = frozenset(plural.get("invariant", ()))
        self.plural_rules = [tuple(r) for r in plural.get("rules", ())]
        self.derivations = [tuple(r) for r in config.get("derivation", {}).get("rules", ())]
        self._letters_re = re.compile("|".join(map(re.escape, self.letters))) if self.letters else None
        terms = config.get("terms", {})
        self.leading_articles = frozenset(terms.get("leading_articles", ()))
        self.drop_if_first = frozenset(terms.get("drop_if_first", ()))
        self.symbols = frozenset(terms.get("element_symbols", ()))
        self._cache: dict[str, str] = {}

    @classmethod
    def default(cls) -> "Normalizer":
        with open(data_path("normalization.toml"), "rb") as fh:
            return cls(tomllib.load(fh))

    def word(self, w: str) -> str:
        """Normalise one alphanumeric word."""
        cached = self._cache.get(w)
        if cached is not None:
            return cached
        out = w.lower()
        if (len(out) >= self.min_length and not out.endswith(self.singular_endings) and not out[-1].isdigit()
                and out not in self.invariant):
            for suffix, repl in self.plural_rules:
                if out.endswith(suffix):
                    out = out[: len(out) - len(suffix)] + repl
                    break
        for suffix, repl, min_len in self.derivations:
            if len(out) >= min_len and out.endswith(suffix):
                out = out[: len(out) - len(suffix)] + repl
                break
        if len(self._cache) < 500_000:
            self._cache[w] = out
        return out

    def prepare(self, text: str) -> str:
        """Spell out Greek letters and drop possessive 's, keeping character positions where possible."""
        if self._letters_re is not None:
            text = self._letters_re.sub(lambda m: self.letters[m.group(0)], text)
        return _POSSESSIVE.sub("  ", text)

    def key(self, text: str) -> tuple[str, ...]:
        """The lookup key of a text: its normalised words."""
        return tuple(self.word(w) for w in _WORD.findall(self.prepare(text)))

    def term_key(self, text: str) -> tuple[str, ...]:
        """The lookup key of an ontology term: its key without a leading article; empty for a phrase
        that begins with a function word (such terms are not matched)."""
        key = self.key(text)
        while len(key) > 1 and key[0] in self.leading_articles:
            key = key[1:]
        if key and key[0] in self.drop_if_first:
            return ()
        return key

    def pieces(self, text: str) -> list[tuple[str, int, int]]:
        """(normalised word, start, end) for each word of a text fragment; offsets are in ``text``.

        Greek letters are normalised per word so offsets stay exact.
        """
        out = []
        for m in _WORD.finditer(_POSSESSIVE.sub("  ", text)):
            w = m.group(0)
            if self._letters_re is not None and self._letters_re.search(w):
                w = self._letters_re.sub(lambda x: self.letters[x.group(0)], w)
            out.append((self.word(w), m.start(), m.end()))
        return out


# ---------------------------------------------------------------- policy


@dataclass(frozen=True)
class TypePolicy:
    """Entity types, their categories and grounding prefixes, read from ``kg/data/types.toml``."""

    categories: dict[str, str]
    prefixes: dict[str, tuple[str, ...]]
    sources: dict[str, str]
    category_rules: tuple[tuple[str, str, str], ...]
    mesh_rules: tuple[tuple[str, re.Pattern], ...]
    scores: dict[str, float]
    prefer_within: float
    min_score: float
    type_order: tuple[str, ...]
    roots: dict[str, tuple[str, ...]] = None  # prefix -> classes its typed terms must descend from
    mesh_synonym_rules: tuple[tuple[str, re.Pattern], ...] = ()  # tried on exact synonyms when no label rule fits
    subtypes: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = None  # prefix -> (type, classes) retyping descendants

    @property
    def type_rank(self) -> dict[str, int]:
        rank = self.__dict__.get("_type_rank")
        if rank is None:
            rank = {t: i for i, t in enumerate(self.type_order)}
            object.__setattr__(self, "_type_rank", rank)
        return rank

    @classmethod
    def load(cls, path: Path | None = None) -> "TypePolicy":
        with open(path or data_path("types.toml"), "rb") as fh:
            cfg = tomllib.load(fh)
        types = cfg["types"]
        return cls(
            categories={t: v["category"] for t, v in types.items()},
            prefixes={t: tuple(v["prefixes"]) for t, v in types.items()},
            sources=dict(cfg.get("sources", {})),
            category_rules=tuple((r["prefix"], r["label_suffix"], r["category"]) for r in cfg.get("category_rules", [])),
            mesh_rules=tuple((t, re.compile(rx)) for t, rx in cfg.get("mesh", {}).get("rules", [])),
            scores=dict(cfg["scores"]),
            prefer_within=float(cfg.get("prefer_within", 0.3)),
            min_score=float(cfg.get("min_score", 0.5)),
            type_order=tuple(cfg["type_order"]),
            roots={k: tuple(v) for k, v in cfg.get("roots", {}).items()},
            mesh_synonym_rules=tuple((t, re.compile(rx)) for t, rx in cfg.get("mesh", {}).get("synonym_rules", [])),
            subtypes={k: tuple((t, tuple(c)) for t, c in v) for k, v in cfg.get("subtypes", {}).items()},
        )

    def category(self, type_: str, curie: str = "", label: str = "") -> str:
        prefix = curie.split(":", 1)[0]
        for p, suffix, cat in self.category_rules:
            if p == prefix and label.endswith(suffix):
                return cat
        return self.categories[type_]


@lru_cache(maxsize=1)
def stop_terms() -> frozenset[str]:
    norm = Normalizer.default()
    out = set()
    for line in data_path("stop_terms.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.add(norm.key(line))
    return frozenset(out)


CORPUS_SOURCE = "kg-corpus:"  # a lexicon source "kg-corpus:<type>" declares the type of the term's names


def corpus_filters_path() -> Path:
    """The (term, type) pairs that precision on the corpora's train splits rules out (may be absent)."""
    return ontologies_dir() / "corpus_filters.tsv"


@lru_cache(maxsize=1)
def corpus_filters() -> dict[tuple[str, ...], frozenset[str]]:
    """Normalised term -> the entity types it must not be matched as (``ontologies/corpus_filters.tsv``,
    written by ``scripts/build_corpus_lexicon.py``: terms that were rarely a gold mention of that type
    where the lexicon matched them in the train splits)."""
    path = corpus_filters_path()
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
                items = read_lexicon(path) if path.parent.name == "lexicons" else read_ontology(path)[0]
                for t in items:
                    old = terms.get(t.curie)
                    terms[t.curie] = t if old is None else _merge_terms(old, t)
            self._terms = terms
        return self._terms

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_terms"] = None
        return state

    # ------------------------------------------------ building

    @classmethod
    def build(cls, terms: Iterable[Term], mappings: Iterable[Mapping] = (), policy: TypePolicy | None = None) -> "Lexicon":
        """Compile a lexicon from terms and mappings (no cache)."""
        lex = cls()
        policy = policy or TypePolicy.load()
        merged: dict[str, Term] = {}
        for t in terms:
            old = merged.get(t.curie)
            merged[t.curie] = t if old is None else _merge_terms(old, t)
        lex._terms = merged
        lex.labels = {c: t.label for c, t in merged.items()}
        lex._link(mappings)
        lex._assign_types(policy)
        lex._index()
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
        return tuple(sorted({curie, *self.neighbours.get(curie, ())}))

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
        # MeSH: the type of a typed equivalent, else the label rules, else a corpus-declared type.
        order = {t: i for i, t in enumerate(policy.type_order)}
        for curie, t in self.terms.items():
            if t.prefix != "MESH":
                continue
            linked = sorted(
                {self.types[e] for e in self.equivalents(curie) if e in self.types and e != curie},
                key=lambda x: order.get(x, 99),
            )
            if linked:
                self.types[curie] = linked[0]
                continue
            label = t.label.lower()
            for typ, rx in policy.mesh_rules:
                if rx.search(label):
                    self.types[curie] = typ
                    break
            else:
                synonyms = [x.text.lower() for x in t.synonyms if x.scope == "EXACT"]
                typ = next((typ for typ, rx in policy.mesh_synonym_rules for x in synonyms if rx.search(x)), None)
                if typ:
                    self.types[curie] = typ
                elif curie in declared:
                    self.types[curie] = declared[curie]

    def _index(self) -> None:
        norm = Normalizer.default()
        stops = stop_terms()
        filters = corpus_filters()
        symbols = norm.symbols
        index: dict[tuple[str, ...], dict[str, str]] = defaultdict(dict)
        acr: dict[str, dict[str, str]] = defaultdict(dict)
        rank = {"LABEL": 0, "EXACT": 1, "NARROW": 2, "RELATED": 3, "BROAD": 4}
        for curie in sorted(self.terms):
            if curie not in self.types:
                continue
            t = self.terms[curie]
            names = [(t.label, "LABEL")] + [(s.text, s.scope) for s in t.synonyms]
            for text, scope in names:
                text = text.strip()
                if text in symbols and self.types[curie] == "drug":
                    slot = acr[text]  # an element symbol, matched with its case ("Na", "Ca")
                    if curie not in slot or rank[scope] < rank[slot[curie]]:
                        slot[curie] = scope
                    continue
                if _ACRONYM.match(text):
                    if len(text.replace("-", "")) >= 3:
                        slot = acr[text.replace("-", "")]
                        if curie not in slot or rank[scope] < rank[slot[curie]]:
                            slot[curie] = scope
                    continue
                key = norm.term_key(text)
                if not key or key in stops or (len(key) == 1 and (len(key[0]) < 3 or key[0].isdigit())):
                    continue
                if key in filters and self.types[curie] in filters[key]:
                    continue
                slot = index[key]
                if curie not in slot or rank.get(scope, 5) < rank.get(slot[curie], 5):
                    slot[curie] = scope
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
        hits = self.lookup(Normalizer.default().key(text))
        return [h for h in hits if not prefixes or h[0].split(":", 1)[0] in prefixes]

    def __len__(self) -> int:
        return len(self.labels)


def _merge_terms(a: Term, b: Term) -> Term:
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


def shipped_files() -> list[Path]:
    """The lexicon and mapping files shipped in ``ontologies/``."""
    root = ontologies_dir()
    lexicons = sorted((root / "lexicons").glob("*.tsv.gz")) + sorted((root / "lexicons").glob("*.tsv"))
    return lexicons + sorted((root / "mappings").glob("*.sssom.tsv*"))


def cache_dir() -> Path:
    env = os.environ.get("KG_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kg"


def _fingerprint(paths: Sequence[Path]) -> str:
    h = hashlib.sha256(CACHE_VERSION.encode())
    for name in ("types.toml", "normalization.toml", "stop_terms.txt"):
        h.update(data_path(name).read_bytes())
    if corpus_filters_path().is_file():
        h.update(corpus_filters_path().read_bytes())
    for p in paths:
        h.update(str(p.name).encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:24]


def load_lexicon(extra: Sequence[str | Path] = (), shipped: bool = True, use_cache: bool = True) -> Lexicon:
    """The shipped lexicons plus any user ontology files (OBO, OWL/RDF, SSSOM, kg lexicon TSV)."""
    files = (shipped_files() if shipped else []) + [Path(p) for p in extra]
    for p in files:
        if not p.is_file():
            from kg.errors import KgError

            raise KgError("no such ontology file", p)
    key = _fingerprint(files)
    cache_file = cache_dir() / f"lexicon-{key}.pickle"
    if use_cache and cache_file.is_file():
        try:
            with open(cache_file, "rb") as fh:
                lex = pickle.load(fh)
            log.debug("lexicon loaded from cache %s", cache_file)
            return lex
        except Exception as exc:  # a stale or truncated cache is rebuilt
            log.warning("ignoring unreadable lexicon cache %s: %s", cache_file, exc)
    terms: list[Term] = []
    mappings: list[Mapping] = []
    for p in files:
        if p.name.endswith((".sssom.tsv", ".sssom.tsv.gz")):
            mappings.extend(read_sssom(p))
        elif p.name.endswith((".tsv.gz", ".tsv")) and p.parent.name == "lexicons":
            terms.extend(read_lexicon(p))
        else:
            t, m = read_ontology(p)
            terms.extend(t)
            mappings.extend(m)
    lex = Lexicon.build(terms, mappings)
    lex.sources = [p.name for p in files]
    lex._files = [str(p.resolve()) for p in files]
    if use_cache:
        _write_cache(lex, cache_file)
    return lex


def _write_cache(lex: Lexicon, cache_file: Path) -> None:
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_file.parent, prefix=".lexicon-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(lex, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache_file)
    except OSError as exc:
        log.warning("could not write the lexicon cache in %s: %s", cache_file.parent, exc)
