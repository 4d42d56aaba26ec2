"""kg merge: ontology classes meet the graph's entities on one node; hierarchy and exactMatch queries on the
seed's merged graph; idempotence; the alignment report; bad ontology input."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.rdf.named import find_named, render
from kg.rdf.store import open_backend
from tests.conftest import FIXTURES, ROOT
from tests.conftest import run_cli as run

OBO = "http://purl.obolibrary.org/obo/"
MESH = "http://id.nlm.nih.gov/mesh/"


def named_rows(graph_path, name, **params):
    """Rows of a named query as dicts of strings (unbound values as '')."""
    backend = open_backend(graph_path)
    result = backend.query(render(find_named(name), params), name)
    names = [str(v) for v in result.vars]
    return [{n: ("" if r[i] is None else str(r[i])) for i, n in enumerate(names)} for r in result]


def test_merge_adds_classes_on_the_entities_nodes(merged_seed, seed_rdf):
    path, report = merged_seed
    g = Graph().parse(path)
    cirrhosis = URIRef(OBO + "MONDO_0005155")
    # The extracted entity and the MONDO class are one node: its category, its labels, the ontology's synonyms.
    assert (cirrhosis, RDF.type, URIRef("https://w3id.org/biolink/vocab/Disease")) in g
    assert (cirrhosis, RDF.type, OWL.Class) in g
    assert set(g.objects(cirrhosis, RDFS.label)) == set(seed_rdf.objects(cirrhosis, RDFS.label))  # none added
    doid = URIRef(OBO + "DOID_5082")
    assert (doid, RDFS.subClassOf, URIRef(OBO + "DOID_409")) in g
    assert (URIRef(OBO + "MONDO_0005155"), SKOS.exactMatch, doid) in g
    synonyms = {str(o) for o in g.objects(doid, URIRef("http://www.geneontology.org/formats/oboInOwl#hasExactSynonym"))}
    assert synonyms  # DOID's synonyms of liver cirrhosis came along
    assert report.classes_added > 50 and report.triples_added == len(g) - report.triples_before


def test_therapy_claims_about_subclasses_of_liver_disease(merged_seed):
    """Every therapy claim about any subclass of liver disease, asked from MONDO, DOID, MeSH or HP ids."""
    path, _ = merged_seed
    answers = {}
    for disease in ("MONDO:0005154", "DOID:409", "MESH:D008107", "HP:0001392"):
        rows = named_rows(path, "treats", disease=disease)
        answers[disease] = sorted((r["objectLabel"], r["predicate"].rsplit("/", 1)[-1]) for r in rows)
    # The shipped lexicons reach cirrhosis through DOID (liver cirrhosis is_a liver disease), the liver failures
    # through MeSH's tree (Acute-On-Chronic Liver Failure ⊂ Liver Failure ⊂ Liver Diseases; chronic liver failure =
    # HP's chronic hepatic failure ⊂ hepatic failure = MeSH's Liver Failure, through UMLS and MONDO); the
    # transplant complication is under MeSH's Postoperative Complications, not under liver disease.
    expected = [("Acute-On-Chronic Liver Failure", "studied_to_treat"), ("chronic liver failure", "studied_to_treat"),
                ("cirrhosis of liver", "studied_to_treat"), ("liver disorder", "studied_to_treat")]
    assert all(a == expected for a in answers.values()), answers


def test_a_users_ontology_extends_the_hierarchy(tmp_path, merged_seed, capsys):
    path, _ = merged_seed
    out = tmp_path / "extended.ttl"
    code, _, err = run(capsys, "merge", path, ROOT / "examples" / "liver.obo", "-o", out, "-q")
    assert code == 0 and err == ""
    # the shipped lexicons reach the liver failures through MeSH's tree (Liver Failure ⊂ Liver Diseases = DOID:409)
    liver = ["Acute-On-Chronic Liver Failure", "chronic liver failure", "cirrhosis of liver", "liver disorder"]
    assert sorted(r["objectLabel"] for r in named_rows(path, "treats", disease="DOID:409")) == liver
    # the user's classes are added ("chronic liver failure" ⊂ MONDO's "liver failure"), and the answers stay
    chronic, failure = (URIRef("http://purl.obolibrary.org/obo/MONDO_" + n) for n in ("0100193", "0100192"))
    assert (chronic, RDFS.subClassOf, failure) in Graph().parse(out) and (chronic, RDFS.subClassOf, failure) not in Graph().parse(path)
    assert sorted(r["objectLabel"] for r in named_rows(out, "treats", disease="DOID:409")) == liver


def test_the_same_concept_from_each_ontology(merged_seed):
    """MONDO, DOID, MeSH and HP ids of cirrhosis reach the one graph node and its claim's evidence."""
    path, _ = merged_seed
    seen = set()
    for cid in ("MONDO:0005155", "DOID:5082", "MESH:D008103", "HP:0001394"):
        rows = named_rows(path, "evidence", subject="MESH:D045164", object=cid)
        # the English sentence and its Chinese counterpart support the one claim
        assert sorted(r["sentence"][:12] for r in rows) == ["Mesenchymal ", "间充质干细胞(MSCs)"]
        seen.update(r["association"] for r in rows)
    assert len(seen) == 1


