"""Which identifier to write for a mention where a format wants one (``kg annotate``'s PubTator lines, the
normalisation figures of ``kg eval``): corpora normalise to MeSH and OMIM, kg's nodes are named by the
type's preferred ontology. The graph's concepts are not changed by any of this.

The policy is ``[pubtator]`` of ``corpora.toml``; the identifiers the corpora's train annotations give
each mention string are ``ontologies/corpus_ids.tsv`` (``scripts/build_corpus_lexicon.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kg import ids
from kg.config import Config
from kg.model import Concept, Mention
from kg.ontology import Lexicon


def trained_ids_path(config: Config) -> Path:
    return config.ontologies / "corpus_ids.tsv"


def read_trained_ids(path: Path) -> dict[tuple[str, str], tuple[tuple[str, int, int], ...]]:
    """(normalised words, PubTator type) -> (identifier, annotations with it, annotations of the string),
    most annotated first; empty when the file is absent."""
    if not path.is_file():
        return {}
    out: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        key, typ, curie, n, total = line.split("\t")
        out.setdefault((key, typ), []).append((curie, int(n), int(total)))
    return {k: tuple(sorted(v, key=lambda x: (-x[1], x[0]))) for k, v in out.items()}


class Identifiers:
    """The identifiers of a mention, best first, with the prefixes a corpus normalises to."""

    def __init__(self, lexicon: Lexicon, config: Config | None = None, categories: dict[str, str] | None = None):
        """``categories``: Biolink category -> type, over ``[pubtator.categories]`` (a corpus's own groups)."""
        self.lex = lexicon
        self.config = config or lexicon.config or Config.default()
        t = self.config.corpora.table("pubtator")
        cats = t.table("categories")
        self.categories = {c: cats.string(c) for c in cats} | dict(categories or {})
        self.prefixes = t.strings("id_prefixes")
        self.share = t.number("trained_id_share")
        self.depth = t.integer("broader_depth")
        self.within = t.number("same_score_within")
        self.trained = read_trained_ids(trained_ids_path(self.config))
        self._broader: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[str, ...]] = {}

    def type_of(self, concept: Concept | None) -> str | None:
        """The PubTator type of a concept (by its Biolink category), or None when it has none."""
        if concept is None:
            return None
        return self.categories.get(concept.category)

    def trained_id(self, m: Mention, prefixes: Sequence[str]) -> str | None:
        """The identifier most train annotations of the mention's long form (an abbreviation defined in the
        text), else of its string, give it, among ``prefixes``, where at least ``trained_id_share`` do."""
        if not self.trained or m.concept is None:
            return None
        typ = self.type_of(m.concept)
        norm = self.lex.normalizer
        for text in (m.long_form, m.text):
            if not text:
                continue
            for curie, n, total in self.trained.get((" ".join(norm.term_key(text)), typ), ()):
                if curie.split(":", 1)[0] in prefixes:
                    if n >= self.share * total:
                        return curie
                    break
        return None

    def broader(self, curies: tuple[str, ...], prefixes: tuple[str, ...]) -> tuple[str, ...]:
        """Identifiers with one of ``prefixes`` (the first prefix that has any) of the nearest ancestors of
        ``curies`` (a concept and its cross-references) in the ontology hierarchies (HP, DOID, GO, ...), at
        most ``broader_depth`` levels up: the corpora's guidelines write the most specific MeSH concept
        that covers a mention where MeSH has none for it ("short stature", an HP phenotype, is MeSH's
        Growth Disorders)."""
        key = (curies, prefixes)
        found = self._broader.get(key)
        if found is None:
            found = self._ancestors(curies, prefixes)
            if len(self._broader) < 50_000:
                self._broader[key] = found
        return found

    def _ancestors(self, curies: tuple[str, ...], prefixes: tuple[str, ...]) -> tuple[str, ...]:
        lex = self.lex
        frontier, seen = set(curies), set(curies)
        for _ in range(self.depth):
            parents: set[str] = set()
            for c in sorted(frontier):
                for e in (c, *lex.equivalents(c)):
                    t = lex.terms.get(e)
                    if t is not None:
                        parents.update(t.parents)
            frontier = parents - seen
            if not frontier:
                break
            seen |= frontier
            for p in prefixes:
                found = sorted({e for c in frontier for e in (c, *lex.equivalents(c)) if e.split(":", 1)[0] == p})
                if found:
                    return tuple(found)
        return ()

    def of(self, m: Mention, prefixes: Sequence[str] | None = None) -> list[str]:
        """Identifiers of a mention with one of ``prefixes`` (default: ``id_prefixes``), best first: the
        identifier the train annotations give its string (``trained_id``), those of its concept (its own
        CURIE, its direct groundings by score, then its cross-references), then other groundings of the
        mention that scored as well as the concept's (the same name in an ontology that does not
        cross-reference it: ChEBI's "thalidomide" and MeSH's "Thalidomide"); where none has such a prefix,
        those of the concept's nearest ancestors that have one (``broader``)."""
        prefixes = tuple(prefixes if prefixes is not None else self.prefixes)
        c = m.concept
        if c is None:
            return []
        members = {c.curie, *c.equivalents}
        own = [c.curie] + [g.curie for g in m.groundings if g.curie in members] + sorted(c.equivalents)
        best = max((g.score for g in m.groundings if g.curie in members), default=1.0)
        others = [g.curie for g in m.groundings if g.curie not in members and g.score >= best - self.within]
        trained = self.trained_id(m, prefixes)
        out: list[str] = [trained] if trained else []
        for ordered in (own, others):
            for p in prefixes:
                for curie in ordered:
                    if curie.split(":", 1)[0] == p and curie not in out:
                        out.append(curie)
        if not out and not ids.is_minted(c.curie):
            out.extend(self.broader((c.curie, *c.equivalents), prefixes))
        return out
