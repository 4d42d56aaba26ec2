"""A corpus's tagged spans as the entities of kg's own annotations (Rosario–Hearst's treatments and
diseases): what ``kg eval`` measures the extractor alone with, and what the claim classifier may also be
trained on. No spaCy here."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from kg import ids
from kg.corpora.gold import GoldDocument
from kg.model import AnnotatedDocument, Concept, Grounding, Mention


def with_tagged_spans(ad: AnnotatedDocument, g: GoldDocument, subject: str, obj: str,
                      subject_types: Sequence[str], object_types: Sequence[str], default_subject: str,
                      default_object: str, category: Callable[[str], str]) -> AnnotatedDocument:
    """``ad`` with the recognised mentions that overlap a tagged span replaced by mentions of exactly the
    tagged spans (a tag starting with ``subject`` is a treatment, one starting with ``obj`` a disease),
    grounded as the recogniser grounded the same span, else to a concept minted for the span (of the type
    of a recognised treatment it overlaps, else ``default_subject`` / ``default_object``)."""
    tagged = [m for m in g.mentions if m.type.startswith((subject, obj))]
    if not tagged:
        return ad
    kept = [m for m in ad.mentions if not any(m.start < t.end and t.start < m.end for t in tagged)]
    for i, t in enumerate(tagged):
        is_treat = t.type.startswith(subject)
        allowed = subject_types if is_treat else object_types
        same = next((m for m in ad.mentions if (m.start, m.end) == (t.start, t.end) and m.concept is not None
                     and m.concept.type in allowed), None)
        if same is not None:
            kept.append(same)
            continue
        near = [m.concept.type for m in ad.mentions if m.start < t.end and t.start < m.end and m.concept is not None]
        typ = next((x for x in near if x in subject_types), default_subject) if is_treat else default_object
        concept = Concept(ids.tagged(i), t.text, category(typ), typ)
        sent = next((s.index for s in ad.sentences if s.section == t.section and s.start <= t.start < s.end), 0)
        kept.append(Mention(ad.document.id, t.section, "en", sent, t.start, t.end, t.text, typ,
                            (Grounding(concept.curie, t.text, 1.0, "gold", "tagged"),), concept=concept))
    kept.sort(key=lambda m: (m.start, -m.end))
    return dataclasses.replace(ad, mentions=tuple(kept))