def test_mechanisms_of_the_msc_therapy_with_go_parents(merged_seed):
    path, _ = merged_seed
    rows = named_rows(path, "mechanisms", therapy="MESH:D045164")
    parents = {}
    for r in rows:
        parents.setdefault(r["mechanismLabel"], set()).add(r["parentLabel"])
    assert parents["inflammatory response"] == {"defense response"}
    assert parents["immune response"] == {"immune system process", "response to stimulus"}
    assert parents["programmed cell death"] == {"cell death"}
    assert parents["antioxidant activity"] == {"molecular_function"}
    assert parents["cell differentiation"] == {"biological_process", "cellular developmental process", "developmental process"}
    assert parents["secretion"] == {"transport"}
    # from GO's cell-differentiation design pattern ('cell differentiation' and acquires features of a hepatocyte)
    assert parents["hepatocyte differentiation"] == {"cell differentiation"}
    directions = {(r["mechanismLabel"], r["direction"]) for r in rows if r["direction"]}
    assert ("inflammatory response", "decreased") in directions and ("antioxidant activity", "increased") in directions
    # The same answer from the cell itself (the therapy's agent) or its MeSH id.
    for therapy in ("CL:0000134", "MESH:D059630"):
        assert named_rows(path, "mechanisms", therapy=therapy) == rows


def test_merge_twice_changes_nothing(merged_seed, tmp_path, capsys):
    path, _ = merged_seed
    again = tmp_path / "again.ttl"
    code, _, _ = run(capsys, "merge", path, "--shipped", "-o", again, "--report", tmp_path / "r.json", "-q")
    assert code == 0
    assert again.read_bytes() == path.read_bytes()
    assert isomorphic(Graph().parse(again), Graph().parse(path))
    import json

    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["triples_added"] == 0 and report["classes_added"] == 0


def test_report_says_what_could_not_be_aligned(merged_seed):
    _, report = merged_seed
    unaligned = {c for c, _ in report.unaligned}
    # a composed concept no ontology has, and a head-word therapy no ontology names ("no effective medical treatment")
    assert unaligned == {"kgid:injury_of_UBERON_0002107", "kgid:unlinked_medical_treatment"}
    no_super = {c for c, _ in report.no_superclass}
    assert not {"MESH:D065290", "MESH:D058625"} & no_super  # MeSH-only concepts, placed by MeSH's tree numbers
    assert "MONDO:0005155" not in no_super and "MONDO:0100193" not in no_super
    assert report.entities == 25 and report.mappings_read > 40_000
    assert any("not aligned" in line for line in report.summary())


def test_merge_obo_owl_sssom_and_a_spec(tmp_path, seed_ttl, capsys):
    spec = tmp_path / "spec.toml"
    spec.write_text(f'scope = "all"\nontologies = ["{FIXTURES}/mini.o*", "{FIXTURES}/mini.lexicon.tsv"]\n'
                    f'mappings = ["{FIXTURES}/mini.sssom.tsv"]\n',
                    encoding="utf-8")
    out = tmp_path / "m.nt"
    code, _, err = run(capsys, "merge", seed_ttl, spec, "-o", out)
    assert code == 0 and "read 4 file(s)" in err
    g = Graph().parse(out)
    widget = URIRef(OBO + "MONDO_9000001")
    assert (widget, RDFS.subClassOf, URIRef(OBO + "MONDO_0005154")) in g  # OBO is_a
    assert (widget, SKOS.exactMatch, URIRef(OBO + "HP_9000009")) in g  # SSSOM
    assert (widget, SKOS.exactMatch, URIRef(MESH + "D999001")) in g  # OBO xref
    assert (URIRef(OBO + "MAXO_9000008"), RDFS.label, None) in g  # OWL class
    assert (URIRef(OBO + "HP_9000010"), RDFS.subClassOf, URIRef(OBO + "HP_0000001")) in g  # lexicon TSV
    # scope "all" added the fixture classes though the graph never mentions them
    assert (URIRef(OBO + "CL_9000003"), RDF.type, OWL.Class) in g


