"""CURIE <-> IRI conversion with the project's prefix map (``prefixes.toml``), through ``curies``."""

from __future__ import annotations

import curies

from kg.config import Config


class Curies:
    """The prefix map of a ``Config``: prefix synonyms (MSH, UMLS_CUI, NCI ...) standardise to one prefix."""

    def __init__(self, records: list[dict], concept_prefixes: frozenset[str]):
        self.converter = curies.Converter.from_extended_prefix_map(records)
        self.concept_prefixes = concept_prefixes  # prefixes whose identifiers name concepts (kept as equivalents)
        self._standard: dict[str, str | None] = {}

    @classmethod
    def from_config(cls, config: Config) -> "Curies":
        """The prefix map of ``prefixes.toml``."""
        table = config.prefixes.table("prefixes")
        records, concepts = [], set()
        for p in table:
            entry = table.table(p)
            records.append({"prefix": p, "uri_prefix": entry.string("uri"),
                            "prefix_synonyms": list(entry.strings("synonyms", ()))})
            if entry.boolean("concept", False):
                concepts.add(p)
        return cls(records, frozenset(concepts))

    def standardize(self, curie: str) -> str | None:
        """``MSH:D008103`` -> ``MESH:D008103``; None when the prefix is not one the project knows."""
        if ":" not in curie:
            return None
        prefix, local = curie.split(":", 1)
        local = local.strip()
        if not local or " " in local:
            return None
        prefix = prefix.strip()
        std = self._standard.get(prefix, "")
        if std == "":
            std = self._standard[prefix] = self.converter.standardize_prefix(prefix)
        return f"{std}:{local}" if std else None

    def expand(self, curie: str) -> str:
        """The IRI of a CURIE; raises ValueError for an unknown prefix."""
        iri = self.converter.expand(curie)
        if iri is None:
            raise ValueError(f"unknown CURIE prefix in {curie!r}")
        return iri

    def compress(self, iri: str) -> str | None:
        return self.converter.compress(iri)

    def prefix_map(self) -> dict[str, str]:
        """Canonical prefix -> namespace IRI (for binding in RDF output; synonyms left out)."""
        return dict(self.converter.bimap)

    def knows(self, curie: str) -> bool:
        """Whether a CURIE's prefix is one of the map's (canonical or synonym)."""
        return self.standardize(curie) is not None


def curies_of(config: Config) -> Curies:
    """The prefix map of a Config (made once per Config)."""
    return config.derived("curies", Curies.from_config)


def default() -> Curies:
    """The shipped prefix map."""
    return curies_of(Config.default())


def standardize(curie: str) -> str | None:
    return default().standardize(curie)


def expand(curie: str) -> str:
    return default().expand(curie)


def compress(iri: str) -> str | None:
    return default().compress(iri)


def prefix_map() -> dict[str, str]:
    return default().prefix_map()
