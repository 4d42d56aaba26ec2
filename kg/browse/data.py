"""What the pages show, read from the store with a few SPARQL queries each: an entity with its identifiers,
hierarchy and claims with their evidence, a document with its metadata, text and claims, the overview.

Every query goes through ``Service.select`` (``kg.rdf.serve``). IRIs put into query text come from the
store or pass ``sparql_iri``; a value a user typed is bound as a variable, never pasted into the text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from kg.curie import Curies
from kg.rdf.serve import Service

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OIO = "http://www.geneontology.org/formats/oboInOwl#"
DCT = "http://purl.org/dc/terms/"
BL = "https://w3id.org/biolink/vocab/"
KGV = "https://w3id.org/kg/vocab/"
LABEL, SUBCLASS, EXACT = RDFS + "label", RDFS + "subClassOf", SKOS + "exactMatch"
ARTICLE = BL + "Article"
SYNONYMS = {SKOS + "altLabel": "synonym", SKOS + "prefLabel": "label", OIO + "hasExactSynonym": "exact synonym",
            OIO + "hasRelatedSynonym": "related synonym", OIO + "hasNarrowSynonym": "narrow synonym",
            OIO + "hasBroadSynonym": "broad synonym"}
NOT_ENTITIES = {BL + "Association", BL + "Article", BL + "Agent", BL + "Serial", KGV + "TextEvidence", KGV + "Grant"}

CLAIMS_PER_PAGE = 100
ORDERED_UP_TO = 500  # an entity with more claims than this (a hub) pages them in association order
EVIDENCE_PER_CLAIM = 20
LISTED = 200  # children, documents and other long lists are cut here, with a count of the rest

_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def sparql_iri(iri: str) -> str:
    """``<iri>`` for query text; ValueError when the string cannot be an IRI."""
    if not iri or _BAD_IRI.search(iri) or ":" not in iri:
        raise ValueError(f"not an IRI: {iri!r}")
    return f"<{iri}>"


def _values(name: str, iris) -> str:
    return f"VALUES ?{name} {{ {' '.join(sparql_iri(i) for i in sorted(set(iris)))} }}"


def value(term) -> str | None:
    return None if term is None else term.value


def lang(term) -> str:
    return (getattr(term, "language", None) or "") if term is not None else ""


def integer(term) -> int | None:
    try:
        return int(term.value) if term is not None else None
    except ValueError:
        return None


def truth(term) -> bool:
    return term is not None and term.value in ("true", "1")


# ---------------------------------------------------------------- records


@dataclass
class Node:
    """An entity or class as a link: IRI, CURIE, English label, other labels, Biolink categories."""

    iri: str
    curie: str
    label: str = ""
    labels: list[tuple[str, str]] = field(default_factory=list)  # (text, language), every label
    categories: list[str] = field(default_factory=list)  # CURIEs
    types: set[str] = field(default_factory=set)  # rdf:type IRIs

    @property
    def name(self) -> str:
        return self.label or self.curie


@dataclass
class DocRef:
    iri: str
    key: str  # how its page is named: a CURIE (doi:..., PMID:...) or the IRI
    titles: list[tuple[str, str]] = field(default_factory=list)  # (text, language)
    identifiers: list[str] = field(default_factory=list)  # "doi:10...", "PMID:123"
    year: str = ""

    @property
    def title(self) -> str:
        return _pick(self.titles) or self.key


@dataclass
class Evidence:
    iri: str
    text: str
    lang: str
    section: str
    document: DocRef | None
    sentence_start: int | None
    sentence_end: int | None
    subject_span: tuple[int, int] | None  # offsets in ``text``
    object_span: tuple[int, int] | None
    trigger: str
    hedge_cues: list[str]
    negation_cues: list[str]


@dataclass
class Claim:
    iri: str
    subject: Node
    predicate: str  # CURIE
    object: Node
    negated: bool
    hedged: bool
    direction: str | None
    score: str
    claim_types: list[str]
    mediators: list[Node]
    products: list[str]
    languages: list[str]
    aligned: bool | None
    evidence: list[Evidence]
    evidence_total: int


@dataclass
class Link:
    """An edge of the neighbourhood beyond the entity's own claims: a claim or a therapy's agent."""

    subject: Node
    predicate: str  # CURIE
    object: Node
    direction: str | None
    negated: bool
    hedged: bool
    claim_types: list[str]


@dataclass
class Entity:
    node: Node
    entity_type: str | None
    identifiers: list[tuple[str, str]]  # (IRI, CURIE) of the concept: its own first, then its equivalents
    synonyms: list[tuple[str, str, str]]  # (text, language, kind)
    parents: list[Node]
    children: list[Node]
    children_total: int
    agent: Node | None
    parts: list[Node]
    agent_of: list[Node]  # therapies made of this entity
    documents: list[DocRef]
    documents_total: int
    claims: list[Claim]
    claims_total: int
    page: int
    pages: int
    ring: list[Link] = field(default_factory=list)  # the claims of its claims' other ends (the graph's second ring)


def _pick(texts: list[tuple[str, str]], prefer: str = "en") -> str:
    """The text in ``prefer``'s language, else a plain one, else the first."""
    for want in (prefer, ""):
        for text, lg in texts:
            if lg == want:
                return text
    return texts[0][0] if texts else ""


