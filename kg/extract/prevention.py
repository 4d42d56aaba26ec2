"""The prevention family: a therapy and a condition it prevents or makes less likely ("X prevents Y",
"prophylaxis of Y with X", "X for the prevention of Y"), as ``biolink:preventative_for_condition``."""

from __future__ import annotations

from kg.extract.family import PairFamily


class Prevention(PairFamily):
    """Therapy -> prevented condition, from ``[prevention]`` of the relations files."""

    name = "prevention"
