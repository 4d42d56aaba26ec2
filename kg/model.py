"""The small frozen records that the pipeline's stages hand to each other.

ingest -> ``Document``; recognize -> ``AnnotatedDocument`` (sentences, ``Mention``s, context cues);
ground -> ``Mention`` with ranked ``Grounding``s and a ``Concept``; extract -> ``Claim`` with ``Evidence``.
None of these types depends on spaCy, networkx or rdflib.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# ---------------------------------------------------------------- lexicon


@dataclass(frozen=True, slots=True)
class Synonym:
    """A synonym of an ontology term with its OBO scope (EXACT, RELATED, BROAD, NARROW)."""

    text: str
    scope: str = "EXACT"


@dataclass(frozen=True, slots=True)
class Term:
    """One ontology class as the lexicon knows it."""

    curie: str
    label: str
    synonyms: tuple[Synonym, ...] = ()
    xrefs: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()
    source: str = ""

    @property
    def prefix(self) -> str:
        return self.curie.split(":", 1)[0]


@dataclass(frozen=True, slots=True)
class Mapping:
    """A cross-ontology mapping (one SSSOM row)."""

    subject: str
    predicate: str
    object: str
    justification: str = "semapv:UnspecifiedMatching"
    source: str = ""


# ---------------------------------------------------------------- documents


@dataclass(frozen=True, slots=True)
class Section:
    """A piece of a document's text in one language: its title, abstract (or one part of a structured
    abstract), a body section, a figure or table caption, its keywords.

    ``name`` is unique within the document and language and is what evidence records ("title",
    "abstract", "abstract:RESULTS", "body:2 Methods/2.1 Animals", "caption:Figure 1"); ``kind`` is the sort
    of text it is ("title", "abstract", "body", "caption"; by default the name), which decides whether it is
    read (``pipeline.toml`` sections). ``heading`` is its title as printed and ``role`` the category its
    source gives it (a PubMed ``NlmCategory``, a JATS ``sec-type``, a BioC ``section_type``); the claim
    stage reads both (``kg/data/articles.toml``)."""

    name: str
    text: str
    lang: str = "en"
    kind: str = ""
    heading: str = ""
    role: str = ""

    def __post_init__(self) -> None:
        if not self.kind:
            object.__setattr__(self, "kind", self.name)


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    lang: str = "en"
    affiliations: tuple[str, ...] = ()
    corresponding: bool = False
    email: str | None = None
    orcid: str | None = None  # the 16-character ORCID iD (0000-0002-1825-0097)


@dataclass(frozen=True, slots=True)
class Funding:
    name: str
    grants: tuple[str, ...] = ()
    lang: str = "en"
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Tag:
    """A controlled-vocabulary term attached to an article: a publication type, a MeSH descriptor or
    qualifier, a chemical (``ui``: its MeSH unique identifier, D016449; empty when the source gives none)."""

    name: str
    ui: str = ""
    major: bool = False  # MeSH: a major topic of the article


@dataclass(frozen=True, slots=True)
class MeshHeading:
    """A MeSH heading of an article: its descriptor and qualifiers, each marked when a major topic."""

    descriptor: Tag
    qualifiers: tuple[Tag, ...] = ()

    @property
    def major(self) -> bool:
        return self.descriptor.major or any(q.major for q in self.qualifiers)


@dataclass(frozen=True, slots=True)
class Annotation:
    """An entity annotation given with a document (BioC, PubTator3, PubTator): offsets are characters in the named
    section's text; ``ids`` are the identifiers of its infons, as CURIEs where the prefix is known."""

    id: str
    section: str
    lang: str
    start: int
    end: int
    text: str
    type: str
    ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Relation:
    """A relation given with a document (BioC): its type and its (role, annotation id or identifier) nodes."""

    id: str
    type: str
    nodes: tuple[tuple[str, str], ...] = ()
    infons: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """A source document with its bibliographic metadata and its text sections."""

    id: str  # a CURIE: doi:..., PMID:..., or kgdoc:<hash> when the source gives no identifier
    source: str  # the file it was read from
    sections: tuple[Section, ...]
    doi: str | None = None
    pmid: str | None = None
    journal: str | None = None
    year: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    column: str | None = None
    dates: tuple[tuple[str, str], ...] = ()  # (kind, ISO date): received, revised, online, published
    authors: tuple[Author, ...] = ()
    funding: tuple[Funding, ...] = ()
    keywords: tuple[tuple[str, str], ...] = ()  # (lang, keyword)
    pmcid: str | None = None  # PMC123456
    language: str | None = None  # the article's language as the source gives it (PubMed: "eng")
    journal_abbreviation: str | None = None  # ISO abbreviation (PubMed ISOAbbreviation, JATS abbrev-journal-title)
    issn: tuple[tuple[str, str], ...] = ()  # (type, ISSN): print, electronic, linking
    publication_types: tuple[Tag, ...] = ()  # "Randomized Controlled Trial" (D016449), "Review", ...
    mesh: tuple[MeshHeading, ...] = ()
    chemicals: tuple[Tag, ...] = ()
    annotations: tuple[Annotation, ...] = ()  # entities given with the text (BioC, PubTator3, PubTator)
    relations: tuple[Relation, ...] = ()
    deleted: bool = False  # a PubMed DeleteCitation: the record is withdrawn (no text)

    def section(self, name: str, lang: str = "en") -> Section | None:
        for s in self.sections:
            if s.name == name and s.lang == lang:
                return s
        return None

    def sections_of(self, kind: str, lang: str | None = None) -> tuple[Section, ...]:
        """The sections of one kind ("abstract": every part of a structured abstract), in order."""
        return tuple(s for s in self.sections if s.kind == kind and (lang is None or s.lang == lang))

    @property
    def title(self) -> str | None:
        s = self.section("title")
        return s.text if s else None

    def titles(self) -> dict[str, str]:
        return {s.lang: s.text for s in self.sections if s.name == "title"}


