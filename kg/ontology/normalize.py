"""How words are normalised for matching (lowercase, singular, derivation-folded), on both sides: ontology
terms and text. The rules are data (``normalization.toml``)."""

from __future__ import annotations

import re

from kg.config import Config

WORD = re.compile(r"[^\W_]+", re.UNICODE)
# "'s" after a word, also "Parkinson 's" (tokenised text); the apostrophe first so that the scan skips
# ahead to it (7x faster than the lookbehinds first, same matches)
POSSESSIVE = re.compile(r"['’]s\b(?:(?<=\w['’]s)|(?<=\w ['’]s))")


class Normalizer:
    """Turns text into normalised words (lowercase, singular, derivation-folded)."""

    def __init__(self, config: Config):
        cfg = config.normalization
        letters = cfg.table("letters", None)
        self.letters: dict[str, str] = {k: letters.string(k) for k in letters} if letters is not None else {}
        plural = cfg.table("plural", None)
        self.min_length = plural.integer("min_length", 4) if plural is not None else 4
        self.singular_endings = plural.strings("singular_endings", ()) if plural is not None else ()
        self.invariant = frozenset(plural.strings("invariant", ())) if plural is not None else frozenset()
        self.plural_rules = [tuple(r) for r in (plural.get("rules", ()) if plural is not None else ())]
        # plurals that end like a singular ("carcinomas": -as), rewritten before that check
        # (suffix, replacement[, minimum word length])
        always = plural.get("always", ()) if plural is not None else ()
        if any(len(r) not in (2, 3) for r in always):
            raise cfg.error("plural.always", "each rule must have 2 or 3 items")
        self.always_rules = [tuple(r) if len(r) == 3 else (*r, 0) for r in always]
        spelling = cfg.table("spelling", None)
        # British spellings folded to American ones ("haemorrhage" ~ "hemorrhage", "tumour" ~ "tumor")
        self.spelling_min = spelling.integer("min_length", 5) if spelling is not None else 0
        inside = spelling.get("inside", ()) if spelling is not None else ()
        self._inside = re.compile("(?:" + "|".join(re.escape(a) for a, _ in inside) + r")(?=.)") if inside else None
        self._inside_map = {a: b for a, b in inside}
        self.spelling_endings = [tuple(r) for r in (spelling.get("endings", ()) if spelling is not None else ())]
        derivation = cfg.table("derivation", None)
        self.derivations = [tuple(r) for r in (derivation.get("rules", ()) if derivation is not None else ())]
        for rules, key, width in ((self.plural_rules, "plural.rules", 2),
                                  (self.spelling_endings, "spelling.endings", 2), (list(inside), "spelling.inside", 2),
                                  (self.derivations, "derivation.rules", 3)):
            if any(len(r) != width for r in rules):
                raise cfg.error(key, f"each rule must have {width} items")
        self._letters_re = re.compile("|".join(map(re.escape, self.letters))) if self.letters else None
        terms = cfg.table("terms", None)
        self.leading_articles = frozenset(terms.strings("leading_articles", ())) if terms is not None else frozenset()
        self.drop_if_first = frozenset(terms.strings("drop_if_first", ())) if terms is not None else frozenset()
        self.symbols = frozenset(terms.strings("element_symbols", ())) if terms is not None else frozenset()
        self._cache: dict[str, str] = {}

    def word(self, w: str) -> str:
        """Normalise one alphanumeric word."""
        cached = self._cache.get(w)
        if cached is not None:
            return cached
        out = w.lower()
        for suffix, repl, min_len in self.always_rules:
            if out.endswith(suffix) and len(out) > len(suffix) and len(out) >= min_len:
                out = out[: len(out) - len(suffix)] + repl
                break
        else:
            out = self._singular(out)
        if len(out) >= self.spelling_min:
            out = self._american(out)
        for suffix, repl, min_len in self.derivations:
            if len(out) >= min_len and out.endswith(suffix):
                out = out[: len(out) - len(suffix)] + repl
                break
        if len(self._cache) < 500_000:
            self._cache[w] = out
        return out

    def _american(self, out: str) -> str:
        if self._inside is not None:
            out = self._inside.sub(lambda m: self._inside_map[m.group(0)], out)
        for suffix, repl in self.spelling_endings:
            if out.endswith(suffix):
                return out[: len(out) - len(suffix)] + repl
        return out

    def _singular(self, out: str) -> str:
        if (len(out) >= self.min_length and not out.endswith(self.singular_endings) and not out[-1].isdigit()
                and out not in self.invariant):
            for suffix, repl in self.plural_rules:
                if out.endswith(suffix):
                    out = out[: len(out) - len(suffix)] + repl
                    break
        return out

    def spell_letters(self, text: str) -> str:
        """Greek letters spelled out ("TNF-α" -> "TNF-alpha")."""
        if self._letters_re is None or not self._letters_re.search(text):
            return text
        return self._letters_re.sub(lambda m: self.letters[m.group(0)], text)

    def prepare(self, text: str) -> str:
        """Spell out Greek letters and drop possessive 's, keeping character positions where possible."""
        return POSSESSIVE.sub("  ", self.spell_letters(text))

    def key(self, text: str) -> tuple[str, ...]:
        """The lookup key of a text: its normalised words."""
        return tuple(self.word(w) for w in WORD.findall(self.prepare(text)))

    def term_key(self, text: str) -> tuple[str, ...]:
        """The lookup key of an ontology term: its key without a leading article; empty for a phrase
        that begins with a function word (such terms are not matched)."""
        key = self.key(text)
        while len(key) > 1 and key[0] in self.leading_articles:
            key = key[1:]
        if key and key[0] in self.drop_if_first:
            return ()
        return key

    def pieces(self, text: str) -> list[tuple[str, int, int]]:
        """(normalised word, start, end) for each word of a text fragment; offsets are in ``text``.

        Greek letters are normalised per word so offsets stay exact.
        """
        return [(self.word(self.spell_letters(m.group(0))), m.start(), m.end())
                for m in WORD.finditer(POSSESSIVE.sub("  ", text))]