def test_module_scope_leaves_out_unrelated_classes(tmp_path, seed_ttl, capsys):
    out = tmp_path / "m.ttl"
    code, _, _ = run(capsys, "merge", seed_ttl, FIXTURES / "mini.obo", "-o", out, "-q")
    g = Graph().parse(out)
    # mini.obo's classes are below liver disorder, not above any seed entity: none is added
    assert code == 0 and (URIRef(OBO + "MONDO_9000001"), None, None) not in g


def test_merge_keeps_named_graphs(tmp_path, seed_kg, capsys):
    trig = tmp_path / "kg.trig"
    seed_kg.write(trig)
    out = tmp_path / "merged.trig"
    code, _, _ = run(capsys, "merge", trig, ROOT / "examples" / "liver.obo", "-o", out, "-q")
    assert code == 0
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(out, format="trig")
    names = {str(g.identifier) for g in ds.graphs()}
    assert "https://doi.org/10.16352/j.issn.1001-6325.2023.01.0012" in names
    assert (URIRef(OBO + "MONDO_0100192"), RDFS.subClassOf, URIRef(OBO + "MONDO_0005154")) in ds.default_graph


def test_unknown_prefixes_are_reported(tmp_path, seed_ttl):
    from kg.rdf.merge import MergeSpec, merge_files

    obo = tmp_path / "mixed.obo"
    obo.write_text((FIXTURES / "mini.obo").read_text(encoding="utf-8").replace("xref: MESH:D999001", "xref: GARD:0001"),
                   encoding="utf-8")
    report = merge_files(seed_ttl, MergeSpec(ontologies=(obo,), scope="all"), tmp_path / "o.ttl")
    assert report.unknown_prefixes == {"GARD": 1}
    assert any("GARD (1)" in line for line in report.summary())


@pytest.mark.parametrize("make, expected", [
    (lambda d: [d / "missing.obo"], "missing.obo: no such ontology file"),
    (lambda d: [FIXTURES / "unknown_prefix.obo"], "no class or mapping with a known prefix (found FOO (2)"),
    (lambda d: [_write_bytes(d / "broken.tsv.gz", b"\x1f\x8b\x08\x00garbage")], "broken.tsv.gz: cannot read ontology file"),
    (lambda d: [_write(d / "junk.owl", "<rdf:RDF><owl:Class")], "junk.owl:1: cannot parse xml RDF"),
    (lambda d: [_write(d / "s.toml", 'ontologies = ["nothing-*.obo"]\n')], "no file matches"),
    (lambda d: [_write(d / "s.toml", 'ontology = ["x.obo"]\n')], "unknown key(s) ontology"),
    (lambda d: [_write(d / "s.toml", 'scope = "every"\n')], "scope must be one of"),
    (lambda d: [], "nothing to merge"),
])
def test_bad_ontology_input(capsys, tmp_path, seed_ttl, make, expected):
    out = tmp_path / "out.ttl"
    code, _, err = run(capsys, "merge", seed_ttl, *make(tmp_path), "-o", out)
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 1 and lines[0].startswith("kg: error: ") and expected in lines[0], err
    assert not out.exists() and not list(tmp_path.glob(".out.ttl.*"))


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def _write_bytes(path, data):
    path.write_bytes(data)
    return path


def test_a_missing_or_malformed_graph(capsys, tmp_path):
    bad = _write(tmp_path / "bad.ttl", "@prefix x: <http://x/> .\nx:a x:b .\n")
    for graph, expected in ((tmp_path / "none.ttl", "none.ttl: no such graph file"), (bad, "bad.ttl")):
        code, _, err = run(capsys, "merge", graph, FIXTURES / "mini.obo", "-o", tmp_path / "out.ttl")
        assert code == 1 and err.count("\n") == 1 and expected in err
    assert not (tmp_path / "out.ttl").exists()
