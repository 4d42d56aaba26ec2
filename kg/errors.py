"""The one exception type the CLI turns into a one-line message and a non-zero exit."""

from __future__ import annotations

from pathlib import Path


class KgError(Exception):
    """A user-facing error about an input: names the file and, where known, the line."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.message = " ".join(str(message).split())  # always one line
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


def parse_error(exc: BaseException) -> tuple[str, int | None]:
    """A one-line description of an RDF/JSON parser's exception and the 1-based line it names, if any
    (rdflib raises parser-specific types: N3/Turtle ``BadSyntax``, SAX errors, JSON errors, ...)."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    why = getattr(exc, "_why", None)
    if why is not None and isinstance(getattr(exc, "lines", None), int):  # rdflib's N3/Turtle/TriG BadSyntax
        return f"bad syntax ({why})", exc.lines + 1
    get_line = getattr(exc, "getLineNumber", None)  # xml.sax
    if callable(get_line):
        line = get_line()
        return (getattr(exc, "getMessage", lambda: first)() or first), (line if isinstance(line, int) and line > 0 else None)
    line = getattr(exc, "lineno", None)  # json
    if isinstance(line, int) and line > 0:
        return getattr(exc, "msg", first), line
    return first, None
