"""Stage 3, ground: ranked ontology identifiers for each mention, one concept per node.

``Grounder`` joins cross-referenced candidates into one concept and names it by the type's preferred
prefix; it composes concepts no ontology has and asks an injected fuzzy linker about mentions no lexicon
term matched. ``Identifiers`` chooses the identifier a format or a corpus wants written for a mention.
"""

from kg.ground.grounder import FuzzyCandidates, Grounder, ground
from kg.ground.identifiers import Identifiers

__all__ = ["FuzzyCandidates", "Grounder", "Identifiers", "ground"]
