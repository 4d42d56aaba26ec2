"""Policy: the files of ``kg/data``, read once into a ``Config`` that every stage is built from.

A ``Config`` holds the text of each policy file and its parsed content; the stages compile what they need
from it (``TypePolicy.from_config``, ``Rules(config, lang)``, ...) through ``Table``, whose typed getters
turn a missing key or a value of the wrong type into one ``KgError`` naming the file, the line and the
key. Nothing else in kg opens ``kg/data``.

    config = Config.load()                    # the shipped policy
    config = Config.load("my-policy/")        # a folder holding some policy files of the user's: each
                                              # file found there replaces the shipped one of that name
    Pipeline(config=config)

A Config pickles as its file texts, so a worker process rebuilds the same policy without reading files.
It also names the ``ontologies/`` folder the lexicons and corpus-derived tables are read from.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from kg.errors import KgError

log = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parent
DATA = PACKAGE / "data"

# Every policy file kg reads, and what it holds (README: "Policy is data").
POLICY_FILES: dict[str, str] = {
    "pipeline.toml": "the languages kg reads and the sections of a document it reads",
    "prefixes.toml": "CURIE prefixes, their IRI namespaces and spellings",
    "types.toml": "entity types, Biolink categories, grounding prefixes and scores, MeSH typing, therapies",
    "normalization.toml": "how words are normalised for matching",
    "stop_terms.txt": "terms never matched",
    "compositions.toml": "composed concepts (a head mention and the words around it), per language",
    "linking.toml": "fuzzy grounding, unlinked mentions, the trained recogniser's labels",
    "spans.toml": "span conventions learned from annotated text",
    "recognition.en.toml": "English recognition: '-like' phrases",
    "recognition.zh.toml": "Chinese recognition: segmentation, '-like' suffixes, abbreviations",
    "context.en.json": "ConText negation and hedging cues (English)",
    "context.zh.json": "ConText negation and hedging cues (Chinese)",
    "relations.toml": "claim rule families: types, predicate choice, families, confidence (all languages)",
    "relations.en.toml": "English claim triggers, clause and list punctuation",
    "relations.zh.toml": "Chinese claim triggers, clause and list punctuation",
    "predicates.tsv": "claim kinds -> Biolink predicates, RO relations, directions",
    "articles.toml": "publication types and sections: trial predicates, prior knowledge, section roles",
    "annotations.toml": "entities given with BioC / PubTator3 documents: their types, bare-id prefixes, score",
    "claims.toml": "the claim classifier: its languages, model files, families and thresholds; how kg train trains it",
    "corpora.toml": "annotated corpora for kg eval and kg train",
    "draw.toml": "figure styles: colours by category, edge families",
}
_POLICY_SUFFIXES = (".toml", ".json", ".tsv", ".txt")
_REQUIRED: Any = object()
T = TypeVar("T")


# ---------------------------------------------------------------- typed access to a parsed file


class Table(Mapping[str, Any]):
    """A TOML table (or a JSON object) with the file and key path it came from.

    Typed getters (``string``, ``strings``, ``number``, ``regex``, ``table`` ...) return the value or the
    default, and raise one ``KgError`` naming the file, the line of the key and what is wrong."""

    __slots__ = ("data", "source", "path")

    def __init__(self, data: Mapping[str, Any], source: "Source", path: tuple[str, ...] = ()):
        self.data = data
        self.source = source
        self.path = path

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return f"Table({self.source.name}:{'.'.join(self.path) or '<root>'})"

    def key(self, key: str) -> str:
        return ".".join((*self.path, key))

    def error(self, key: str | None, what: str) -> KgError:
        """A ``KgError`` about ``key`` of this table (or the table itself)."""
        name = self.key(key) if key else ".".join(self.path)
        line = self.source.line_of((*self.path, key) if key else self.path)
        return KgError(f"{name}: {what}" if name else what, self.source.path, line)

    def _get(self, key: str, default: Any, kinds: tuple[type, ...], what: str) -> Any:
        if key not in self.data:
            if default is _REQUIRED:
                raise self.error(key, "missing (required)")
            return default
        value = self.data[key]
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise self.error(key, f"expected {what}, found {_kind(value)}")
        return value

    def string(self, key: str, default: Any = _REQUIRED) -> str:
        return self._get(key, default, (str,), "a string")

    def number(self, key: str, default: Any = _REQUIRED) -> float:
        value = self._get(key, default, (int, float), "a number")
        return float(value) if value is not None else value

    def integer(self, key: str, default: Any = _REQUIRED) -> int:
        return self._get(key, default, (int,), "a whole number")

    def boolean(self, key: str, default: Any = _REQUIRED) -> bool:
        return self._get(key, default, (bool,), "true or false")

    def strings(self, key: str, default: Any = _REQUIRED) -> tuple[str, ...]:
        """A list of strings (a single string is a list of one)."""
        value = self._get(key, default, (list, str), "a list of strings")
        if isinstance(value, str):
            return (value,)
        if value is None:
            return value
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise self.error(key, f"item {i + 1}: expected a string, found {_kind(item)}")
        return tuple(value)

    def numbers(self, key: str, default: Any = _REQUIRED) -> dict[str, float]:
        """A table of numbers by name."""
        t = self.table(key, default)
        if t is None or not isinstance(t, Table):
            return t
        return {k: t.number(k) for k in t}

    def regex(self, key: str, default: Any = _REQUIRED, flags: int = 0) -> re.Pattern | None:
        """A regular expression (or a list of them, as one alternation), compiled with ``flags``."""
        value = self._get(key, default, (str, list), "a regular expression (or a list of them)")
        if value is None or isinstance(value, re.Pattern):
            return value
        patterns = self.strings(key) if isinstance(value, list) else (value,)
        body = patterns[0] if len(patterns) == 1 else "(?:" + "|".join(f"(?:{p})" for p in patterns) + ")"
        try:
            return re.compile(body, flags)
        except re.error as exc:
            raise self.error(key, f"not a valid regular expression: {exc}") from None

    def table(self, key: str, default: Any = _REQUIRED) -> "Table":
        value = self._get(key, default, (dict,), "a table")
        return Table(value, self.source, (*self.path, key)) if isinstance(value, dict) else value

    def tables(self, key: str, default: Any = _REQUIRED) -> tuple["Table", ...]:
        """An array of tables (``[[key]]``)."""
        value = self._get(key, default, (list,), "an array of tables")
        if not isinstance(value, list):
            return value
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.error(key, f"item {i + 1}: expected a table, found {_kind(item)}")
            out.append(Table(item, self.source, (*self.path, f"{key}[{i}]")))
        return tuple(out)

    def choice(self, key: str, options: Sequence[str], default: Any = _REQUIRED) -> str:
        value = self.string(key, default)
        if value not in options:
            raise self.error(key, f"{value!r} is not one of {', '.join(options)}")
        return value

    def plain(self) -> dict[str, Any]:
        """The table as a plain dict."""
        return dict(self.data)


def _kind(value: Any) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


@dataclass(frozen=True)
class Source:
    """One policy file: where it is and its text."""

    name: str
    path: str
    text: str

    def line_of(self, keys: Sequence[str]) -> int | None:
        """The line that sets ``keys`` (a dotted key path, ``name[i]`` for the i-th table of an array),
        found by reading the TOML text; None where it cannot be told."""
        if not keys or not self.name.endswith(".toml"):
            return None
        lines = self.text.splitlines()
        *tables, last = [re.sub(r"\[\d+\]$", "", k) for k in keys]
        header = ".".join(tables)
        index = next((int(m.group(1)) for k in keys[:-1] for m in [re.search(r"\[(\d+)\]$", k)] if m), 0)
        current, seen = "", -1
        key_rx = re.compile(r"^\s*[\"']?" + re.escape(last) + r"[\"']?\s*=")
        for no, line in enumerate(lines, start=1):
            # a table header: a key path alone on its line (not an array's item line, '    ["a", "b"],')
            h = re.match(r"^\s*\[\[?\s*([\w.\"' -]+?)\s*\]\]?\s*(?:#.*)?$", line)
            if h:
                current = h.group(1)
                if current == header and line.lstrip().startswith("[["):
                    seen += 1
                if current == ".".join((*tables, last)):
                    return no
                continue
            if current == header and (not line.strip().startswith("#")) and key_rx.match(line) \
                    and (seen < 0 or seen == index):
                return no
            if not header and not current and key_rx.match(line):
                return no
        return None


def toml_table(src: Source) -> Table:
    """A TOML policy file as a ``Table``; malformed TOML is a ``KgError`` with the file and line."""
    try:
        return Table(tomllib.loads(src.text), src)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        raise KgError(f"malformed TOML: {str(exc).split(' (at line')[0]}", src.path,
                      int(m.group(1)) if m else None) from None


# ---------------------------------------------------------------- the configuration


@dataclass(frozen=True)
class Predicate:
    """A row of ``predicates.tsv``: a claim kind and the Biolink predicate, RO relation and direction it maps to."""

    name: str
    biolink: str
    relation: str
    direction: str | None


@dataclass(frozen=True)
class CompositionPattern:
    """How a composed concept is written in one language: the words before or after its head, its label."""

    before: re.Pattern | None
    after: re.Pattern | None
    label: str


@dataclass(frozen=True)
class Composition:
    """A composed concept (``compositions.toml``): a head mention and the words around it name a concept no
    ontology has ("complications after [liver transplantation]")."""

    name: str
    head_types: frozenset[str]
    type: str
    broader: tuple[str, ...]
    languages: dict[str, CompositionPattern]

    def label(self, head_label: str, lang: str = "en") -> str:
        """The concept's label in ``lang`` (else in the first language the rule has)."""
        pattern = self.languages.get(lang) or next(iter(self.languages.values()))
        return pattern.label.format(label=head_label)


