"""The library API: build a knowledge graph from documents, end to end.

    from kg.pipeline import Pipeline
    kg = Pipeline().build(["seeds/"])
    kg.write("kg.ttl")

A ``Pipeline`` is built from explicit resources: a ``Config`` (the policy files), the lexicon (the
shipped ontologies plus the user's files) and options. ``Pipeline.spec()`` gives them as a small
picklable record from which another process builds the same pipeline (``PipelineSpec.build()``). The CLI
and the notebooks call this; nothing here prints.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from kg import process
from kg.config import Config
from kg.curie import curies_of
from kg.errors import KgError
from kg.extract import Extractor
from kg.graph import add_labels, assemble, document_languages, mark_alignment, reconcile
from kg.ground import Grounder
from kg.ingest import read_sources, withdraw
from kg.model import AnnotatedDocument, Claim, Concept, Document
from kg.ontology import Lexicon, ZhLexicon, load_lexicon, load_zh_lexicon

log = logging.getLogger(__name__)

# Allocations between two collections of the youngest generation while documents are read (Python's
# default is 700): reading makes and drops millions of short-lived objects, and collecting every 700 of
# them cost about a tenth of the pipeline's time. Only the timing of collections changes, never a result.
YOUNG_COLLECTION = 20_000


@contextmanager
def fewer_collections(young: int = YOUNG_COLLECTION) -> Iterator[None]:
    """Run the cyclic garbage collector less often inside the block (its thresholds restored after). Only
    when garbage is collected changes, never a result. (Freezing the objects alive when the block begins
    saved about 1% of the instructions, but a process that runs chunk after chunk in one block each kept
    their garbage past its block: peak RSS 504 MB against 364 MB for 10,000 abstracts with one worker.)"""
    old = gc.get_threshold()
    gc.set_threshold(max(young, old[0]), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


@contextmanager
def paused_collections() -> Iterator[None]:
    """No cyclic garbage collection inside the block: for building a pipeline, which makes millions of
    objects that all stay (the lexicon unpickled, spaCy imported and built) and almost no garbage, and
    whose collections walked them again and again (about 0.1-0.2 s of every start). Only when garbage is
    collected changes, never a result."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def settle() -> None:
    """Take every object alive now out of the cyclic garbage collector's reach (``gc.freeze``, after one
    collection): for a process that has just built its pipeline (the lexicon, spaCy's vocabulary, the
    models) to run chunk after chunk, as a worker does. They live as long as the process, and each full
    collection would walk them all again (about 1.6% of a worker's instructions, callgrind). Only when
    collections run changes, never a result; not for a process that is someone else's (a notebook)."""
    gc.collect()
    gc.freeze()


def parse_langs(lang: str | Sequence[str], config: Config | None = None) -> tuple[str, ...]:
    """``"en"``, ``"zh"``, ``"all"`` or a sequence of language codes -> the languages to read, in order."""
    langs = (config or Config.default()).languages
    wanted = langs if lang == "all" else ((lang,) if isinstance(lang, str) else tuple(lang))
    unknown = [x for x in wanted if x not in langs]
    if unknown or not wanted:
        raise KgError(f"unknown language {', '.join(unknown) or '(none)'}; use {', '.join(langs)} or all")
    return tuple(x for x in langs if x in wanted)


@dataclass
class KnowledgeGraph:
    """What a build produces: the documents, their grounded annotations, the claims and the graph."""

    documents: list[Document]
    annotated: list[AnnotatedDocument]
    claims: list[Claim]
    graph: nx.MultiDiGraph
    lexicon: Lexicon | None = field(default=None, repr=False)
    config: Config | None = field(default=None, repr=False)

    def write(self, path: str | Path, fmt: str | None = None) -> str:
        """Serialise the graph as RDF (format from the suffix: .ttl .nt .jsonld .trig .nq)."""
        from kg.rdf import write

        return write(self.graph, path, fmt, curies_of(self.config) if self.config else None)

    def rdf(self):
        """The graph as an rdflib Graph."""
        from kg.rdf import to_graph

        return to_graph(self.graph, curies_of(self.config) if self.config else None)

    def mentions(self) -> list[dict]:
        """One row per grounded mention: where it is, its type, its concept and ranked groundings."""
        return mention_rows(self.annotated)


