"""PubTator documents: ``PMID|t|title`` and ``PMID|a|abstract`` lines (annotation lines are read as gold by
``kg.corpora``)."""

from __future__ import annotations

import re
from pathlib import Path

from kg import ids
from kg.errors import KgError
from kg.ingest.text import read_text
from kg.lang import detect_lang
from kg.model import Document, Section

TEXT_LINE = re.compile(r"^(\d+|[^|\t]+)\|([ta])\|(.*)$")


def read_pubtator(path: Path, text: str | None = None) -> list[Document]:
    """PubTator documents (``PMID|t|title``, ``PMID|a|abstract``; annotation lines are read by the evaluator)."""
    text = text if text is not None else read_text(path)
    docs: dict[str, dict[str, str]] = {}
    order: list[str] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        m = TEXT_LINE.match(line)
        if m:
            pid, kind, body = m.groups()
            if pid not in docs:
                docs[pid] = {}
                order.append(pid)
            docs[pid][kind] = body
        elif "\t" not in line:
            raise KgError("not a PubTator line (expected 'ID|t|title', 'ID|a|abstract' or a tab-separated annotation)", path, lineno)
    out = []
    for pid in order:
        d = docs[pid]
        sections = []
        if d.get("t", "").strip():
            sections.append(Section("title", d["t"], detect_lang(d["t"])))
        if d.get("a", "").strip():
            sections.append(Section("abstract", d["a"], detect_lang(d["a"])))
        doc_id = f"PMID:{pid}" if pid.isdigit() else ids.document(pid)
        out.append(Document(id=doc_id, source=str(path), sections=tuple(sections), pmid=pid if pid.isdigit() else None))
    if not out:
        raise KgError("no PubTator documents", path)
    return out
