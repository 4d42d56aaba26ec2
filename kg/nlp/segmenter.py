"""Chinese word segmentation: a jieba tokenizer of kg's own, with the Chinese lexicon's terms cut whole.

jieba's dictionary does not know most medical terms and cuts them apart (间充质/干细胞); adding tens of
thousands of terms to jieba (``add_word``) costs seconds at start-up. Instead the text is cut by jieba, then
the lexicon's terms are found in it by longest match: a term whose ends fall on jieba's word boundaries is
one word (whatever jieba did inside it), and a term of at least ``inside_min`` characters is one word even
where a jieba word runs across its start or end (肺炎患者 cut as 肺炎患/者 would still give 肺炎). Short
terms must sit on jieba's boundaries, so 中风 (stroke) is not read in 中/风险 (medium risk).

Matching reads the text through a character table (traditional -> simplified, full-width -> half-width;
one character for one, so offsets are kept): 慢性腎臟病 and ＣＯＰＤ find the terms 慢性肾脏病 and COPD.
The words yielded are slices of the original text.
"""

from __future__ import annotations

import logging
import math
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType

from kg.files import cache_dir

log = logging.getLogger(__name__)


def width_table() -> dict[int, int]:
    """Full-width ASCII forms (U+FF01-FF5E) and the ideographic space -> their half-width characters."""
    table = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
    table[0x3000] = 0x20
    return table


def read_char_table(path: Path) -> dict[int, int]:
    """A character table file (``a<TAB>b`` per line, ``#`` comments): one character for one."""
    out: dict[int, int] = {}
    if not path.is_file():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            a, b = line.split("\t")
            if len(a) == 1 and len(b) == 1:
                out[ord(a)] = ord(b)
    return out


def import_jieba() -> ModuleType:
    """jieba, imported without ``pkg_resources`` when nothing has imported that yet: jieba then opens its
    resource files by path, as it does wherever ``pkg_resources`` is missing (importing that took four
    fifths of jieba's import, 0.07 s of the Chinese start-up)."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import pkg_resources: ImportError
    try:
        import jieba
    finally:
        if sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


class TermIndex:
    """The lexicon's terms (already read through the character table) and all their prefixes (``prefixes``:
    each prefix -> whether it is a term itself, one lookup for both questions)."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = frozenset(t for t in terms if t)
        prefixes = {t[:k]: False for t in self.terms for k in range(1, len(t))}
        prefixes.update(dict.fromkeys(self.terms, True))
        self.prefixes = prefixes

    def matches(self, text: str, bounds: set[int], inside_min: int) -> list[tuple[int, int]]:
        """Longest term matches, left to right, that either sit on ``bounds`` or are at least ``inside_min``
        characters long."""
        out: list[tuple[int, int]] = []
        prefixes = self.prefixes
        n = len(text)
        i = 0
        while i < n:
            best = 0
            j = i + 1
            while j <= n and (term := prefixes.get(text[i:j])) is not None:
                if term and (j - i >= inside_min or (i in bounds and j in bounds)):
                    best = j
                j += 1
            if best:
                out.append((i, best))
                i = best
            else:
                i += 1
        return out


_PREFIX = "prefix"  # JiebaCuts.logp: a prefix of dictionary words, no word itself (frequency 0)
_ENG = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")  # jieba's re_eng, one character


