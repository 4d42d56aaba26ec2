"""The type policy (``types.toml``): entity types, their Biolink categories, the prefixes each may ground
to, grounding scores, how ontology terms get their type, and what a therapy node is."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.config import Config, Table


@dataclass(frozen=True)
class TherapyPolicy:
    """What the subject of a treats-family claim becomes (``[therapy]``)."""

    type: str  # the type of a therapy node
    names: tuple[str, ...]  # ontology names tried for the therapy made of a cell type ("{label} transplantation")
    name_type: str  # the type a class found by those names must have
    minted_labels: dict[str, str]  # language -> label of a minted therapy ("{label} therapy")
    lift_types: tuple[str, ...]  # types lifted to a therapy node
    treatment_types: tuple[str, ...]  # types whose node also takes the therapy category


@dataclass(frozen=True)
class TypePolicy:
    """Entity types, their categories and grounding prefixes, read from ``types.toml``."""

    categories: dict[str, str]
    prefixes: dict[str, tuple[str, ...]]
    sources: dict[str, str]
    category_rules: tuple[tuple[str, str, str], ...]
    mesh_rules: tuple[tuple[str, re.Pattern], ...]
    scores: dict[str, float]
    prefer_within: float
    min_score: float
    type_order: tuple[str, ...]
    scopes: tuple[str, ...]  # the scopes of a term's names, best first (LABEL, EXACT, ...)
    therapy: TherapyPolicy
    like_types: frozenset[str] = frozenset()  # types an "X-like cells" phrase may name
    roots: dict[str, tuple[str, ...]] = field(default_factory=dict)  # prefix -> classes its typed terms descend from
    mesh_synonym_rules: tuple[tuple[str, re.Pattern], ...] = ()  # tried on exact synonyms when no label rule fits
    subtypes: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=dict)
    name_yields: dict[str, frozenset[str]] = field(default_factory=dict)  # type -> types a shared name goes to
    mesh_corpus_overrides: frozenset[str] = frozenset()  # MeSH types a corpus-declared type replaces
    mesh_corpus_keep: frozenset[str] = frozenset()  # MeSH descriptors whose type no corpus replaces
    mesh_trees: tuple[tuple[str, tuple[str, ...]], ...] = ()  # type -> descriptors heading its MeSH trees
    mesh_biological: tuple[str, ...] = ()  # descriptors whose trees give no type ...
    mesh_biological_kept: tuple[str, ...] = ()  # ... unless also under one of these
    mesh_outside: tuple[str, ...] = ()  # top headings: a descriptor under these alone takes no type
    mesh_trees_over: frozenset[str] = frozenset()  # label-rule types a tree's type replaces

    def yielded(self, types: set[str]) -> set[str]:
        """``types`` without those that yield to another of them (``[name_yields]``)."""
        return {t for t in types if not (self.name_yields.get(t, frozenset()) & types)}

    @property
    def type_rank(self) -> dict[str, int]:
        rank = self.__dict__.get("_type_rank")
        if rank is None:
            rank = {t: i for i, t in enumerate(self.type_order)}
            object.__setattr__(self, "_type_rank", rank)
        return rank

    @property
    def scope_rank(self) -> dict[str, int]:
        """Scope -> rank (0 best) of the names of a term."""
        rank = self.__dict__.get("_scope_rank")
        if rank is None:
            rank = {s: i for i, s in enumerate(self.scopes)}
            object.__setattr__(self, "_scope_rank", rank)
        return rank

    @classmethod
    def from_config(cls, config: Config) -> "TypePolicy":
        """The policy of ``types.toml`` (compiled once per Config)."""
        return config.derived("types", cls._compile)

    @classmethod
    def _compile(cls, config: Config) -> "TypePolicy":
        cfg = config.types
        types = cfg.table("types")
        categories = {t: types.table(t).string("category") for t in types}
        known = set(categories)

        def typed(where: Table, key: str, value: str) -> str:
            if value not in known:
                raise where.error(key, f"unknown entity type {value!r} (types: {', '.join(categories)})")
            return value

        sources = cfg.table("sources", {})
        mesh = cfg.table("mesh", None)
        therapy = cfg.table("therapy")
        minted = therapy.table("minted_label")
        roots = cfg.table("roots", None)
        subtypes = cfg.table("subtypes", None)
        yields = cfg.table("name_yields", None)
        scopes = cfg.strings("scopes")
        scores = cfg.numbers("scores")
        missing = [s for s in scopes if s not in scores]
        if missing:
            raise cfg.error("scores", f"no score for scope(s) {', '.join(missing)}")
        return cls(
            categories=categories,
            prefixes={t: types.table(t).strings("prefixes") for t in types},
            sources={p: typed(sources, p, sources.string(p)) for p in sources},
            category_rules=tuple((r.string("prefix"), r.string("label_suffix"), r.string("category"))
                                 for r in cfg.tables("category_rules", ())),
            mesh_rules=(_rules(mesh, "rules", typed) + _stem_rule(config, mesh, typed)) if mesh is not None else (),
            scores=scores,
            prefer_within=cfg.number("prefer_within", 0.3),
            min_score=cfg.number("min_score", 0.5),
            type_order=tuple(typed(cfg, "type_order", t) for t in cfg.strings("type_order")),
            scopes=scopes,
            therapy=TherapyPolicy(typed(therapy, "type", therapy.string("type")), therapy.strings("names"),
                                  typed(therapy, "name_type", therapy.string("name_type")),
                                  {lang: minted.string(lang) for lang in minted},
                                  tuple(typed(therapy, "lift_types", t) for t in therapy.strings("lift_types")),
                                  tuple(typed(therapy, "treatment_types", t) for t in therapy.strings("treatment_types"))),
            like_types=frozenset(typed(cfg, "like_types", t) for t in cfg.strings("like_types", ())),
            roots={k: roots.strings(k) for k in roots} if roots is not None else {},
            mesh_synonym_rules=_rules(mesh, "synonym_rules", typed) if mesh is not None else (),
            subtypes={k: tuple((typed(subtypes, k, t), tuple(c)) for t, c in subtypes[k]) for k in subtypes}
            if subtypes is not None else {},
            mesh_corpus_overrides=frozenset(typed(mesh, "corpus_overrides", t) for t in mesh.strings("corpus_overrides", ()))
            if mesh is not None else frozenset(),
            mesh_corpus_keep=frozenset(mesh.strings("corpus_keep", ())) if mesh is not None else frozenset(),
            mesh_trees=_trees(mesh, "trees", typed) if mesh is not None else (),
            mesh_biological=mesh.strings("biological", ()) if mesh is not None else (),
            mesh_biological_kept=mesh.strings("biological_kept", ()) if mesh is not None else (),
            mesh_outside=mesh.strings("outside", ()) if mesh is not None else (),
            mesh_trees_over=frozenset(typed(mesh, "trees_over", t) for t in mesh.strings("trees_over", ()))
            if mesh is not None else frozenset(),
            name_yields={typed(yields, k, k): frozenset(typed(yields, k, t) for t in yields.strings(k)) for k in yields}
            if yields is not None else {},
        )

    def category(self, type_: str, curie: str = "", label: str = "") -> str:
        prefix = curie.split(":", 1)[0]
        for p, suffix, cat in self.category_rules:
            if p == prefix and label.endswith(suffix):
                return cat
        return self.categories[type_]

    def score(self, how: str, default: float | None = None) -> float:
        """A grounding score or factor of ``[scores]`` (a scope, or variant, acronym, like, xref, ...)."""
        if default is None:
            return self.scores[how]
        return self.scores.get(how, default)


def _stem_rule(config: Config, mesh: Table, typed) -> tuple[tuple[str, re.Pattern], ...]:
    """The last MeSH rule: a one-word descriptor named by an INN drug stem (praziquantel: -antel) takes the
    type of such a word in text, from ``[heads]`` of recognition.en.toml (``stems`` of ``[mesh]`` names
    the language whose stems are read; absent: no such rule)."""
    lang = mesh.string("stems", "")
    heads = config.recognition(lang).table("heads", None) if lang else None
    if heads is None:
        return ()
    stems = "|".join(re.escape(x) for x in sorted(heads.strings("drug_stems"), key=len, reverse=True))
    excluded = heads.string("drug_not", "")
    guard = f"(?!.*(?:{excluded}))" if excluded else ""
    rx = re.compile(f"^{guard}(?=[^\\W\\d_]{{{heads.integer('drug_min_chars')},}}$)\\w*(?:{stems})$")
    return ((typed(heads, "drug_type", heads.string("drug_type")), rx),)


def _trees(table: Table, key: str, typed) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``[[type, [descriptor, ...]], ...]``: the type of the descriptors under each listed one."""
    out = []
    for i, rule in enumerate(table.get(key, ())):
        if not (isinstance(rule, list) and len(rule) == 2 and isinstance(rule[0], str) and isinstance(rule[1], list)
                and all(isinstance(x, str) and x.startswith("MESH:") for x in rule[1])):
            raise table.error(key, f"rule {i + 1}: expected [type, [MESH:descriptor, ...]]")
        out.append((typed(table, key, rule[0]), tuple(rule[1])))
    return tuple(out)


def _rules(table: Table, key: str, typed) -> tuple[tuple[str, re.Pattern], ...]:
    out = []
    for i, rule in enumerate(table.get(key, ())):
        if not (isinstance(rule, list) and len(rule) == 2 and all(isinstance(x, str) for x in rule)):
            raise table.error(key, f"rule {i + 1}: expected [type, regular expression]")
        try:
            out.append((typed(table, key, rule[0]), re.compile(rule[1])))
        except re.error as exc:
            raise table.error(key, f"rule {i + 1}: not a valid regular expression: {exc}") from None
    return tuple(out)