class Reader:
    """The pages' queries over one service, with the prefix map that names IRIs as CURIEs."""

    def __init__(self, service: Service, curies: Curies):
        self.service = service
        self.curies = curies

    def curie(self, iri: str) -> str:
        return self.curies.compress(iri) or iri

    def expand(self, key: str) -> str | None:
        """The IRI named by a CURIE or an IRI (None when neither)."""
        key = key.strip()
        if key.startswith(("http://", "https://", "urn:")):
            return key
        std = self.curies.standardize(key)
        if std is None:
            return None
        try:
            return self.curies.expand(std)
        except ValueError:
            return None

    # ------------------------------------------------ nodes and documents

    def nodes(self, iris) -> dict[str, Node]:
        """Labels and types of these IRIs."""
        iris = sorted({i for i in iris if i})
        out = {i: Node(i, self.curie(i)) for i in iris}
        if not iris:
            return out
        for n, o in self._objects(iris, LABEL):
            out[n.value].labels.append((o.value, lang(o)))
        for n, o in self._objects(iris, RDF_TYPE):
            if o.value not in NOT_ENTITIES:
                out[n.value].types.add(o.value)
        for node in out.values():
            node.labels.sort(key=lambda t: (t[1] not in ("", "en"), t[1], t[0]))
            node.label = _pick([(t, lg) for t, lg in node.labels if lg in ("", "en")]) or _pick(node.labels)
            node.categories = sorted(self.curie(t) for t in node.types if t.startswith(BL))
        return out

    def _objects(self, iris: list[str], pred: str) -> list[tuple]:
        """(subject, object) terms of one predicate for these subjects (one VALUES block, one pattern)."""
        return self.service.select(f"SELECT ?x ?o WHERE {{ {_values('x', iris)} ?x <{pred}> ?o }}")

    def docs(self, iris) -> dict[str, DocRef]:
        """Titles, identifiers and years of these documents."""
        iris = sorted({i for i in iris if i})
        out = {i: DocRef(i, self.curie(i)) for i in iris}
        if not iris:
            return out
        for d, o in self._objects(iris, DCT + "title"):
            out[d.value].titles.append((o.value, lang(o)))
        for d, o in self._objects(iris, DCT + "identifier"):
            out[d.value].identifiers.append(o.value)
        for d, o in self._objects(iris, KGV + "year"):
            out[d.value].year = o.value
        for ref in out.values():
            ref.titles.sort(key=lambda t: (t[1] != "en", t[1]))
            ref.identifiers.sort()
        return out

    # ------------------------------------------------ claims

    def claims(self, assocs: list[str]) -> list[Claim]:
        """These associations with their evidence (at most ``EVIDENCE_PER_CLAIM`` each), in the given order."""
        if not assocs:
            return []
        facts = self._describe(assocs)
        evidence = self._evidence([e.value for f in facts.values() for e in f[BL + "has_evidence"]])
        refs = set()
        for f in facts.values():
            for slot in ("subject", "object"):
                refs.update(o.value for o in f[BL + slot])
            refs.update(o.value for o in f[KGV + "mediatedBy"])
        nodes = self.nodes(refs)
        docs = self.docs(e["doc"] for e in evidence.values() if e["doc"])
        out = []
        for a in assocs:
            f = facts[a]
            if not f[BL + "subject"] or not f[BL + "object"] or not f[BL + "predicate"]:
                continue
            evs = sorted((evidence[e.value] for e in f[BL + "has_evidence"] if e.value in evidence),
                         key=lambda e: (e["doc"] or "", e["section"], e["lang"] != "en", e["lang"], e["start"] or 0))
            direction = f[BL + "object_direction_qualifier"]
            aligned = f[KGV + "aligned"]
            out.append(Claim(
                iri=a, subject=nodes[f[BL + "subject"][0].value], predicate=self.curie(f[BL + "predicate"][0].value),
                object=nodes[f[BL + "object"][0].value], negated=truth(_one(f[BL + "negated"])),
                hedged=truth(_one(f[KGV + "hedged"])), direction=direction[0].value if direction else None,
                score=value(_one(f[BL + "has_confidence_score"])) or "",
                claim_types=sorted(o.value for o in f[KGV + "claimType"]),
                mediators=sorted((nodes[o.value] for o in f[KGV + "mediatedBy"]), key=lambda n: n.name),
                products=sorted(o.value for o in f[KGV + "product"]),
                languages=sorted(o.value for o in f[KGV + "evidenceLanguage"]),
                aligned=truth(aligned[0]) if aligned else None,
                evidence=[_evidence_record(e, docs) for e in evs[:EVIDENCE_PER_CLAIM]], evidence_total=len(evs)))
        return out

    def _evidence(self, iris: list[str]) -> dict[str, dict]:
        if not iris:
            return {}
        facts = self._describe(iris)
        out = {}
        for e, f in facts.items():
            text = _one(f[BL + "supporting_text"])
            out[e] = {"iri": e, "text": value(text) or "", "lang": value(_one(f[KGV + "lang"])) or lang(text),
                      "section": value(_one(f[KGV + "section"])) or "", "doc": value(_one(f[KGV + "document"])),
                      "start": integer(_one(f[KGV + "sentenceStart"])), "end": integer(_one(f[KGV + "sentenceEnd"])),
                      "spans": {k: (integer(_one(f[KGV + k + "Start"])), integer(_one(f[KGV + k + "End"])))
                                for k in ("subject", "object")},
                      "trigger": value(_one(f[KGV + "trigger"])) or "",
                      "hedge": sorted(o.value for o in f[KGV + "hedgeCue"]),
                      "negation": sorted(o.value for o in f[KGV + "negationCue"])}
        return out

    # ------------------------------------------------ an entity

    def resolve_entity(self, iri: str) -> tuple[str, str | None]:
        """(``found``, IRI): ``entity`` (an entity of the graph, or a node with triples of its own),
        ``equivalent`` (an id or merged class of an entity: the entity's IRI), ``document`` (an article,
        whose page is elsewhere) or ``missing``."""
        ref = sparql_iri(iri)
        if self.service.select(f"SELECT ?t WHERE {{ {ref} <{KGV}entityType> ?t }} LIMIT 1"):
            return "entity", iri
        rows = self.service.select(f"SELECT ?x WHERE {{ {{ ?x <{EXACT}> {ref} }} UNION {{ {ref} <{EXACT}> ?x }} "
                                   f"?x <{KGV}entityType> ?t }} ORDER BY ?x LIMIT 1")
        if rows:
            return "equivalent", rows[0][0].value
        rows = self.service.select(f"SELECT ?t WHERE {{ {ref} ?p ?o OPTIONAL {{ {ref} <{RDF_TYPE}> ?t }} }} LIMIT 1")
        if rows:
            return ("document" if value(rows[0][0]) == ARTICLE else "entity"), iri
        rows = self.service.select(f"SELECT ?x WHERE {{ ?x ?p {ref} FILTER(?p != <{KGV}document>) }} LIMIT 1")
        return ("entity", iri) if rows else ("missing", None)

    def entity(self, iri: str, page: int = 1) -> Entity:
        """Everything the entity page shows (``page``: which hundred claims)."""
        ref = sparql_iri(iri)
        facts: dict[str, list] = defaultdict(list)
        for p, o in self.service.select(f"SELECT ?p ?o WHERE {{ {ref} ?p ?o }}"):
            facts[p.value].append(o)
        incoming = [r[0].value for r in self.service.select(f"SELECT ?x WHERE {{ ?x <{EXACT}> {ref} FILTER(isIRI(?x)) }}")]
        group = sorted({iri, *incoming, *(o.value for o in facts[EXACT] if isinstance(o, NamedNode))})
        parents, children, children_total = self._hierarchy(group)
        assocs = self._claims_of(group)
        pages = max(1, -(-len(assocs) // CLAIMS_PER_PAGE))
        page = min(max(1, page), pages)
        shown = assocs[(page - 1) * CLAIMS_PER_PAGE:page * CLAIMS_PER_PAGE]
        agent_of = sorted(r[0].value for r in self.service.select(
            f"SELECT ?x WHERE {{ ?x <{KGV}therapeuticAgent> {ref} }} LIMIT {LISTED}"))
        refs = [iri, *(o.value for k in ("therapeuticAgent", "composedOf") for o in facts[KGV + k]), *agent_of]
        nodes = self.nodes(refs)
        doc_iris = sorted(o.value for o in facts[KGV + "mentionedIn"])
        docs = self.docs(doc_iris[:LISTED])
        node = nodes[iri]
        synonyms = sorted({(o.value, lang(o), kind) for p, kind in SYNONYMS.items() for o in facts[p]},
                          key=lambda s: (s[2], s[1], s[0].lower()))
        agent = _one(facts[KGV + "therapeuticAgent"])
        claims = self.claims(shown)
        return Entity(
            node=node, entity_type=value(_one(facts[KGV + "entityType"])),
            identifiers=[(g, self.curie(g)) for g in [iri] + [g for g in group if g != iri]], synonyms=synonyms,
            parents=parents, children=children, children_total=children_total,
            agent=nodes[agent.value] if agent is not None else None,
            parts=[nodes[o.value] for o in facts[KGV + "composedOf"]],
            agent_of=[nodes[x] for x in agent_of],
            documents=[docs[d] for d in doc_iris[:LISTED]], documents_total=len(doc_iris),
            claims=claims, claims_total=len(assocs), page=page, pages=pages,
            ring=self._ring({x.iri for c in claims for x in (c.subject, c.object)} - set(group)))

    def _with(self, pred: str, objects, reverse: bool = False) -> list[tuple[str, str]]:
        """(subject, object) pairs of ``pred`` whose object (subject when ``reverse``) is one of ``objects``:
        one plain pattern per query (Oxigraph plans a VALUES block joined to a UNION badly)."""
        if not objects:
            return []
        pattern = f"?x <{pred}> ?y" if reverse else f"?y <{pred}> ?x"
        rows = self.service.select(f"SELECT ?x ?y WHERE {{ {_values('x', objects)} {pattern} FILTER(isIRI(?y)) }}")
        return [(x.value, y.value) for x, y in rows]

    def _associations_of(self, iris) -> list[str]:
        """The associations whose subject or object is one of ``iris``."""
        return sorted({a for _, a in self._with(BL + "subject", iris) + self._with(BL + "object", iris)})

    def _describe(self, iris: list[str]) -> dict[str, dict[str, list]]:
        """Every triple of these subjects, by subject and predicate."""
        facts: dict[str, dict[str, list]] = {i: defaultdict(list) for i in iris}
        if iris:
            for x, p, o in self.service.select(f"SELECT ?x ?p ?o WHERE {{ {_values('x', iris)} ?x ?p ?o }}"):
                facts[x.value][p.value].append(o)
        return facts

    def _ring(self, around: set[str], neighbours: int = 25, links: int = 400) -> list[Link]:
        """The claims and agents of up to ``neighbours`` of the entity's neighbours (at most ``links``)."""
        near = sorted(around)[:neighbours]
        facts = self._describe(self._associations_of(near)[:links])
        agents = self._with(KGV + "therapeuticAgent", near, reverse=True)
        edges = []
        for f in facts.values():
            if f[BL + "subject"] and f[BL + "object"] and f[BL + "predicate"]:
                direction = _one(f[BL + "object_direction_qualifier"])
                edges.append((f[BL + "subject"][0].value, self.curie(f[BL + "predicate"][0].value), f[BL + "object"][0].value,
                              value(direction), truth(_one(f[BL + "negated"])), truth(_one(f[KGV + "hedged"])),
                              sorted(o.value for o in f[KGV + "claimType"])))
        edges += [(x, "kg:therapeuticAgent", y, None, False, False, []) for x, y in agents]
        nodes = self.nodes({e[0] for e in edges} | {e[2] for e in edges})
        return [Link(nodes[s], p, nodes[o], d, g, h, ct) for s, p, o, d, g, h, ct in sorted(edges, key=lambda e: e[:3])]

    def _hierarchy(self, group: list[str]) -> tuple[list[Node], list[Node], int]:
        members = set(group)
        parents = sorted({y for _, y in self._with(SUBCLASS, group, reverse=True)} - members)
        children = sorted({y for _, y in self._with(SUBCLASS, group)} - members)
        nodes = self.nodes(parents + children[:LISTED])
        by_name = lambda n: (n.name.lower(), n.curie)  # noqa: E731
        return (sorted((nodes[p] for p in parents), key=by_name),
                sorted((nodes[c] for c in children[:LISTED]), key=by_name), len(children))

    def _claims_of(self, group: list[str]) -> list[str]:
        """The associations the concept takes part in, ordered by predicate, direction and association; past
        ``ORDERED_UP_TO`` (a hub), by association only (each page still groups its claims by predicate).
        Plain patterns from one IRI at a time (a VALUES block joined to an OPTIONAL costs 3x on a hub)."""
        starts = [f"?a <{BL}{role}> {sparql_iri(member)}" for member in group for role in ("subject", "object")]
        assocs = {a.value for start in starts for (a,) in self.service.select(f"SELECT ?a WHERE {{ {start} }}")}
        if len(assocs) > ORDERED_UP_TO:
            return sorted(assocs)
        predicates, directions = {}, {}
        for start in starts:
            for a, p in self.service.select(f"SELECT ?a ?p WHERE {{ {start} ; <{BL}predicate> ?p }}"):
                predicates[a.value] = p.value
            for a, d in self.service.select(f"SELECT ?a ?d WHERE {{ {start} ; <{BL}object_direction_qualifier> ?d }}"):
                directions[a.value] = d.value
        return sorted(assocs, key=lambda a: (predicates.get(a, ""), directions.get(a, ""), a))

    # ------------------------------------------------ a document

    def resolve_document(self, key: str) -> str | None:
        """The IRI of an article named by its IRI, a CURIE (doi:..., PMID:..., kgdoc:...), a DOI or a PMID."""
        key = key.strip()
        candidates = [key]
        if re.match(r"^10\.\d{4,9}/", key):
            candidates.append("doi:" + key)
        if key.isdigit():
            candidates.append("PMID:" + key)
        if key.lower().startswith("doi:"):
            candidates.append("doi:" + key[4:])
        for c in candidates:  # as written (an index lookup), then ignoring case (a DOI's letters)
            rows = self.service.select(f"SELECT ?d ?key WHERE {{ ?d <{DCT}identifier> ?key ; a <{ARTICLE}> }} LIMIT 1",
                                       {"key": Literal(c)})
            if rows:
                return rows[0][0].value
        if any(c.lower().startswith("doi:") for c in candidates):
            rows = self.service.select(f"SELECT ?d ?key WHERE {{ ?d <{DCT}identifier> ?id ; a <{ARTICLE}> "
                                       "FILTER(lcase(str(?id)) = lcase(str(?key))) } LIMIT 1",
                                       {"key": Literal(next(c for c in candidates if c.lower().startswith("doi:")))})
            if rows:
                return rows[0][0].value
        for c in candidates:
            iri = self.expand(c)
            if iri is None:
                continue
            try:
                ref = sparql_iri(iri)
            except ValueError:
                continue
            if self.service.select(f"SELECT ?t WHERE {{ {ref} a <{ARTICLE}> }} LIMIT 1"):
                return iri
        return None

    def document(self, iri: str) -> "Document":
        """Everything the document page shows."""
        ref = sparql_iri(iri)
        facts: dict[str, list] = defaultdict(list)
        for p, o in self.service.select(f"SELECT ?p ?o WHERE {{ {ref} ?p ?o }}"):
            facts[p.value].append(o)
        linked: dict[str, dict[str, dict[str, list]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
        for rel, n, p, o in self.service.select(
                f"SELECT ?rel ?n ?p ?o WHERE {{ VALUES ?rel {{ <{BL}authors> <{BL}published_in> <{KGV}funding> }} "
                f"{ref} ?rel ?n . ?n ?p ?o }}"):
            linked[rel.value][n.value][p.value].append(o)
        rows = self.service.select(f"SELECT DISTINCT ?a ?p ?d WHERE {{ ?e <{KGV}document> {ref} . ?a <{BL}has_evidence> ?e ; "
                                   f"<{BL}predicate> ?p OPTIONAL {{ ?a <{BL}object_direction_qualifier> ?d }} }}")
        assocs = [a.value for a, p, d in sorted(rows, key=lambda r: (r[1].value, value(r[2]) or "", r[0].value))]
        mentioned = sorted(r[0].value for r in self.service.select(
            f"SELECT ?x WHERE {{ ?x <{KGV}mentionedIn> {ref} }} LIMIT {LISTED * 5}"))
        spans: dict[tuple[str, str], list[tuple[int, int, str]]] = defaultdict(list)
        for span in facts[KGV + "mentionSpan"]:
            parsed = parse_span(span.value)
            if parsed is not None:
                start, end, language, curie, section = parsed
                iri = self.expand(curie)
                if iri is not None:
                    spans[(section, language)].append((start, end, iri))
        span_nodes = self.nodes({iri for rows in spans.values() for *_, iri in rows})
        authors = sorted(linked[BL + "authors"].values(), key=lambda f: integer(_one(f[KGV + "authorPosition"])) or 0)
        claims = self.claims(assocs[:CLAIMS_PER_PAGE * 5])
        return Document(
            ref=self.docs([iri])[iri],
            fields={k: [(o.value, lang(o)) for o in facts[p]] for k, p in DOCUMENT_FIELDS.items() if facts[p]},
            abstracts=sorted(((o.value, lang(o)) for o in facts[BL + "summary"]), key=lambda t: (t[1] != "en", t[1])),
            authors=[sorted(((o.value, lang(o)) for o in f[LABEL]), key=lambda t: (t[1] != "en", t[1])) for f in authors],
            affiliations=[sorted({(o.value, lang(o)) for o in f[KGV + "affiliation"]}) for f in authors],
            journal=[_pick([(o.value, lang(o)) for o in f[LABEL]]) for f in linked[BL + "published_in"].values()],
            funding=[(_pick([(o.value, lang(o)) for o in f[LABEL]]), sorted(o.value for o in f[KGV + "grantNumber"]))
                     for f in linked[KGV + "funding"].values()],
            claims=claims, claims_total=len(assocs),
            mentioned=sorted(self.nodes(mentioned).values(), key=lambda n: (n.categories[:1], n.name.lower())),
            mentions={k: sorted((s, t, span_nodes[i]) for s, t, i in rows) for k, rows in spans.items()})


def parse_span(value: str) -> tuple[int, int, str, str, str] | None:
    """``kg:mentionSpan``'s "START-END LANG CURIE SECTION" as (start, end, language, CURIE, section); None
    when it is malformed."""
    parts = value.split(" ", 3)
    if len(parts) != 4 or "-" not in parts[0]:
        return None
    a, _, b = parts[0].partition("-")
    if not (a.isdigit() and b.isdigit()) or int(a) >= int(b):
        return None
    return int(a), int(b), parts[1], parts[2], parts[3]


DOCUMENT_FIELDS = {"year": KGV + "year", "volume": BL + "volume", "issue": BL + "issue", "pages": BL + "pages",
                   "column": KGV + "column", "received": KGV + "dateReceived", "revised": KGV + "dateRevised",
                   "accepted": DCT + "dateAccepted", "online": KGV + "dateOnline", "published": KGV + "datePublished",
                   "keywords": BL + "keywords"}


@dataclass
class Document:
    ref: DocRef
    fields: dict[str, list[tuple[str, str]]]
    abstracts: list[tuple[str, str]]  # (text, language)
    authors: list[list[tuple[str, str]]]  # each author's names, by language
    affiliations: list[list[tuple[str, str]]]
    journal: list[str]
    funding: list[tuple[str, list[str]]]
    claims: list[Claim]
    claims_total: int
    mentioned: list[Node]
    mentions: dict[tuple[str, str], list[tuple[int, int, Node]]] = field(default_factory=dict)  # (section, lang) -> spans

    def section_text(self, section: str, language: str) -> str | None:
        """The text a section's offsets count in: the title or the abstract in that language."""
        texts = self.ref.titles if section == "title" else self.abstracts if section == "abstract" else []
        return next((t for t, lg in texts if lg == language), None)


def _one(values: list):
    return values[0] if values else None


def _evidence_record(e: dict, docs: dict[str, DocRef]) -> Evidence:
    """Evidence with its spans made relative to the sentence (dropped when they do not fit in it)."""
    text, start = e["text"], e["start"]
    spans = {}
    for k, (s, t) in e["spans"].items():
        ok = start is not None and s is not None and t is not None and start <= s < t <= start + len(text)
        spans[k] = (s - start, t - start) if ok else None
    return Evidence(e["iri"], text, e["lang"], e["section"], docs.get(e["doc"]) if e["doc"] else None, start,
                    e["end"], spans["subject"], spans["object"], e["trigger"], e["hedge"], e["negation"])


# ---------------------------------------------------------------- the overview


@dataclass
class Overview:
    triples: int
    entities: int
    categories: list[tuple[str, int]]  # (category CURIE, entities)
    predicates: list[tuple[str, str | None, int, int, int]]  # (predicate CURIE, direction, claims, hedged, negated)
    claims: int
    documents: list[DocRef]
    documents_total: int


def overview(reader: Reader) -> Overview:
    """Counts by category and predicate, and the documents."""
    sel = reader.service.select
    cats = sel(f"SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x <{KGV}entityType> ?t ; a ?c }} GROUP BY ?c")
    entities = sel(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x <{KGV}entityType> ?t }}")
    preds = sel(f"SELECT ?p ?d (COUNT(?a) AS ?n) (SUM(IF(?h, 1, 0)) AS ?hedged) (SUM(IF(?g, 1, 0)) AS ?negated) WHERE {{ "
                f"?a a <{BL}Association> ; <{BL}predicate> ?p OPTIONAL {{ ?a <{BL}object_direction_qualifier> ?d }} "
                f"OPTIONAL {{ ?a <{KGV}hedged> ?h }} OPTIONAL {{ ?a <{BL}negated> ?g }} }} GROUP BY ?p ?d")
    docs = sorted(r[0].value for r in sel(f"SELECT ?d WHERE {{ ?d a <{ARTICLE}> }}"))
    refs = reader.docs(docs[:LISTED])
    predicates = sorted(((reader.curie(p.value), value(d), integer(n) or 0, integer(h) or 0, integer(g) or 0)
                         for p, d, n, h, g in preds), key=lambda r: (-r[2], r[0], r[1] or ""))
    return Overview(
        triples=len(reader.service.store),
        entities=integer(entities[0][0]) if entities else 0,
        categories=sorted(((reader.curie(c.value), integer(n) or 0) for c, n in cats if c.value.startswith(BL)),
                          key=lambda r: (-r[1], r[0])),
        predicates=predicates, claims=sum(r[2] for r in predicates),
        documents=sorted(refs.values(), key=lambda d: d.title.lower()), documents_total=len(docs))
