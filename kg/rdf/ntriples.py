"""N-Triples and N-Quads written directly, without rdflib's graph or serialisers.

The triple generators of ``kg.rdf.build`` add ``(subject, predicate, object)`` to any object with an
``add`` method; ``Lines`` is such an object that turns each triple into one line of canonical N-Triples
(or N-Quads, with the name of a graph), so the same generators feed rdflib's Dataset and these writers.
Terms are rdflib's ``URIRef`` and ``Literal`` (strings with a type) or ``Lit`` (a lighter literal the
evidence generator makes, thousands a chunk), formatted here: IRIs made safe
(``safe_iri``), literals escaped as canonical N-Triples does (``\\"``, ``\\\\``, ``\\b \\t \\n \\f \\r``,
``\\uXXXX`` for other control characters; a lone surrogate becomes U+FFFD).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from rdflib import Literal, URIRef

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_ECHAR = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\\ud800-\udfff]')
# Characters an IRI may hold as they are (RFC 3987 without the few this project never mints): the rest
# of ASCII is percent-encoded, as is a '%' that does not start a %XX escape.
_IRI_UNSAFE = re.compile(r"[\x00-\x20<>\"{}|\\^`\[\]\x7f]|%(?![0-9A-Fa-f]{2})|[\ud800-\udfff\ufffe\uffff]")


def _escape_char(m: re.Match) -> str:
    c = m.group(0)
    if c in _ECHAR:
        return _ECHAR[c]
    if "\ud800" <= c <= "\udfff":
        return "\ufffd"
    return f"\\u{ord(c):04X}"


def escape_literal(text: str) -> str:
    """The lexical form as the body of an N-Triples string literal (canonical escapes)."""
    return _NEEDS_ESCAPE.sub(_escape_char, text) if _NEEDS_ESCAPE.search(text) else text


def _pct(m: re.Match) -> str:
    c = m.group(0)
    if "\ud800" <= c <= "\udfff" or c in "\ufffe\uffff":
        c = "\ufffd"
    return "".join(f"%{b:02X}" for b in c.encode("utf-8"))


def safe_iri(iri: str) -> str:
    """The IRI with the characters no IRI may contain (space, ``<>"{}|\\^```, brackets, controls, a stray
    ``%``) percent-encoded: a DOI such as ``10.1002/(SICI)...<513::AID>`` still names a valid IRI."""
    return _IRI_UNSAFE.sub(_pct, iri) if _IRI_UNSAFE.search(iri) else iri


def literal_term(lit: Literal) -> str:
    """An rdflib ``Literal`` as an N-Triples term."""
    body = '"' + escape_literal(str(lit)) + '"'
    if lit.language:
        return body + "@" + lit.language.lower()
    dt = lit.datatype
    if dt is None or str(dt) == XSD_STRING:
        return body
    return body + "^^<" + str(dt) + ">"


class Lit(NamedTuple):
    """A literal as its lexical form, language and datatype IRI: what the hot generators (evidence) make
    instead of an rdflib ``Literal`` (whose constructor parses the value); ``rdflib()`` converts."""

    lexical: str
    lang: str | None = None
    datatype: str | None = None

    def rdflib(self) -> Literal:
        return Literal(self.lexical, lang=self.lang, datatype=URIRef(self.datatype) if self.datatype else None)


XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
_TRUE, _FALSE = Lit("true", None, XSD_BOOLEAN), Lit("false", None, XSD_BOOLEAN)


def integer(value: int) -> Lit:
    """An ``xsd:integer`` literal (the lexical form rdflib gives ``Literal(value)``)."""
    return Lit(str(int(value)), None, XSD_INTEGER)


def boolean(value: object) -> Lit:
    """An ``xsd:boolean`` literal (``Literal(bool(value))``)."""
    return _TRUE if value else _FALSE


def decimal3(value: float) -> Lit:
    """A score as an ``xsd:decimal`` of at most three decimals (``Literal(round(value, 3),
    datatype=XSD.decimal)``: the shortest repr of the rounded float)."""
    return Lit(repr(round(float(value), 3)), None, XSD_DECIMAL)


def lit_term(lit: Lit) -> str:
    body = '"' + escape_literal(lit.lexical) + '"'
    if lit.lang:
        return body + "@" + lit.lang.lower()
    if lit.datatype is None or lit.datatype == XSD_STRING:
        return body
    return body + "^^<" + lit.datatype + ">"


def term(t: object) -> str:
    """An IRI (``URIRef`` or any other string) or a ``Literal`` as an N-Triples term."""
    if type(t) is Lit:
        return lit_term(t)  # type: ignore[arg-type]
    if isinstance(t, Literal):
        return literal_term(t)
    return "<" + safe_iri(str(t)) + ">"


class Lines:
    """Collects triples as N-Triples lines, or as N-Quads lines of one named graph (``graph``).

    IRI terms are formatted once and remembered (subjects, predicates and classes repeat on every line)."""

    __slots__ = ("lines", "_end", "_iris")

    def __init__(self, graph: str | None = None, iris: dict[str, str] | None = None):
        self.lines: list[str] = []
        self._end = f" <{safe_iri(str(graph))}> .\n" if graph is not None else " .\n"
        self._iris = iris if iris is not None else {}

    def _iri(self, t: object) -> str:
        out = self._iris.get(t)  # type: ignore[call-overload]
        if out is None:
            out = "<" + safe_iri(str(t)) + ">"
            if len(self._iris) >= 100_000:
                self._iris.clear()
            self._iris[t] = out  # type: ignore[index]
        return out

    def add(self, triple: tuple) -> None:
        s, p, o = triple
        if type(o) is Lit:
            obj = lit_term(o)
        elif isinstance(o, Literal):
            obj = literal_term(o)
        else:
            obj = self._iri(o)
        self.lines.append(self._iri(s) + " " + self._iri(p) + " " + obj + self._end)

    def sorted(self) -> list[str]:
        """The lines, each once, sorted: a block of canonical output."""
        return sorted(set(self.lines))


def strip_graph(quad: str) -> str:
    """An N-Quads line (as ``Lines`` writes it, named graph last) as the N-Triples line of its triple. IRIs
    hold no spaces, so the graph's term is what follows the last " <"."""
    return quad[:quad.rindex(" <")] + " .\n"


def triples_of(quads: Iterable[str]) -> Iterator[str]:
    """N-Quads lines of named graphs (``Lines`` output) as N-Triples lines."""
    for line in quads:
        yield line[:line.rindex(" <")] + " .\n"
