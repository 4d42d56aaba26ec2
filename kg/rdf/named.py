"""Named, documented SPARQL queries with parameters (``kg/queries/*.rq``, or any ``.rq`` file written the same way).

A named query is a SPARQL file whose leading ``#`` comments document it: the first line is its title, the
following lines its description, and each ``# @param NAME TYPE required|optional DESCRIPTION`` line declares
a parameter. A parameter is a variable of the query (``?NAME``), bound by a ``VALUES`` block put at the start
of the query's WHERE clause: plain SPARQL 1.1, so every engine (rdflib, Oxigraph, the endpoint) runs the same
text. TYPE is ``iri`` (a CURIE such as ``MONDO:0005154``, expanded with the project's prefixes, or a full
IRI), ``string``, ``integer`` or ``boolean``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from kg.config import DATA
from kg.curie import Curies
from kg.curie import default as default_curies
from kg.errors import KgError
from kg.rdf.sparql import where_brace

PARAM_TYPES = ("iri", "string", "integer", "boolean")
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')  # RFC 3987: what an IRI never holds
_PARAM = re.compile(r"^#\s*@param\s+(\S+)\s+(\S+)\s+(required|optional)\b\s*(.*)$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def queries_dir() -> Path:
    """The folder of the shipped named queries (``kg/data/queries``)."""
    return DATA / "queries"


def read_named(path: str | Path) -> NamedQuery:
    """A named query file; a malformed header is a ``KgError`` naming the line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KgError("no such query file", path) from None
    except UnicodeDecodeError:
        raise KgError("query file is not UTF-8 text", path) from None
    title, desc, params = "", [], []
    body = re.sub(r"#[^\n]*", "", text)  # a parameter must be a variable of the query itself
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        if re.match(r"^#\s*@param\b", line):
            m = _PARAM.match(line)
            if not m:
                raise KgError("malformed header line: expected '# @param NAME TYPE required|optional DESCRIPTION'", path, lineno)
            name, typ, req, description = m.groups()
            if not _NAME.match(name):
                raise KgError(f"parameter name {name!r} is not a SPARQL variable name", path, lineno)
            if typ not in PARAM_TYPES:
                raise KgError(f"parameter {name}: unknown type {typ!r}; use one of {', '.join(PARAM_TYPES)}", path, lineno)
            if not re.search(rf"[?$]{name}\b", body):
                raise KgError(f"parameter {name} is not a variable (?{name}) of the query", path, lineno)
            if any(p.name == name for p in params):
                raise KgError(f"parameter {name} is declared twice", path, lineno)
            params.append(Param(name, typ, req == "required", description.strip()))
            continue
        content = line[1:].strip()
        if not title:
            title = content
        elif content or desc:
            desc.append(content)
    if not body.strip():
        raise KgError("empty SPARQL query", path)
    return NamedQuery(path.stem, title, "\n".join(desc).strip(), tuple(params), text, path)


def named_queries() -> dict[str, NamedQuery]:
    """The shipped named queries by name."""
    return {p.stem: read_named(p) for p in sorted(queries_dir().glob("*.rq"))}


def find_named(name: str) -> NamedQuery:
    """A shipped named query by name, or any ``.rq`` file by path."""
    if name.endswith(".rq") or "/" in name:
        return read_named(name)
    queries = named_queries()
    if name not in queries:
        raise KgError(f"no named query {name!r}; known: {', '.join(queries)}")
    return queries[name]


def parse_params(items: list[str]) -> dict[str, str]:
    """``NAME=VALUE`` strings (from ``--param``) as a dict."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise KgError(f"--param {item!r}: expected NAME=VALUE")
        if name.strip() in out:
            raise KgError(f"--param {name.strip()} given twice")
        out[name.strip()] = value.strip()
    return out


def bind(query: NamedQuery, values: dict[str, str], curies: Curies | None = None) -> dict[str, Identifier]:
    """The query's parameter bindings from raw strings: unknown or missing parameters are errors."""
    where = str(query.path) if query.path.parent != queries_dir() else f"query {query.name!r}"
    for name in values:
        if query.param(name) is None:
            takes = ", ".join(p.name for p in query.params) or "no parameters"
            raise KgError(f"unknown parameter {name!r} for {where}; it takes: {takes}")
    missing = [p.name for p in query.params if p.required and p.name not in values]
    if missing:
        raise KgError(f"{where} needs " + " ".join(f"--param {m}=..." for m in missing))
    return {name: to_term(query.param(name), value, curies) for name, value in values.items()}


def to_term(param: Param, value: str, curies: Curies | None = None) -> Identifier:
    """A parameter value as an RDF term of the parameter's type."""
    if param.type == "iri":
        return URIRef(expand_iri(value, param.name, curies))
    if param.type == "integer":
        try:
            return Literal(int(value))
        except ValueError:
            raise KgError(f"--param {param.name}={value}: not an integer") from None
    if param.type == "boolean":
        if value.lower() not in ("true", "false"):
            raise KgError(f"--param {param.name}={value}: use true or false")
        return Literal(value.lower() == "true")
    return Literal(value)


def expand_iri(value: str, name: str = "iri", curies: Curies | None = None) -> str:
    """A CURIE (prefix synonyms standardised: MSH -> MESH) or an IRI (bare or in angle brackets) as an IRI."""
    curies = curies or default_curies()
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        v = v[1:-1]
    if _NOT_IN_IRI.search(v):
        raise KgError(f"--param {name}={value}: an IRI cannot hold spaces or any of <>\"{{}}|^`\\")
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", v) or v.startswith("urn:"):
        return v
    if ":" not in v or not v.split(":", 1)[1]:
        raise KgError(f"--param {name}={value}: expected a CURIE (PREFIX:ID) or an IRI")
    std = curies.standardize(v)
    if std is None:
        known = ", ".join(sorted(curies.prefix_map()))
        raise KgError(f"--param {name}={value}: unknown CURIE prefix {v.split(':', 1)[0]!r}; known: {known}")
    return curies.expand(std)


def render(query: NamedQuery, values: dict[str, str], curies: Curies | None = None) -> str:
    """The query's SPARQL with its parameters bound (a ``VALUES`` block opening the WHERE clause)."""
    bindings = bind(query, values, curies)
    if not bindings:
        return query.text
    pos = where_brace(query.text, query.path)
    names = sorted(bindings)
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(bindings[n].n3() for n in names)}) }}"
    return f"{query.text[:pos + 1]} {block}{query.text[pos + 1:]}"  # on the brace's line: line numbers hold


def describe(query: NamedQuery) -> str:
    """A short help text: name, title and parameters."""
    lines = [f"{query.name}: {query.title}"]
    for p in query.params:
        lines.append(f"    --param {p.name}=…  ({p.type}, {'required' if p.required else 'optional'}) {p.description}")
    return "\n".join(lines)