# ---------------------------------------------------------------- recognition and grounding


@dataclass(frozen=True, slots=True)
class Grounding:
    """One candidate ontology identifier for a mention, with a score in [0, 1]."""

    curie: str
    label: str
    score: float
    source: str  # the lexicon (ontology) that supplied the term
    match: str  # how it matched: label, EXACT, RELATED, BROAD, NARROW, abbreviation, ...


@dataclass(frozen=True, slots=True)
class Concept:
    """A node of the graph: one concept, named by its canonical CURIE, with its equivalents."""

    curie: str
    label: str
    category: str  # a Biolink class CURIE, e.g. biolink:Disease
    type: str  # the recogniser's entity type: cell, drug, procedure, disease, mechanism, anatomy, phenotype
    equivalents: tuple[str, ...] = ()  # other CURIEs of the same concept (xrefs kept from the lexicons)
    agent: str | None = None  # for a therapy lifted from a cell: the CURIE of that cell type
    composed_of: str | None = None  # for a composed concept: the CURIE of its head concept
    broader: tuple[str, ...] = ()  # classes this concept is declared a subclass of (for composed concepts)


@dataclass(frozen=True, slots=True)
class Sentence:
    section: str
    lang: str
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A recognised entity mention; offsets are characters in its section's text."""

    doc_id: str
    section: str
    lang: str
    sentence: int
    start: int
    end: int
    text: str
    type: str
    groundings: tuple[Grounding, ...] = ()
    long_form: str | None = None  # the expansion, when the mention is an abbreviation
    context: frozenset[str] = frozenset()  # ConText categories that modify it
    composition: str | None = None  # the composition rule that built it around a head mention
    head: tuple[int, int] | None = None  # for a composed mention: the head mention's offsets
    concept: Concept | None = None  # the chosen concept (set by the grounding stage)
    alternatives: tuple[Concept, ...] = ()  # a concept per other type the mention could have

    def concept_of(self, types: "set[str] | frozenset[str] | tuple[str, ...]") -> Concept | None:
        """The mention's concept if its type is allowed, else its best alternative of an allowed type."""
        if self.concept is not None and self.concept.type in types:
            return self.concept
        for alt in self.alternatives:
            if alt.type in types:
                return alt
        return None


@dataclass(frozen=True, slots=True)
class Cue:
    """A trigger or context cue found in a sentence (negation, hedging, a relation trigger)."""

    section: str
    sentence: int
    start: int
    end: int
    text: str
    category: str  # e.g. NEGATED_EXISTENCE, HYPOTHETICAL, POSSIBLE_EXISTENCE
    scope_start: int = -1
    scope_end: int = -1
    lang: str = "en"  # the language of the section (sentence indexes are per section and language)


@dataclass(frozen=True, slots=True)
class AnnotatedDocument:
    document: Document
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    cues: tuple[Cue, ...] = ()


# ---------------------------------------------------------------- claims


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a claim was read: the document, the sentence and the character offsets in the section."""

    doc_id: str
    section: str
    lang: str
    sentence: str
    sentence_start: int
    sentence_end: int
    subject_start: int
    subject_end: int
    object_start: int
    object_end: int
    trigger: str
    hedge_cues: tuple[str, ...] = ()
    negation_cues: tuple[str, ...] = ()
    prior_knowledge: bool = False  # read in a review or a background section: what was known, not a finding
    # the object is not named in the sentence but implied: it is the topic of the document, named in this
    # section (its title), where object_start/object_end are; "" when the sentence names it
    object_section: str = ""


@dataclass(frozen=True, slots=True)
class Claim:
    """One extracted statement: subject -predicate-> object, with qualifiers and evidence."""

    subject: Concept
    predicate: str  # Biolink predicate CURIE, e.g. biolink:studied_to_treat
    object: Concept
    relation: str  # the RO relation CURIE the predicate maps to
    claim_type: str  # the rule family: treats, mechanism, differentiation, secretion, outcome, capability
    evidence: tuple[Evidence, ...]
    direction: str | None = None  # Biolink object_direction_qualifier: increased / decreased
    negated: bool = False
    hedged: bool = False
    score: float = 1.0
    mediators: tuple[str, ...] = field(default=())  # CURIEs of mechanisms named as the route to an outcome
    qualifiers: tuple[tuple[str, str], ...] = ()  # extra (name, value) pairs, e.g. ("product", "soluble factors")

    @property
    def key(self) -> tuple[str, str, str, str, bool]:
        """What makes two claims the same edge: subject, predicate, object, direction and polarity."""
        return (self.subject.curie, self.predicate, self.object.curie, self.direction or "", self.negated)
