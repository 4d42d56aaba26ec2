"""The library API: build a knowledge graph from documents, end to end.

    from kg.pipeline import Pipeline
    kg = Pipeline().build(["seeds/"])
    kg.write("kg.ttl")

The CLI and the notebooks call this; nothing here prints.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from kg.assemble import assemble
from kg.extract import Extractor
from kg.ground import Grounder
from kg.ingest import read_sources
from kg.lexicon import Lexicon, load_lexicon
from kg.model import AnnotatedDocument, Claim, Concept, Document

log = logging.getLogger(__name__)


@dataclass
class KnowledgeGraph:
    """What a build produces: the documents, their grounded annotations, the claims and the graph."""

    documents: list[Document]
    annotated: list[AnnotatedDocument]
    claims: list[Claim]
    graph: nx.MultiDiGraph
    lexicon: Lexicon | None = field(default=None, repr=False)

    def write(self, path: str | Path, fmt: str | None = None) -> str:
        """Serialise the graph as RDF (format from the suffix: .ttl .nt .jsonld .trig .nq)."""
        from kg.rdf import write

        return write(self.graph, path, fmt)

    def rdf(self):
        """The graph as an rdflib Graph."""
        from kg.rdf import to_graph

        return to_graph(self.graph)

    def mentions(self) -> list[dict]:
        """One row per grounded mention: where it is, its type, its concept and ranked groundings."""
        rows = []
        for ad in self.annotated:
            for m in ad.mentions:
                rows.append({
                    "document": m.doc_id, "section": m.section, "lang": m.lang, "sentence": m.sentence,
                    "start": m.start, "end": m.end, "text": m.text, "type": m.type,
                    "concept": m.concept.curie if m.concept else "", "label": m.concept.label if m.concept else "",
                    "category": m.concept.category if m.concept else "", "long_form": m.long_form or "",
                    "context": ",".join(sorted(m.context)),
                    "groundings": ";".join(f"{g.curie}={g.score:.3f}" for g in m.groundings),
                })
        return rows


class Pipeline:
    """Lexicon + recogniser + grounder + extractor, loaded once and reused for many builds."""

    def __init__(self, ontologies: Sequence[str | Path] = (), lexicon: Lexicon | None = None,
                 ner: bool | str | Path = False, fuzzy: bool = True):
        """``ner``: add the trained recogniser (True: the shipped model; a path: that model);
        ``fuzzy``: ground mentions that match no lexicon term with the fuzzy linker (loaded on first use)."""
        from kg.recognize import build_pipeline  # spaCy stays behind this import

        self.lexicon = lexicon if lexicon is not None else load_lexicon(ontologies)
        self.nlp = build_pipeline(self.lexicon)
        if ner:
            from kg.ner import add_ner

            add_ner(self.nlp, None if ner is True else ner)
        linker = None
        if fuzzy:
            from kg.fuzzy import FuzzyLinker
            from kg.ground import linking_config

            cfg = linking_config()["fuzzy"]
            types = sorted({t for ts in cfg["types"].values() for t in ts})
            linker = FuzzyLinker(self.lexicon, types, threshold=cfg["threshold"], k=cfg["k"])
        self.grounder = Grounder(self.lexicon, fuzzy=linker)
        self.extractor = Extractor(self.lexicon, self.grounder)

    def run(self, documents: Iterable[Document], progress: bool = False) -> KnowledgeGraph:
        """Recognise, ground, extract and assemble over documents already read."""
        from kg.recognize import TEXT_SECTIONS, annotate

        docs = list(documents)
        bar = None
        if progress:
            from tqdm import tqdm

            n = sum(1 for d in docs for s in d.sections if s.lang == "en" and s.name in TEXT_SECTIONS and s.text.strip())
            bar = tqdm(total=n, desc="kg build", unit="section", leave=False)
        try:
            annotated = annotate(docs, self.nlp, self.lexicon, progress=bar)
        finally:
            if bar is not None:
                bar.close()
        grounded = self.grounder.ground_documents(annotated)
        claims: list[Claim] = []
        for a in grounded:
            claims.extend(self.extractor.extract(a))
        graph = assemble(claims, docs, grounded, self._referenced(claims, grounded))
        log.info("%d documents, %d mentions, %d claims, %d nodes, %d edges", len(docs),
                 sum(len(a.mentions) for a in grounded), len(claims), graph.number_of_nodes(), graph.number_of_edges())
        return KnowledgeGraph(docs, grounded, claims, graph, self.lexicon)

    def _referenced(self, claims: Sequence[Claim], annotated: Sequence[AnnotatedDocument]) -> list[Concept]:
        """Concepts that nodes point to (a therapy's cell type, a composition's head, mediators)."""
        refs: set[str] = set()
        present: set[str] = set()
        for c in claims:
            present |= {c.subject.curie, c.object.curie}
            refs |= set(c.mediators)
            for x in (c.subject, c.object):
                refs |= {r for r in (x.agent, x.composed_of) if r}
        for a in annotated:
            for m in a.mentions:
                if m.concept is not None:
                    present.add(m.concept.curie)
                    refs |= {r for r in (m.concept.agent, m.concept.composed_of) if r}
        out = []
        for curie in sorted(refs - present):
            typ = self.lexicon.types.get(curie)
            if typ:
                out.append(self.grounder.concept_for([curie], typ))
        return out

    def build(self, sources: Iterable[str | Path], input_format: str | None = None, progress: bool = False) -> KnowledgeGraph:
        """Read the sources (files or folders) and build their graph."""
        return self.run(read_sources(sources, input_format), progress=progress)


def build(
    sources: Iterable[str | Path],
    output: str | Path | None = None,
    ontologies: Sequence[str | Path] = (),
    input_format: str | None = None,
    progress: bool = False,
) -> KnowledgeGraph:
    """Build the knowledge graph of ``sources`` and, when ``output`` is given, write it as RDF."""
    docs = read_sources(sources, input_format)  # read (and fail on bad input) before loading the models
    kg = Pipeline(ontologies).run(docs, progress=progress)
    if output is not None:
        kg.write(output)
    return kg
