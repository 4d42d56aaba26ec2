"""Chinese word segmentation: a jieba tokenizer of kg's own, with kg's words in its dictionary."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from pathlib import Path

from kg.files import cache_dir

log = logging.getLogger(__name__)


class JiebaSegmenter:
    """What spaCy's ``ChineseTokenizer`` calls as ``jieba_seg.cut(text, cut_all=False)``: a private jieba
    tokenizer over jieba's default dictionary with kg's words added (``add_word``, so each stays one
    word), cutting with or without jieba's HMM guesser for unknown words.

    The tokenizer is this object's own (not jieba's process-wide default one), so the words added here
    are seen by no other user of jieba; its compiled dictionary (``jieba.cache``) is kept in kg's cache
    folder instead of the temporary folder.
    """

    def __init__(self, words: Iterable[str], hmm: bool = False, cache: Path | None = None):
        import jieba

        jieba.setLogLevel(logging.WARNING)  # jieba logs "Building prefix dict ..." to stderr
        self.hmm = hmm
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
        log.debug("jieba ready in %.2f s (%d words added)", time.perf_counter() - t, len(words))

    def cut(self, text: str, cut_all: bool = False):
        return self.tk.cut(text, cut_all=cut_all, HMM=self.hmm)
