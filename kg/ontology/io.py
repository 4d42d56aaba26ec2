"""Read ontology files (OBO, OWL/RDF, SSSOM) into ``Term``s and ``Mapping``s; read and write lexicon TSVs.

Readers are chosen by format name from ``READERS``; ``sniff_format`` picks one from the suffix and content.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.curie import Curies
from kg.curie import default as default_curies
from kg.errors import KgError, parse_error
from kg.model import Mapping, Synonym, Term
from kg.xmlsafe import safe_xml

log = logging.getLogger(__name__)

SCOPES = ("EXACT", "RELATED", "BROAD", "NARROW")
_SYN = re.compile(r'^"((?:[^"\\]|\\.)*)"\s+(EXACT|RELATED|BROAD|NARROW)\b')
_XREF = re.compile(r"^(\S+)")


def _count_unknown(unknown: Counter | None, ref: str) -> None:
    """Count the prefix (or IRI namespace) of an identifier a reader had to drop; no-op without a counter."""
    if unknown is None:
        return
    ref = ref.strip()
    if "://" in ref:
        ns = re.match(r"^(.*[/#_])", ref)
        unknown[ns.group(1) if ns else ref] += 1
    else:
        unknown[ref.split(":", 1)[0] if ":" in ref else ref] += 1


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return open(path, encoding="utf-8")


# ---------------------------------------------------------------- OBO


def read_obo(path: str | Path, source: str | None = None, unknown: Counter | None = None,
             curies: Curies | None = None) -> list[Term]:
    """Terms of an OBO file (obsolete terms skipped). Tolerant of dangling parents and unusual clauses.

    Cross-references with a prefix the project does not know are dropped; ``unknown`` counts them by prefix."""
    import obonet  # imported here: only ontology loading needs it

    standardize = (curies or default_curies()).standardize
    path = Path(path)
    try:
        repeats = check_obo(path)
        if repeats:
            log.warning("%s:%d: %d stanza(s) give name, def or is_obsolete more than once; the last is kept",
                        path, repeats[0], len(repeats))
        graph = obonet.read_obo(str(path))
    except UnicodeDecodeError as exc:
        raise KgError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path) from exc
    except KgError:
        raise
    except Exception as exc:  # obonet raises plain exceptions for malformed stanzas
        raise KgError(f"cannot parse OBO: {exc}", path, _line_of(path, str(exc))) from exc
    src = source or path.stem
    terms = []
    for node_id, data in graph.nodes(data=True):
        curie = standardize(node_id) or node_id
        if "name" not in data or ":" not in curie:
            continue
        syns = []
        for raw in data.get("synonym", []):
            m = _SYN.match(raw)
            if m:
                syns.append(Synonym(m.group(1).replace('\\"', '"'), m.group(2)))
        xrefs = []
        for raw in data.get("xref", []):
            m = _XREF.match(raw)
            std = standardize(m.group(1)) if m else None
            if std:
                xrefs.append(std)
            elif m:
                _count_unknown(unknown, m.group(1))
        parents = [standardize(p) or p for p in data.get("is_a", [])]
        terms.append(Term(curie, data["name"], tuple(syns), tuple(dict.fromkeys(xrefs)), tuple(parents), src))
    if not terms:
        raise KgError("no named terms found (is this an OBO file?)", path)
    return terms


_SINGLE_TAGS = ("id", "name", "def", "is_obsolete")
_QUOTED_TAGS = ("def", "synonym")
_QUOTED = re.compile(r'^"(?:[^"\\]|\\.)*"(?:\s|$)')


def check_obo(path: Path) -> list[int]:
    """Refuse, with the line, what OBO 1.4 forbids and obonet would pass silently or fail on without a line:
    a stanza with no ``id``, a ``def`` or ``synonym`` whose quoted text is not closed, a line that is no
    ``tag: value``. A tag given twice that may appear once (``name``, ``def``; published files with merged
    imports have them) is no error: the lines of the repeats are returned, and the reader keeps the last."""
    stanza, start, seen, repeats = None, 0, {}, []
    with _open_text(path) as fh:
        for lineno, raw in enumerate(fh, start=1):
            line = raw.strip()
            if not line or line.startswith("!"):
                continue
            if line.startswith("["):
                if not line.endswith("]"):
                    raise KgError(f"stanza header not closed: {line[:60]}", path, lineno)
                if stanza in ("Term", "Typedef", "Instance") and "id" not in seen:
                    raise KgError(f"[{stanza}] stanza has no id", path, start)
                stanza, start, seen = line[1:-1], lineno, {}
                continue
            tag, sep, value = line.partition(":")
            if not sep or not tag or " " in tag.strip():
                raise KgError(f"not a 'tag: value' line: {line[:60]}", path, lineno)
            if stanza is None:
                continue  # the header's tags may repeat (subsetdef, synonymtypedef, ...)
            tag = tag.strip()
            if tag in _SINGLE_TAGS and tag in seen:
                if tag == "id":
                    raise KgError(f"'id' given twice in one stanza (first at line {seen[tag]})", path, lineno)
                repeats.append(lineno)
            seen.setdefault(tag, lineno)
            if tag in _QUOTED_TAGS and not _QUOTED.match(value.strip()):
                raise KgError(f"{tag} text must be one quoted string (\"...\") on its line", path, lineno)
    if stanza in ("Term", "Typedef", "Instance") and "id" not in seen:
        raise KgError(f"[{stanza}] stanza has no id", path, start)
    return repeats


def _line_of(path: Path, message: str) -> int | None:
    """The line of ``path`` that an error message quotes after its last colon, if it can be found."""
    quoted = message.rsplit(":", 1)[-1].strip()
    if not quoted:
        return None
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for i, line in enumerate(fh, start=1):
                if line.strip() == quoted:
                    return i
    except OSError:
        return None
    return None


# ---------------------------------------------------------------- OWL / RDF

_OIO = "http://www.geneontology.org/formats/oboInOwl#"
_SYN_PROPS = {
    _OIO + "hasExactSynonym": "EXACT",
    _OIO + "hasRelatedSynonym": "RELATED",
    _OIO + "hasBroadSynonym": "BROAD",
    _OIO + "hasNarrowSynonym": "NARROW",
    "http://www.w3.org/2004/02/skos/core#altLabel": "EXACT",
}


def read_rdf(path: str | Path, source: str | None = None, rdf_format: str | None = None,
             unknown: Counter | None = None, curies: Curies | None = None) -> list[Term]:
    """Classes of an OWL/RDF file (RDF/XML, Turtle, N-Triples, JSON-LD) with labels, synonyms, xrefs, parents.

    Classes, xrefs and parents whose IRI or prefix the project does not know are dropped; ``unknown`` counts them."""
    import rdflib
    from rdflib.namespace import OWL, RDF, RDFS, SKOS

    curies = curies or default_curies()
    standardize, compress = curies.standardize, curies.compress
    path = Path(path)
    graph = rdflib.Graph()
    fmt = rdf_format or rdflib.util.guess_format(str(path)) or "xml"
    try:
        data = safe_xml(path) if fmt == "xml" else None
        if data is None:
            graph.parse(str(path), format=fmt)
        else:
            graph.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except KgError:
        raise
    except Exception as exc:
        msg, line = parse_error(exc)
        raise KgError(f"cannot parse {fmt} RDF: {msg}", path, line) from exc
    src = source or path.stem
    terms = []
    subjects = set(graph.subjects(RDF.type, OWL.Class)) | set(graph.subjects(RDF.type, SKOS.Concept))
    for s in sorted(subjects, key=str):
        if not isinstance(s, rdflib.URIRef):
            continue
        curie = compress(str(s))
        if not curie:
            _count_unknown(unknown, str(s))
            continue
        if (s, OWL.deprecated, rdflib.Literal(True)) in graph:
            continue
        label = graph.value(s, RDFS.label) or graph.value(s, SKOS.prefLabel)
        if label is None:
            continue
        syns = [Synonym(str(o), scope) for prop, scope in _SYN_PROPS.items() for o in graph.objects(s, rdflib.URIRef(prop))]
        raw_xrefs = [(str(o), standardize(str(o))) for o in graph.objects(s, rdflib.URIRef(_OIO + "hasDbXref"))]
        raw_xrefs += [(str(o), compress(str(o))) for o in graph.objects(s, SKOS.exactMatch)]
        raw_parents = [(str(o), compress(str(o))) for o in graph.objects(s, RDFS.subClassOf) if isinstance(o, rdflib.URIRef)]
        for ref, std in raw_xrefs + raw_parents:
            if not std:
                _count_unknown(unknown, ref)
        xrefs = [std for _, std in raw_xrefs]
        parents = [std for _, std in raw_parents]
        terms.append(
            Term(
                curie,
                str(label),
                tuple(sorted(set(syns), key=lambda x: (x.scope, x.text))),
                tuple(sorted({x for x in xrefs if x})),
                tuple(sorted({p for p in parents if p})),
                src,
            )
        )
    if not terms:
        raise KgError("no labelled classes with known prefixes found", path)
    return terms


# ---------------------------------------------------------------- SSSOM


def read_sssom(path: str | Path, source: str | None = None, unknown: Counter | None = None,
               curies: Curies | None = None) -> list[Mapping]:
    """Rows of an SSSOM TSV file (its ``#`` YAML header is skipped; CURIE prefixes standardised).

    Rows with a prefix the project does not know are dropped; ``unknown`` counts them by prefix."""
    standardize = (curies or default_curies()).standardize
    path = Path(path)
    src = source or path.stem
    out = []
    with _open_text(path) as fh:
        head = []
        for ln in fh:  # the '#' YAML header comes first (a '#' later is data)
            if not ln.startswith("#"):
                head.append(ln)
                break
        _header_lines = _count_comment_lines(path)
        reader = csv.DictReader(itertools.chain(head, fh), delimiter="\t")
        need = {"subject_id", "predicate_id", "object_id"}
        if not reader.fieldnames or not need <= set(reader.fieldnames):
            raise KgError(f"not an SSSOM table: needs columns {', '.join(sorted(need))}", path)
        width = len(reader.fieldnames)
        for row in reader:
            if None in row or len(row) < width or any(v is None for v in row.values()):
                raise KgError(f"expected {width} tab-separated columns as the header has", path,
                              _header_lines + reader.line_num)
            if not row["subject_id"].strip() or not row["object_id"].strip() or not row["predicate_id"].strip():
                raise KgError("subject_id, predicate_id and object_id must not be empty", path,
                              _header_lines + reader.line_num)
            s, o = standardize(row["subject_id"]), standardize(row["object_id"])
            if s and o:
                just = row.get("mapping_justification") or "semapv:UnspecifiedMatching"
                out.append(Mapping(s, row["predicate_id"], o, just, src))
            else:
                _count_unknown(unknown, row["subject_id"] if not s else row["object_id"])
    return out


def _count_comment_lines(path: Path) -> int:
    n = 0
    with _open_text(path) as fh:
        for ln in fh:
            if not ln.startswith("#"):
                break
            n += 1
    return n


# ---------------------------------------------------------------- lexicon TSV (the shipped compact form)

LEXICON_COLUMNS = ("id", "label", "synonyms", "xrefs", "parents", "source")


def _enc_syns(syns: Iterable[Synonym]) -> str:
    return "|".join(f"{s.scope}:{s.text}" for s in syns)


def _dec_syns(field: str) -> tuple[Synonym, ...]:
    out = []
    for part in field.split("|") if field else ():
        scope, _, text = part.partition(":")
        out.append(Synonym(text, scope))
    return tuple(out)


def write_lexicon(terms: Iterable[Term], path: str | Path) -> int:
    """Write terms as a (gzipped when the name ends in .gz) TSV, sorted by id, byte-for-byte reproducible."""
    path = Path(path)
    rows = sorted(terms, key=lambda t: t.curie)
    buf = io.StringIO()
    buf.write("\t".join(LEXICON_COLUMNS) + "\n")
    clean = lambda s: s.replace("\t", " ").replace("\n", " ").replace("|", "/")  # noqa: E731
    for t in rows:
        syns = [Synonym(clean(s.text), s.scope) for s in t.synonyms]
        buf.write(
            "\t".join(
                (t.curie, clean(t.label), _enc_syns(syns), "|".join(t.xrefs), "|".join(t.parents), t.source)
            )
            + "\n"
        )
    data = buf.getvalue().encode("utf-8")
    if path.suffix == ".gz":
        data = gzip.compress(data, compresslevel=9, mtime=0)
    path.write_bytes(data)
    return len(rows)


def read_lexicon(path: str | Path) -> Iterator[Term]:
    """Terms of a lexicon TSV written by ``write_lexicon``."""
    path = Path(path)
    with _open_text(path) as fh:
        header = fh.readline().rstrip("\n").split("\t")
        if tuple(header) != LEXICON_COLUMNS:
            raise KgError(f"not a kg lexicon: header must be {' '.join(LEXICON_COLUMNS)}", path, 1)
        for lineno, line in enumerate(fh, start=2):
            parts = line.rstrip("\n").split("\t")
            if len(parts) != len(LEXICON_COLUMNS):
                raise KgError(f"expected {len(LEXICON_COLUMNS)} tab-separated columns, found {len(parts)}", path, lineno)
            cid, label, syns, xrefs, parents, src = parts
            yield Term(
                cid,
                label,
                _dec_syns(syns),
                tuple(xrefs.split("|")) if xrefs else (),
                tuple(parents.split("|")) if parents else (),
                src,
            )


# ---------------------------------------------------------------- format choice


def _read_lexicon_list(path: str | Path, source: str | None = None, unknown: Counter | None = None,
                       curies: Curies | None = None) -> list[Term]:
    return list(read_lexicon(path))


READERS: dict[str, Callable[..., list]] = {
    "obo": read_obo,
    "owl": read_rdf,
    "rdf": read_rdf,
    "ttl": read_rdf,
    "sssom": read_sssom,
    "lexicon": _read_lexicon_list,
}


def sniff_format(path: str | Path) -> str:
    """The reader name for an ontology file, from its suffix and, where that says little, its first bytes."""
    path = Path(path)
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(".obo"):
        return "obo"
    if name.endswith(".sssom.tsv"):
        return "sssom"
    if name.endswith((".ttl", ".nt", ".n3", ".jsonld")):
        return "ttl"
    if name.endswith((".owl", ".rdf", ".xml", ".owx")):
        return "owl"
    try:
        with _open_text(path) as fh:
            head = fh.read(4096)
    except (OSError, UnicodeDecodeError) as exc:
        raise KgError(f"cannot read ontology file: {exc}", path) from exc
    if head.startswith("id\tlabel\tsynonyms"):
        return "lexicon"
    if "subject_id" in head and "object_id" in head:
        return "sssom"
    if "[Term]" in head or head.startswith("format-version:"):
        return "obo"
    if head.lstrip().startswith("<") or "@prefix" in head:
        return "owl"
    raise KgError("unknown ontology format (expected OBO, OWL/RDF, SSSOM TSV or a kg lexicon TSV)", path)


def read_ontology(path: str | Path, fmt: str | None = None, unknown: Counter | None = None,
                  curies: Curies | None = None) -> tuple[list[Term], list[Mapping]]:
    """Terms and mappings of any supported ontology file (``unknown`` counts identifiers dropped for their prefix)."""
    path = Path(path)
    if not path.is_file():
        raise KgError("no such ontology file", path)
    fmt = fmt or sniff_format(path)
    if fmt not in READERS:
        raise KgError(f"unknown ontology format {fmt!r}; known: {', '.join(sorted(READERS))}", path)
    try:
        items = READERS[fmt](path, unknown=unknown, curies=curies)
    except UnicodeDecodeError as exc:
        raise KgError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path) from None
    except csv.Error as exc:
        raise KgError(f"cannot read the table: {exc}", path) from None
    if fmt == "sssom":
        return [], items
    return items, []