class Config:
    """The policy files (the user's folder over the shipped ones) and the ontologies folder."""

    def __init__(self, sources: Mapping[str, Source], ontologies: Path, folder: Path | None = None):
        self.sources = dict(sources)
        self.ontologies = Path(ontologies)
        self.folder = folder
        self._parsed: dict[str, Any] = {}
        self._derived: dict[str, Any] = {}
        for name in POLICY_FILES:  # every file parses now: a syntax error stops kg before any work
            self._parse(name)

    # ------------------------------------------------ loading

    @classmethod
    def load(cls, folder: str | Path | None = None, ontologies: str | Path | None = None) -> "Config":
        """The shipped policy, with each file of ``folder`` (when given) in place of the shipped one of
        its name; ``ontologies``: the folder of lexicons and corpus-derived tables (default: shipped)."""
        user = Path(folder) if folder is not None else None
        if user is not None:
            if not user.is_dir():
                raise KgError("no such policy folder (--config names a folder of kg/data files)", user)
            for p in sorted(user.iterdir()):
                if p.suffix in _POLICY_SUFFIXES and p.name not in POLICY_FILES:
                    log.warning("%s: not a kg policy file (known: %s); ignored", p, ", ".join(POLICY_FILES))
        sources = {}
        for name in POLICY_FILES:
            path = user / name if user is not None and (user / name).is_file() else DATA / name
            sources[name] = Source(name, str(path), _read(path))
        onto = Path(ontologies) if ontologies is not None else shipped_ontologies()
        if not onto.is_dir():
            raise KgError("no such ontologies folder", onto)
        return cls(sources, onto, user)

    @classmethod
    def default(cls) -> "Config":
        """The shipped policy, loaded once per process (it never changes while kg runs)."""
        global _DEFAULT
        if _DEFAULT is None:
            _DEFAULT = cls.load()
        return _DEFAULT

    def __reduce__(self):
        return (Config, (self.sources, self.ontologies, self.folder))

    def __repr__(self) -> str:
        return f"Config(folder={self.folder}, ontologies={self.ontologies})"

    def with_ontologies(self, ontologies: str | Path) -> "Config":
        """The same policy over another ontologies folder."""
        return Config(self.sources, Path(ontologies), self.folder)

    def fingerprint(self, *names: str) -> str:
        """A digest of the named policy files' texts (all of them when none is named)."""
        h = hashlib.sha256()
        for name in names or tuple(POLICY_FILES):
            h.update(name.encode())
            h.update(self.sources[name].text.encode("utf-8"))
        return h.hexdigest()

    # ------------------------------------------------ parsing

    def _parse(self, name: str) -> Any:
        if name in self._parsed:
            return self._parsed[name]
        src = self.sources[name]
        if name.endswith(".toml"):
            value: Any = toml_table(src)
        elif name.endswith(".json"):
            try:
                data = json.loads(src.text)
            except json.JSONDecodeError as exc:
                raise KgError(f"malformed JSON: {exc.msg} (column {exc.colno})", src.path, exc.lineno) from None
            if not isinstance(data, dict):
                raise KgError("expected a JSON object", src.path, 1)
            value = Table(data, src)
        elif name.endswith(".tsv"):
            value = _read_predicates(src)
        else:
            value = tuple(line.strip() for line in src.text.splitlines() if line.strip() and not line.startswith("#"))
        self._parsed[name] = value
        return value

    def file(self, name: str) -> Any:
        """A policy file's content: a ``Table`` for TOML and JSON, rows for TSV, lines for text."""
        if name not in POLICY_FILES:
            raise KeyError(f"{name} is not a kg policy file")
        return self._parse(name)

    # ------------------------------------------------ the files, by what they are for

    @property
    def pipeline(self) -> Table:
        return self.file("pipeline.toml")

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages kg reads, in order."""
        return self.pipeline.strings("languages")

    @property
    def sections(self) -> tuple[str, ...]:
        """The sections of a document that are read for mentions and claims."""
        return self.pipeline.strings("sections")

    @property
    def piece_chars(self) -> int:
        """Sections longer than this are read in pieces of at most this many characters."""
        n = self.pipeline.integer("piece_chars", 200000)
        if n < 1000:
            raise KgError(f"piece_chars: must be at least 1000, not {n}", self.sources["pipeline.toml"].path,
                          self.sources["pipeline.toml"].line_of(["piece_chars"]))
        return n

    @property
    def prefixes(self) -> Table:
        return self.file("prefixes.toml")

    @property
    def types(self) -> Table:
        return self.file("types.toml")

    @property
    def normalization(self) -> Table:
        return self.file("normalization.toml")

    @property
    def stop_terms(self) -> tuple[str, ...]:
        return self.file("stop_terms.txt")

    @cached_property
    def compositions(self) -> dict[str, Composition]:
        """Composition rules by name, in file order."""
        out: dict[str, Composition] = {}
        for t in self.file("compositions.toml").tables("composition", ()):
            langs = {}
            for lang in self.languages:
                if lang in t:
                    p = t.table(lang)
                    if "before" not in p and "after" not in p:
                        raise p.error(None, "a composition needs a 'before' or an 'after' pattern")
                    langs[lang] = CompositionPattern(p.regex("before", None), p.regex("after", None), p.string("label"))
            name = t.string("name")
            if not langs:
                raise t.error("name", f"composition {name!r} has no pattern in any language ({', '.join(self.languages)})")
            if name in out:
                raise t.error("name", f"a second composition named {name!r}")
            out[name] = Composition(name, frozenset(t.strings("head_types")), t.string("type"), t.strings("broader", ()), langs)
        return out

    @property
    def linking(self) -> Table:
        return self.file("linking.toml")

    @property
    def spans(self) -> Table:
        return self.file("spans.toml")

    def recognition(self, lang: str) -> Table:
        return self.file(f"recognition.{self._lang(lang)}.toml")

    def context_rules(self, lang: str) -> list[dict]:
        """The ConText rules (medspaCy ``ConTextRule`` dicts) of a language."""
        t = self.file(f"context.{self._lang(lang)}.json")
        rules = t.get("context_rules")
        if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
            raise t.error("context_rules", "expected a list of rule objects")
        return rules

    @property
    def relations(self) -> Table:
        return self.file("relations.toml")

    def triggers(self, lang: str) -> Table:
        """A language's claim triggers and punctuation (``relations.<lang>.toml``)."""
        return self.file(f"relations.{self._lang(lang)}.toml")

    @property
    def claims(self) -> Table:
        """The claim classifier's policy (``claims.toml``)."""
        return self.file("claims.toml")

    @property
    def predicates(self) -> dict[str, Predicate]:
        return self.file("predicates.tsv")

    @property
    def articles(self) -> Table:
        return self.file("articles.toml")

    @property
    def annotations(self) -> Table:
        return self.file("annotations.toml")

    @property
    def corpora(self) -> Table:
        return self.file("corpora.toml")

    @property
    def draw(self) -> Table:
        return self.file("draw.toml")

    def _lang(self, lang: str) -> str:
        if lang not in self.languages:
            raise KgError(f"unknown language {lang!r}; kg reads {', '.join(self.languages)}",
                          self.sources["pipeline.toml"].path)
        return lang

    # ------------------------------------------------ derived

    def predicate(self, name: str, where: Table | None = None, key: str | None = None) -> Predicate:
        """The predicates.tsv row of a claim kind; a name it lacks is an error naming where it was used."""
        found = self.predicates.get(name)
        if found is None:
            known = ", ".join(self.predicates)
            if where is not None:
                raise where.error(key, f"{name!r} is not a row of predicates.tsv (known: {known})")
            raise KgError(f"{name!r} is not a row of predicates.tsv (known: {known})", self.sources["predicates.tsv"].path)
        return found

    @cached_property
    def families(self) -> dict[str, tuple[str, ...]]:
        """Predicate families (``[families]`` of relations.toml): name -> Biolink predicates, most cautious first."""
        t = self.relations.table("families")
        return {name: tuple(self.predicate(p, t, name).biolink for p in t.strings(name)) for name in t}

    def derived(self, key: str, make: Callable[["Config"], T]) -> T:
        """What ``make`` compiles from this policy (a ``TypePolicy``, the CURIE converter), made once per
        Config: the stages ask for it instead of compiling it again."""
        found = self._derived.get(key)
        if found is None:
            found = self._derived[key] = make(self)
        return found

    @property
    def queries(self) -> Path:
        """The folder of the shipped named SPARQL queries."""
        return DATA / "queries"


