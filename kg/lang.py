"""Which language a text is written in, as far as kg needs to know: Chinese (CJK ideographs) or English."""

from __future__ import annotations

import re
import unicodedata

_CJK = re.compile(r"[\u3400-\u9fff]")


def cjk_ratio(text: str) -> float:
    """The share of a text's letters that are CJK ideographs."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if unicodedata.name(c, "").startswith("CJK")) / len(letters)


def detect_lang(text: str) -> str:
    """'zh' when most letters are CJK ideographs, else 'en'."""
    return "zh" if cjk_ratio(text) > 0.5 else "en"


def has_cjk(text: str) -> bool:
    """Whether a text holds any CJK ideograph."""
    return _CJK.search(text) is not None
