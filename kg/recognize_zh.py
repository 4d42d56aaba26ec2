"""Stage 2 for Chinese: the spaCy pipeline that finds entity mentions and their context in Chinese text.

spaCy's Chinese language with jieba segmentation (pkuseg needs a model download), every Chinese
lexicon term and ConText cue added to a private jieba dictionary so that multi-character terms stay
one word; the sentencizer; ``kg_zh_lexicon_matcher`` (longest match over jieba words of the terms of
``ontologies/zh/lexicon.tsv``, "X样细胞" as "X-like cells", abbreviations defined in parentheses,
compositions such as "肝移植后的并发症"); medspaCy's ConText with Chinese rules
(``kg/data/context_rules_zh.json``). It writes the same span group and match records as the English
matcher (``kg.recognize``), so ``kg.recognize.annotate(..., lang="zh")`` turns its output into
``AnnotatedDocument`` records and the grounding stage treats Chinese mentions like English ones.

Loaded only when a document has a Chinese section to read (jieba's dictionary takes about half a second).
"""

import logging
import re
import time
import tomllib
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.lexicon import Lexicon, TypePolicy, cache_dir
from kg.lexicon_zh import ZhLexicon
from kg.ground import composition_rules
from kg.recognize import Match, add_context, _import_medspacy_context, compile_composition, compose_matches, write_match_spans
from kg.resources import data_path

log = logging.getLogger(__name__)

_ZH_LEXICONS: dict[str, tuple[Lexicon, ZhLexicon]] = {}
_CAPITALS = re.compile(r"[A-Z]")
_ACRONYM_TOKEN = re.compile(r"^[A-Z][A-Za-z0-9\-]{1,11}$")


@lru_cache(maxsize=1)
def zh_policy() -> dict:
    """``kg/data/zh.toml`` with its regular expressions compiled."""
    with open(data_path("zh.toml"), "rb") as fh:
        cfg = tomllib.load(fh)
    cfg["abbreviation_rx"] = re.compile(cfg["abbreviation"]["pattern"])
    english = composition_rules()
    rules = []
    for r in cfg.get("composition", []):
        if r["name"] not in english:
            raise ValueError(f"zh.toml composition {r['name']!r} has no rule of that name in compositions.toml")
        rules.append(compile_composition({"type": english[r["name"]]["type"], **r}))
    cfg["composition"] = rules
    return cfg


def context_rules_zh() -> list:
    """medspaCy ConTextRules from ``kg/data/context_rules_zh.json``."""
    return _import_medspacy_context().ConTextRule.from_json(str(data_path("context_rules_zh.json")))


def register_zh_lexicon(lexicon: Lexicon, zh: ZhLexicon, name: str = "default") -> str:
    """Make a (English lexicon, Chinese lexicon) pair available to ``kg_zh_lexicon_matcher`` by name."""
    _ZH_LEXICONS[name] = (lexicon, zh)
    return name


# ---------------------------------------------------------------- segmentation


def prepare_jieba(cache: Path | None = None):
    """jieba's default tokenizer, quiet, with its dictionary cache in kg's cache folder.

    spaCy's jieba segmenter initialises jieba's process-wide default dictionary when the pipeline is
    made; jieba then writes its compiled dictionary (``jieba.cache``) to the temporary folder. Pointing
    it at ``$KG_CACHE_DIR``/jieba first keeps that file with kg's other caches. Call before
    ``spacy.blank("zh", ...)``.
    """
    import jieba

    jieba.setLogLevel(logging.WARNING)  # jieba logs "Building prefix dict ..." to stderr
    folder = cache if cache is not None else cache_dir() / "jieba"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not jieba.dt.initialized:
            jieba.dt.tmp_dir = str(folder)
    except OSError as exc:  # an unwritable cache only costs time
        log.warning("jieba cache folder %s is not writable (%s); using the temporary folder", folder, exc)
    return jieba.dt


class JiebaSegmenter:
    """What spaCy's ``ChineseTokenizer`` calls as ``jieba_seg.cut(text, cut_all=False)``: jieba's
    default dictionary with kg's words added (``add_word``, so each stays one word), cutting with or
    without jieba's HMM guesser for unknown words.

    The words go into jieba's process-wide dictionary: other users of jieba in the same process see them.
    """

    def __init__(self, words: list[str], hmm: bool = False):
        self.hmm = hmm
        self.tk = prepare_jieba()
        t = time.perf_counter()
        self.tk.check_initialized()
        for w in sorted(set(words)):
            self.tk.add_word(w)
        log.debug("jieba ready in %.2f s (%d words added)", time.perf_counter() - t, len(set(words)))

    def cut(self, text: str, cut_all: bool = False):
        return self.tk.cut(text, cut_all=cut_all, HMM=self.hmm)


# ---------------------------------------------------------------- the matcher


@Language.factory("kg_zh_lexicon_matcher", default_config={"lexicon": "default"})
def make_zh_lexicon_matcher(nlp: Language, name: str, lexicon: str) -> "ZhLexiconMatcher":
    if lexicon not in _ZH_LEXICONS:
        raise ValueError(f"no Chinese lexicon registered as {lexicon!r}; call kg.recognize_zh.register_zh_lexicon first")
    lex, zh = _ZH_LEXICONS[lexicon]
    return ZhLexiconMatcher(lex, zh)


