"""Head-word mentions of English text: what a word or phrase no lexicon term matches names by its form.

These conventions, all data (``[heads]`` of ``recognition.en.toml``), all for words that no lexicon match
covers, all giving a typed match with no entries (grounded to no identifier: a ``kgid:unlinked_``
concept, which the claim rules may take as a subject or object, ``unlinked_types_in_claims`` of
relations.en.toml):

- a **drug name by its INN stem**: one word of at least ``drug_min_chars`` letters ending in a stem of the
  international nonproprietary names (alteplase: -teplase; fludarabine: -arabine; praziquantel: -antel);
- a **therapy phrase**: a therapy head word ("therapy", "treatment", "management") after one to
  ``max_modifiers`` modifier words ("medical treatment", "curative therapy", "ropinirole monotherapy"),
  or one word ending in a procedure suffix ("electrotherapy", "urethroplasty"). A modifier is a word of
  the same segment that no match covers and that is no function or evaluative word (``not_modifiers``:
  "the", "effective", "new", ...), so "the treatment" and "effective therapy" name nothing. A device
  head ("a Foley catheter", ``device_heads``) is read the same way, and so is a preparation head
  ("artichoke extracts", ``preparation_heads``: a therapy node, as a frame's therapy is);
- a **disease phrase**: a disease head word ("disease", "disorder", "stenosis", "complaint") after up to
  ``max_modifiers`` modifiers as above, right after a frame that names what is treated (``disease_frames``:
  "treatment of stone disease", "to treat cold symptoms", "patients with persistent regurgitation"); a
  modifier may be a word an anatomy match covers ("management of brain malformations"), which the disease
  phrase then replaces (``disease_absorbs``). Without a frame such phrases are mostly no disease mention
  ("DNA damage", "cause disease", "neurological symptoms": NCBI-disease and BC5CDR train). In such a
  frame an abbreviation no text defines that ends its phrase is a disease too ("patients with sclc",
  "treatment of AOM": ``disease_acronym``), as it is right before "patients" (``acronym_before``: "sclc
  patients"). The most specific heads with a modifier of their own need no frame (``disease_unframed``:
  "percutaneous drainage of hydatid cysts", "a case of biliary stenosis");
- a **therapy by its frame**: the words right after "treated with", "pretreatment with", "administration
  of" (``frames``) that no match covers, up to ``frame_max_words`` words of one segment, no function word
  among them ("treated with il-2", "pretreatment with TJ-135", "treated by gks"), unless they modify a
  match ("treated with intravenous [cisplatin]"): whatever is given to treat is a therapy, though nothing
  says whether a drug or a procedure (``frame_type``, a therapy node's type). After a route ("oral",
  "intravenous": ``route_frames``) only a code name is one ("oral UFT", ``route_shape``; not "oral intake").

Everything here works on the lexicon matcher's normalised words and character offsets (no spaCy).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import or_

from spacy.lang.en.lex_attrs import like_num

from kg.config import Config
from kg.nlp.match import Entries, Match

_LETTERS = re.compile(r"^[^\W\d_]+$")
_CAPITAL = re.compile(r"[A-Z]")


@dataclass(frozen=True)
class HeadRules:
    """The head-word conventions of one language (empty: none)."""

    drug_stems: tuple[str, ...] = ()
    drug_min_chars: int = 7
    drug_not: re.Pattern | None = None
    drug_code: re.Pattern | None = None
    drug_code_not: re.Pattern | None = None
    drug_code_prefix: re.Pattern | None = None
    drug_code_number: re.Pattern | None = None
    drug_code_not_after: re.Pattern | None = None
    therapy_heads: frozenset[str] = frozenset()
    device_heads: frozenset[str] = frozenset()
    preparation_heads: frozenset[str] = frozenset()
    therapy_suffixes: tuple[str, ...] = ()
    suffix_min_chars: int = 9
    therapy_not: re.Pattern | None = None
    not_modifiers: frozenset[str] = frozenset()
    numbers_modify: bool = True  # False: a number (spaCy's like_num) is a function word too
    max_modifiers: int = 3
    therapy_type: str = "procedure"
    drug_type: str = "drug"
    disease_heads: frozenset[str] = frozenset()
    disease_not_modifiers: frozenset[str] = frozenset()
    disease_absorbs: frozenset[str] = frozenset()
    disease_type: str = "disease"
    disease_frames: tuple[tuple[str, ...], ...] = ()
    disease_alone: frozenset[str] = frozenset()
    disease_unframed: frozenset[str] = frozenset()
    acronym_before: frozenset[str] = frozenset()
    disease_acronym: re.Pattern | None = None
    disease_acronym_lower: re.Pattern | None = None
    frames: tuple[tuple[str, ...], ...] = ()
    route_frames: tuple[tuple[str, ...], ...] = ()
    route_shape: re.Pattern | None = None
    code_lower: re.Pattern | None = None
    frame_max_words: int = 4
    frame_type: str = "therapy"
    frame_not: frozenset[str] = frozenset()
    subject_copulas: frozenset[str] = frozenset()
    subject_claims: frozenset[str] = frozenset()
    subject_gap: int = 4

    @classmethod
    def from_config(cls, config: Config, lang: str = "en") -> "HeadRules":
        rec = config.recognition(lang)
        t = rec.table("heads", None)
        if t is None:
            return cls()
        return cls(
            drug_stems=tuple(sorted(t.strings("drug_stems"), key=len, reverse=True)),
            drug_min_chars=t.integer("drug_min_chars"), drug_not=t.regex("drug_not", None),
            drug_code=t.regex("drug_code", None), drug_code_not=t.regex("drug_code_not", None),
            drug_code_prefix=t.regex("drug_code_prefix", None), drug_code_number=t.regex("drug_code_number", None),
            drug_code_not_after=t.regex("drug_code_not_after", None, re.IGNORECASE),
            therapy_heads=frozenset(t.strings("therapy_heads")),
            device_heads=frozenset(t.strings("device_heads", ())),
            preparation_heads=frozenset(t.strings("preparation_heads", ())),
            therapy_suffixes=tuple(sorted(t.strings("therapy_suffixes"), key=len, reverse=True)),
            suffix_min_chars=t.integer("suffix_min_chars"), therapy_not=t.regex("therapy_not", None),
            not_modifiers=frozenset(t.strings("not_modifiers")), max_modifiers=t.integer("max_modifiers"),
            numbers_modify=t.boolean("numbers_modify", True),
            therapy_type=t.string("therapy_type"), drug_type=t.string("drug_type"),
            disease_heads=frozenset(t.strings("disease_heads", ())),
            disease_not_modifiers=frozenset(t.strings("disease_not_modifiers", ())),
            disease_absorbs=frozenset(t.strings("disease_absorbs", ())), disease_type=t.string("disease_type", "disease"),
            disease_alone=frozenset(t.strings("disease_alone", ())),
            disease_unframed=frozenset(t.strings("disease_unframed", ())),
            acronym_before=frozenset(t.strings("acronym_before", ())),
            disease_acronym=t.regex("disease_acronym", None), disease_acronym_lower=t.regex("disease_acronym_lower", None),
            disease_frames=tuple(tuple(f.split()) for f in t.strings("disease_frames", ())),
            frames=tuple(tuple(f.split()) for f in t.strings("frames", ())),
            route_frames=tuple(tuple(f.split()) for f in t.strings("route_frames", ())),
            route_shape=t.regex("route_shape", None), code_lower=t.regex("code_lower", None),
            frame_max_words=t.integer("frame_max_words", 4), frame_type=t.string("frame_type", "therapy"),
            frame_not=frozenset(t.strings("frame_not", ())),
            subject_copulas=frozenset(t.strings("subject_copulas", ())),
            subject_claims=frozenset(t.strings("subject_claims", ())), subject_gap=t.integer("subject_gap", 4))

    def __bool__(self) -> bool:
        return bool(self.drug_stems or self.therapy_heads or self.therapy_suffixes or self.disease_heads or self.frames
                    or self.route_frames)

    def _drug(self, low: str) -> bool:
        if len(low) < self.drug_min_chars or not _LETTERS.match(low):
            return False
        if self.drug_not is not None and self.drug_not.search(low):
            return False
        return low.endswith(self.drug_stems)

    def _suffixed(self, low: str) -> bool:
        if len(low) < self.suffix_min_chars or not _LETTERS.match(low) or not low.endswith(self.therapy_suffixes):
            return False
        return self.therapy_not is None or not self.therapy_not.search(low)

    def _modifier(self, word: str, raw: str) -> bool:
        return (word not in self.not_modifiers and not raw.isdigit() and not self._number(word)
                and word not in self.therapy_heads
                and word not in self.device_heads and word not in self.preparation_heads)

    def __post_init__(self) -> None:
        # raw word -> 1 a drug by its stem, 2 a procedure by its suffix, 0 neither (words repeat: a memo)
        object.__setattr__(self, "_kinds", _Kinds(self._kind))
        object.__setattr__(self, "_heads", self.therapy_heads | self.device_heads | self.preparation_heads
                           | self.disease_heads | self.disease_unframed)
        # the frames and the route frames ("oral X": only when a route shape is given), their first words
        routes = frozenset(self.route_frames) if self.route_shape is not None else frozenset()
        object.__setattr__(self, "_routes", routes)
        object.__setattr__(self, "_all_frames", self.frames + tuple(sorted(routes)))
        object.__setattr__(self, "_frame_firsts", frozenset(f[0] for f in self._all_frames))
        object.__setattr__(self, "_frame_lasts", frozenset(f[-1] for f in self.disease_frames))

    def _kind(self, raw: str) -> int:
        low = raw.lower()
        if self.drug_stems and self._drug(low):
            return 1
        if self.drug_code is not None and self.drug_code.match(raw) and \
                not (self.drug_code_not is not None and self.drug_code_not.match(raw)):
            return 1
        if self.therapy_suffixes and self._suffixed(low):
            return 2
        return 0

    def find(self, words: Sequence[str], raw: Sequence[str], starts: Sequence[int], ends: Sequence[int],
             seg: Sequence[int], matches: Sequence[Match], text: str = "",
             types_of: Callable[[Entries], Sequence[str]] | None = None) -> list[Match]:
        """The head-word matches among words no match in ``matches`` covers (sorted by position). A
        disease phrase may take in words an anatomy match covers (``disease_absorbs``; ``types_of``: the
        kg types of a match's entries, best first): that match is then inside the phrase, and the caller
        drops it (``absorbed``)."""
        if not self or not words:
            return []
        n = len(words)
        taken: list[str | None] = [None] * n  # the type of the match covering each word ("" untyped)
        if matches:
            # a word takes the type of the first match (in this order) that overlaps it: marked from the last
            # match back, over the words each overlaps (found by bisection: no Python step per word)
            for a, b, typ in sorted(((m.start, m.end, _type_of(m, types_of)) for m in matches), reverse=True):
                lo, hi = bisect_right(ends, a), bisect_left(starts, b)
                if lo < hi:
                    taken[lo:hi] = [typ] * (hi - lo)
        out: list[Match] = []
        drugs: set[int] = set()
        kinds = self._kinds
        # only a word of a head-word kind or a head word can begin anything below (looked up at C speed)
        for i in compress(range(n), map(or_, map(kinds.__getitem__, raw), map(self._heads.__contains__, words))):
            if taken[i] is not None:
                continue
            kind = kinds[raw[i]]
            if kind == 1:
                out.append(Match(starts[i], ends[i], (), 1.0, "head", type=self.drug_type))
                drugs.add(i)
            elif kind == 2:
                out.append(Match(starts[i], ends[i], (), 1.0, "head", type=self.therapy_type))
            elif words[i] in self.therapy_heads or words[i] in self.device_heads or words[i] in self.preparation_heads:
                first = self._modifiers(i, words, raw, seg, taken, drugs, frozenset(), frozenset())
                if first < i:
                    kind = self.frame_type if words[i] in self.preparation_heads else self.therapy_type
                    out.append(Match(starts[first], ends[i], (), 1.0, "head", type=kind))
            elif words[i] in self.disease_heads:
                first = self._modifiers(i, words, raw, seg, taken, drugs, self.disease_not_modifiers,
                                        self.disease_absorbs, framed=True)
                # a head of disease_unframed with a modifier of its own names a disease in any position
                if ((first < i or words[i] in self.disease_alone)
                        and (first < i and words[i] in self.disease_unframed
                             or self._disease_framed(first, words, seg[i], seg))):
                    out.append(Match(starts[first], ends[i], (), 1.0, "head", type=self.disease_type))
        if len(out) > 1:  # a head that modifies the next head is no phrase of its own ("treat [cold] symptoms")
            out = [m for k, m in enumerate(out) if not (k + 1 < len(out) and out[k + 1].start <= m.start
                                                        and m.end <= out[k + 1].end)]
        if self.disease_acronym is not None and self.disease_frames:
            out.extend(self._acronyms(words, raw, starts, ends, seg, taken, text))
        if self.frames or self.route_frames:
            out.extend(self._framed(words, raw, starts, ends, seg, taken, out, text))
        if self.subject_copulas and self.subject_claims:
            out.extend(self._subjects(words, raw, starts, ends, seg, taken, out, text))
        if self.drug_code_prefix is not None and self.drug_code_number is not None:  # after the frames: "with TJ-135"
            codes = self._codes(raw, starts, ends, seg, taken, text)
            out.extend(c for c in codes if not any(m.start < c.end and c.start < m.end for m in out))
        return sorted(out, key=lambda m: (m.start, m.end))

    def _codes(self, raw: Sequence[str], starts: Sequence[int], ends: Sequence[int], seg: Sequence[int],
               taken: Sequence[str | None], text: str) -> list[Match]:
        """Development codes written as two words ("MK-801", "GR 55562"): a prefix of capitals and a
        number, joined by a hyphen or a space, neither covered by a match."""
        out = []
        prefix, number, not_ = self.drug_code_prefix, self.drug_code_number, self.drug_code_not
        after = self.drug_code_not_after
        for i in range(len(raw) - 1):
            if (taken[i] is None and taken[i + 1] is None and seg[i] == seg[i + 1] and prefix.match(raw[i])
                    and number.match(raw[i + 1]) and text[ends[i]:starts[i + 1]] in (" ", "-")
                    and not (not_ is not None and not_.match(raw[i]))
                    and not (after is not None and after.match(text, ends[i + 1]))):
                out.append(Match(starts[i], ends[i + 1], (), 1.0, "head", type=self.drug_type))
        return out

    def _modifiers(self, i: int, words: Sequence[str], raw: Sequence[str], seg: Sequence[int],
                   taken: Sequence[str | None], drugs: set[int], extra_not: frozenset[str],
                   absorbs: frozenset[str], framed: bool = False) -> int:
        """The first word of the modifiers before head ``i`` (``i`` itself: none). ``framed``: a disease
        phrase, whose modifiers stop at the end of a disease frame ("to treat cold symptoms": "treat" is
        the frame, not a modifier)."""
        first = i
        while (first > 0 and i - first < self.max_modifiers and seg[first - 1] == seg[i]
               and (taken[first - 1] is None or taken[first - 1] in absorbs) and first - 1 not in drugs
               and words[first - 1] not in extra_not and self._modifier(words[first - 1], raw[first - 1])
               and not (framed and words[first - 1] in self._frame_lasts and self._frame_ends(first, words))):
            first -= 1
        while first < i and taken[first] is not None:  # a phrase begins with a word of its own
            first += 1
        return first

    def _frame_ends(self, j: int, words: Sequence[str]) -> bool:
        """Whether one of ``disease_frames`` ends right before word ``j``."""
        return any(j >= len(f) and tuple(words[j - len(f):j]) == f for f in self.disease_frames)

    def _disease_framed(self, first: int, words: Sequence[str], segment: int, seg: Sequence[int]) -> bool:
        """Whether the disease phrase beginning at ``first`` follows one of ``disease_frames`` ("treatment
        of", "patients with"), across articles and stage or severity words ("patients with severe X")."""
        j = first
        while j > 0 and seg[j - 1] == segment and (words[j - 1] in _ARTICLES or words[j - 1] in self.disease_not_modifiers):
            j -= 1
        for frame in self.disease_frames:
            k = len(frame)
            if j >= k and tuple(words[j - k:j]) == frame and seg[j - k] == segment:
                return True
        return False

    def _acronyms(self, words: Sequence[str], raw: Sequence[str], starts: Sequence[int], ends: Sequence[int],
                  seg: Sequence[int], taken: Sequence[str | None], text: str) -> list[Match]:
        """Abbreviations no text defines, right after a disease frame and ending their phrase (what follows
        is punctuation, a function word or a participle: "patients with sclc", "treatment of AOM :",
        "patients with mrcc treated with"): in that frame a short form names the disease treated."""
        shape = self.disease_acronym_lower if text and not _CAPITAL.search(text) else self.disease_acronym
        if shape is None:
            return []
        n = len(words)
        out = []
        for i in compress(range(n), map(shape.match, raw)):
            if (taken[i] is None
                    and (i + 1 == n or seg[i + 1] != seg[i] or words[i + 1] in self.not_modifiers
                         or self._number(words[i + 1]) and words[i + 1].isalpha()
                         or raw[i + 1].lower().endswith(_VERB_ENDINGS))
                    and (self._disease_framed(i, words, seg[i], seg)
                         or i + 1 < n and seg[i + 1] == seg[i] and words[i + 1] in self.acronym_before)):
                out.append(Match(starts[i], ends[i], (), 1.0, "head", type=self.disease_type))
        return out

    def _framed(self, words: Sequence[str], raw: Sequence[str], starts: Sequence[int], ends: Sequence[int],
                seg: Sequence[int], taken: Sequence[str | None], found: Sequence[Match], text: str) -> list[Match]:
        """Therapies named by their frame: the free words right after a frame ("treated with X")."""
        n = len(words)
        routes = self._routes
        frames = self._all_frames
        at = list(compress(range(n - 1), map(self._frame_firsts.__contains__, words)))
        if not at:
            return []
        free = self._free(n, starts, ends, taken, found)
        out: list[Match] = []
        for i in at:
            for frame in frames:
                k = len(frame)
                if i + k >= n or tuple(words[i:i + k]) != frame or seg[i + k] != seg[i]:
                    continue
                first = i + k
                while first < n - 1 and words[first] in _ARTICLES and seg[first + 1] == seg[i]:
                    first += 1
                if frame in routes and not self.route_shape.match(raw[first]):  # "oral UFT", not "oral intake"
                    continue
                last = first
                while (last < n and last - first < self.frame_max_words and free[last] and seg[last] == seg[i]
                       and not self._stop(words[last])
                       and (last == first or _attached(text, ends[last - 1], starts[last])
                            or not raw[last].isdigit() and not raw[last].lower().endswith(_VERB_ENDINGS))):
                    last += 1
                # "treated with intravenous [cisplatin]": the therapy is the match the words modify; so with a
                # word of frame_not ("treated with subcutaneous injections", "a fixed phytogenic combination")
                modifies = last < n and seg[last] == seg[i] and (taken[last] is not None or words[last] in self.therapy_heads
                                                                 or words[last] in self.frame_not)
                if last > first and not raw[first].isdigit() and not modifies:
                    out.append(Match(starts[first], ends[last - 1], (), 1.0, "head", type=self.frame_type))
                    for j in range(first, last):
                        free[j] = False
        return out


    def _free(self, n: int, starts: Sequence[int], ends: Sequence[int], taken: Sequence[str | None],
              found: Sequence[Match]) -> list[bool]:
        """Per word: whether no match covers it, of the lexicon's (``taken``) or of this module's (``found``)."""
        free = [t is None for t in taken]
        for m in found:
            for j in range(bisect_left(ends, m.start + 1), n):
                if starts[j] >= m.end:
                    break
                free[j] = False
        return free

    def _stop(self, word: str) -> bool:
        # a number word stops a frame's phrase; digits are read by their attachment ("treated with il-2")
        return (word in self.not_modifiers or word in self.therapy_heads or word in self.frame_not
                or word.isalpha() and self._number(word))

    def _number(self, word: str) -> bool:
        """A number as spaCy's ``like_num`` reads English ones (digits, fractions, number and ordinal words:
        "2.5", "1/2", "seven", "twenty", "fourth"), when ``numbers_modify`` is false."""
        return not self.numbers_modify and _like_num(word)

    def _subjects(self, words: Sequence[str], raw: Sequence[str], starts: Sequence[int], ends: Sequence[int],
                  seg: Sequence[int], taken: Sequence[str | None], found: Sequence[Match], text: str) -> list[Match]:
        """Therapies named as what is said to work: the free words right before a copula that an efficacy
        word follows within ``subject_gap`` words ("pc is equally efficacious as vc", "admil-12/b7 are
        effective", "cooled tip electrodes is safe and technically effective")."""
        shape = self.code_lower if text and not _CAPITAL.search(text) else self.route_shape
        if shape is None:
            return []
        n = len(words)
        free = self._free(n, starts, ends, taken, found)
        out: list[Match] = []
        for i in range(1, n - 1):
            if words[i] not in self.subject_copulas or not any(
                    words[j] in self.subject_claims and seg[j] == seg[i] for j in range(i + 1, min(n, i + 1 + self.subject_gap))):
                continue
            last, first = i - 1, i
            while (first > 0 and last - first + 2 <= self.frame_max_words and free[first - 1]
                   and seg[first - 1] == seg[i] and not self._stop(words[first - 1])
                   and (first - 1 > 0 and _attached(text, ends[first - 2], starts[first - 1])
                        or not raw[first - 1].isdigit() and not raw[first - 1].lower().endswith(_VERB_ENDINGS))):
                first -= 1
            while first <= last and not raw[first][:1].isalpha():  # a name begins with a letter
                first += 1
            # a code name among the words ("pc", "admil-12/b7"): ordinary words before "is effective" are
            # mostly no therapy ("there", "findings", "mice": NCBI-disease, BC5CDR, BioRED train)
            if first <= last and any(shape.match(raw[j]) for j in range(first, last + 1)):
                out.append(Match(starts[first], ends[last], (), 1.0, "head", type=self.frame_type))
                for j in range(first, last + 1):
                    free[j] = False
        return out


_ARTICLES = frozenset({"a", "an", "the"})


def _type_of(m: Match, types_of: Callable[[Entries], Sequence[str]] | None) -> str:
    if m.type:
        return m.type
    types = types_of(m.entries) if types_of is not None and m.entries else ()
    return types[0] if types else ""


_VERB_ENDINGS = ("ed", "ing")


@lru_cache(maxsize=65536)
def _like_num(word: str) -> bool:
    return like_num(word)


def _attached(text: str, end: int, start: int) -> bool:
    """Whether two words are joined by a hyphen or slash alone ("TJ-135", "MOPP/ABV")."""
    return bool(text) and start - end == 1 and text[end] in "-/"


def absorbed(matches: Sequence[Match], found: Sequence[Match]) -> list[Match]:
    """``matches`` without those inside a head-word match (the anatomy words a disease phrase took in)."""
    if not found:
        return list(matches)
    return [m for m in matches if not any(f.start <= m.start and m.end <= f.end and (f.start, f.end) != (m.start, m.end)
                                          for f in found)]


class _Kinds(dict):
    """raw word -> ``fn(word)``, filled on first use (words repeat across documents: a memo)."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def __missing__(self, raw: str) -> int:
        out = self.fn(raw)
        if len(self) < 500_000:
            self[raw] = out
        return out
