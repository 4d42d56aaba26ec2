"""kg validate (SHACL: kg's shapes and Biolink domains and ranges) and kg export (KGX TSV)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.curie import prefix_map
from kg.rdf.kgx import EDGE_COLUMNS, NODE_COLUMNS
from tests.conftest import ROOT, SHARED
from tests.conftest import run_cli as run

BL = "https://w3id.org/biolink/vocab/"
MSC_THERAPY = URIRef("http://id.nlm.nih.gov/mesh/D045164")
CURIE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*:[^\s|]+$")


def test_the_seed_validates(capsys, seed_ttl, merged_seed):
    for path in (seed_ttl, merged_seed[0]):
        code, out, err = run(capsys, "validate", path)
        assert code == 0 and err == "" and out.startswith("conforms:")


def test_a_broken_graph_fails_with_a_readable_report(capsys, tmp_path, seed_ttl):
    g = Graph().parse(seed_ttl)
    g.remove((MSC_THERAPY, RDF.type, URIRef(BL + "Treatment")))
    g.add((MSC_THERAPY, RDF.type, URIRef(BL + "Cell")))  # a cell cannot be the subject of studied_to_treat
    capable = next(g.subjects(URIRef(BL + "predicate"), URIRef(BL + "capable_of")))
    g.remove((capable, URIRef(BL + "has_evidence"), None))
    g.remove((capable, URIRef(BL + "publications"), None))
    inflammation = URIRef("http://purl.obolibrary.org/obo/GO_0006954")
    g.remove((inflammation, RDFS.label, None))
    g.add((next(g.subjects(URIRef(BL + "predicate"), URIRef(BL + "affects"))), URIRef(BL + "has_confidence_score"),
           Literal("high")))
    broken = tmp_path / "broken.ttl"
    broken.write_text(g.serialize(format="turtle"), encoding="utf-8")
    code, out, err = run(capsys, "validate", broken)
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert lines[-1].startswith("does not conform:")
    report = "\n".join(lines)
    assert "MESH:D045164: the subject of biolink:studied_to_treat is not a chemical or drug or treatment" in report
    assert "the association's biolink:subject is not a chemical or drug or treatment" in report
    assert f"{_short(capable)} biolink:has_evidence: an association has at least one piece of evidence" in report
    assert f"{_short(capable)} biolink:publications: an association names at least one publication" in report
    assert "GO:0006954 rdfs:label: an entity has a label" in report
    assert "confidence score is one decimal between 0 and 1" in report


def _short(iri):
    return "kgid:" + str(iri).removeprefix("https://w3id.org/kg/id/")


def test_export_kgx_tsv(capsys, tmp_path, seed_ttl):
    out = tmp_path / "kgx"
    code, _, err = run(capsys, "export", seed_ttl, "-o", out)
    assert code == 0 and "nodes.tsv" in err
    nodes = [line.split("\t") for line in (out / "nodes.tsv").read_text(encoding="utf-8").splitlines()]
    edges = [line.split("\t") for line in (out / "edges.tsv").read_text(encoding="utf-8").splitlines()]
    assert tuple(nodes[0]) == NODE_COLUMNS and tuple(edges[0]) == EDGE_COLUMNS
    assert all(len(r) == len(NODE_COLUMNS) for r in nodes) and all(len(r) == len(EDGE_COLUMNS) for r in edges)
    node = {r[0]: dict(zip(NODE_COLUMNS, r)) for r in nodes[1:]}
    edge = [dict(zip(EDGE_COLUMNS, r)) for r in edges[1:]]
    assert len(node) == 25 and len(edge) == 17  # 25: with the head-word therapy "medical treatment" (no claim)
    known = set(prefix_map())
    for n in node.values():
        assert CURIE.match(n["id"]) and n["id"].split(":")[0] in known and n["name"]
        assert all(c.startswith("biolink:") and c[8].isupper() for c in n["category"].split("|"))
        assert all(CURIE.match(x) for x in filter(None, n["xref"].split("|")))
    for e in edge:
        assert e["subject"] in node and e["object"] in node
        assert re.match(r"^biolink:[a-z_]+$", e["predicate"]) and e["negated"] in ("True", "False")
        assert e["knowledge_level"] == "knowledge_assertion" and e["agent_type"] == "text_mining_agent"
        assert e["publications"] == "doi:10.16352/j.issn.1001-6325.2023.01.0012"
    therapy = node["MESH:D045164"]
    assert therapy["category"] == "biolink:Treatment" and therapy["name"] == "Mesenchymal Stem Cell Transplantation"
    assert set(node["MONDO:0005155"]["xref"].split("|")) >= {"DOID:5082", "MESH:D008103", "HP:0001394"}
    treats = [e for e in edge if e["predicate"] == "biolink:studied_to_treat"]
    assert {e["object"] for e in treats} == {"MONDO:0005155", "MONDO:0005154", "MONDO:0100193", "MESH:D065290",
                                            "kgid:complication_of_MAXO_0001175"}
    # deterministic: the same graph gives the same bytes
    again = tmp_path / "again"
    run(capsys, "export", seed_ttl, "-o", again, "-q")
    assert (again / "edges.tsv").read_bytes() == (out / "edges.tsv").read_bytes()


def test_export_into_a_file_is_an_error(capsys, tmp_path, seed_ttl):
    f = tmp_path / "x.tsv"
    f.write_text("", encoding="utf-8")
    code, _, err = run(capsys, "export", seed_ttl, "-o", f)
    assert code == 1 and "must be a folder" in err


@pytest.mark.skipif(importlib.util.find_spec("kgx") is None, reason="KGX is not installed (pip install kgx): "
                    "scripts/kgx_validate.py runs its validator offline")
@pytest.mark.skipif(not (SHARED / "ontologies/biolink/biolink_model.context.jsonld").is_file(),
                    reason="../shared/ontologies/biolink (the Biolink JSON-LD context) is absent")
def test_kgx_validator_accepts_the_export(capsys, tmp_path, seed_ttl):
    run(capsys, "export", seed_ttl, "-o", tmp_path, "-q")
    proc = subprocess.run([sys.executable, ROOT / "scripts" / "kgx_validate.py", tmp_path], capture_output=True,
                          text=True, timeout=300)
    import json

    errors = json.loads(proc.stdout).get("ERROR", {})
    # The only complaints: kg's own minted ids (kgid:) have no prefix in the Biolink context.
    messages = [m for kind in errors.values() for m in kind]
    assert messages and all("CURIE prefix 'kgid'" in m for m in messages), messages


def test_validate_and_export_a_store(capsys, tmp_path, seed_ttl):
    from kg.rdf.store import load_store

    store = tmp_path / "s"
    load_store([seed_ttl], store)
    code, out, _ = run(capsys, "validate", store)
    assert code == 0 and out.startswith("conforms:")
    run(capsys, "export", store, "-o", tmp_path / "from_store", "-q")
    run(capsys, "export", seed_ttl, "-o", tmp_path / "from_file", "-q")
    for name in ("nodes.tsv", "edges.tsv"):
        assert (tmp_path / "from_store" / name).read_bytes() == (tmp_path / "from_file" / name).read_bytes()
