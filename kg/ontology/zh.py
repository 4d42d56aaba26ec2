"""The Chinese lexicon: Chinese terms mapped to the identifiers of the English lexicons.

A row names a Chinese term, the CURIE it grounds to, its scope (LABEL for the preferred Chinese name of
that identifier, else an OBO synonym scope), the English name it translates and where the translation
comes from. The shipped file is ``ontologies/zh/lexicon.tsv``; users add rows in files of the same
columns. Loading checks every identifier against the English lexicon, so a Chinese mention grounds
through the same cross-references to the same node as its English counterpart.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import logging
import os
import pickle
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.config import Config
from kg.errors import KgError
from kg.files import cache_dir, write_cache
from kg.ontology.lexicon import Lexicon
from kg.ontology.policy import TypePolicy

log = logging.getLogger(__name__)

COLUMNS = ("term", "id", "scope", "en", "source")
_CURIE = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*:[^\s:]+$")


@dataclass(frozen=True, slots=True)
class ZhEntry:
    """One row of a Chinese lexicon."""

    term: str
    curie: str
    scope: str
    en: str
    source: str
    path: str = ""
    line: int = 0


@dataclass
class ZhLexicon:
    """Chinese terms -> (curie, scope) entries, and the preferred Chinese label of each identifier."""

    scopes: tuple[str, ...] = ("LABEL", "EXACT", "NARROW", "RELATED", "BROAD")  # best first (types.toml)
    entries: list[ZhEntry] = field(default_factory=list)
    index: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    max_len: int = 0

    def add(self, entries: Sequence[ZhEntry]) -> None:
        """Add rows (later files may add terms and labels; a second LABEL for an id is an error)."""
        index: dict[str, dict[str, str]] = {t: dict(v) for t, v in self.index.items()}
        rank = {s: i for i, s in enumerate(self.scopes)}
        for e in entries:
            slot = index.setdefault(e.term, {})
            if e.curie not in slot or rank[e.scope] < rank[slot[e.curie]]:
                slot[e.curie] = e.scope
            if e.scope == "LABEL":
                if e.curie in self.labels and self.labels[e.curie] != e.term:
                    raise KgError(f"{e.curie} already has the Chinese label {self.labels[e.curie]!r}; "
                                  f"give {e.term!r} the scope EXACT", e.path, e.line)
                self.labels[e.curie] = e.term
            self.entries.append(e)
        self.index = {t: tuple(sorted(v.items())) for t, v in sorted(index.items())}
        self.max_len = max((len(t) for t in self.index), default=0)

    def lookup(self, term: str) -> tuple[tuple[str, str], ...]:
        return self.index.get(term, ())

    def label(self, curies: Sequence[str]) -> str | None:
        """The Chinese label of the first of ``curies`` that has one."""
        for c in curies:
            if c in self.labels:
                return self.labels[c]
        return None

    @property
    def terms(self) -> list[str]:
        return list(self.index)

    def __getstate__(self) -> dict:
        # rows as plain tuples: unpickling 20,000 frozen dataclasses costs a third of a second
        state = {k: getattr(self, k) for k in ("scopes", "index", "labels", "max_len")}
        state["rows"] = [tuple(getattr(e, f) for f in ZhEntry.__slots__) for e in self.entries]
        return state

    def __setstate__(self, state: dict) -> None:
        rows = state.pop("rows")
        self.__dict__.update(state)
        self.__dict__["_rows"] = rows

    def __getattr__(self, name: str):
        if name == "entries":  # rows of a cached lexicon, made records when first asked for
            rows = self.__dict__.pop("_rows", [])
            self.__dict__["entries"] = [ZhEntry(*r) for r in rows]
            return self.__dict__["entries"]
        raise AttributeError(name)


def shipped_zh_files(config: Config) -> list[Path]:
    """The Chinese lexicon files of the ontologies folder (``ontologies/zh/*.tsv`` and ``*.tsv.gz``): the
    hand-written ``lexicon.tsv`` first, then those ``scripts/build_zh_lexicon.py`` derives."""
    folder = config.ontologies / "zh"
    files = sorted([*folder.glob("*.tsv"), *folder.glob("*.tsv.gz")])
    return sorted(files, key=lambda p: (p.name != "lexicon.tsv", p.name))


def read_zh_lexicon(path: str | Path, scopes: Sequence[str] = ZhLexicon.scopes) -> list[ZhEntry]:
    """Rows of a Chinese lexicon TSV (``#`` lines are comments); malformed rows raise ``KgError``."""
    path = Path(path)
    if not path.is_file():
        raise KgError("no such Chinese lexicon file", path)
    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        lines = raw.decode("utf-8").splitlines()
    except (OSError, EOFError) as exc:
        raise KgError(f"cannot read ({exc})", path) from exc
    except UnicodeDecodeError as exc:
        raise KgError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path) from exc
    out: list[ZhEntry] = []
    header: list[str] | None = None
    for no, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))]
        if header is None:
            header = cells
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise KgError(f"Chinese lexicon header lacks column(s) {', '.join(missing)} "
                              f"(expected: {' '.join(COLUMNS)})", path, no)
            continue
        if len(cells) != len(header):
            raise KgError(f"expected {len(header)} tab-separated columns, found {len(cells)}", path, no)
        row = dict(zip(header, cells))
        term, curie, scope = row["term"], row["id"], row["scope"].upper()
        if not term:
            raise KgError("empty term", path, no)
        if not _CURIE.match(curie):
            raise KgError(f"not a CURIE: {curie!r}", path, no)
        if scope not in scopes:
            raise KgError(f"unknown scope {row['scope']!r} (use one of {', '.join(scopes)})", path, no)
        if not row["source"]:
            raise KgError(f"{term!r} has no source: say where the translation comes from", path, no)
        out.append(ZhEntry(term, curie, scope, row["en"], row["source"], str(path), no))
    if header is None:
        raise KgError("empty Chinese lexicon (no header row)", path)
    return out


def _fingerprint(files: Sequence[Path], lexicon: Lexicon, scopes: Sequence[str]) -> str | None:
    """A digest of the Chinese files and of the English lexicon files they are checked against (None when
    the English lexicon was not loaded from files, so there is nothing to key a cache on)."""
    if not lexicon._files:
        return None
    h = hashlib.sha256(b"zh-lexicon-1\0" + "|".join(scopes).encode())
    for p in files:
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    for f in lexicon._files:
        st = os.stat(f)
        h.update(f"{f}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return h.hexdigest()[:24]


def load_zh_lexicon(lexicon: Lexicon, extra: Sequence[str | Path] = (), shipped: bool = True,
                    config: Config | None = None, use_cache: bool = True) -> ZhLexicon:
    """The Chinese lexicon of the ontologies folder plus user files, checked against the English ``lexicon``
    (kept in kg's cache folder once checked: the shipped files hold some 23,000 rows)."""
    config = config or lexicon.config or Config.default()
    zh = ZhLexicon(scopes=TypePolicy.from_config(config).scopes)
    files = (shipped_zh_files(config) if shipped else []) + [Path(p) for p in extra]
    for p in files:
        if not p.is_file():
            raise KgError("no such Chinese lexicon file", p)
    key = _fingerprint(files, lexicon, zh.scopes) if use_cache else None
    cache_file = cache_dir() / f"zh-lexicon-{key}.pickle" if key else None
    if cache_file is not None and cache_file.is_file():
        try:
            with open(cache_file, "rb") as fh:
                return pickle.load(fh)
        except Exception as exc:  # a stale or truncated cache is rebuilt
            log.warning("ignoring unreadable Chinese lexicon cache %s: %s", cache_file, exc)
    for p in files:
        rows = read_zh_lexicon(p, zh.scopes)
        for e in rows:
            if e.curie not in lexicon.labels:
                raise KgError(f"{e.curie} (for {e.term!r}) is not an identifier of the loaded lexicons", e.path, e.line)
        zh.add(rows)
    log.debug("Chinese lexicon: %d terms for %d identifiers from %d file(s)", len(zh.index),
              len({e.curie for e in zh.entries}), len(files))
    if cache_file is not None:
        write_cache(zh, cache_file, "Chinese lexicon")
    return zh
