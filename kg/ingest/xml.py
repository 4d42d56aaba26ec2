"""Reading XML sources safely and as a stream: lxml's ``iterparse`` with entity expansion, DTD loading and
the network off, a refusal of any DOCTYPE that declares entities (billion laughs, external entities),
records yielded one at a time and cleared behind the reader, and parse errors as ``KgError``s naming the
file and line. Also the helpers every XML reader uses: the root element of a file, an element's text with
inline markup kept, local names."""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Iterator
from pathlib import Path

from lxml import etree

from kg.errors import KgError
from kg.ingest.source import open_binary, peek

HEAD = 65536
_DOCTYPE = re.compile(rb"<!DOCTYPE\b", re.I)
_SKIP = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)", re.S | re.I)
_ROOT = re.compile(r"\s*<([A-Za-z_][\w.:-]*)([^>]*)>", re.S)
_XMLNS = re.compile(r"""\bxmlns\s*=\s*["']([^"']*)["']""")


def check_prolog(head: bytes, path: Path) -> None:
    """Refuse a DOCTYPE whose internal subset declares entities (or one too long to read in ``head``):
    kg never expands entities, and says so rather than read such a file."""
    m = _DOCTYPE.search(head)
    if m is None:
        return
    line = head.count(b"\n", 0, m.start()) + 1
    rest = head[m.end():]
    depth, end = 0, -1
    for i, ch in enumerate(rest):
        if ch == 0x5B:  # [
            depth += 1
        elif ch == 0x5D:  # ]
            depth -= 1
        elif ch == 0x3E and depth == 0:  # >
            end = i
            break
    if end < 0:
        raise KgError("XML DOCTYPE not closed in the first 64 KB: refusing to read it", path, line)
    if b"<!ENTITY" in rest[:end].upper():
        raise KgError("XML DOCTYPE declares entities: refusing to read it (kg never expands XML entities; "
                      "remove the DOCTYPE's internal subset)", path, line)


def root_of(head: str) -> tuple[str, str]:
    """The local name of the root element of an XML text's head and its default namespace ("" for none);
    ("", "") when the head is not XML."""
    pos = 0
    while True:
        m = _SKIP.match(head, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
    m = _ROOT.match(head, pos)
    if not m:
        return "", ""
    ns = _XMLNS.search(m.group(2))
    return m.group(1).rsplit(":", 1)[-1], ns.group(1) if ns else ""


def local(el) -> str:
    """An element's name without its namespace."""
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def text(el, skip: Collection[str] = ()) -> str:
    """The element's text with inline markup (italics, sub- and superscripts, links) kept as text and white
    space folded; the subtrees of elements named in ``skip`` (local names) are left out, their tails kept."""
    if el is None:
        return ""
    if not skip:
        return fold(el.text if len(el) == 0 else "".join(el.itertext()))
    parts: list[str] = []
    _collect(el, frozenset(skip), parts)
    return " ".join("".join(parts).split())


def fold(s: str | None) -> str:
    """White space folded to single spaces, the ends stripped (the common case, nothing to fold, cheaply)."""
    if not s:
        return ""
    t = s.strip()
    if "  " in t or "\n" in t or "\t" in t or "\r" in t or "\xa0" in t or "\u2009" in t:
        return " ".join(t.split())
    return t


def _collect(el, skip: frozenset[str], parts: list[str]) -> None:
    if el.text and isinstance(el.tag, str):
        parts.append(el.text)
    for child in el:
        if isinstance(child.tag, str) and local(child) not in skip:
            _collect(child, skip, parts)
        elif child.tag is etree.Entity and child.text:
            parts.append(child.text)
        if child.tail:
            parts.append(child.tail)


def data_of(text: str | None) -> bytes | None:
    """A file's text, already read, as the UTF-8 bytes the parser reads (its XML declaration is dropped, as
    it may name another encoding)."""
    if text is None:
        return None
    return re.sub(r"^\ufeff?\s*<\?xml[^>]*\?>", "", text, count=1).encode("utf-8")


def parser_options() -> dict:
    """lxml parser settings: no entity expansion, no DTD, no network, libxml2's size limits kept."""
    return {"resolve_entities": False, "load_dtd": False, "no_network": True, "huge_tree": False,
            "dtd_validation": False, "remove_comments": True, "remove_pis": True}


def iter_records(path: Path, tags: Collection[str], head: bytes | None = None,
                 data: bytes | None = None) -> Iterator[tuple[int, object]]:
    """(record number, element) for each element named in ``tags`` (qualified or ``{*}name`` names), read
    as a stream: each element is cleared, with what came before it, once the consumer moves on. ``data``:
    the file's bytes, already read. A malformed or truncated file is a ``KgError`` naming the line."""
    check_prolog(head if head is not None else (data[:HEAD] if data is not None else peek(path, HEAD)), path)
    n = 0
    with (io.BytesIO(data) if data is not None else open_binary(path)) as fh:
        context = etree.iterparse(fh, events=("end",), tag=tuple(tags), **parser_options())
        try:
            for _, el in context:
                n += 1
                yield n, el
                el.clear(keep_tail=True)
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as exc:
            raise KgError(f"malformed XML: {_message(exc)}", path, exc.lineno or None) from None
        except (OSError, EOFError) as exc:  # a truncated or corrupt gzip file
            raise KgError(f"cannot read: {exc}", path) from None
        finally:
            del context


def _message(exc: etree.XMLSyntaxError) -> str:
    msg = str(exc.msg if getattr(exc, "msg", None) else exc)
    return re.sub(r",? line \d+, column \d+.*$", "", msg).strip() or "syntax error"
