"""``kg_given_matcher``: the entities given with a document (BioC and PubTator3 annotations) as the Doc's
matches, in place of the lexicon matcher (``--use-annotations``). ``given_docs`` makes the Docs it reads:
each section's annotations as ``Match``es in ``doc.user_data["kg_given"]``, their identifiers standardised
(``prefixes.toml``, bare ids prefixed by type) and their types mapped (``annotations.toml``); ConText then
reads negation and hedging around them as around any mention."""


import dataclasses
import logging
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from kg.config import Config
from kg.curie import curies_of
from kg.model import Annotation, Document, Section
from kg.nlp.doc import write_match_spans
from kg.nlp.match import Match

log = logging.getLogger(__name__)

GIVEN = "kg_given"


@Language.factory("kg_given_matcher")
def make_given_matcher(nlp: Language, name: str) -> "GivenMatcher":
    return GivenMatcher()


class GivenMatcher:
    """Writes the matches a Doc was given (``doc.user_data["kg_given"]``) as its mentions."""

    def __call__(self, doc: Doc) -> Doc:
        given = doc.user_data.get(GIVEN) or ()
        return write_match_spans(doc, sorted(given, key=lambda m: (m.start, -m.end)))


class GivenEntities:
    """Turns a document's annotations into matches: kg types and standardised CURIEs."""

    def __init__(self, config: Config):
        t = config.annotations
        self.types = {k: t.table("types").string(k) for k in t.table("types")}
        bare = t.table("bare_ids", {})
        self.bare = {k: bare.string(k) for k in bare}
        self.score = t.number("score", 1.0)
        self.curies = curies_of(config)
        unknown = sorted(set(self.types.values()) - set(config.types.table("types")))
        if unknown:
            raise t.table("types").error(None, f"not entity types of types.toml: {', '.join(unknown)}")

    def curie(self, raw: str, type_: str) -> str | None:
        """A given identifier as a CURIE the prefix map knows (None when it knows none)."""
        if ":" not in raw:
            prefix = self.bare.get(type_)
            if prefix is None:
                return None
            raw = f"{prefix}:{raw}"
        return self.curies.standardize(raw)

    def matches(self, section: Section, annotations: Iterable[Annotation]) -> list[Match]:
        out = []
        for a in annotations:
            if a.section != section.name or a.lang != section.lang:
                continue
            typ = self.types.get(a.type)
            if typ is None:
                continue
            curies = tuple(dict.fromkeys(c for c in (self.curie(i, a.type) for i in a.ids) if c))
            out.append(Match(a.start, a.end, tuple((c, "LABEL") for c in curies), self.score, "given", type=typ))
        return out


def given_docs(nlp: Language, jobs: Iterable[tuple[Document, Section, int, str]], config: Config) -> Iterator[Doc]:
    """A Doc per (document, section, offset, piece of its text) carrying the given entities of that piece
    (their offsets made the piece's; an entity across two pieces is left out)."""
    entities = config.derived("given_entities", GivenEntities)
    skipped = 0
    for d, s, at, piece in jobs:
        doc = nlp.make_doc(piece)
        found = entities.matches(s, d.annotations)
        if at == 0:
            skipped += sum(1 for a in d.annotations if a.section == s.name and a.lang == s.lang) - len(found)
        if at or len(piece) < len(s.text):
            end = at + len(piece)
            found = [dataclasses.replace(m, start=m.start - at, end=m.end - at) for m in found if at <= m.start and m.end <= end]
        doc.user_data[GIVEN] = found
        yield doc
    if skipped:
        log.info("%d given annotation(s) of types kg has no entity type for were left out", skipped)
