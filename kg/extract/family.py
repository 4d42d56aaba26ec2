"""What every rule family is given: the compiled rules of its language, the reading primitives and the
claim builder."""

from __future__ import annotations

from kg.extract.claims import ClaimBuilder
from kg.extract.rules import Rules
from kg.extract.sentence import Reading
from kg.ground import Grounder
from kg.ontology import Lexicon


class RuleFamily:
    """A family of claim rules (treats, direction, capability, differentiation, secretion)."""

    def __init__(self, rules: Rules, read: Reading, claims: ClaimBuilder, lexicon: Lexicon, grounder: Grounder):
        self.rules = rules
        self.read = read
        self.claims = claims
        self.lex = lexicon
        self.grounder = grounder
