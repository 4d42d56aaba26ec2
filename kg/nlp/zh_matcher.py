"""``kg_zh_lexicon_matcher``: longest match of the Chinese lexicon's terms over jieba words, "X样细胞" as
"X-like cells", abbreviations defined in parentheses ("间充质干细胞(MSCs)"), Latin acronyms, and
compositions ("肝移植后的并发症"). Writes the same span group and match records as the English matcher.
"""

import re
from bisect import bisect_left
from collections.abc import Container

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc

from kg.config import Config
from kg.nlp.doc import doc_text, write_match_spans
from kg.nlp.match import Match, abbreviation, compose
from kg.ontology import Lexicon, TypePolicy, ZhLexicon

_CAPITALS = re.compile(r"[A-Z]")
_ACRONYM_TOKEN = re.compile(r"^[A-Z][A-Za-z0-9\-]{1,11}$")
_SPACE = frozenset(" \n\t")
_CJK_WORD = re.compile(r"^[\u3400-\u9fff]+$")


@Language.factory("kg_zh_lexicon_matcher")
def make_zh_lexicon_matcher(nlp: Language, name: str) -> "ZhLexiconMatcher":
    return ZhLexiconMatcher()


class ZhLexiconMatcher:
    """Longest match of Chinese lexicon terms over jieba words (a match starts and ends on word
    boundaries, so "肝" never matches inside "肝脏疾病"); writes spans to ``doc.spans['kg_mentions']``
    and the matches, in the same order, to ``doc._.kg_matches`` (as the English matcher does).
    Upper-case Latin abbreviations defined in parentheses after a term take its grounding; others are
    looked up among the English lexicon's acronyms."""

    def __init__(self) -> None:
        self.lex: Lexicon | None = None

    def use(self, lexicon: Lexicon, zh: ZhLexicon, config: Config, table: dict[int, int] | None = None,
            prefixes: Container[str] | None = None) -> "ZhLexiconMatcher":
        """Give the matcher its lexicons and policy (the pipeline builder does, right after ``add_pipe``);
        ``table``: the character table text and terms are read through (``kg.nlp.segmenter``);
        ``prefixes``: a set holding every prefix of the index's terms (read through ``table``), such as the
        segmenter's (``TermIndex.prefixes``); built here when not given."""
        self.lex = lexicon
        self.zh = zh
        self.policy = TypePolicy.from_config(config)
        rec = config.recognition("zh")
        self.like = tuple(sorted(rec.table("like").strings("suffixes"), key=len, reverse=True))
        self.like_types = self.policy.like_types
        self.abbr_rx = rec.table("abbreviation").regex("pattern")
        self.window = rec.table("composition").integer("window")
        self.compositions = tuple(config.compositions.values())
        heads = rec.table("heads", {})
        self.head_min = heads.integer("min_chars", 3) if heads else 3
        self.head_max = heads.integer("max_chars", 12) if heads else 12
        self.heads = tuple(sorted(((h, typ) for typ in heads if typ not in ("min_chars", "max_chars", "not", "words")
                                   for h in heads.strings(typ)), key=lambda x: (-len(x[0]), x[0])))
        sizes: dict[int, dict[str, str]] = {}
        for h, typ in self.heads:
            sizes.setdefault(len(h), {}).setdefault(h, typ)
        self.head_sizes = tuple(sorted(sizes.items(), reverse=True))
        words = heads.table("words", {}) if heads else {}
        self.class_words = {w: typ for typ in words for w in words.strings(typ)}
        self.head_not = heads.regex("not", None) if heads else None
        self.tr_marks, self.tr_chars, self.tr_min = frozenset(), frozenset(), 0
        self.tr_type, self.tr_not_before, self.tr_drop = "drug", None, frozenset()
        self.tr_not_first: frozenset[str] = frozenset()
        self.tr_cut_min = 0
        tr = rec.table("transliteration", None)
        if tr is not None:  # [transliteration] of recognition.zh.toml (none: no transliterated names)
            self.tr_marks = frozenset(tr.string("marks")) - _SPACE
            self.tr_chars = (frozenset(tr.string("characters")) - _SPACE) | self.tr_marks
            self.tr_min = tr.integer("min_chars", 3)
            self.tr_type = tr.string("type", "drug")
            self.tr_not_before = tr.regex("not_before", None)
            self.tr_drop = frozenset(tr.string("not_last", ""))
            self.tr_not_first = frozenset(tr.string("not_first", ""))
            self.tr_cut_min = tr.integer("cut_min_chars", 0) or self.head_max + 1  # none: never
        self.tr_heads = tuple(h for h, t in self.heads if t == self.tr_type)
        sfx = rec.table("member_suffix", None)  # "维生素B12": none, no member suffixes
        self.sfx_rx = sfx.regex("pattern") if sfx is not None else None
        self.sfx_types = frozenset(sfx.strings("types")) if sfx is not None else frozenset()
        self._types_cache: dict = {}
        # only entries whose identifier the English lexicon types can make a mention
        self.table = table or {}
        index: dict[str, tuple] = {}
        for t, v in zh.index.items():
            kept = tuple(e for e in v if e[0] in lexicon.types)
            if kept:
                key = t.translate(self.table)
                index[key] = tuple(sorted(set(index.get(key, ()) + kept)))
        self.index = index
        self.prefixes = prefixes if prefixes is not None else frozenset(k[:e] for k in index for e in range(1, len(k) + 1))
        return self

    def _scan(self, doc: Doc, text: str, norm: str) -> tuple[list[Match], list[Match]]:
        """Lexicon matches and head-word matches over the words of ``doc``; ``norm`` is its text read
        through the character table."""
        n = len(doc)
        arr = doc.to_array([IDX, LENGTH]) if n else None  # (a Token object per word costs more)
        starts = arr[:, 0].tolist() if n else []
        ends = (arr[:, 0] + arr[:, 1]).tolist() if n else []
        out: list[Match] = []
        heads: list[Match] = []  # head-word mentions, kept where no other match is (see __call__)
        abbrs: dict[str, Match] = {}
        index, prefixes = self.index, self.prefixes
        i = 0
        while i < n:
            found = None
            j = i
            while j < n and (key := norm[starts[i] : ends[j]]) in prefixes:  # no term goes on past a non-prefix
                entries = index.get(key)
                if entries:
                    found = (j, entries)
                j += 1
            if found is None:
                tok = norm[starts[i] : ends[i]]
                short = tok if tok in abbrs else (tok[:-1] if tok.endswith("s") and tok[:-1] in abbrs else None)
                if short is not None:
                    m = abbrs[short]
                    out.append(abbreviation(m, starts[i], ends[i], m.long_form, self.policy.score("abbreviation")))
                elif self.tr_chars and (k := self._transliterated(norm, starts, ends, i)) > i:
                    heads.append(self._head_match(norm, ends, starts[i], ends[k - 1], self.tr_type))
                    i = bisect_left(starts, heads[-1].end)
                    continue
                elif tok in self.class_words:
                    heads.append(self._head_match(norm, ends, starts[i], ends[i], self.class_words[tok]))
                    i = bisect_left(starts, heads[-1].end)
                    continue
                elif self.heads and self.head_min <= len(tok) <= self.head_max and (head := self._head(tok)):
                    heads.append(self._head_match(norm, ends, starts[i], ends[i], head))
                    i = bisect_left(starts, heads[-1].end)
                    continue
                elif _ACRONYM_TOKEN.match(tok) and len(_CAPITALS.findall(tok)) >= 2:
                    acr = tok[:-1] if tok.endswith("s") and tok[-2:-1].isupper() else tok
                    entries = self.lex.acronyms.get(acr.replace("-", ""))
                    if entries:
                        out.append(Match(starts[i], ends[i], entries, self.policy.score("acronym"), "acronym"))
                i += 1
                continue
            j, entries = found
            end = ends[j]
            factor, how = 1.0, None
            if self.sfx_rx is not None and (member := self._member(norm, ends, entries, end)) is not None:
                end, entries, factor = member
            if norm.startswith(self.like, end) and {self.lex.types.get(c) for c, _ in entries} & self.like_types:
                for suffix in self.like:
                    if norm.startswith(suffix, end):
                        entries = tuple(e for e in entries if self.lex.types.get(e[0]) in self.like_types)
                        factor *= self.policy.score("like")
                        how = "like"
                        end += len(suffix)
                        break
            m = Match(starts[i], end, entries, factor, how)
            out.append(m)
            hit = self.abbr_rx.match(norm[end : end + 120])
            if hit and len(_CAPITALS.findall(hit.group(1))) >= 2:
                short = hit.group(1)
                abbrs[short] = Match(0, 0, entries, factor, how, text[starts[i] : end])
                abbrs.setdefault(short[:-1] if short.endswith("s") and short[-2:-1].isupper() else short, abbrs[short])
            i = bisect_left(starts, end)
        return out, heads

    def _transliterated(self, norm: str, starts: list[int], ends: list[int], i: int) -> int:
        """The end (a word index past ``i``) of a transliterated name starting at word ``i``: jieba words
        of at most four characters, made of transliteration characters only (recognition.zh.toml
        [transliteration]), of at least ``min_chars`` characters holding a mark character (环孢素) or cut
        by jieba into at least ``min_chars`` single characters (a word its dictionary does not know: 呋/塞/米), or
        into two or more single characters in a run of at least ``cut_min_chars`` characters (沙/美/特罗),
        or cut and ending with a drug head (顺/铂, 利/妥/昔/单抗); ``i`` when there is none. A name followed by ``not_before`` (…病, …氏: an eponym)
        is none, and so is one whose first word is a single character of ``not_first`` (对 "to", 可 "can": a
        name may start at the next word)."""
        chars, n = self.tr_chars, len(starts)
        if ends[i] - starts[i] == 1 and norm[starts[i]] in self.tr_not_first:
            return i
        k, single, length = i, 0, 0
        while k < n and ends[k] - starts[k] <= 4 and chars.issuperset(norm[starts[k] : ends[k]]) \
                and length + ends[k] - starts[k] <= self.head_max:
            single += ends[k] - starts[k] == 1
            length += ends[k] - starts[k]
            k += 1
        if k < n and k > i and self.tr_heads:  # a drug head as the name's last word (单抗, 霉素)
            last = norm[starts[k] : ends[k]]
            if last in self.tr_heads:
                k += 1
                length += len(last)
                if single and length >= 2:
                    return self._eponym(norm, ends, k, i)
        while k > i + 1 and ends[k - 1] - starts[k - 1] == 1 and norm[starts[k - 1]] not in self.tr_marks \
                and norm[starts[k - 1]] in self.tr_drop:
            k -= 1
        if k == i:
            return i
        name = norm[starts[i] : ends[k - 1]]
        if single and len(name) >= 2 and self._ends_with_head(name):  # 顺/铂
            return self._eponym(norm, ends, k, i)
        if len(name) >= self.tr_min and (single >= self.tr_min or (single >= 2 and len(name) >= self.tr_cut_min)
                                          or any(c in self.tr_marks for c in name)):
            return self._eponym(norm, ends, k, i)
        return i

    def _head_match(self, norm: str, ends: list[int], start: int, end: int, typ: str) -> Match:
        """A head-word mention of ``typ`` at start-end, run over a member suffix ("两性霉素B") where one
        follows and ``typ`` is of [member_suffix] types."""
        if self.sfx_rx is not None and typ in self.sfx_types:
            end = self._member_end(norm, ends, end) or end
        return Match(start, end, (), 1.0, "head", type=typ)

    def _member_end(self, norm: str, ends: list[int], end: int) -> int | None:
        """The end of a member suffix ([member_suffix] of recognition.zh.toml: a Latin letter with digits,
        a Greek letter) that follows ``end`` and ends a word, or None."""
        hit = self.sfx_rx.match(norm, end)
        if hit is None:
            return None
        k = bisect_left(ends, hit.end())
        return hit.end() if k < len(ends) and ends[k] == hit.end() else None

    def _member(self, norm: str, ends: list[int], entries: tuple, end: int) -> tuple[int, tuple, float] | None:
        """A drug term followed by a member suffix ("维生素B12", "青霉素G", "干扰素α"): the end past the
        suffix, the English lexicon's entries for the English name of each of the term's identifiers
        with that suffix ("Vitamins" + "B12": vitamin B12) and the score factor 1; where it names none,
        the term's own entries (the class) with the factor [scores] member; None when no suffix follows
        or the term is of no type of [member_suffix] types."""
        stop = self._member_end(norm, ends, end)  # first: after most matches no suffix follows
        if stop is None or not any(self.lex.types.get(c) in self.sfx_types for c, _ in entries):
            return None
        suffix = norm[end:stop]
        found = {e for c, _ in entries for e in self.lex.find_by_name(f"{self.lex.label(c)} {suffix}")}
        return (stop, tuple(sorted(found)), 1.0) if found else (stop, entries, self.policy.score("member"))

    def _ends_with_head(self, name: str) -> bool:
        return any(name.endswith(h) and len(name) > len(h) for h in self.tr_heads)

    def _eponym(self, norm: str, ends: list[int], k: int, i: int) -> int:
        if self.tr_not_before is not None and self.tr_not_before.match(norm, ends[k - 1]):
            return i
        return k

    def _head(self, word: str) -> str | None:
        """The type a word no lexicon term matches takes from its head ("胆囊炎": …炎, a disease), if any."""
        if not _CJK_WORD.match(word) or (self.head_not is not None and self.head_not.search(word)):
            return None
        for size, types in self.head_sizes:  # longest first, as ``heads`` is ordered
            if len(word) > size and (typ := types.get(word[-size:])) is not None:
                return typ
        return None

    def _compose(self, text: str, matches: list[Match]) -> list[Match]:
        return compose(text, matches, self.compositions, "zh", self.lex, self._types_cache, self.window)

    def __call__(self, doc: Doc) -> Doc:
        if self.lex is None:
            raise RuntimeError("kg_zh_lexicon_matcher has no lexicon: call .use(lexicon, zh, config) after add_pipe")
        text = doc_text(doc)
        norm = text.translate(self.table) if self.table else text
        found, heads = self._scan(doc, text, norm)
        matches = self._compose(text, found)
        if heads:  # a head-word mention only where no lexicon match or composition is ("肝移植后的并发症")
            taken = [(m.start, m.end) for m in matches]
            matches = sorted(matches + [h for h in heads if not any(s < h.end and h.start < e for s, e in taken)],
                             key=lambda m: (m.start, -m.end))
        return write_match_spans(doc, matches)
