"""CURIE <-> IRI conversion with the project's prefix map (``kg/data/prefixes.toml``), via ``curies``."""

from __future__ import annotations

import tomllib
from functools import lru_cache

import curies

from kg.resources import data_path


@lru_cache(maxsize=1)
def converter() -> curies.Converter:
    """The project's converter; prefix synonyms (MSH, UMLS_CUI, NCI ...) standardise to one prefix."""
    with open(data_path("prefixes.toml"), "rb") as fh:
        table = tomllib.load(fh)["prefixes"]
    records = [
        {"prefix": p, "uri_prefix": v["uri"], "prefix_synonyms": v.get("synonyms", [])}
        for p, v in table.items()
    ]
    return curies.Converter.from_extended_prefix_map(records)


def standardize(curie: str) -> str | None:
    """``MSH:D008103`` -> ``MESH:D008103``; None when the prefix is not one the project knows."""
    if ":" not in curie:
        return None
    prefix, local = curie.split(":", 1)
    local = local.strip()
    if not local or " " in local:
        return None
    std = converter().standardize_prefix(prefix.strip())
    return f"{std}:{local}" if std else None


def expand(curie: str) -> str:
    """The IRI of a CURIE; raises ValueError for an unknown prefix."""
    iri = converter().expand(curie)
    if iri is None:
        raise ValueError(f"unknown CURIE prefix in {curie!r}")
    return iri


def compress(iri: str) -> str | None:
    return converter().compress(iri)


def prefix_map() -> dict[str, str]:
    """Canonical prefix -> namespace IRI (for binding in RDF output; synonyms left out)."""
    return dict(converter().bimap)