MENTION_FIELDS = ["document", "section", "lang", "sentence", "start", "end", "text", "type", "concept", "label",
                  "category", "long_form", "context", "groundings"]


def mention_rows(annotated: Iterable[AnnotatedDocument]) -> list[dict]:
    """One row per grounded mention (the columns of ``MENTION_FIELDS``)."""
    rows = []
    for ad in annotated:
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


def mentions_tsv(rows: Iterable[dict], header: bool = True) -> str:
    """Mention rows as tab-separated text (with the header line unless ``header`` is false)."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=MENTION_FIELDS, delimiter="\t", lineterminator="\n")
    if header:
        w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


@dataclass
class Reading:
    """What the pipeline read in some documents, before assembly: the documents, their grounded
    annotations, the claims, the languages read and the concepts nodes point to that no mention or claim
    gives (a therapy's cell type, a composition's head, mediators)."""

    documents: list[Document]
    annotated: list[AnnotatedDocument]
    claims: list[Claim]
    langs: tuple[str, ...]
    referenced: list[Concept]
    deleted: tuple[Document, ...] = ()  # PubMed DeleteCitations: written as kg:deleted, read for nothing


@dataclass(frozen=True)
class PipelineSpec:
    """What a Pipeline is built from: picklable, so a worker process builds the same pipeline."""

    config: Config
    ontologies: tuple[str, ...] = ()
    zh_lexicons: tuple[str, ...] = ()
    lang: tuple[str, ...] = ("en", "zh")
    ner: bool | str = False
    fuzzy: bool = True
    use_annotations: bool = False
    classifier: bool | str = True

    def build(self) -> "Pipeline":
        return Pipeline(self.ontologies, lang=self.lang, zh_lexicons=self.zh_lexicons, ner=self.ner,
                        fuzzy=self.fuzzy, config=self.config, use_annotations=self.use_annotations,
                        classifier=self.classifier)


class Pipeline:
    """Lexicon + recogniser + grounder + extractor, loaded once and reused for many builds.

    ``config``: the policy (default: the shipped one; ``Config.load(folder)`` for a user's). ``lang`` says
    which languages' sections are read: "en", "zh" or "all". The Chinese pipeline (jieba, the Chinese
    lexicon) is loaded on first use, when a document has a Chinese section to read; claims read in both
    languages of a document are aligned (``kg.graph.align``). ``ner``: add the trained recogniser to the
    English pipeline (True: the shipped model; a path: that model); ``fuzzy``: ground mentions that match no
    lexicon term with the fuzzy linker (loaded on first use). ``use_annotations``: documents that come with
    entity annotations (BioC, PubTator3, PubTator) take those entities as their English mentions instead of kg's
    recognisers (still grounded, typed and read for negation and hedging as any mention). ``classifier``:
    the claim classifier decides the therapy -> condition claims of the languages ``claims.toml`` gives a
    model (True: the shipped model; False: the rules alone; a path: that English model, written by
    ``kg train claims``).
    """

    def __init__(self, ontologies: Sequence[str | Path] = (), lexicon: Lexicon | None = None,
                 lang: str | Sequence[str] = "all", zh_lexicons: Sequence[str | Path] = (),
                 ner: bool | str | Path = False, fuzzy: bool = True, config: Config | None = None,
                 use_annotations: bool = False, classifier: bool | str | Path = True):
        with paused_collections():  # only when garbage is collected changes
            self.config = config or (lexicon.config if lexicon is not None else None) or Config.default()
            self.langs = parse_langs(lang, self.config)
            self.ontologies = tuple(str(p) for p in ontologies)
            self.lexicon = lexicon if lexicon is not None else load_lexicon(ontologies, self.config)
            self.ner = ner
            self.fuzzy = fuzzy
            self.use_annotations = use_annotations
            self._given_nlp = None  # the English pipeline over given entities, built on first use
            self.nlp = self._english() if "en" in self.langs else None
            linker = None
            if fuzzy:
                from kg.nlp.fuzzy import FuzzyLinker

                linker = FuzzyLinker.from_config(self.lexicon, self.config)
            self.grounder = Grounder(self.lexicon, self.config, fuzzy=linker)
            self.classifier = classifier
            self.extractor = Extractor(self.lexicon, self.grounder, self.config, "en", classifier)
            self._zh_files = tuple(str(p) for p in zh_lexicons)
            self._zh_lexicon: ZhLexicon | None = None
            self._zh: tuple | None = None  # (nlp, Extractor), built on first use
            if "zh" in self.langs and self._zh_files:
                self.zh_lexicon  # a bad user file fails now, before any work  # noqa: B018
            if process.own:  # the ``kg`` command: out of the collector's reach (see kg.process)
                gc.freeze()

    def spec(self) -> PipelineSpec:
        """The resources and options this pipeline was built from."""
        return PipelineSpec(self.config, self.ontologies, self._zh_files, self.langs,
                            self.ner if isinstance(self.ner, bool) else str(self.ner), self.fuzzy, self.use_annotations,
                            self.classifier if isinstance(self.classifier, bool) else str(self.classifier))

    def _english(self):
        """The English recognition pipeline, with the trained recogniser when asked for."""
        from kg.nlp.english import build_english  # spaCy stays behind this import

        return build_english(self.lexicon, self.config, self.ner)

    @property
    def zh_lexicon(self) -> ZhLexicon:
        """The Chinese lexicon (shipped rows plus ``zh_lexicons``), checked against ``lexicon``."""
        if self._zh_lexicon is None:
            self._zh_lexicon = load_zh_lexicon(self.lexicon, self._zh_files, config=self.config)
        return self._zh_lexicon

    def zh(self):
        """The Chinese recognition pipeline and extractor (built on first call)."""
        if self._zh is None:
            from kg.nlp.chinese import build_chinese

            t = time.perf_counter()
            self._zh = (build_chinese(self.lexicon, self.zh_lexicon, self.config),
                        Extractor(self.lexicon, self.grounder, self.config, "zh",
                                  self.classifier if isinstance(self.classifier, bool) else False))
            log.info("Chinese pipeline loaded in %.2f s", time.perf_counter() - t)
        return self._zh

    def run(self, documents: Iterable[Document], progress: bool = False, lang: str | Sequence[str] | None = None) -> KnowledgeGraph:
        """Recognise, ground, extract and assemble over documents already read (in ``lang``, default
        the pipeline's languages)."""
        with fewer_collections():
            reading = self.read(documents, progress, lang)
            graph = self.assemble(reading)
        return KnowledgeGraph(reading.documents, reading.annotated, reading.claims, graph, self.lexicon, self.config)

    def read(self, documents: Iterable[Document], progress: bool = False, lang: str | Sequence[str] | None = None) -> "Reading":
        """Recognition, grounding and extraction (claims of both languages of a document reconciled):
        what assembly needs, for documents already read."""
        with fewer_collections():
            return self._read(documents, progress, lang)

    def _read(self, documents: Iterable[Document], progress: bool, lang: str | Sequence[str] | None) -> "Reading":
        docs, deleted = withdraw(list(documents))
        langs = self._languages_to_read(docs, lang)
        annotated = self._annotate(docs, langs, progress)
        grounded = self.grounder.ground_documents(annotated)
        extractors = [self.extractor if x == "en" else self.zh()[1] for x in langs]
        claims: list[Claim] = []
        for a in grounded:
            for ex in extractors:
                claims.extend(ex.extract(a))
        if len(langs) > 1:
            claims = reconcile(claims, self.config)
        return Reading(docs, grounded, claims, tuple(langs), self._referenced(claims, grounded), tuple(deleted))

    def assemble(self, reading: "Reading", labels: bool = True) -> nx.MultiDiGraph:
        """The graph of a reading: nodes, edges, alignment across languages and (``labels``) the
        nodes' Chinese labels when Chinese was read."""
        docs, langs = reading.documents, reading.langs
        graph = assemble(reading.claims, docs + list(reading.deleted), reading.annotated, reading.referenced)
        if labels and "zh" in langs:
            add_labels(graph, self.zh_lexicon, self.config)
        if len(langs) > 1:
            both, single = mark_alignment(graph, document_languages(docs, langs, self.config.sections))
            graph.graph["alignment"] = {"aligned": both, "single_language": single}
            if single:
                log.info("%d claim(s) read in both languages, %d in one only", both, single)
        if reading.deleted:
            graph.graph["deleted"] = len(reading.deleted)
            log.info("%d deleted citation(s) marked kg:deleted", len(reading.deleted))
        log.info("%d documents, %d mentions, %d claims, %d nodes, %d edges", len(docs),
                 sum(len(a.mentions) for a in reading.annotated), len(reading.claims), graph.number_of_nodes(),
                 graph.number_of_edges())
        return graph

    def _languages_to_read(self, docs: Sequence[Document], lang: str | Sequence[str] | None) -> list[str]:
        """The languages among those wanted that the documents have sections to read in (else the first)."""
        wanted = parse_langs(lang, self.config) if lang is not None else self.langs
        sections = frozenset(self.config.sections)
        todo = {x: any(s.lang == x and s.kind in sections and s.text.strip() for d in docs for s in d.sections)
                for x in wanted}
        return [x for x in wanted if todo[x]] or list(wanted[:1])

    def _annotate(self, docs: list[Document], langs: Sequence[str], progress: bool) -> list[AnnotatedDocument]:
        """Recognition in each language, one record per document."""
        if "en" in langs and self.nlp is None:
            self.nlp = self._english()
        bar = None
        if progress:
            from tqdm import tqdm

            sections = frozenset(self.config.sections)
            total = sum(1 for d in docs for s in d.sections if s.lang in langs and s.kind in sections and s.text.strip())
            bar = tqdm(total=total, desc="kg build", unit="section", leave=False)
        try:
            per_lang = [self._annotate_lang(docs, x, bar) for x in langs]
        finally:
            if bar is not None:
                bar.close()
        return [_merge(parts) for parts in zip(*per_lang)]

    def _annotate_lang(self, docs: list[Document], lang: str, bar) -> list[AnnotatedDocument]:
        """One language's recognition; with ``use_annotations``, English documents that come with
        annotations take those instead of the recognisers."""
        from kg.nlp.records import annotate

        nlp = self.nlp if lang == "en" else self.zh()[0]
        given = [i for i, d in enumerate(docs) if d.annotations] if self.use_annotations and lang == "en" else []
        if not given:
            return annotate(docs, nlp, self.lexicon, self.config, progress=bar, lang=lang)
        if self._given_nlp is None:
            from kg.nlp.english import build_english

            self._given_nlp = build_english(self.lexicon, self.config, given=True)
        chosen = set(given)
        out: list[AnnotatedDocument | None] = [None] * len(docs)
        rest = [i for i in range(len(docs)) if i not in chosen]
        for idx, nlp_, is_given in ((given, self._given_nlp, True), (rest, nlp, False)):
            if idx:
                parts = annotate([docs[i] for i in idx], nlp_, self.lexicon, self.config, progress=bar, lang=lang,
                                 given=is_given)
                for i, a in zip(idx, parts):
                    out[i] = a
        return [a for a in out if a is not None]

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
    config: Config | None = None,
) -> KnowledgeGraph:
    """Build the knowledge graph of ``sources`` and, when ``output`` is given, write it as RDF."""
    docs = read_sources(sources, input_format)  # read (and fail on bad input) before loading the models
    kg = Pipeline(ontologies, lang=lang, config=config).run(docs, progress=progress)
    if output is not None:
        kg.write(output)
    return kg
