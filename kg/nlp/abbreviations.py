"""``kg_abbreviation_detector``: scispaCy's abbreviation detector (Schwartz & Hearst), faster, and with the
paper's short-form test (a short form may begin with a digit: "5-fluorouracil (5-FU)").

It writes ``doc._.abbreviations`` (short-form spans with ``._.long_form``) as scispaCy's does; the lexicon
matchers then give each short form its long form's grounding (``kg.nlp.match.abbreviation``).
"""

from bisect import bisect_left, bisect_right

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.nlp.doc import doc_text, token_ends, token_starts


LONGEST = 8  # tokens between parentheses that scispaCy's filter_matches still considers


def short_form_ok(span: Span) -> bool:
    """Schwartz & Hearst's test of a short form, as the paper states it: each word 2-9 characters, at
    least half of them letters, the first character a letter or a digit. (scispaCy's
    ``short_form_filter`` asks for a letter first, which left out "5-FU", "6-OHDA", "5-HT", "3-MA".)"""
    text = span.text
    if not text or not all(2 <= len(t) < 10 for t in span):
        return False
    return sum(c.isalpha() for c in text) / len(text) >= 0.5 and text[0].isalnum()


def filter_matches(matches: list[tuple[int, int, int]], doc: Doc) -> list[tuple[Span, Span]]:
    """scispaCy's ``filter_matches`` (the (long form, short form) candidates of each parenthesis), with
    the paper's short-form test (``short_form_ok``)."""
    from scispacy.abbreviation import span_contains_unbalanced_parentheses

    candidates = []
    for _, start, end in matches:
        if end - start > LONGEST or start == 1:
            continue
        if end - start > 3:  # <short form> (<long form>): the word before the parenthesis
            short, long = doc[start - 2 : start - 1], doc[start:end]
            if span_contains_unbalanced_parentheses(long):
                continue
        else:  # <long form> (<short form>), the long form up to max_words before
            short = doc[start:end]
            length = sum(len(t) for t in short)
            long = doc[max(start - min(length + 5, length * 2) - 1, 0) : start - 1]
        if short_form_ok(short):
            candidates.append((long, short))
    return candidates


def _token_texts(doc: Doc) -> list[str]:
    """``[t.text for t in doc]``, cut from the Doc's text by the tokens' offsets (a token's text is its
    slice of the text), without making a Token object per token."""
    if not len(doc):
        return []
    text = doc_text(doc)
    return list(map(text.__getitem__, map(slice, token_starts(doc), token_ends(doc))))


def _abbreviation_detector_class():
    from scispacy.abbreviation import AbbreviationDetector, find_abbreviation

    class FastAbbreviationDetector(AbbreviationDetector):
        """scispaCy's abbreviation detector (Schwartz & Hearst) (the paper's short-form test, above), finding the
        other occurrences of each short form by a scan of the token texts instead of adding a pattern
        to a spaCy Matcher per abbreviation per document (pattern validation dominated its cost)."""

        def __call__(self, doc: Doc) -> Doc:
            # The parenthesis pattern "( + )" of scispaCy's Matcher, found by a scan: every "(" with every
            # ")" at least two tokens later, in (start, end) order, as the Matcher returns them.
            if "(" not in doc_text(doc):  # no "(" token: nothing to find (the token texts are not cut)
                return doc
            orths = _token_texts(doc)
            opens = [i for i, t in enumerate(orths) if t == "("]
            if not opens:
                return doc
            closes = [i for i, t in enumerate(orths) if t == ")"]
            # scispaCy's filter_matches drops spans of more than LONGEST tokens: only those pairs are made
            # (every pair of the Doc was quadratic in its parentheses)
            matches = [(0, i + 1, closes[k]) for i in opens
                       for k in range(bisect_left(closes, i + 2), bisect_right(closes, i + 1 + LONGEST))]
            filtered = filter_matches(matches, doc)
            for long_form, short_forms in self.find_matches_for(filtered, doc, orths):
                for short in short_forms:
                    short._.long_form = long_form
                    doc._.abbreviations.append(short)
            if self.make_serializable:
                doc._.abbreviations = [self.make_short_form_serializable(a) for a in doc._.abbreviations]
            return doc

        def find_matches_for(self, filtered, doc, orths=None):
            all_occurences: dict = {}
            seen_long: set[str] = set()
            seen_short: set[str] = set()
            rules: list[tuple[Span, tuple[str, ...]]] = []
            for long_candidate, short_candidate in filtered:
                short, long = find_abbreviation(long_candidate, short_candidate)
                new_long = long.text not in seen_long if long else False
                new_short = short.text not in seen_short
                if long is not None and new_long and new_short:
                    seen_long.add(long.text)
                    seen_short.add(short.text)
                    all_occurences.setdefault(long, set()).add(short)
                    rules.append((long, tuple(t.text for t in short)))
            if rules:
                orths = orths if orths is not None else [t.text for t in doc]
                firsts = {pattern[0] for _, pattern in rules}
                at: dict[str, list[int]] = {}
                for i, text in enumerate(orths):
                    if text in firsts:
                        at.setdefault(text, []).append(i)
                for long, pattern in rules:
                    k = len(pattern)
                    for i in at.get(pattern[0], ()):
                        if tuple(orths[i : i + k]) == pattern:
                            all_occurences[long].add(doc[i : i + k])
            return list(all_occurences.items())

    return FastAbbreviationDetector


@Language.factory("kg_abbreviation_detector", default_config={"make_serializable": False})
def make_abbreviation_detector(nlp: Language, name: str, make_serializable: bool):
    return _abbreviation_detector_class()(nlp, name, make_serializable)


