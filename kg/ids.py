"""Identifiers kg mints itself: for concepts no ontology has, for documents without an identifier, and for
the RDF nodes of associations, evidence, journals, authors and grants.

Every minted identifier is a deterministic function of what it names (its content, never a counter or
the order of reading), so the same input gives the same identifiers in any process and in any chunk.
Concept and document identifiers are CURIEs (``kgid:``, ``kgdoc:``; their namespaces are in
``prefixes.toml``); RDF nodes are CURIEs under ``kgid:`` too, expanded when written.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from urllib.parse import quote

MINTED = "kgid:"
DOCUMENT = "kgdoc:"
_THERAPY = MINTED + "therapy_"
_UNLINKED = MINTED + "unlinked_"
_TAGGED = MINTED + "tagged_"


def _local(curie: str) -> str:
    return curie.replace(":", "_")


# ---------------------------------------------------------------- concepts


def therapy(agent: str) -> str:
    """The therapy made of an agent (a cell type) that no ontology names: ``kgid:therapy_CL_0000134``."""
    return _THERAPY + _local(agent)


def unlinked(words: Sequence[str]) -> str:
    """A recognised mention no ontology grounds, named by its normalised words: ``kgid:unlinked_foo_bar``."""
    return _UNLINKED + ("_".join(words) or "x")


def composed(rule: str, head: str) -> str:
    """A concept composed by a rule around a head concept: ``kgid:complication_of_MAXO_0000xxx``."""
    return f"{MINTED}{rule}_{_local(head)}"


def composition_rule(curie: str, head: str) -> str | None:
    """The rule name of a composed concept's identifier, given its head (None if it is not one)."""
    suffix = "_" + _local(head)
    if curie.startswith(MINTED) and curie.endswith(suffix):
        return curie[len(MINTED):-len(suffix)] or None
    return None


def tagged(index: int) -> str:
    """A concept standing for a span tagged in an evaluation corpus."""
    return f"{_TAGGED}{index}"


def is_minted(curie: str) -> bool:
    """Whether kg minted the identifier (no ontology has the concept)."""
    return curie.startswith(MINTED)


def is_unlinked(curie: str) -> bool:
    """Whether the identifier is that of a mention no ontology grounds."""
    return curie.startswith(_UNLINKED)


def is_therapy(curie: str) -> bool:
    """Whether the identifier is that of a therapy kg minted around its agent."""
    return curie.startswith(_THERAPY)


# ---------------------------------------------------------------- documents


def document_from_text(text: str) -> str:
    """A document with no identifier of its own, named by a digest of its text."""
    return DOCUMENT + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


# What may stand in the local part of an identifier as it is: the characters of an IRI path segment
# (RFC 3987's ipchar, ASCII part) and "/"; anything else (white space, < > " { } | \\ ^ `, %, #, ?, control
# characters, non-ASCII) is percent-encoded, so no identifier read from a user's file can make an invalid
# IRI, or break a line of N-Triples, a TSV row or a PubTator line.
SAFE = "-._~!$&'()*+,;=:@/"
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_DOCUMENT_PREFIXES = {"pmid": "PMID", "doi": "doi", "pmcid": "PMCID", "kgdoc": "kgdoc"}


def local(text: str) -> str:
    """``text`` made safe as the local part of a CURIE (percent-encoded where an IRI needs it)."""
    return quote(text, safe=SAFE)


def document(local_id: str) -> str:
    """A document named by a record id of its source (``kgdoc:<id>``, percent-encoded where needed)."""
    return DOCUMENT + local(local_id)


def clean_doi(value: str) -> str | None:
    """A DOI without its resolver or ``doi:`` prefix (None when what is left does not begin ``10.``)."""
    v = _DOI.sub("", value.strip()).strip()
    return v if v.startswith("10.") and "/" in v else None


def doi(value: str) -> str:
    """The CURIE of a DOI (``doi:10.1000/x``; characters an IRI cannot hold are percent-encoded)."""
    return "doi:" + local(value)


def pmid(value: str) -> str:
    return f"PMID:{value}"


def record_document(rid: str) -> str:
    """The identifier of a document whose source names it ``rid``: ``PMID:``, ``doi:``, ``PMCID:`` and
    ``kgdoc:`` identifiers are kept (their prefix in its usual case); anything else is a ``kgdoc:`` name."""
    prefix, sep, rest = rid.partition(":")
    known = _DOCUMENT_PREFIXES.get(prefix.strip().lower()) if sep else None
    rest = rest.strip()
    if known == "PMID" and rest.isdigit():
        return pmid(rest)
    if known == "doi" and clean_doi(rest):
        return doi(clean_doi(rest))
    if known == "PMCID" and re.fullmatch(r"PMC\d+", rest, re.I):
        return f"PMCID:PMC{rest[3:]}"
    if known == "kgdoc" and rest:
        return document(rest)
    return document(rid)


# ---------------------------------------------------------------- RDF nodes


def digest(*parts: object) -> str:
    """16 hexadecimal digits of a SHA-1 over the parts."""
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def association(subject: str, key: str, object_: str) -> str:
    """The association node of a claim edge (subject CURIE, edge key, object CURIE)."""
    return f"{MINTED}assoc/{digest(subject, key, object_)}"


def evidence(association_iri: str, doc_id: str, section: str, lang: str, sentence_start: int, subject_start: int,
             object_start: int) -> str:
    """The evidence node of one sentence of an association."""
    return f"{MINTED}evidence/{digest(association_iri, doc_id, section, lang, sentence_start, subject_start, object_start)}"


def journal(name: str) -> str:
    return f"{MINTED}journal/{digest(name)}"


def author(doc_id: str, position: int) -> str:
    return f"{MINTED}author/{digest(doc_id, position)}"


def grant(doc_id: str, name: str, numbers: Sequence[str]) -> str:
    return f"{MINTED}grant/{digest(doc_id, name, tuple(numbers))}"


def article(pmid: str | None = None, doi: str | None = None, pmcid: str | None = None) -> str | None:
    """The identifier of an article: ``PMID:n`` when it has a PubMed id, else ``doi:…``, else ``PMCID:PMC…``
    (None when it has none). The PMID comes first because every PubMed and PubTator record has one,
    update files delete by it, and Biolink's context expands ``PMID:`` to the IRI kg writes."""
    if pmid:
        return f"PMID:{pmid}"
    if doi:
        return "doi:" + local(doi)  # a DOI may hold what an IRI cannot (SICI's "<", ">")
    if pmcid:
        return f"PMCID:{pmcid}"
    return None
