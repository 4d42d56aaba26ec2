"""Reading SPARQL text without running it: its keywords (comments, strings, IRIs, variables and prefixed
names skipped), the brace that opens its WHERE clause, and what kg refuses before an engine sees it
(updates where a query is expected, ``SERVICE`` federation, rdflib's ``FROM`` that fetches URLs)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from kg.errors import KgError

_IRI = re.compile(r'<[^<>"{}|^`\\\s]*>')
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PNAME = re.compile(r"(?:[A-Za-z_][\w.-]*)?:[^\s{}()<>\[\];,\"'#]*")
UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


def tokens(text: str) -> Iterator[tuple[str, int]]:
    """(token, offset) for each keyword (upper-cased) and brace of SPARQL text, in order."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c == "<" and (m := _IRI.match(text, i)):
            i = m.end()
        elif c in "\"'":
            quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            i = j + len(quote)
        elif c in "?$":  # a variable: its name is no keyword
            m = _WORD.match(text, i + 1)
            i += 1 + (len(m.group(0)) if m else 0)
        elif (c.isalpha() or c in "_:") and (m := _PNAME.match(text, i)) and ":" in m.group(0):
            i = m.end()  # a prefixed name (ex:service is no SERVICE)
        elif c.isalpha() or c == "_":
            word = _WORD.match(text, i).group(0)
            yield word.upper(), i
            i += len(word)
        elif c in "{}":
            yield c, i
            i += 1
        else:
            i += 1


def where_brace(text: str, path: str | Path | None = None) -> int:
    """The offset of the ``{`` that opens the query's WHERE clause."""
    form, depth = None, 0
    for tok, at in tokens(text):
        if form is None and tok in FORMS:
            form = tok
        elif tok == "WHERE" and form is not None and form != "CONSTRUCT-TEMPLATE":
            form = "WHERE"
        elif tok == "{":
            if form in ("WHERE", "SELECT", "ASK", "DESCRIBE", "CONSTRUCT-WHERE"):
                return at
            if form == "CONSTRUCT":  # the template; its WHERE clause follows
                form, depth = "CONSTRUCT-TEMPLATE", 1
                continue
            if form == "CONSTRUCT-TEMPLATE":
                depth += 1
        elif tok == "}" and form == "CONSTRUCT-TEMPLATE":
            depth -= 1
            if depth == 0:
                form = "CONSTRUCT-WHERE"
    raise KgError("no WHERE clause found to bind the parameters in", path)


def check_query(text: str, source: str = "query", engine: str = "rdflib", allow_service: bool = False) -> None:
    """Refuse, before any engine runs it: an update where a query is expected, ``SERVICE`` (a query would
    make kg fetch URLs of its author's choosing) unless ``allow_service``, and with rdflib ``FROM`` (rdflib
    loads each named graph from the network)."""
    first = None
    for tok, at in tokens(text):
        if tok in ("{", "}"):
            continue
        line = text.count("\n", 0, at) + 1
        if first is None and tok not in ("PREFIX", "BASE"):
            first = tok
            if tok in UPDATES:
                raise KgError(f"a SPARQL update ({tok}), not a query: kg query runs SELECT, ASK, CONSTRUCT and "
                              "DESCRIBE", source, line)
        if tok == "SERVICE" and not allow_service:
            raise KgError("SERVICE is refused: kg reaches no network unless asked (--allow-service)", source, line)
        if tok == "FROM" and engine == "rdflib":
            raise KgError("FROM is refused with rdflib, which would load each graph from its IRI over the network; "
                          "query the graph files themselves, or --engine oxigraph", source, line)
