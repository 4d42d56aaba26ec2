"""Which language a text is written in, as far as kg needs to know: Chinese (CJK ideographs) or English."""

from __future__ import annotations

import re
import string
import unicodedata

_CJK = re.compile(r"[\u3400-\u9fff]")
_NOT_ASCII_LETTERS = str.maketrans("", "", string.ascii_letters)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def cjk_ratio(text: str) -> float:
    """The share of a text's letters that are CJK ideographs (ASCII letters counted at C speed, the other
    characters one by one: an English abstract has few)."""
    letters = len(text) - len(text.translate(_NOT_ASCII_LETTERS))
    cjk = 0
    for c in _NON_ASCII.findall(text):
        if c.isalpha():
            letters += 1
            cjk += unicodedata.name(c, "").startswith("CJK")
    return cjk / letters if letters else 0.0


def detect_lang(text: str) -> str:
    """'zh' when most letters are CJK ideographs, else 'en'."""
    return "zh" if cjk_ratio(text) > 0.5 else "en"


def has_cjk(text: str) -> bool:
    """Whether a text holds any CJK ideograph."""
    return _CJK.search(text) is not None
