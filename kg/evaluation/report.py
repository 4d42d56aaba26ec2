"""The figures of an evaluation as text or Markdown tables, and as JSON."""

from __future__ import annotations

from collections.abc import Sequence

from kg.evaluation.scores import CorpusResult


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}"


def format_table(results: Sequence[CorpusResult], markdown: bool = False, kinds: bool = False) -> str:
    """The mention and relation figures as text (or Markdown) tables; ``kinds`` adds the breakdown of
    mentions by how they were found and the sentence classes with treats, negated and hedged claims."""
    head = ["corpus", "split", "type", "gold", "pred", "strict P", "strict R", "strict F1",
            "overlap P", "overlap R", "overlap F1", "norm P", "norm R", "norm F1"]
    rows = []
    for r in results:
        for t, s in r.types.items():
            norm = [_pct(s.normalisation.p), _pct(s.normalisation.r), _pct(s.normalisation.f)] \
                if s.normalisation.tp + s.normalisation.fp + s.normalisation.fn else ["", "", ""]
            rows.append([r.corpus, r.split, t, str(s.gold), str(s.predicted), _pct(s.strict.p), _pct(s.strict.r),
                         _pct(s.strict.f), _pct(s.overlap.p), _pct(s.overlap.r), _pct(s.overlap.f), *norm])
    rel_head = ["corpus", "split", "relation", "measure", "P", "R", "F1", "counts"]
    rel_rows = []
    for r in results:
        givens = {(y["relation"], y.get("family", "treats")): y for y in r.relations_given}
        for x in r.relations:
            rel_rows.extend(_relation_rows(r, x, givens.get((x["relation"], x.get("family", "treats")))))
    kind_head = ["corpus", "split", "found as", "predicted", "strict hits", "strict P", "overlap P"]
    kind_rows = []
    for r in results:
        for kind, k in r.kinds.items():
            n = k.get("predicted", 0)
            kind_rows.append([r.corpus, r.split, kind, str(n), str(k.get("strict", 0)),
                              _pct(k.get("strict", 0) / n if n else 0), _pct(k.get("overlap", 0) / n if n else 0)])
    cls_head = ["corpus", "split", "sentence class", "sentences", "with a treats claim", "with a negated one",
                "with a hedged one"]
    cls_rows = []
    for r in results:
        for xs, label in ((r.relations, "end to end"), (r.relations_given, "tagged entities given")):
            x = next((y for y in xs if y.get("kind") == "treats_sentence" and y.get("family", "treats") == "treats"), {})
            for cls, v in (x.get("classes") or {}).items():
                cls_rows.append([r.corpus, f"{r.split} ({label})", cls, str(v.get("sentences", 0)),
                                 str(v.get("with_treats_claim", 0)), str(v.get("with_negated_claim", 0)),
                                 str(v.get("with_hedged_claim", 0))])
    out = _table(head, rows, markdown) + "\n" + _table(rel_head, rel_rows, markdown)
    if kinds:
        out += "\n" + _table(kind_head, kind_rows, markdown)
        if cls_rows:
            out += "\n" + _table(cls_head, cls_rows, markdown)
    return out


def _relation_rows(r: CorpusResult, x: dict, given: dict | None) -> list[list[str]]:
    """The rows of one relation: its figure and, for tagged sentences, the same with the tags given."""
    family = x.get("family", "treats")
    if x["kind"] == "not_treats":
        return [[r.corpus, r.split, x["relation"], "gold pairs read as treats-like", "", "", "",
                 f"{x['read_as_treats']} of {x['gold_pairs']} ({100 * x['error_rate']:.1f}%); "
                 f"{x['treats_like_claims']} treats-like claims"]]
    what = "treats-like" if family == "treats" else family
    if x["kind"] == "treats_pairs":
        measure = f"document pairs vs {what} claims"
    elif x["kind"] == "treats_strings":
        measure = "(disease, therapy) strings vs treats-like claims"
    else:
        measure = f"sentences with a{'n' if what[0] in 'aeiou' else ''} {what if family != 'treats' else 'treats'} claim"
    rows = [[r.corpus, r.split, x["relation"], measure, _pct(x["p"]), _pct(x["r"]), _pct(x["f1"]),
             f"tp {x['tp']} fp {x['fp']} fn {x['fn']}"]]
    if given:
        rows.append([r.corpus, r.split, given["relation"], "same, with the tagged entities given", _pct(given["p"]),
                     _pct(given["r"]), _pct(given["f1"]), f"tp {given['tp']} fp {given['fp']} fn {given['fn']}"])
    return rows


def _table(head: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        lines += ["| " + " | ".join(c.strip() for c in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*head)] + [fmt.format(*row) for row in rows]) + "\n"


def results_json(results: Sequence[CorpusResult]) -> list[dict]:
    out = []
    for r in results:
        out.append({
            "corpus": r.corpus, "split": r.split, "documents": r.documents, "seconds": round(r.seconds, 2),
            "types": {t: {"gold": s.gold, "predicted": s.predicted, "strict": s.strict.as_dict(),
                          "overlap": s.overlap.as_dict(), "normalisation": s.normalisation.as_dict()}
                      for t, s in r.types.items()},
            "relations": r.relations, "relations_given": r.relations_given, "kinds": r.kinds,
        })
    return out
