"""XML that cannot be turned against the machine: no DTD entity is expanded by a parser kg hands a file to.

XML parsers expand the entities a document's DOCTYPE declares (Oxigraph's RDF/XML parser and rdflib's
do): a 1 KB "billion laughs" file asks for gigabytes. kg reads the internal subset of a DOCTYPE itself
before any parser sees the file:

- no entity declarations: the file goes to the parser as it is (an external DTD is never fetched by the
  parsers kg uses, and is never read);
- plain entities only (a name for a short literal text, as OWL files written by the OWL API declare
  ``<!ENTITY owl "http://www.w3.org/2002/07/owl#">``): kg expands them itself, with the output's size
  bounded, and hands the parser the expanded text without its DOCTYPE;
- anything else (an entity whose value holds a reference or markup, a parameter or external entity, a
  value over ``MAX_VALUE`` characters, an expansion over ``MAX_GROWTH`` times the input): a ``KgError``
  naming the file and the line, before any parser runs.
"""

from __future__ import annotations

import re
from pathlib import Path

from kg.errors import KgError

HEAD = 65536  # a DOCTYPE stands before the root element: it is in the file's first bytes
MAX_VALUE = 2048  # characters of one entity's value
MAX_GROWTH = 4  # an expansion may make the text at most this many times longer (plus 1 MB)

_START = re.compile(rb"<(?![?!])")  # the first element
_DOCTYPE = re.compile(rb"<!DOCTYPE\b")
_DECL = re.compile(rb"<!(ENTITY|ELEMENT|ATTLIST|NOTATION)\b(.*?)>|<!--.*?-->|<\?.*?\?>", re.S)
_ENTITY = re.compile(rb"^\s*([A-Za-z_:][\w.:-]*)\s+(\"([^\"]*)\"|'([^']*)')\s*$", re.S)
_PREDEFINED = {b"lt", b"gt", b"amp", b"apos", b"quot"}


def safe_xml(path: Path) -> bytes | None:
    """None when ``path`` can go to an XML parser as it is; else the file's bytes with its declared plain
    entities expanded and its DOCTYPE removed. Refuses (``KgError``) what could expand without bound."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD)
    except OSError:
        return None  # the reader names the problem
    start = _START.search(head)
    doctype = _DOCTYPE.search(head, 0, start.start() if start else len(head))
    if doctype is None:
        return None
    subset_open = head.find(b"[", doctype.end())
    close = head.find(b">", doctype.end())
    if subset_open < 0 or (0 <= close < subset_open):
        return None  # no internal subset: nothing is declared (an external DTD is never read)
    data = path.read_bytes()
    subset_end = data.find(b"]", subset_open)
    end = data.find(b">", subset_end) if subset_end >= 0 else -1
    if end < 0:
        raise KgError("malformed XML: an unterminated DOCTYPE", path, _line(data, doctype.start()))
    entities = _entities(data, subset_open + 1, subset_end, path)
    if not entities:
        return data[: doctype.start()] + data[end + 1 :]
    return _expand(data[: doctype.start()] + data[end + 1 :], entities, path, len(data))


def _entities(data: bytes, start: int, end: int, path: Path) -> dict[bytes, bytes]:
    """The plain entities an internal subset declares; anything that could expand without bound refused."""
    out: dict[bytes, bytes] = {}
    for m in _DECL.finditer(data, start, end):
        if m.group(1) != b"ENTITY":
            continue
        body = m.group(2)
        where = _line(data, m.start())
        plain = _ENTITY.match(body)
        if body.lstrip().startswith(b"%") or plain is None:
            raise KgError("XML with a parameter or external entity in its DOCTYPE is refused (kg expands no "
                          "entity it cannot see)", path, where)
        value = plain.group(3) if plain.group(3) is not None else plain.group(4)
        if b"&" in value or b"%" in value or b"<" in value:
            raise KgError(f"XML entity {plain.group(1).decode('utf-8', 'replace')!r} refers to other entities or "
                          "holds markup: refused (an entity expansion attack, or too complex to expand safely)",
                          path, where)
        if len(value) > MAX_VALUE:
            raise KgError(f"XML entity {plain.group(1).decode('utf-8', 'replace')!r} is over {MAX_VALUE} characters: "
                          "refused", path, where)
        out[plain.group(1)] = value
    return out


def _expand(body: bytes, entities: dict[bytes, bytes], path: Path, size: int) -> bytes:
    limit = MAX_GROWTH * size + (1 << 20)
    total = 0
    pieces: list[bytes] = []
    last = 0
    for m in re.finditer(rb"&([A-Za-z_:][\w.:-]*);", body):
        name = m.group(1)
        if name in _PREDEFINED:
            continue
        value = entities.get(name)
        if value is None:
            raise KgError(f"XML refers to an undeclared entity &{name.decode('utf-8', 'replace')};", path,
                          _line(body, m.start()))
        value = value.replace(b'"', b"&quot;").replace(b"'", b"&apos;")  # safe inside attribute values too
        pieces.append(body[last : m.start()])
        pieces.append(value)
        total += m.start() - last + len(value)
        last = m.end()
        if total > limit:
            raise KgError("XML entities expand to more than {:,} bytes: refused".format(limit), path)
    pieces.append(body[last:])
    return b"".join(pieces)


def _line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
