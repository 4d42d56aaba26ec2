"""The drawing style, read from ``draw.toml`` of a ``Config``: node colours by Biolink category, edge
families (which edges, which colour and width), the figure's other colours and the short edge labels."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields

from kg.config import Config, Table

# A node with this many edges or more is a hub: drawn larger, its label in bold.
HUB_DEGREE = 6


@dataclass(frozen=True)
class Family:
    """An edge family: which edges it holds and how they look."""

    name: str
    label: str
    color: str
    width: float
    predicates: frozenset[str]
    claim_types: frozenset[str]
    direction: str | None

    def matches(self, predicate: str, direction: str | None, claim_types: Collection[str]) -> bool:
        """Whether an edge of this predicate, direction and claim types belongs to the family."""
        if self.claim_types:
            return bool(self.claim_types & set(claim_types))
        if predicate not in self.predicates:
            return False
        return self.direction is None or self.direction == direction

    @classmethod
    def from_table(cls, t: Table, config: Config) -> "Family":
        """A ``[[family]]`` of draw.toml; ``predicate_family`` names a family of relations.toml."""
        if "predicate_family" in t:
            if "predicates" in t:
                raise t.error("predicate_family", "give either predicates or predicate_family, not both")
            name = t.string("predicate_family")
            if name not in config.families:
                raise t.error("predicate_family", f"{name!r} is not a predicate family of relations.toml "
                                                  f"(known: {', '.join(config.families)})")
            predicates = config.families[name]
        else:
            predicates = t.strings("predicates", ())
        return cls(t.string("name"), t.string("label"), t.string("color"), t.number("width", 1.2),
                   frozenset(predicates), frozenset(t.strings("claim_types", ())), t.string("direction", None))


@dataclass(frozen=True)
class Palette:
    """The colours of the figure and the page that are neither a category's nor a family's (``[figure]``)."""

    negated: str  # a negated claim's line
    highlight: str  # the cross on a negated claim, the ring round a focus node
    marks: str  # the legend's line-style marks, the subtitle
    outline: str  # node outlines, the page's edge labels
    notes: str  # the page legend's notes
    background: str  # the figure, the boxes behind labels

    @classmethod
    def from_table(cls, t: Table) -> "Palette":
        return cls(**{f.name: t.string(f.name) for f in fields(cls)})


@dataclass(frozen=True)
class Style:
    """How a view is drawn: category colours in order of precedence, edge families, other colours."""

    categories: tuple[tuple[str, str, str], ...]  # (category CURIE, legend label, colour), in precedence order
    other: tuple[str, str]  # (legend label, colour) for untyped nodes
    families: tuple[Family, ...]
    predicate_labels: dict[str, str]
    palette: Palette

    @classmethod
    def from_config(cls, config: Config) -> "Style":
        """The style of ``config.draw`` (``draw.toml``); predicate families through ``config.families``."""
        t = config.draw
        families = tuple(Family.from_table(f, config) for f in t.tables("family"))
        if not families:
            raise t.error("family", "at least one family is needed (the last takes the unmatched edges)")
        other = t.table("other_category")
        labels = t.table("predicate_labels", None)
        return cls(
            categories=tuple((c.string("id"), c.string("label"), c.string("color")) for c in t.tables("category")),
            other=(other.string("label"), other.string("color")),
            families=families,
            predicate_labels={p: labels.string(p) for p in labels} if labels is not None else {},
            palette=Palette.from_table(t.table("figure")),
        )

    def category_of(self, categories: Collection[str]) -> str | None:
        """The category that colours a node: the first of the style's order among ``categories``."""
        for cat, _, _ in self.categories:
            if cat in categories:
                return cat
        return min(categories) if categories else None

    def color(self, category: str | None) -> str:
        """The colour of a category (the ``other_category`` colour for one the style does not list)."""
        for cat, _, color in self.categories:
            if cat == category:
                return color
        return self.other[1]

    def category_label(self, category: str | None) -> str:
        """The legend label of a category."""
        for cat, label, _ in self.categories:
            if cat == category:
                return label
        return self.other[0]

    def family(self, predicate: str, direction: str | None = None, claim_types: Collection[str] = ()) -> Family:
        """The first family an edge matches (the last family when none does)."""
        for f in self.families:
            if f.matches(predicate, direction, claim_types):
                return f
        return self.families[-1]

    def family_named(self, name: str) -> Family:
        """The family of this name (the last family when there is none)."""
        for f in self.families:
            if f.name == name:
                return f
        return self.families[-1]


def default_style() -> Style:
    """The style of the shipped policy (``Config.default()``)."""
    return Style.from_config(Config.default())
