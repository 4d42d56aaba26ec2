#!/usr/bin/env python
"""Derive lexicon data from the train splits of the annotated corpora (never from dev or test data).

Usage:  python scripts/build_corpus_lexicon.py [--corpora ../shared/corpora]

Writes, reproducibly (sorted, no timestamps):

  ontologies/lexicons/corpus_terms.tsv  the gold mention strings of the train splits (NCBI-disease, BC5CDR,
      BioRED: diseases and chemicals; CRAFT: cell types and biological processes) as names of their gold
      identifier (MeSH, OMIM, CL, GO) as RELATED synonyms, with the entity type declared in the source column
      (``kg-corpus:<type>``). A string is kept when it names one identifier in most of its annotations
      and, where it occurs in the train texts of corpora that annotate its type, is annotated at least
      half of the time (so "ALL", "cold" or "lead" are left out). Mentions with several identifiers
      (composite mentions) and discontinuous ones are skipped, and so are names that kg's shipped
      pipeline already reads as one mention (its ontology terms and compositions stand).
  ontologies/corpus_filters.tsv  ontology terms (normalised words) and the entity types they are not
      matched as: those the shipped lexicons matched at least MIN_MATCHES times in the train texts with
      precision below MAX_PRECISION (processes: MAX_PRECISION_BY_TYPE) against the gold mentions of that type
      in every corpus that annotates the type (a match on a gold mention of another type, such as
      BioRED's gene products, counts neither way) ("severe", "chronic",
      "disease", "patients", ...). Terms that are themselves corpus terms are not filtered.
  ontologies/corpus_spans.tsv  the corpora's span conventions, as word counts per entity group (disease,
      drug): in how many documents a word is inside a gold mention before its last word ("inside" on the left: "familial",
      "X-linked", "breast"), or after its first word ("inside" on the right: "syndrome", "type"), and in how
      many it stands just outside one, joined to it by a space or hyphen ("outside": "of", "induced").
      The matcher extends a mention over a neighbouring word whose share inside is high
      (``kg/data/spans.toml`` sets the thresholds; ``kg/nlp/conventions.py`` applies them).
  ontologies/corpus_ids.tsv  the identifiers the train annotations give each mention string (normalised
      words, PubTator type, identifier, annotations with it, annotations of the string), for strings
      annotated at least MIN_ID_COUNT times: the identifier kg writes for a mention (``kg.ground.Identifiers``)
      is the one most train annotations of its string use, where that is at least half of them
      ("depression" is MeSH's symptom D003866, not the depressive disorder that MONDO maps to).

Documents of any dev or test split are left out of the train splits first (BioRED's train split holds
44 BC5CDR dev abstracts). Sources and licenses of the corpora: ../shared/PROVENANCE.tsv; the derived
files are listed in ontologies/ATTRIBUTION.md.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from bisect import bisect_left
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.config import Config  # noqa: E402
from kg.corpora import Corpora  # noqa: E402
from kg.model import Synonym, Term  # noqa: E402
from kg.nlp.conventions import number_pattern, word_class  # noqa: E402
from kg.ontology import CORPUS_SOURCE, Normalizer, load_lexicon, write_lexicon  # noqa: E402
from kg.training.ner import tune_part  # noqa: E402

log = logging.getLogger("build_corpus_lexicon")

# corpus -> corpus type -> kg entity type (kg/data/types.toml)
CORPORA = {
    "ncbi_disease": {"SpecificDisease": "disease", "DiseaseClass": "disease", "Modifier": "disease",
                     "CompositeMention": "disease"},
    "bc5cdr": {"Disease": "disease", "Chemical": "drug"},
    "biored": {"DiseaseOrPhenotypicFeature": "disease", "ChemicalEntity": "drug"},
    "craft": {"CL": "cell", "GO": "mechanism"},
}
# kg types that the same corpus type covers (a disease gold mention also vouches for a phenotype match)
COVERS = {"disease": {"disease", "phenotype"}, "drug": {"drug"}, "cell": {"cell"}, "mechanism": {"mechanism"}}
MIN_ID_SHARE = 0.5
MIN_ID_COUNT = 1
MIN_STRING_PRECISION = 0.5
MIN_MATCHES = 3
MAX_PRECISION = 0.3
# CRAFT's GO_BP annotation leaves many process mentions unannotated ("inflammation", "oxidative stress"),
# so its precision understates the lexicon's, and processes carry kg's mechanism claims: they are not
# filtered.
MAX_PRECISION_BY_TYPE = {"mechanism": 0.0}
# CRAFT annotates GO and CL classes only: it judges matches of those ontologies' terms, not of the MeSH
# phenomena ("oxidative stress") that kg also types as processes.
JUDGED_PREFIXES = {"mechanism": ("GO",), "cell": ("CL",)}


def load_train(root: Path, without_tune: bool = False, config: Config | None = None):
    corpora = Corpora(config, root)
    held = corpora.held_out_ids()
    out = {}
    for name in CORPORA:
        docs = [g for g in corpora.load(name, "train") if g.id not in held and not (without_tune and tune_part(g.id))]
        out[name] = docs
        log.info("%s train: %d documents", name, len(docs))
    return out


def corpus_terms(train, norm: Normalizer, known: dict[str, str],
                 config: Config | None = None) -> tuple[list[Term], set[tuple[str, ...]]]:
    """Terms from the gold mention strings, and the keys they cover; ``known``: labels of the shipped
    lexicons' terms; ``config``: the policy and ontologies folder the pipeline reads them with."""
    by_key: dict[tuple[str, ...], Counter] = defaultdict(Counter)  # key -> (type, id) counts
    surfaces: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    annotated_in: dict[str, set[str]] = defaultdict(set)  # kg type -> corpora annotating it
    for name, docs in train.items():
        for typ in CORPORA[name].values():
            annotated_in[typ].add(name)
        for g in docs:
            for m in g.mentions:
                typ = CORPORA[name].get(m.type)
                if typ is None or len(m.ids) != 1 or m.fragments:
                    continue
                key = norm.term_key(m.text)
                if not key:
                    continue
                by_key[key][(typ, m.ids[0])] += 1
                surfaces[key][" ".join(m.text.split())] += 1
    # How often each key occurs at all in the texts of the corpora that annotate its type.
    occurrences: dict[tuple[tuple[str, ...], str], int] = Counter()
    first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for key in by_key:
        first[key[0]].append(key)
    for name, docs in train.items():
        types = set(CORPORA[name].values())
        for g in docs:
            for s in g.document.sections:
                words = [w for w, _, _ in norm.pieces(s.text)]
                for i, w in enumerate(words):
                    for key in first.get(w, ()):
                        if tuple(words[i : i + len(key)]) == key:
                            for typ in types:
                                occurrences[(key, typ)] += 1
    terms: dict[str, dict] = {}
    for key, counts in sorted(by_key.items()):
        (typ, curie), n = counts.most_common(1)[0]
        total = sum(counts.values())
        if n / total < MIN_ID_SHARE:
            continue
        seen = occurrences.get((key, typ), 0)
        annotated = sum(v for (t, _), v in counts.items() if t == typ)
        if seen and annotated / seen < MIN_STRING_PRECISION:
            continue
        entry = terms.setdefault(curie, {"type": typ, "names": Counter()})
        for text, k in surfaces[key].items():
            entry["names"][text] += k
    # Corpus names are RELATED synonyms: where an ontology names the span too, its label or exact
    # synonym wins; a term the ontologies lack (MeSH supplementary concepts, OMIM) is labelled by its
    # most frequent name.
    out = []
    keys = set()
    read_whole = already_read(sorted({t for e in terms.values() for t in e["names"]}), config)
    for curie, entry in sorted(terms.items()):
        names = [t for t, _ in sorted(entry["names"].items(), key=lambda x: (-x[1], x[0])) if t not in read_whole]
        if not names:
            continue
        label = known.get(curie) or names[0]
        syns = tuple(Synonym(t, "RELATED") for t in names if t != label)
        out.append(Term(curie, label, syns, (), (), CORPUS_SOURCE + entry["type"]))
        keys |= {norm.term_key(t) for t in names}
    return out, keys


