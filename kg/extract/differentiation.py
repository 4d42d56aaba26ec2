"""The differentiation family: a cell differentiates, develops or matures into another cell type (and so
is capable of that cell type's differentiation process, where GO names one)."""

from __future__ import annotations

import csv
from pathlib import Path

from kg.config import Config
from kg.extract.family import RuleFamily
from kg.extract.rules import hinted
from kg.extract.sentence import SentenceView
from kg.model import Claim, Mention


def differentiation_processes(config: Config) -> dict[str, str]:
    """Cell type -> its GO differentiation process (``ontologies/mappings/go_cell_differentiation.tsv``)."""
    path: Path = config.ontologies / "mappings" / "go_cell_differentiation.tsv"
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8") as fh:
        return {r["cell_type"]: r["differentiation_process"] for r in csv.DictReader(fh, delimiter="\t")}


class Differentiation(RuleFamily):
    """Cell -> cell claims (``develops_into``), and the derived capability of the differentiation process."""

    def __init__(self, *args, processes: dict[str, str] | None = None):
        super().__init__(*args)
        self.processes = processes or {}

    def __call__(self, st: SentenceView, previous: Mention | None) -> list[Claim]:
        rules, read = self.rules, self.read
        stypes, otypes = rules.differentiation.subject_types, rules.differentiation.object_types
        out: list[Claim] = []
        if not st.has(otypes) or not (st.has(stypes) or previous is not None) or not hinted(st.lower, rules.differentiation.hints):
            return out
        s = st.sentence
        processes = self.processes if rules.derive_process else {}
        for m in rules.differentiation_forward.finditer(s.text):
            tstart, tend = s.start + m.start(), s.start + m.end()
            subj = read.subject(st, tstart, stypes, previous)
            if subj is None:
                continue
            subject = subj.concept_of(stypes)
            for obj in read.list_after(st, tend, otypes, st.clause(tend)):
                target = obj.concept_of(otypes)
                c = self.claims.claim(st, subj, subject, obj, target, rules.differentiation_predicate, "differentiation",
                                      m.group(0), (tstart, obj.start))
                if c:
                    out.append(c)
                go = processes.get(target.curie)
                if go and go in self.lex.labels:
                    proc = self.grounder.concept_for([go], rules.differentiation_process_type)
                    c = self.claims.claim(st, subj, subject, obj, proc, rules.capability_predicate, "capability",
                                          m.group(0), (tstart, obj.start), weight=rules.inferred_weight)
                    if c:
                        out.append(c)
        return out
