"""Drug names from the ``drug-named-entity-recognition`` package (Fast Data Science, MIT licence), read when
the lexicon is built: its dictionary gathers the names, synonyms and brand names of about 20,000 drugs
from DrugBank's open vocabulary (CC0), MeSH, MedlinePlus, the NHS and Wikipedia, with each drug's
DrugBank identifier and MeSH tree numbers. MeSH here holds descriptor labels only, so without it
"pethidine" (Meperidine), "salbutamol" (Albuterol) or "desferrioxamine" (Deferoxamine) are no drugs.

A drug whose name is a MeSH descriptor's label takes that descriptor's identifier (its names become the
descriptor's synonyms, its DrugBank identifier an equivalent); any other takes its DrugBank identifier.
Which drugs and names are taken is ``lexicons/drug_names.toml`` of the ontologies folder: substances of MeSH's biological
branches (proteins, enzymes, biological factors, classes of action) stay out, as do DrugBank's allergenic
extracts and foods ("Elm", "Shrimp"), one-word adjectives ("cholinergic") and short names. kg does not redistribute the dictionary: it reads the installed package.
"""

from __future__ import annotations

import ast
import bz2
import importlib.metadata
import logging
import pickle
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from kg.config import Config, Source, Table, toml_table
from kg.errors import KgError
from kg.model import Synonym, Term
from kg.ontology.normalize import Normalizer

log = logging.getLogger(__name__)

DISTRIBUTION = "drug-named-entity-recognition"
PACKAGE = "drug_named_entity_recognition"
RESOURCE = "drug_ner_dictionary.pkl.bz2"
SOURCE = "drug-named-entity-recognition"  # the source column of the terms made here
POLICY = "drug_names.toml"  # in the ontologies folder's lexicons/
_warned: list[bool] = []  # the missing package is said once per process


def policy(config: Config) -> Table | None:
    """``lexicons/drug_names.toml`` of ``config``'s ontologies folder when it is there and enabled (the
    shipped folder has it; a folder of the user's own ontologies need not), else None."""
    path = config.ontologies / "lexicons" / POLICY
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise KgError(f"not UTF-8 text: {exc.reason} at byte {exc.start}", path) from None
    table = toml_table(Source(POLICY, str(path), text))
    return table if table.boolean("enabled", True) else None


def fingerprint(config: Config) -> str | None:
    """What the drug terms are made from (the package's version and the policy's text), for the
    lexicon cache's key; None when no drug names are read (no policy, disabled, or the package missing)."""
    table = policy(config)
    version = package_version() if table is not None else None
    return f"{DISTRIBUTION} {version}\n{table.source.text}" if version else None


def package_version() -> str | None:
    """The installed package's version; None (said once) when it is missing."""
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        if not _warned:
            _warned.append(True)
            log.warning("%s is not installed: the lexicon has no drug names beyond MeSH labels (pip install %s)",
                        DISTRIBUTION, DISTRIBUTION)
        return None


def _dictionary() -> tuple[dict, frozenset[str]]:
    """The package's dictionary (the pickle its wheel ships, read as the package reads it) and its stop
    words (English words that are also drug names: "abbott", "about"), found without importing the package
    (its import reads files in the user's home)."""
    dist = importlib.metadata.distribution(DISTRIBUTION)
    with open(dist.locate_file(f"{PACKAGE}/{RESOURCE}"), "rb") as fh:
        data = pickle.loads(bz2.decompress(fh.read()))
    stop: frozenset[str] = frozenset()
    util = Path(dist.locate_file(f"{PACKAGE}/util.py"))
    if util.is_file():
        for node in ast.parse(util.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "stopwords" for t in node.targets):
                stop = frozenset(ast.literal_eval(node.value))
    return data, stop


def drug_terms(known: Iterable[Term], config: Config) -> list[Term]:
    """The dictionary's drugs as terms (sorted by identifier), mapped onto the MeSH descriptors of
    ``known`` by label; none when the package is missing or the policy file is absent or disabled."""
    table = policy(config)
    if table is None or package_version() is None:
        return []
    keep, biological = set(table.strings("keep_trees")), set(table.strings("biological_trees"))
    biological_name = table.regex("biological_name", None, re.IGNORECASE)
    unstructured_name = table.regex("unstructured_name", None, re.IGNORECASE)
    adjective = tuple(table.strings("adjective_endings", ()))
    min_length = table.integer("min_length", 5)
    norm = Normalizer(config)
    mesh: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for t in known:
        if t.prefix == "MESH":
            for text in (t.label, *(s.text for s in t.synonyms if s.scope == "EXACT")):
                mesh[norm.term_key(text)].add(t.curie)
    data, stop = _dictionary()
    variants: dict[str, set[str]] = defaultdict(set)
    for variant, canonicals in data["drug_variant_to_canonical"].items():
        for c in canonicals[:1]:
            variants[c].add(variant)
    merged: dict[str, tuple[str, set[str], set[str]]] = {}  # curie -> (label, names, xrefs)
    for canonical, info in sorted(data["drug_canonical_to_data"].items()):
        name = info.get("name") or canonical
        trees = {t[:3] for t in info.get("mesh_tree") or ()}
        drugbank = info.get("drugbank_id")
        if trees and not trees & keep and (not drugbank or trees & biological):
            continue  # a protein, enzyme, biological factor or class of action
        if not trees and (not drugbank or (biological_name and biological_name.search(name))):
            continue  # a combination product, or a biological product by its name
        hits = mesh.get(norm.term_key(name), set())
        if len(hits) == 1:
            curie = next(iter(hits))
        elif drugbank:
            if (unstructured_name and not info.get("smiles") and not info.get("formula")
                    and not unstructured_name.search(name.split()[-1] if name.split() else name)):
                continue  # an allergenic extract, a food, a cell or virus product ("Elm", "Skim milk")
            curie = f"DRUGBANK:{drugbank}"
        else:
            continue
        names = {v for v in variants[canonical] if len(v) >= min_length and v not in stop
                 and not (" " not in v and v.endswith(adjective))}
        label, have, xrefs = merged.get(curie, (name, set(), set()))
        have |= names | ({name.lower()} if label != name else set())
        if drugbank and not curie.startswith("DRUGBANK:"):
            xrefs.add(f"DRUGBANK:{drugbank}")
        merged[curie] = (label, have, xrefs)
    out = []
    for curie in sorted(merged):
        label, names, xrefs = merged[curie]
        synonyms = tuple(Synonym(n, "EXACT") for n in sorted(names - {label.lower()}))
        out.append(Term(curie, label, synonyms, tuple(sorted(xrefs)), (), SOURCE))
    log.debug("%d drug terms from %s", len(out), DISTRIBUTION)
    return out