def corpus_ids(train, norm: Normalizer, config: Config | None = None) -> list[tuple[str, str, str, int, int]]:
    """(normalised words, PubTator type, identifier, annotations with it, annotations of the string) for
    each mention string of the train splits annotated at least MIN_ID_COUNT times with one identifier
    (composite and discontinuous mentions are left out)."""
    corpora = Corpora(config)
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for name, docs in train.items():
        types = corpora.spec(name).table("types").plain()
        for g in docs:
            for m in g.mentions:
                typ = types.get(m.type)
                if typ is None or len(m.ids) != 1 or m.fragments:
                    continue
                key = norm.term_key(m.text)
                if key:
                    counts[(" ".join(key), typ)][m.ids[0]] += 1
    rows = []
    for (key, typ), ids in sorted(counts.items()):
        total = sum(ids.values())
        if total >= MIN_ID_COUNT:
            rows.extend((key, typ, curie, n, total) for curie, n in sorted(ids.items()))
    return rows


def write_ids(rows, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("term\ttype\tid\tannotations\ttotal\n")
        for row in rows:
            fh.write("\t".join(map(str, row)) + "\n")


def already_read(names: list[str], config: Config | None = None) -> set[str]:
    """The names that kg's shipped pipeline already reads as one mention (an ontology term or one of
    kg's compositions, such as "liver damage"), grounded: kg's own reading of them stands. A name read
    only as a head-word mention ("bromperidol" by its stem, kgid:unlinked_) keeps its corpus identifier."""
    from kg.ids import is_unlinked
    from kg.model import Document, Section
    from kg.pipeline import Pipeline

    pipeline = Pipeline(fuzzy=False, config=config)
    docs = [Document(f"kgdoc:n{i}", "names", (Section("abstract", n),)) for i, n in enumerate(names)]
    out = set()
    for n, ad in zip(names, pipeline.run(docs).annotated):
        if any(m.start == 0 and m.end == len(n) and m.concept is not None and not is_unlinked(m.concept.curie)
               for m in ad.mentions):
            out.add(n)
    return out


def annotate_train(train, config: Config | None = None) -> dict:
    """The train documents as kg's pipeline reads them with the ontology lexicons alone (no corpus terms,
    filters or span conventions: the files are removed before this runs, or ``config`` names an
    ontologies folder without them)."""
    from kg.pipeline import Pipeline

    pipeline = Pipeline(fuzzy=False, lang="en", config=config)
    return {name: pipeline.run([g.document for g in docs]).annotated for name, docs in train.items()}


def corpus_filters(train, keys_kept: set[tuple[str, ...]], norm: Normalizer, annotated: dict | None = None,
                   config: Config | None = None) -> list[tuple[str, str, int, float]]:
    """(term, type, matches, precision) for ontology terms with low precision on the train texts."""
    lex = load_lexicon(config=config)
    annotated = annotated if annotated is not None else annotate_train(train, config)
    counts: dict[tuple[tuple[str, ...], str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for name, docs in train.items():
        types = set(CORPORA[name].values())
        gold = {g.id: g for g in docs}
        for ad in annotated[name]:
            g = gold[ad.document.id]
            for m in ad.mentions:
                target = next((t for t in types if m.type in COVERS[t]), None)
                if target is None or m.composition or not m.groundings or m.groundings[0].match in ("abbreviation", "acronym", "like", "fuzzy"):
                    continue
                judged = JUDGED_PREFIXES.get(target)
                if judged and m.concept.curie.split(":", 1)[0] not in judged:
                    continue
                key = norm.term_key(m.text)
                if key not in lex.index or key in keys_kept:
                    continue
                over = [x for x in g.mentions if x.section == m.section and x.start < m.end and m.start < x.end]
                hit = any(CORPORA[name].get(x.type) == target for x in over)
                if over and not hit:
                    continue  # an entity of another type (a gene, a species): a type question, not noise
                c = counts[(key, target)][name]
                c[0] += 1
                c[1] += hit
    rows = []
    for (key, target), per_corpus in sorted(counts.items()):
        n = sum(x[0] for x in per_corpus.values())
        hits = sum(x[1] for x in per_corpus.values())
        limit = MAX_PRECISION_BY_TYPE.get(target, MAX_PRECISION)
        # Filtered only when every corpus that saw the match rarely annotates it (corpora disagree:
        # BioRED annotates insulin as a gene product, BC5CDR as a chemical).
        if n >= MIN_MATCHES and all(h / k < limit for k, h in per_corpus.values()):
            for typ in sorted(COVERS[target]):
                rows.append((" ".join(key), typ, n, round(hits / n, 3)))
    return rows


# kg entity groups whose span conventions are learned, by corpus type
SPAN_GROUPS = {"disease": "disease", "drug": "drug"}
MENTION_GROUPS = {"disease": "disease", "phenotype": "disease", "drug": "drug"}  # kg mention type -> group
_JOINABLE_GAP = re.compile(r"^[\s\-–'’/]*$")  # no punctuation but hyphens, slashes, apostrophes


def span_conventions(train, norm: Normalizer, annotated: dict,
                     config: Config | None = None) -> list[tuple[str, str, str, str, str, int, int]]:
    """(group, side, gap, word, corpus, inside, outside): the corpora's span conventions next to the
    mentions kg's lexicon finds, counted as documents (a word counts once per document and kind).

    ``side`` "left"/"right": where a mention kg found (``annotated``: the train texts read with the
    ontology lexicons alone) lies inside a gold mention of its group, the words of the gold mention before
    / after it count "inside", and the word just outside the gold mention counts "outside" (so does the
    word next to a mention kg found exactly). ``gap``: how the word is joined to its neighbour towards the
    mention, "space" or "joined" (a hyphen, slash or apostrophe, or nothing). ``side`` "first"/"last"
    (gap "-"), from all gold mentions: the word begins / ends a gold mention ("inside") or is inside one
    but does not ("outside"). Counted per corpus (corpora differ: NCBI-disease includes "chronic",
    BC5CDR does not); words counted inside in at least two documents of one corpus are listed (with the
    counts of every corpus that saw them twice)."""
    number = number_pattern(config or Config.default())
    inside: dict[tuple[str, str, str, str], Counter] = defaultdict(Counter)
    outside: dict[tuple[str, str, str, str], Counter] = defaultdict(Counter)
    for name, docs in train.items():
        groups = {t: SPAN_GROUPS[k] for t, k in CORPORA[name].items() if k in SPAN_GROUPS}
        if not groups:
            continue
        predicted = {ad.document.id: ad for ad in annotated[name]}
        for g in docs:
            seen_in: set[tuple[str, str, str, str]] = set()
            seen_out: set[tuple[str, str, str, str]] = set()
            ad = predicted.get(g.id)
            for section in g.document.sections:
                text = section.text
                pieces = norm.pieces(text)
                if not pieces:
                    continue
                starts = [p[1] for p in pieces]
                ends = [p[2] for p in pieces]
                wc = [word_class(p[0], number) for p in pieces]

                def gap(i: int) -> str:  # between piece i and piece i + 1
                    return "space" if any(c.isspace() for c in text[ends[i]:starts[i + 1]]) else "joined"

                def joinable(i: int) -> bool:
                    return bool(_JOINABLE_GAP.match(text[ends[i]:starts[i + 1]]))

                golds = []
                for m in g.mentions:
                    if m.section != section.name or m.type not in groups or m.fragments:
                        continue
                    a, b = bisect_left(starts, m.start), bisect_left(ends, m.end)
                    if a < len(pieces) and b < len(pieces) and starts[a] == m.start and ends[b] == m.end:
                        golds.append((groups[m.type], a, b))
                covered: dict[str, set[int]] = defaultdict(set)
                for group, a, b in golds:
                    covered[group].update(range(a, b + 1))
                    seen_in.add((group, "first", "-", wc[a]))
                    seen_in.add((group, "last", "-", wc[b]))
                    seen_out.update((group, "first", "-", wc[k]) for k in range(a + 1, b + 1))
                    seen_out.update((group, "last", "-", wc[k]) for k in range(a, b))
                for m in (ad.mentions if ad is not None else ()):
                    group = MENTION_GROUPS.get(m.type)
                    if m.section != section.name or group is None:
                        continue
                    pa, pb = bisect_left(starts, m.start), bisect_left(ends, m.end)
                    if pa >= len(pieces) or pb >= len(pieces) or starts[pa] != m.start or ends[pb] != m.end:
                        continue
                    hit = next(((a, b) for gg, a, b in golds if gg == group and a <= pa and pb <= b), None)
                    if hit is None:
                        continue
                    a, b = hit
                    seen_in.update((group, "left", gap(k), wc[k]) for k in range(a, pa))
                    seen_in.update((group, "right", gap(k - 1), wc[k]) for k in range(pb + 1, b + 1))
                    if a > 0 and a - 1 not in covered[group] and joinable(a - 1):
                        seen_out.add((group, "left", gap(a - 1), wc[a - 1]))
                    if b + 1 < len(pieces) and b + 1 not in covered[group] and joinable(b):
                        seen_out.add((group, "right", gap(b), wc[b + 1]))
            for key in seen_in:
                inside[(*key[:3], name)][key[3]] += 1
            for key in seen_out:
                outside[(*key[:3], name)][key[3]] += 1
    listed = {(*key[:3], word) for key, counts in inside.items() for word, n in counts.items() if n >= 2}
    rows = []
    for key in set(inside) | set(outside):
        for word in set(inside[key]) | set(outside[key]):
            n, out = inside[key].get(word, 0), outside[key].get(word, 0)
            if (*key[:3], word) in listed and n + out >= 2:
                rows.append((*key[:3], word, key[3], n, out))
    return sorted(rows)


def write_spans(rows, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("group\tside\tgap\tword\tcorpus\tinside\toutside\n")
        for row in rows:
            fh.write("\t".join(map(str, row)) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument("--without-tune", action="store_true",
                    help="leave out the NER's tuning documents too (to compare lexicon and NER on them fairly)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    norm = Normalizer(Config.default())
    train = load_train(args.corpora, args.without_tune)
    # The files are measured against the shipped ontology lexicons alone, which kg reads from its own
    # ontologies/ folder: so they are written there (after the old ones are removed), never elsewhere.
    args.out = Config.default().ontologies
    lex_path = args.out / "lexicons" / "corpus_terms.tsv"
    filters_path = args.out / "corpus_filters.tsv"
    spans_path = args.out / "corpus_spans.tsv"
    # Both are measured against the shipped ontology lexicons alone.
    for p in (lex_path, filters_path, spans_path, args.out / "corpus_ids.tsv"):
        if p.exists():
            p.unlink()
    terms, keys = corpus_terms(train, norm, load_lexicon().labels)
    annotated = annotate_train(train)
    rows = corpus_filters(train, keys, norm, annotated)
    write_lexicon(terms, lex_path)
    with open(filters_path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("term\ttype\tmatches\tprecision\n")
        for key, typ, n, p in rows:
            fh.write(f"{key}\t{typ}\t{n}\t{p}\n")
    log.info("%d corpus terms (%d names) -> %s", len(terms), sum(1 + len(t.synonyms) for t in terms), lex_path)
    log.info("%d filtered (term, type) pairs -> %s", len(rows), filters_path)
    spans = span_conventions(train, norm, annotated)
    write_spans(spans, spans_path)
    log.info("%d span-convention word counts -> %s", len(spans), spans_path)
    ids = corpus_ids(train, norm)
    write_ids(ids, args.out / "corpus_ids.tsv")
    log.info("%d (string, type, identifier) rows -> %s", len(ids), args.out / "corpus_ids.tsv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
