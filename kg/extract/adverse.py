"""The adverse-effect family: a therapy or exposure and a condition that occurs with it ("X-induced Y",
"Y associated with X", "Y in patients receiving X"), as ``biolink:has_adverse_event``: the reading of
Rosario–Hearst's side effects and BC5CDR's chemical-induced diseases, which the treats rules must not
take for a treatment."""

from __future__ import annotations

from kg.extract.family import PairFamily


class Adverse(PairFamily):
    """Therapy -> adverse condition, from ``[adverse]`` of the relations files."""

    name = "adverse"