class JiebaCuts:
    """The word boundaries jieba's ``Tokenizer.cut(text, HMM=False)`` gives (jieba 0.42), found without making
    its words: the same dictionary graph, the same best route (equal scores keep the longer word, as jieba's
    ``max`` over ``(score, end)`` does) and the same float sums, with the log-frequency of each word looked up
    once and kept (``logp``); single Latin letters and digits run together as jieba glues them; outside
    jieba's blocks (``re_han_default``) every character is a word, except ``\\r\\n``."""

    def __init__(self, tk) -> None:
        jieba = import_jieba()
        self.tk = tk
        self.han = jieba.re_han_default
        self.total = None
        self.logp: dict[str, float | str] = {}

    def __call__(self, text: str, cuts: set[int]) -> None:
        """Add the boundaries of ``text`` to ``cuts``."""
        if self.total != self.tk.total:  # add_word changes the total every score is relative to
            self.total, self.logp = self.tk.total, {}
        pos = 0
        for m in self.han.finditer(text):
            self._other(text, pos, m.start(), cuts)
            self._block(text[m.start() : m.end()], m.start(), cuts)
            pos = m.end()
        self._other(text, pos, len(text), cuts)

    @staticmethod
    def _other(text: str, a: int, b: int, cuts: set[int]) -> None:
        cuts.update(p for p in range(a, b + 1) if not (a < p < b and text[p] == "\n" and text[p - 1] == "\r"))

    def _block(self, blk: str, base: int, cuts: set[int]) -> None:
        freq, logp, logtotal = self.tk.FREQ, self.logp, math.log(self.total)
        alone = math.log(1) - logtotal  # a character that starts no dictionary word (jieba: freq or 1)
        n = len(blk)
        score = [0.0] * n + [0]
        end = [0] * (n + 1)
        for k in range(n - 1, -1, -1):
            best, best_x = None, k
            i, frag = k, blk[k]
            while True:
                lp = logp.get(frag)  # log-frequency, _PREFIX (a prefix of words only) or None (not looked up)
                if lp is None:
                    f = freq.get(frag)
                    if f is None:
                        break
                    lp = logp[frag] = math.log(f) - logtotal if f else _PREFIX
                if lp is not _PREFIX:
                    v = lp + score[i + 1]
                    if best is None or v >= best:
                        best, best_x = v, i
                i += 1
                if i >= n:
                    break
                frag = blk[k : i + 1]
            score[k], end[k] = (alone + score[k + 1], k) if best is None else (best, best_x)
        x, eng = 0, False
        while x < n:
            y = end[x] + 1
            was, eng = eng, y - x == 1 and blk[x] in _ENG
            if not (eng and was):
                cuts.add(base + x)
            x = y
        cuts.add(base + n)


class JiebaSegmenter:
    """What spaCy's ``ChineseTokenizer`` calls as ``jieba_seg.cut(text, cut_all=False)``: a private jieba
    tokenizer over jieba's default dictionary with kg's few words added (``add_word``: ConText cues,
    function words), cutting with or without jieba's HMM guesser for unknown words, then the lexicon's
    ``terms`` cut whole (see the module's docstring).

    The tokenizer is this object's own (not jieba's process-wide default one), so the words added here
    are seen by no other user of jieba; its compiled dictionary (``jieba.cache``) is kept in kg's cache
    folder instead of the temporary folder.
    """

    def __init__(self, words: Iterable[str], hmm: bool = False, cache: Path | None = None,
                 terms: Iterable[str] = (), inside_min: int = 3, table: dict[int, int] | None = None):
        jieba = import_jieba()
        jieba.setLogLevel(logging.WARNING)  # jieba logs "Building prefix dict ..." to stderr
        self.hmm = hmm
        self.table = table or {}
        self.inside_min = inside_min
        self.tk = jieba.Tokenizer()
        folder = cache if cache is not None else cache_dir() / "jieba"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.tk.tmp_dir = str(folder)
        except OSError as exc:  # an unwritable cache only costs time
            log.warning("jieba cache folder %s is not writable (%s); using the temporary folder", folder, exc)
        t = time.perf_counter()
        self.tk.check_initialized()
        words = sorted(set(words))
        for w in words:
            self.tk.add_word(w)
        self.terms = TermIndex(t.translate(self.table) for t in terms)
        self.jieba_cuts = JiebaCuts(self.tk)
        log.debug("jieba ready in %.2f s (%d words added, %d terms)", time.perf_counter() - t, len(words),
                  len(self.terms.terms))

    def normalise(self, text: str) -> str:
        """The text as matching reads it (same length, same offsets)."""
        return text.translate(self.table) if self.table else text

    def cut(self, text: str, cut_all: bool = False) -> Iterator[str]:
        norm = self.normalise(text)
        cuts = {0, len(text)}
        if self.hmm or cut_all:
            pos = 0
            for w in self.tk.cut(norm, cut_all=cut_all, HMM=self.hmm):
                pos += len(w)
                cuts.add(pos)
        else:
            self.jieba_cuts(norm, cuts)
        if self.terms.terms:
            for s, e in self.terms.matches(norm, cuts, self.inside_min):
                cuts.difference_update(range(s + 1, e))
                cuts.update((s, e))
        points = sorted(cuts)
        for a, b in zip(points, points[1:]):
            yield text[a:b]
