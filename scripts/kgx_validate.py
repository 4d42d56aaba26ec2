#!/usr/bin/env python
"""Validate a KGX TSV export (``kg export``) with KGX's validator, offline.

Usage:  pip install kgx && python scripts/kgx_validate.py DIR [--context biolink_model.context.jsonld]

KGX and bmt fetch the Biolink schema, a predicate map and JSON-LD contexts from the network when imported.
Before importing KGX this points bmt at the schema shipped in the biolink-model package with an empty
predicate map, and fills KGX's Biolink JSON-LD context from a local file (default:
``../shared/ontologies/biolink/biolink_model.context.jsonld``). Prints KGX's error report as JSON; exits 1
when it holds errors. Not a project dependency: KGX pulls in a large tree (linkml, pandas, neo4j ...).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", help="a folder with nodes.tsv and edges.tsv")
    ap.add_argument("--context", default=str(Path(__file__).resolve().parents[2] / "shared" / "ontologies" / "biolink"
                                             / "biolink_model.context.jsonld"))
    args = ap.parse_args(argv)

    import biolink_model
    import bmt.toolkit

    schema = os.path.join(biolink_model.__path__[0], "schema", "biolink_model.yaml")
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as fh:
        fh.write('{"predicate mappings": []}\n')
    defaults = list(bmt.toolkit.Toolkit.__init__.__defaults__)
    bmt.toolkit.Toolkit.__init__.__defaults__ = (schema, fh.name, *defaults[2:])

    import kgx.config

    with open(args.context, encoding="utf-8") as c:
        kgx.config.jsonld_context_map = {"biolink": json.load(c)["@context"], "monarch_context": {}, "obo_context": {}}
    from kgx.transformer import Transformer
    from kgx.validator import Validator

    validator = Validator()
    files = [os.path.join(args.folder, "nodes.tsv"), os.path.join(args.folder, "edges.tsv")]
    Transformer(stream=True).transform({"filename": files, "format": "tsv"}, output_args={"format": "null"},
                                       inspector=validator)
    errors = validator.get_errors()
    json.dump(errors, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    return 1 if errors.get("ERROR") else 0


if __name__ == "__main__":
    sys.exit(main())
