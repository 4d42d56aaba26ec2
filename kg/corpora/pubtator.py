"""kg's mentions as PubTator annotations (``kg annotate --format pubtator``): each document's title and
abstract lines, then one line per mention of a PubTator type, with the identifier corpora write."""

from __future__ import annotations

from collections.abc import Iterable

from kg.corpora.gold import section_offsets
from kg.ground import Identifiers
from kg.model import AnnotatedDocument, Mention


def pubtator_id(m: Mention, identifiers: Identifiers) -> str:
    """The identifier written for a mention: a MeSH id without prefix where the concept has one
    (PubTator's convention), else another preferred id, else the concept's CURIE."""
    found = identifiers.of(m)
    curie = found[0] if found else (m.concept.curie if m.concept else "")
    return curie[5:] if curie.startswith("MESH:") else curie


def write_pubtator(annotated: Iterable[AnnotatedDocument], identifiers: Identifiers) -> str:
    """PubTator text: each document's title and abstract lines, then one line per mention with a PubTator
    type (``PMID<TAB>start<TAB>end<TAB>text<TAB>Type<TAB>ID``, offsets over title + space + abstract);
    ``identifiers``: over the lexicon the mentions were grounded with."""
    lines: list[str] = []
    for ad in annotated:
        doc = ad.document
        pid = doc.pmid or doc.id.split(":", 1)[-1]
        bases = {}
        parts = {"t": [], "a": []}
        for s, base in section_offsets(doc):
            bases[s.name] = base
            parts["t" if s.kind == "title" else "a"].append(s.text)
        for kind in ("t", "a"):
            if parts[kind]:
                lines.append(f"{pid}|{kind}|{' '.join(parts[kind])}")
        for m in sorted(ad.mentions, key=lambda m: (bases.get(m.section, 0) + m.start, m.end)):
            typ = identifiers.type_of(m.concept)
            if typ is None or m.section not in bases or m.lang != "en":
                continue
            base = bases[m.section]
            lines.append(f"{pid}\t{base + m.start}\t{base + m.end}\t{m.text}\t{typ}\t{pubtator_id(m, identifiers)}")
        lines.append("")
    return "\n".join(lines) + ("\n" if lines else "")
