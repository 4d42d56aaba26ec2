"""RDF vocabularies as rdflib ``DefinedNamespace``s: a mistyped term fails at import, not in the output."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace


class BIOLINK(DefinedNamespace):
    """The Biolink Model terms kg writes (classes CamelCase, slots snake_case)."""

    _NS = Namespace("https://w3id.org/biolink/vocab/")
    _fail = True

    # classes
    AnatomicalEntity: URIRef
    Agent: URIRef
    Article: URIRef
    Association: URIRef
    BiologicalProcess: URIRef
    Cell: URIRef
    ChemicalEntity: URIRef
    ClinicalFinding: URIRef
    Disease: URIRef
    Drug: URIRef
    InformationContentEntity: URIRef
    MolecularActivity: URIRef
    PhenotypicFeature: URIRef
    Procedure: URIRef
    Publication: URIRef
    Serial: URIRef
    Treatment: URIRef
    # predicates
    affects: URIRef
    applied_to_treat: URIRef
    capable_of: URIRef
    develops_into: URIRef
    has_adverse_event: URIRef
    in_clinical_trials_for: URIRef
    in_preclinical_trials_for: URIRef
    preventative_for_condition: URIRef
    produces: URIRef
    studied_to_treat: URIRef
    treats: URIRef
    treats_or_applied_or_studied_to_treat: URIRef
    # association and node slots
    agent_type: URIRef
    authors: URIRef
    has_confidence_score: URIRef
    has_evidence: URIRef
    iso_abbreviation: URIRef
    issue: URIRef
    keywords: URIRef
    knowledge_level: URIRef
    mesh_terms: URIRef
    negated: URIRef
    object: URIRef
    object_direction_qualifier: URIRef
    pages: URIRef
    predicate: URIRef
    publication_type: URIRef
    publications: URIRef
    published_in: URIRef
    subject: URIRef
    summary: URIRef
    supporting_text: URIRef
    volume: URIRef
    xref: URIRef


class KG(DefinedNamespace):
    """kg's own terms, for what Biolink has no slot for."""

    _NS = Namespace("https://w3id.org/kg/vocab/")
    _fail = True

    Grant: URIRef
    TextEvidence: URIRef
    affiliation: URIRef
    aligned: URIRef
    authorPosition: URIRef
    chemical: URIRef
    chemicalName: URIRef
    claimType: URIRef
    column: URIRef
    composedOf: URIRef
    corresponding: URIRef
    country: URIRef
    dateCompleted: URIRef
    dateOnline: URIRef
    datePublished: URIRef
    dateReceived: URIRef
    dateRevised: URIRef
    deleted: URIRef
    document: URIRef
    email: URIRef
    entityType: URIRef
    evidenceLanguage: URIRef
    funding: URIRef
    grantNumber: URIRef
    hedgeCue: URIRef
    hedged: URIRef
    issn: URIRef
    lang: URIRef
    majorTopic: URIRef
    mediatedBy: URIRef
    mentionedIn: URIRef
    mentionSpan: URIRef
    meshHeading: URIRef
    meshQualified: URIRef
    negationCue: URIRef
    objectEnd: URIRef
    objectSection: URIRef
    objectStart: URIRef
    priorKnowledge: URIRef
    product: URIRef
    publicationTypeId: URIRef
    relation: URIRef
    section: URIRef
    sentenceEnd: URIRef
    sentenceStart: URIRef
    subjectEnd: URIRef
    subjectStart: URIRef
    therapeuticAgent: URIRef
    trigger: URIRef
    year: URIRef


CATEGORY_IRIS = {f"biolink:{name}": BIOLINK[name] for name in (
    "AnatomicalEntity", "BiologicalProcess", "Cell", "ChemicalEntity", "ClinicalFinding", "Disease", "Drug",
    "MolecularActivity", "PhenotypicFeature", "Procedure", "Treatment",
)}
