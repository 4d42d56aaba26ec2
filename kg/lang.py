"""Which language a text is written in, as far as kg needs to know: Chinese (CJK ideographs) or English."""

from __future__ import annotations

import re
import string
import unicodedata

_CJK = re.compile(r"[\u3400-\u9fff]")
# Every character whose Unicode name starts with "CJK" lies in these blocks (radicals, strokes, unified and
# compatibility ideographs and their extensions): a text with none of them has no CJK letter.
_ANY_CJK = re.compile("[\u2e80-\u2fdf\u31c0-\u31ef\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_NOT_ASCII_LETTERS = str.maketrans("", "", string.ascii_letters)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def cjk_ratio(text: str) -> float:
    """The share of a text's letters that are CJK ideographs (a text with no CJK character at all is 0 at
    once; else ASCII letters are counted at C speed, the other characters one by one)."""
    if text.isascii() or _ANY_CJK.search(text) is None:
        return 0.0
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
