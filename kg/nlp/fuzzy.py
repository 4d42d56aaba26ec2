"""Fuzzy grounding: candidates for mentions that are not exact synonyms of any lexicon term.

scispaCy's candidate generator (TF-IDF over character 3-grams, nmslib HNSW cosine index) over a
knowledge base that kg builds from its own lexicons. scispaCy's index builder does not run with
SciPy >= 1.11 and its ``min_df=10`` drops most aliases of a small knowledge base, so the index is built
here, in scispaCy's on-disk layout (``nmslib_index.bin``, ``tfidf_vectorizer.joblib``, float32
``tfidf_vectors_sparse.npz``, ``concept_aliases.json``), and cached in the kg cache folder under a key
of the aliases it holds. Nothing is built or loaded until the first query: a pipeline whose mentions
all match the lexicon never pays for it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.config import Config
from kg.files import cache_dir
from kg.ontology import Lexicon

log = logging.getLogger(__name__)

INDEX_VERSION = "1"


@dataclass(frozen=True, slots=True)
class Candidate:
    curie: str
    alias: str
    similarity: float


class FuzzyLinker:
    """Nearest lexicon names of a mention text, by cosine similarity of character 3-gram TF-IDF vectors.

    ``types`` limits the index to terms of these kg types (default: every typed term); ``threshold`` is
    the least similarity a candidate needs; ``k`` the neighbours asked of the index per mention.
    """

    def __init__(self, lexicon: Lexicon, types: Iterable[str] | None = None, threshold: float = 0.8, k: int = 30,
                 ef_search: int = 100, folder: str | Path | None = None, scopes: Iterable[str] = ("LABEL", "EXACT")):
        self.lex = lexicon
        self.scopes = frozenset(scopes)
        self.types = frozenset(types) if types is not None else None
        self.threshold = threshold
        self.k = k
        self.ef_search = ef_search
        self.folder = Path(folder) if folder is not None else None
        self._generator = None
        self._memo: dict[tuple[str, frozenset[str]], tuple[Candidate, ...]] = {}

    @classmethod
    def from_config(cls, lexicon: Lexicon, config: Config) -> "FuzzyLinker":
        """The linker ``[fuzzy]`` of linking.toml describes: the types it indexes, its threshold and width."""
        cfg = config.linking.table("fuzzy")
        types = cfg.table("types")
        return cls(lexicon, sorted({t for key in types for t in types.strings(key)}), threshold=cfg.number("threshold"),
                   k=cfg.integer("k"), scopes=cfg.strings("scopes"))

    # ------------------------------------------------ the knowledge base and its index

    def aliases(self) -> dict[str, set[str]]:
        """Lowercased alias -> CURIEs: the label and exact synonyms of every indexed term."""
        out: dict[str, set[str]] = {}
        for curie in sorted(self.lex.terms):
            typ = self.lex.types.get(curie)
            if typ is None or (self.types is not None and typ not in self.types):
                continue
            t = self.lex.terms[curie]
            names = [t.label] + [s.text for s in t.synonyms if s.scope in self.scopes]
            for name in names:
                name = " ".join(name.lower().split())
                if len(name) >= 3:
                    out.setdefault(name, set()).add(curie)
        return out

    def _key(self, aliases: dict[str, set[str]]) -> str:
        h = hashlib.sha256(INDEX_VERSION.encode())
        for a in sorted(aliases):
            h.update(a.encode())
            h.update(b"\t")
            h.update(",".join(sorted(aliases[a])).encode())
            h.update(b"\n")
        return h.hexdigest()[:20]

    def _load(self):
        from scispacy.candidate_generation import CandidateGenerator, LinkerPaths
        from scispacy.linking_utils import Entity, KnowledgeBase

        aliases = self.aliases()
        if not aliases:
            return None
        folder = self.folder or cache_dir() / f"fuzzy-{self._key(aliases)}"
        paths = LinkerPaths.from_directory(folder) if folder.is_dir() else None
        if paths is None or not paths.is_locally_cached():
            build_index(sorted(aliases), folder)
            paths = LinkerPaths.from_directory(folder)
        concept_aliases, vectorizer, index = paths.load(ef_search=self.ef_search)
        by_curie: dict[str, list[str]] = {}
        for a, curies in aliases.items():
            for c in curies:
                by_curie.setdefault(c, []).append(a)
        kb = KnowledgeBase([Entity(c, self.lex.label(c), names) for c, names in sorted(by_curie.items())])
        return CandidateGenerator(index, vectorizer, concept_aliases, kb)

    @property
    def generator(self):
        if self._generator is None:
            import time

            t = time.perf_counter()
            self._generator = self._load()
            log.info("fuzzy linker ready in %.1f s", time.perf_counter() - t)
        return self._generator

    # ------------------------------------------------ queries

    def candidates(self, texts: Sequence[str], allowed: Sequence[Iterable[str] | None] | None = None
                   ) -> list[tuple[Candidate, ...]]:
        """For each text, the candidates at or above the threshold, best first (one per CURIE), among
        terms of the allowed kg types for that text (None: any type)."""
        keys = [(" ".join(t.lower().split()), frozenset(allowed[i]) if allowed and allowed[i] is not None else frozenset())
                for i, t in enumerate(texts)]
        todo = sorted({k[0] for k in keys if k not in self._memo and k[0]})
        raw: dict[str, list] = {}
        if todo and self.generator is not None:
            for text, cands in zip(todo, self.generator(todo, self.k)):
                raw[text] = cands
        for key in keys:
            if key in self._memo:
                continue
            best: dict[str, Candidate] = {}
            for mc in raw.get(key[0], ()):
                if key[1] and self.lex.types.get(mc.concept_id) not in key[1]:
                    continue
                sim = max(mc.similarities)
                if sim + 1e-9 < self.threshold:
                    continue
                alias = mc.aliases[mc.similarities.index(sim)]
                if mc.concept_id not in best or sim > best[mc.concept_id].similarity:
                    best[mc.concept_id] = Candidate(mc.concept_id, alias, round(float(sim), 4))
            self._memo[key] = tuple(sorted(best.values(), key=lambda c: (-c.similarity, c.curie)))
        return [self._memo[k] for k in keys]


def build_index(aliases: Sequence[str], folder: str | Path, m: int = 30, ef_construction: int = 200) -> Path:
    """Fit the TF-IDF vectorizer on ``aliases`` and build the nmslib HNSW index, written atomically (a
    temporary folder moved into place) in scispaCy's ``LinkerPaths`` layout."""
    import joblib
    import nmslib
    import numpy
    import scipy.sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    try:
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3), min_df=1, dtype=numpy.float32)
        vectors = vectorizer.fit_transform(aliases)
        keep = numpy.asarray(vectors.sum(axis=1) != 0).reshape(-1)  # nmslib fails on empty vectors
        kept = [a for a, k in zip(aliases, keep) if k]
        vectors = vectors[keep].astype(numpy.float32)
        index = nmslib.init(method="hnsw", space="cosinesimil_sparse", data_type=nmslib.DataType.SPARSE_VECTOR)
        index.addDataPointBatch(vectors)
        index.createIndex({"M": m, "efConstruction": ef_construction, "post": 0, "indexThreadQty": os.cpu_count() or 1},
                          print_progress=False)
        index.saveIndex(str(tmp / "nmslib_index.bin"))
        joblib.dump(vectorizer, tmp / "tfidf_vectorizer.joblib")
        scipy.sparse.save_npz(tmp / "tfidf_vectors_sparse.npz", vectors)
        (tmp / "concept_aliases.json").write_text(json.dumps(kept), encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(tmp, folder)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    log.info("fuzzy index of %d aliases -> %s", len(kept), folder)
    return folder