_DEFAULT: Config | None = None


def shipped_ontologies() -> Path:
    """The shipped ``ontologies/`` folder: inside an installed wheel, or beside the package in a checkout."""
    for candidate in (PACKAGE / "ontologies", PACKAGE.parent / "ontologies"):
        if (candidate / "lexicons").is_dir():
            return candidate
    raise KgError("the shipped ontologies/lexicons folder was not found beside the kg package", PACKAGE)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise KgError(f"not UTF-8 text ({exc.reason})", path) from None
    except OSError as exc:
        raise KgError(f"cannot read policy file: {exc.strerror}", path) from None


def _read_predicates(src: Source) -> dict[str, Predicate]:
    lines = src.text.splitlines()
    body = [(no, ln) for no, ln in enumerate(lines, start=1) if ln.strip() and not ln.startswith("#")]
    if not body:
        raise KgError("no header row", src.path)
    header = body[0][1].split("\t")
    need = ("name", "biolink_predicate", "ro_relation", "direction")
    missing = [c for c in need if c not in header]
    if missing:
        raise KgError(f"header lacks column(s) {', '.join(missing)}", src.path, body[0][0])
    out: dict[str, Predicate] = {}
    for no, line in body[1:]:
        row = next(csv.reader([line], delimiter="\t"))
        if len(row) < len(header):
            row += [""] * (len(header) - len(row))
        r = dict(zip(header, row))
        if not r["name"] or ":" not in r["biolink_predicate"]:
            raise KgError("a row needs a name and a biolink_predicate CURIE", src.path, no)
        if r["name"] in out:
            raise KgError(f"predicate {r['name']!r} is defined twice", src.path, no)
        out[r["name"]] = Predicate(r["name"], r["biolink_predicate"], r["ro_relation"] or "", r["direction"] or None)
    return out
