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

LANGS = ("en", "zh")  # the languages kg reads; ``lang="all"`` means these


def parse_langs(lang: str | Sequence[str]) -> tuple[str, ...]:
    """``"en"``, ``"zh"``, ``"all"`` or a sequence of language codes -> the languages to read, in order."""
    wanted = LANGS if lang == "all" else ((lang,) if isinstance(lang, str) else tuple(lang))
    unknown = [x for x in wanted if x not in LANGS]
    if unknown or not wanted:
        from kg.errors import KgError

        raise KgError(f"unknown language {', '.join(unknown) or '(none)'}; use en, zh or all")
    return tuple(x for x in LANGS if x in wanted)


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
    """Lexicon + recogniser + grounder + extractor, loaded once and reused for many builds.

    ``lang`` says which languages' titles and abstracts are read: "en", "zh" or "all" (both). The
    Chinese pipeline (jieba, the Chinese lexicon) is loaded on first use, when a document has a Chinese
    section to read; claims read in both languages of a document are aligned (``kg.align``).
    ``ner``: add the trained recogniser to the English pipeline (True: the shipped model; a path: that
    model); ``fuzzy``: ground mentions that match no lexicon term with the fuzzy linker (loaded on first use).
    """

    def __init__(self, ontologies: Sequence[str | Path] = (), lexicon: Lexicon | None = None,
                 lang: str | Sequence[str] = "all", zh_lexicons: Sequence[str | Path] = (),
                 ner: bool | str | Path = False, fuzzy: bool = True):
        self.langs = parse_langs(lang)
        self.lexicon = lexicon if lexicon is not None else load_lexicon(ontologies)
        self.ner = ner
        self.nlp = self._english() if "en" in self.langs else None
        linker = None
        if fuzzy:
            from kg.fuzzy import FuzzyLinker
            from kg.ground import linking_config

            cfg = linking_config()["fuzzy"]
            types = sorted({t for ts in cfg["types"].values() for t in ts})
            linker = FuzzyLinker(self.lexicon, types, threshold=cfg["threshold"], k=cfg["k"])
        self.grounder = Grounder(self.lexicon, fuzzy=linker)
        self.extractor = Extractor(self.lexicon, self.grounder)
        self._zh_files = tuple(zh_lexicons)
        self._zh = None  # (ZhLexicon, nlp, ExtractorZh), loaded on first use
        if "zh" in self.langs and self._zh_files:
            self.zh_lexicon  # a bad user file fails now, before any work  # noqa: B018

    def _english(self):
        """The English recognition pipeline, with the trained recogniser when asked for."""
        from kg.recognize import build_pipeline  # spaCy stays behind this import

        nlp = build_pipeline(self.lexicon)
        if self.ner:
            from kg.ner import add_ner

            add_ner(nlp, None if self.ner is True else self.ner)
        return nlp

    @property
    def zh_lexicon(self):
        """The Chinese lexicon (shipped rows plus ``zh_lexicons``), checked against ``lexicon``."""
        if self._zh is None or self._zh[0] is None:
            from kg.lexicon_zh import load_zh_lexicon

            self._zh = (load_zh_lexicon(self.lexicon, self._zh_files), None, None)
        return self._zh[0]

    def zh(self):
        """The Chinese recognition pipeline and extractor (built on first call)."""
        if self._zh is None or self._zh[1] is None:
            import time

            from kg.extract_zh import ExtractorZh
            from kg.recognize_zh import build_pipeline_zh

            t = time.perf_counter()
            zh = self.zh_lexicon
            self._zh = (zh, build_pipeline_zh(self.lexicon, zh), ExtractorZh(self.lexicon, self.grounder))
            log.info("Chinese pipeline loaded in %.2f s", time.perf_counter() - t)
        return self._zh[1], self._zh[2]

    def run(self, documents: Iterable[Document], progress: bool = False, lang: str | Sequence[str] | None = None) -> KnowledgeGraph:
        """Recognise, ground, extract and assemble over documents already read (in ``lang``, default
        the pipeline's languages)."""
        from kg.align import add_labels, document_languages, mark_alignment, reconcile
        from kg.recognize import TEXT_SECTIONS, annotate

        docs = list(documents)
        wanted = parse_langs(lang) if lang is not None else self.langs
        todo = {x: sum(1 for d in docs for s in d.sections if s.lang == x and s.name in TEXT_SECTIONS and s.text.strip())
                for x in wanted}
        langs = [x for x in wanted if todo[x]] or list(wanted[:1])
        if "en" in langs and self.nlp is None:
            self.nlp = self._english()
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=sum(todo.values()), desc="kg build", unit="section", leave=False)
        try:
            per_lang = []
            for x in langs:
                nlp = self.nlp if x == "en" else self.zh()[0]
                per_lang.append(annotate(docs, nlp, self.lexicon, progress=bar, lang=x))
        finally:
            if bar is not None:
                bar.close()
        annotated = [_merge(parts) for parts in zip(*per_lang)]
        grounded = self.grounder.ground_documents(annotated)
        extractors = [self.extractor if x == "en" else self.zh()[1] for x in langs]
        claims: list[Claim] = []
        for a in grounded:
            for ex in extractors:
                claims.extend(ex.extract(a))
        multilingual = len(langs) > 1
        if multilingual:
            claims = reconcile(claims)
        graph = assemble(claims, docs, grounded, self._referenced(claims, grounded))
        if "zh" in langs:
            add_labels(graph, self.zh_lexicon)
        if multilingual:
            both, single = mark_alignment(graph, document_languages(docs, langs))
            graph.graph["alignment"] = {"aligned": both, "single_language": single}
            if single:
                log.info("%d claim(s) read in both languages, %d in one only", both, single)
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


def _merge(parts: Sequence[AnnotatedDocument]) -> AnnotatedDocument:
    """One document's annotations in several languages as one record."""
    if len(parts) == 1:
        return parts[0]
    return AnnotatedDocument(parts[0].document, tuple(x for p in parts for x in p.sentences),
                             tuple(x for p in parts for x in p.mentions), tuple(x for p in parts for x in p.cues))


def build(
    sources: Iterable[str | Path],
    output: str | Path | None = None,
    ontologies: Sequence[str | Path] = (),
    input_format: str | None = None,
    progress: bool = False,
    lang: str | Sequence[str] = "all",
) -> KnowledgeGraph:
    """Build the knowledge graph of ``sources`` and, when ``output`` is given, write it as RDF."""
    docs = read_sources(sources, input_format)  # read (and fail on bad input) before loading the models
    kg = Pipeline(ontologies, lang=lang).run(docs, progress=progress)
    if output is not None:
        kg.write(output)
    return kg