class ZhLexiconMatcher:
    """Longest match of Chinese lexicon terms over jieba words (a match starts and ends on word
    boundaries, so "肝" never matches inside "肝脏疾病"); writes spans to ``doc.spans['kg_mentions']``
    and the matches, in the same order, to ``doc._.kg_matches`` (as ``kg.recognize``'s matcher does).
    Upper-case Latin abbreviations defined in parentheses after a term take its grounding; others are
    looked up among the English lexicon's acronyms."""

    def __init__(self, lexicon: Lexicon, zh: ZhLexicon):
        self.lex = lexicon
        self.zh = zh
        self.policy = TypePolicy.load()
        cfg = zh_policy()
        self.like = tuple(sorted(cfg.get("like", {}).get("suffixes", ()), key=len, reverse=True))
        self.like_types = set(cfg.get("like", {}).get("types", ("cell",)))
        self.abbr_rx = cfg["abbreviation_rx"]
        self.compositions = cfg.get("composition", [])
        self._types_cache: dict = {}
        # only entries whose identifier the English lexicon types can make a mention
        self.index = {t: tuple(e for e in v if e[0] in lexicon.types) for t, v in zh.index.items()}
        self.index = {t: v for t, v in self.index.items() if v}

    def _scan(self, doc: Doc, text: str) -> list[Match]:
        starts = [t.idx for t in doc]
        ends = [t.idx + len(t.text) for t in doc]
        n = len(starts)
        out: list[Match] = []
        abbrs: dict[str, Match] = {}
        max_len = self.zh.max_len
        i = 0
        while i < n:
            found = None
            j = i
            while j < n and ends[j] - starts[i] <= max_len:
                entries = self.index.get(text[starts[i] : ends[j]])
                if entries:
                    found = (j, entries)
                j += 1
            if found is None:
                tok = doc[i].text
                short = tok if tok in abbrs else (tok[:-1] if tok.endswith("s") and tok[:-1] in abbrs else None)
                if short is not None:
                    m = abbrs[short]
                    out.append(Match(starts[i], ends[i], m.entries, m.factor * 0.98, "abbreviation", m.long_form))
                elif _ACRONYM_TOKEN.match(tok) and len(_CAPITALS.findall(tok)) >= 2:
                    acr = tok[:-1] if tok.endswith("s") and tok[-2:-1].isupper() else tok
                    entries = self.lex.acronyms.get(acr.replace("-", ""))
                    if entries:
                        out.append(Match(starts[i], ends[i], entries, self.policy.scores["acronym"], "acronym"))
                i += 1
                continue
            j, entries = found
            end = ends[j]
            factor, how = 1.0, None
            types = {self.lex.types.get(c) for c, _ in entries}
            if types & self.like_types:
                for suffix in self.like:
                    if text.startswith(suffix, end):
                        entries = tuple(e for e in entries if self.lex.types.get(e[0]) in self.like_types)
                        factor *= self.policy.scores["like"]
                        how = "like"
                        end += len(suffix)
                        break
            m = Match(starts[i], end, entries, factor, how)
            out.append(m)
            hit = self.abbr_rx.match(text[end : end + 120])
            if hit and len(_CAPITALS.findall(hit.group(1))) >= 2:
                short = hit.group(1)
                abbrs[short] = Match(0, 0, entries, factor, how, text[starts[i] : end])
                abbrs.setdefault(short[:-1] if short.endswith("s") and short[-2:-1].isupper() else short, abbrs[short])
            i = bisect_left(starts, end)
        return out

    def _compose(self, text: str, matches: list[Match]) -> list[Match]:
        return compose_matches(text, matches, self.compositions, self.lex, self._types_cache, window=30)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        return write_match_spans(doc, self._compose(text, self._scan(doc, text)))


# ---------------------------------------------------------------- the pipeline


def segmenter_words(zh: ZhLexicon) -> list[str]:
    """The words added to jieba: lexicon terms, multi-character ConText cues, zh.toml's extra words."""
    words = set(zh.terms)
    words.update(r.literal for r in context_rules_zh() if len(r.literal) > 1)
    words.update(zh_policy().get("segmenter", {}).get("extra_words", ()))
    return sorted(words)


def build_pipeline_zh(lexicon: Lexicon, zh: ZhLexicon, lexicon_name: str = "default") -> Language:
    """The Chinese recognition pipeline over ``lexicon`` (identifiers) and ``zh`` (Chinese terms)."""
    _import_medspacy_context()  # registers the medspacy_context factory
    register_zh_lexicon(lexicon, zh, lexicon_name)
    prepare_jieba()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    seg = zh_policy().get("segmenter", {})
    nlp.tokenizer.jieba_seg = JiebaSegmenter(segmenter_words(zh), hmm=bool(seg.get("hmm", False)))
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kg_zh_lexicon_matcher", config={"lexicon": lexicon_name})
    return add_context(nlp, context_rules_zh())
